"""An editor's tasks in detail, through `make build` on a copy: what a new source does to every other
number, retiring an article's source, an impossible date, and a name already taken. Every task the
README's guide documents, done as it says and ending in `make check`, is tests/test_tasks.py's.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, copy_project, day_after_record, edit, line_of, make, soup_of
from sitegen import changes, citations, datafile

REVIEWS = "data/reviews/citations.yml"


def _record(project, entry: str) -> None:
    """Put an entry at the top of the copy's data/changes.yml and date its pages, as the README says."""
    edit(project, "data/changes.yml", "changes:\n", "changes:\n" + entry + "\n")
    date = re.search(r"date: (\S+)", entry).group(1)
    for address in re.search(r"pages: \[(.*)\]", entry).group(1).split(", "):
        page = project / "docs" / ((address.strip("/") or "index") + ".md")
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"^last_updated: .*$", f"last_updated: {date}", text, count=1, flags=re.M), encoding="utf-8")


def _fails(project) -> str:
    home = project / "site" / "index.html"
    before = home.read_bytes() if home.exists() else None
    result = make(project, "build")
    assert result.returncode != 0, "the build published an unrecorded change"
    assert (home.read_bytes() if home.exists() else None) == before, "a failed build changed the published site"
    return result.stdout + result.stderr


def _builds(project) -> None:
    result = make(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def _numbers_shown(project) -> dict[str, dict]:
    """What each built page says about source numbers: its citation markers (id -> number), the
    numbered list it prints (number -> entry), and the reference list's entries in order."""
    shown = {}
    for path in sorted((project / "site").rglob("index.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        shown[path.parent.relative_to(project / "site").as_posix()] = {
            "markers": {a["id"]: a.get_text() for a in soup.select("sup.citation a")},
            "printed": {li.get("value"): li.get_text() for li in soup.select(".print-sources li")},
            "list": [li["id"] for li in soup.select("ol.bibliography > li")],
        }
    return shown


def _pdfs(project) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (project / "site/pdf").glob("*.pdf")}


@pytest.mark.rebuild
def test_a_new_source_in_the_middle_of_the_bib_takes_the_next_number_and_no_other_changes(project):
    # Put where an editor keeping A to Z order would put it, in the middle of references.bib: numbers
    # are the entries' own, so no other source's number changes, and no other page is printed again.
    _builds(project)
    before, pdfs_before = _numbers_shown(project), _pdfs(project)
    following = max(source.number for source in citations.load_bibliography(project / "references.bib").values()) + 1
    bib = project / "references.bib"
    text = bib.read_text(encoding="utf-8")
    entries = [m.start() for m in re.finditer(r"^@", text, re.M)]
    middle = entries[len(entries) // 2]
    bib.write_text(text[:middle] + """@misc{editor2027,
  author  = {{Test Editors}},
  year    = {2027},
  title   = {A source the article does not list},
}

""" + text[middle:], encoding="utf-8")
    edit(project, "docs/ketamine.md", "misuse.[@dea2018]", "misuse.[@dea2018; @editor2027]")
    # Without its number: the build names the line to add, with the next free number.
    message = _fails(project)
    bib_line = line_of(bib, "@misc{editor2027")
    told = f"add the line `  refnumber = {{{following}}},` under `@misc{{editor2027,` (line {bib_line})"
    assert f"references.bib, line {bib_line}: entry 'editor2027': has no refnumber" in message and told in message, message
    edit(project, "references.bib", "@misc{editor2027,\n", f"@misc{{editor2027,\n  refnumber = {{{following}}},\n")  # as told

    message = _fails(project)
    assert f"references.bib, line {bib_line}: entry 'editor2027': Test Editors (2027) is not in the article's reference list" in message, message
    assert "record it in data/changes.yml (add: [editor2027], why)" in message, message

    _record(project, f"""  - date: {day_after_record(project)}
    pages: [/ketamine/, /references/]
    what: We added a source.
    why: A test adds a source.
    add: [editor2027]""")
    message = _fails(project)
    assert f"docs/ketamine.md, line {line_of(project / 'docs/ketamine.md', 'editor2027')}: cites 'editor2027'" in message and REVIEWS in message, message
    edit(project, REVIEWS, "reviews:\n", """reviews:
- page: docs/ketamine.md
  sentence: This means it has a potential for abuse or misuse.
  key: editor2027
  verdict: supports
  source_words: A test source says so.
  read_at: the test's own source
""")
    _builds(project)
    after, pdfs_after = _numbers_shown(project), _pdfs(project)

    # The new source: the next free number in the text, on paper, and last in the list.
    new_marker = soup_of(project / "site", "ketamine/").select_one('article a[href$="#ref-editor2027"]')
    assert new_marker is not None and new_marker.get_text() == str(following)
    assert after["ketamine"]["printed"][str(following)].startswith("Test Editors")
    assert after["references"]["list"] == before["references"]["list"] + ["ref-editor2027"]
    assert "A source was added: Test Editors" in soup_of(project / "site", "changes/").select_one("ol.changes > li").get_text(" ")
    # Every other number, on every page, as it was.
    assert after.keys() == before.keys()
    for page, was in before.items():
        now = after[page]
        assert was["markers"].items() <= now["markers"].items(), page
        assert was["printed"].items() <= now["printed"].items(), page
        if page != "ketamine":
            assert now["markers"] == was["markers"] and now["printed"] == was["printed"], page
    # Printed again: only the pages the record names, the record itself, and /about/ (which counts the reviewed
    # citations). Every other PDF, the handouts already given to patients among them, still matches the site.
    reprinted = {name for name in pdfs_before if pdfs_after[name] != pdfs_before[name]}
    assert reprinted <= {f"{page}{size}.pdf" for page in ("ketamine", "references", "changes", "about") for size in ("", "-a4")}, reprinted
    assert "handout.pdf" not in reprinted


@pytest.mark.rebuild
def test_a_source_no_longer_cited_is_retired_on_the_record(project):
    edit(project, "docs/ketamine.md", "misuse.[@dea2018]", "misuse.")
    message = _fails(project)
    assert "'dea2018'" in message and "retire" in message and "data/changes.yml" in message, message

    _record(project, f"""  - date: {day_after_record(project)}
    pages: [/ketamine/, /references/]
    what: One source is no longer cited.
    why: A test stops citing it.
    retire: [dea2018]""")
    message = _fails(project)
    assert f"{REVIEWS}, line" in message and "no citation of 'dea2018' on docs/ketamine.md" in message, message
    text = (project / REVIEWS).read_text(encoding="utf-8")
    entry = re.search(r"^- page: docs/ketamine\.md\n  sentence: This means[^\n]*\n  key: dea2018\n(?:  .*\n|    .*\n)*", text, re.M)
    (project / REVIEWS).write_text(text.replace(entry.group(0), ""), encoding="utf-8")
    _builds(project)
    item = soup_of(project / "site", "references/").select_one("li#ref-dea2018")
    assert "retired" in item["class"] and "No longer cited on this site" in item.get_text()
    assert "A source is no longer cited: United States Drug Enforcement Administration" in soup_of(project / "site", "changes/").select_one("ol.changes > li").get_text(" ")


@pytest.mark.rebuild
def test_an_impossible_date_is_called_so(project):
    page = project / "docs/privacy.md"
    old = re.search(r"^last_updated: .*$", page.read_text(encoding="utf-8"), re.M).group(0)
    page.write_text(page.read_text(encoding="utf-8").replace(old, "last_updated: 2026-02-30"), encoding="utf-8")
    message = _fails(project)
    assert f"docs/privacy.md, line {line_of(page, 'last_updated')}" in message and "not a real date" in message, message


@pytest.mark.rebuild
def test_a_new_page_cannot_take_a_used_name(project):
    result = make(project, "new-page", TITLE="Side effects")
    assert result.returncode != 0 and "docs/side-effects.md" in result.stdout + result.stderr


@pytest.mark.unit
def test_the_readme_examples_are_valid():
    """The README's example entry and its 'what you can change' table name real files and fields."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    editing = readme[readme.index("## Editing"): readme.index("## Where things live")]
    example = re.search(r"```yaml\n(  - date: .*?)```", editing, re.S).group(1)
    record = changes.validate(datafile.load_text("changes:\n" + example, "README.md"))
    assert record[0].typo and record[0].edits
    for path in set(re.findall(r"`((?:data|docs)/[\w./-]+|references\.bib|mkdocs\.yml)`", editing)):
        if "questions-to-ask" not in path:  # the example new page
            assert (ROOT / path).exists(), f"README names {path}, which does not exist"
    comment = (ROOT / "data/changes.yml").read_text(encoding="utf-8").split("\nchanges:")[0]
    for field in changes.FIELDS:
        assert re.search(rf"^#\s+{field}:", comment, re.M), f"data/changes.yml's comment does not explain '{field}'"
