"""The site model: everything the build knows, loaded and checked once before MkDocs starts.

Each bad input here is refused by the model itself, so no build is needed to test it; the
messages name the file, the line and what to do. One end-to-end `make build` per kind of
failure lives in tests/test_publishing.py.
"""

from __future__ import annotations

import datetime as dt
import re
from types import MappingProxyType

import pytest

from conftest import ROOT, copy_project, edit, line_of, model_of
from sitegen.errors import SiteDataError
from sitegen.site import check_settings, flatten_nav


@pytest.fixture(scope="module")
def site():
    return model_of(ROOT)


def test_the_model_holds_the_whole_site(site):
    assert list(site.pages)[:3] == ["index.md", "ketamine.md", "esketamine.md"]
    assert len(site.pages) == len(list((ROOT / "docs").glob("*.md"))) and len(site.sources) == 54
    assert set(site.tables) == {"side-effects", "at-a-glance"}
    written = re.search(r"^last_updated: (\S+)$", (ROOT / "docs/uses.md").read_text(encoding="utf-8"), re.M).group(1)
    assert site.pages["uses.md"].last_updated == dt.date.fromisoformat(written)  # read from the page, which editors change
    assert site.citations["uses.md"][0] == ("glandpharma2023", "mcintyre2021")
    assert [(m.name, m.arg) for m in site.markers["side-effects.md"]] == [("table", "side-effects")]
    assert site.canonical("uses.md") == "https://ketamine-depression.example.org/uses/"
    assert site.label("how-they-work.md") == "How they work" and site.by_address("/uses/").src == "uses.md"
    assert not site.pages["handout.md"].cites and not site.pages["handout.md"].searchable


def test_the_model_cannot_be_changed(site):
    assert isinstance(site.pages, MappingProxyType) and isinstance(site.sources, MappingProxyType)
    with pytest.raises(TypeError):
        site.pages["new.md"] = site.pages["uses.md"]
    with pytest.raises(AttributeError):
        site.settings = None


DUPLICATES = [  # (file, text, replacement, the duplicated line as it reads in the edited file)
    ("data/side-effects.yml", "    row_heading: Side effect\n", "    row_heading: Side effect\n    row_heading: Effect\n", "row_heading: Effect"),
    ("data/at-a-glance.yml", "    row_heading: Topic\n", "    row_heading: Topic\n    row_heading: Fact\n", "row_heading: Fact"),
    ("data/glossary.yml", "  - term: IV\n", "  - term: IV\n    term: IV again\n", "term: IV again"),
    ("data/public-urls.yml", "  /privacy/:\n", "  /about/:  # again\n    - more\n  /privacy/:\n", "/about/:  # again"),
    ("docs/uses.md", "title: What are", "title: Uses\ntitle: What are", "title: What are"),
]


@pytest.mark.parametrize("path, before, after, duplicate", DUPLICATES, ids=[d[0] for d in DUPLICATES])
def test_a_duplicate_key_in_any_file_stops_the_build(tmp_path, path, before, after, duplicate):
    project = copy_project(tmp_path)
    edit(project, path, before, after)
    with pytest.raises(SiteDataError) as caught:
        model_of(project)
    where = f"{path}, line {line_of(project / path, duplicate)}"
    assert str(caught.value).startswith(where) and "duplicate key" in str(caught.value), str(caught.value)


@pytest.mark.parametrize("path", ["docs/uses.md", "docs/_snippets/urgent-help.md", "data/glossary.yml", "references.bib", "docs/assets/stylesheets/site.css"])
def test_a_file_that_is_not_utf8_is_named(tmp_path, path):
    project = copy_project(tmp_path)
    file = project / path
    file.write_bytes(file.read_bytes().replace(b"\n", "\nCaf\u00e9 \n".encode("latin-1"), 3))
    with pytest.raises(SiteDataError) as caught:
        model_of(project)
    assert str(caught.value).startswith(f"{path}, line 2: is not UTF-8 text (byte 0xe9)"), str(caught.value)


def test_yaml_aliases_are_refused_before_they_expand(tmp_path):
    project = copy_project(tmp_path)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    (project / "data/glossary.yml").write_text(bomb, encoding="utf-8")
    with pytest.raises(SiteDataError, match=r"^data/glossary.yml, line 1: uses a YAML anchor or alias"):
        model_of(project)


def test_an_oversized_data_file_is_refused(tmp_path):
    project = copy_project(tmp_path)
    (project / "data/glossary.yml").write_text("terms:\n" + "# padding\n" * 60000, encoding="utf-8")
    with pytest.raises(SiteDataError, match=r"^data/glossary.yml: is 585 KiB, over the 512 KiB"):
        model_of(project)


def test_a_nav_entry_for_a_missing_page_is_named(tmp_path):
    project = copy_project(tmp_path)
    edit(project, "mkdocs.yml", "Glossary: glossary.md", "Glossary: glosary.md")
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml: nav: 'Glossary' points to glosary.md, which is not in docs/"):
        model_of(project)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://clinic.example.net/info", "https://clinic.example.net/info/"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
        ("https://ketamine-depression.example.org/", "https://ketamine-depression.example.org/"),
    ],
)
def test_good_site_addresses(url, expected):
    assert check_settings("S", url).site_url == expected


@pytest.mark.parametrize("url", ["", "ketamine.example.org", "ftp://example.org/", "https://exa mple.org/", "https://example.org/?a=1", "https://x@example.org/", "https://-bad-.org/", "https://300.1.1.1/"])
def test_bad_site_addresses_are_refused(url):
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml: site_url: "):
        check_settings("S", url)


def test_nav_is_flattened_with_its_sections():
    items = flatten_nav([{"Home": "index.md"}, "plain.md", {"About": [{"Privacy": "privacy.md"}]}])
    assert [(i.label, i.src, i.section) for i in items] == [("Home", "index.md", None), ("plain.md", "plain.md", None), ("Privacy", "privacy.md", "About")]
    with pytest.raises(SiteDataError, match="must name a .md file"):
        flatten_nav([{"Home": "https://example.org/"}])
