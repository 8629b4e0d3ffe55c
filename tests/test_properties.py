"""Property tests: whatever an editor saves, the loaders accept valid data or raise a clean SiteDataError.

Never a traceback from deep inside a loader (TypeError, AttributeError, a YAML exception...):
the build must stop with a message naming the file.

Pages' front matter, the data files (`data/*.yml`) and `references.bib` each get the same two
strategies: random documents built from arbitrary values, and mutations (deleted, inserted,
replaced characters) of the project's real files.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ROOT
from sitegen import citations, glossary, markup, tables
from sitegen.errors import SiteDataError
from sitegen.pages import REQUIRED, parse_page

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

WHERE = "docs/example.md"
REAL_PAGE = (ROOT / "docs" / "ketamine.md").read_text(encoding="utf-8")
REAL_FRONT_MATTER = REAL_PAGE.split("---\n")[1]
YAML_SPECIAL = ":-[]{}'\"#&*!|>%@,?\n\t 0123456789"

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # examples: the profile in conftest.py

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2026-02-30", "2026-13-01", "27/11/2026", "", " ", "<b>x</b>", "yes", "~"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)
front_matter = st.dictionaries(st.sampled_from(list(REQUIRED)) | st.text(max_size=12), values, max_size=7)


def run_page(source: str):
    """What the site model does with a saved page: its front matter, checked."""
    try:
        page = parse_page("example.md", source)
    except SiteDataError as error:
        assert error.where.startswith(WHERE)
        assert str(error).startswith(WHERE) and error.problem
        return None
    assert type(page.last_updated) is dt.date and type(page.next_review) is dt.date
    assert page.next_review > page.last_updated
    assert isinstance(page.title, str) and page.title and "<" not in page.description
    return page


def _page(front: str) -> str:
    return f"---\n{front}---\n\n# Title\n\nBody text.\n"


def test_the_real_front_matter_is_accepted():
    assert run_page(REAL_PAGE) is not None


@SETTINGS
@given(front_matter)
def test_random_front_matter_is_accepted_or_cleanly_rejected(meta):
    run_page(_page(yaml.safe_dump(meta, allow_unicode=True)))


@SETTINGS
# A description that holds HTML, an invisible or control character or the new-page scaffold's TODO, is refused
# whatever the dates.
@given(st.dates(), st.dates(), st.text(min_size=1, max_size=40).filter(
    lambda t: "<" not in t and "TODO" not in t and t.strip() and not markup.invisible(t)
    and not any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n\r" for c in t)))
def test_any_well_formed_dates_are_judged_only_by_their_order(updated, review, description):
    meta = {"title": "T", "description": description, "last_updated": updated, "next_review": review}
    result = run_page(_page(yaml.safe_dump(meta, allow_unicode=True)))
    assert (result is not None) == (review > updated)


def _mutate(text: str, mutations) -> str:
    for op, position, char in mutations:
        i = position % (len(text) + 1)
        if op == "delete":
            text = text[:i] + text[i + 1 :]
        elif op == "insert":
            text = text[:i] + char + text[i:]
        else:
            text = text[:i] + char + text[i + 1 :]
    return text


def mutations(alphabet: str):
    return st.lists(st.tuples(st.sampled_from(["delete", "insert", "replace"]), st.integers(min_value=0), st.sampled_from(alphabet)), min_size=1, max_size=6)


@SETTINGS
@given(mutations(YAML_SPECIAL))
def test_mutated_real_front_matter_is_accepted_or_cleanly_rejected(changes):
    text = _mutate(REAL_FRONT_MATTER, changes)
    run_page(_page(text if text.endswith("\n") else text + "\n"))


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_text_as_front_matter_is_accepted_or_cleanly_rejected(text):
    run_page(_page(text + "\n"))


@SETTINGS
@given(st.text(max_size=200))
def test_any_saved_page_text_is_accepted_or_cleanly_rejected(source):
    # No `---` block at all, or one that is not YAML.
    run_page(source)


# --- Data files and the bibliography --------------------------------------------------------


BIBTEX_SPECIAL = "@{},=\"#%\n\t aA0"


def _named_error(error: SiteDataError, name: str):
    assert str(error).startswith(name) and error.problem, str(error)


def load_data_file(tmp_path_factory, name: str, text: str):
    """Load `text` as data/<name> with the loader the build uses for it; what it returns, or its error."""
    root = tmp_path_factory.mktemp("project")
    path = root / "data" / name
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    if name == "glossary.yml":
        return glossary.load_glossary(path, f"data/{name}")
    return tables.load_tables([path], root)


def run_data_file(tmp_path_factory, name: str, text: str):
    """Load `text` as data/<name>: accepted, or rejected with an error naming the file."""
    try:
        load_data_file(tmp_path_factory, name, text)
    except SiteDataError as error:
        _named_error(error, f"data/{name}")


def run_bibliography(text: str):
    try:
        citations.parse_bibliography(text, "references.bib")
    except SiteDataError as error:
        _named_error(error, "references.bib")


DATA_FILES = ["side-effects.yml", "at-a-glance.yml", "glossary.yml"]


def test_the_real_data_and_bibliography_are_accepted(tmp_path_factory):
    # Loaded directly, not through run_data_file: a rejection of the real files must fail this test.
    loaded = {name: load_data_file(tmp_path_factory, name, (ROOT / "data" / name).read_text(encoding="utf-8")) for name in DATA_FILES}
    assert set(loaded["side-effects.yml"]) == {"side-effects"} and set(loaded["at-a-glance.yml"]) == {"at-a-glance"}
    assert len(loaded["side-effects.yml"]["side-effects"].texts()) > 0 and loaded["glossary.yml"].abbreviations()
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    assert len(citations.parse_bibliography(bib)) == len(re.findall(r"^@\w+\{", bib, re.M)) > 0  # every entry


@SETTINGS
@given(st.sampled_from(DATA_FILES), mutations(YAML_SPECIAL))
def test_mutated_data_files_are_accepted_or_cleanly_rejected(tmp_path_factory, name, changes):
    run_data_file(tmp_path_factory, name, _mutate((ROOT / "data" / name).read_text(encoding="utf-8"), changes))


@SETTINGS
@given(st.sampled_from(DATA_FILES), values)
def test_random_data_files_are_accepted_or_cleanly_rejected(tmp_path_factory, name, data):
    run_data_file(tmp_path_factory, name, yaml.safe_dump(data, allow_unicode=True))


@SETTINGS
@given(mutations(BIBTEX_SPECIAL))
def test_mutated_bibliography_is_accepted_or_cleanly_rejected(changes):
    run_bibliography(_mutate((ROOT / "references.bib").read_text(encoding="utf-8"), changes))


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_as_bibliography_is_accepted_or_cleanly_rejected(text):
    run_bibliography(text)


@pytest.mark.no_cover  # as conftest.py marks every property test
def test_a_test_coverage_leaves_out_runs_untraced():
    """`make test` measures coverage on four workers; the property tests, 300 examples each, run at
    half speed under the tracer. A tracer here means conftest.py's pytest_configure no longer stops
    the one pytest-cov leaves running on a worker."""
    assert sys.gettrace() is None, f"traced by {sys.gettrace()!r}"
