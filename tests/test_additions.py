"""Facts the site adds from the article's own references (data/changes.yml, additions)."""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from sitegen import additions, changes, datafile
from sitegen import site as site_model
from sitegen.errors import SiteDataError
from test_units_mutants import NAV, _settings, tiny_site

ENTRY = """changes:
  - date: 2026-01-02
    pages: [/extra/]
    what: We added a fact from a source.
    why: The source says it.
    additions:
      - id: a-fact
        source: abdallah2018
        section: Paper, Results
        text: Glutamate rose & fell.
"""


def _record(text: str):
    return changes.validate(datafile.load_text(text, "data/changes.yml"))


def test_an_addition_is_read_with_where_it_comes_from():
    (change,) = _record(ENTRY)
    assert change.additions == (changes.Addition("a-fact", "Glutamate rose & fell.", "abdallah2018", "Paper, Results", "data/changes.yml, line 7"),)


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("        source: abdallah2018\n", "", "data/changes.yml, line 7: changes[0].additions[0]: missing field 'source'"),
        ("        section: Paper, Results\n", "", "data/changes.yml, line 7: changes[0].additions[0]: missing field 'section'"),
        ("    why: The source says it.\n", "", "data/changes.yml, line 2: changes[0]: adds facts to the site, so it needs 'why': the reason, in a sentence"),
        ("id: a-fact", "id: A fact", "data/changes.yml, line 7: changes[0].additions[0].id: 'A fact' is not an id"),
        ("rose & fell.", "rose [see](javascript:x).", "data/changes.yml, line 10: changes[0].additions[0].text: holds '['"),
        ("rose & fell.", "rose <b>high</b>.", "data/changes.yml, line 10: changes[0].additions[0].text: contains HTML"),
    ],
)
def test_a_bad_addition_is_refused_naming_its_line(before, after, message):
    with pytest.raises(SiteDataError) as refused:
        _record(ENTRY.replace(before, after))
    assert str(refused.value).startswith(message), str(refused.value)


def test_the_box_is_one_line_escaped_labelled_and_cited():
    (change,) = _record(ENTRY)
    box = additions.render(change.additions[0])
    assert "\n" not in box
    assert box == ('<div class="site-addition" role="note" markdown="1"><p class="site-addition__label">Added by this site, from the Paper, Results</p>'
                   '<p markdown="span">Glutamate rose &amp; fell.[@abdallah2018]</p></div>')
    page = "Intro.\n\n<!-- insert: addition a-fact -->\n\n<!-- insert: addition other -->\nEnd.\n"
    expanded = additions.expand(page, {"a-fact": change.additions[0]})
    assert expanded.splitlines()[2] == box and expanded.count("\n") == page.count("\n")
    assert "<!-- insert: addition other -->" in expanded  # an unknown id is the site model's error, not silently dropped


def _tiny_with_addition(tmp_path, page_text="More.\n\n<!-- insert: addition a-fact -->\n"):
    root = tiny_site(tmp_path)
    text = (root / "data/changes.yml").read_text(encoding="utf-8")
    (root / "data/changes.yml").write_text(ENTRY + text.removeprefix("changes:\n"), encoding="utf-8")
    extra = (root / "docs/extra.md").read_text(encoding="utf-8")
    extra = extra.replace("last_updated: 2026-01-01", "last_updated: 2026-01-02").replace("More.\n", page_text)
    (root / "docs/extra.md").write_text(extra, encoding="utf-8")
    return root


def test_a_placed_addition_is_part_of_the_page_the_model_reads(tmp_path):
    loaded = site_model.load_site(_tiny_with_addition(tmp_path), _settings(), NAV)
    assert loaded.citations["extra.md"] == (("abdallah2018",),)
    assert "Glutamate rose &amp; fell.[@abdallah2018]" in loaded.pages["extra.md"].body


@pytest.mark.parametrize(
    ("page_text", "message"),
    [
        ("More.\n", "data/changes.yml, line 7: addition 'a-fact' is placed on no page"),
        ("More.\n\n<!-- insert: addition nosuch -->\n", "docs/extra.md, line 12: <!-- insert: addition NAME --> needs one of: a-fact; got 'nosuch'"),
        ('More.\n\n<div class="site-addition">Our own fact.</div>\n', "docs/extra.md, line 12: 'site-addition' is the record's box for an addition"),
    ],
)
def test_an_addition_placed_wrongly_is_refused(tmp_path, page_text, message):
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(_tiny_with_addition(tmp_path, page_text), _settings(), NAV)
    assert str(refused.value).startswith(message), str(refused.value)


def test_a_page_showing_an_addition_must_be_named_by_its_entry(tmp_path):
    root = _tiny_with_addition(tmp_path)
    index = (root / "docs/index.md").read_text(encoding="utf-8")
    (root / "docs/index.md").write_text(index + "\n<!-- insert: addition a-fact -->\n", encoding="utf-8")
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(root, _settings(), NAV)
    assert str(refused.value).startswith("data/changes.yml, line 2: pages: docs/index.md shows addition 'a-fact', so this entry must name /")


# --- The built site -------------------------------------------------------------------------------


def _record_additions() -> dict:
    return changes.additions(changes.load_record(ROOT / "data/changes.yml"))


def test_every_placed_addition_shows_its_recorded_words_labelled_and_cited(site_dir):
    placed = 0
    for page in sorted((ROOT / "docs").glob("*.md")):
        ids = re.findall(r"^<!-- insert: addition ([a-z0-9-]+) -->$", page.read_text(encoding="utf-8"), re.M)
        if not ids:
            continue
        url = "" if page.stem == "index" else page.stem + "/"
        soup = BeautifulSoup((site_dir / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        boxes = soup.select("article div.site-addition[role=note]")
        assert len(boxes) == len(ids), url
        for ident, box in zip(ids, boxes):
            addition = _record_additions()[ident]
            label = box.select_one(".site-addition__label").get_text()
            assert label.startswith("Added by this site") and addition.section in label
            text = box.select("p")[1]
            assert " ".join(text.get_text().split()).startswith(" ".join(addition.text.split()))
            cites_on_page = page.read_text(encoding="utf-8").count("[@") > 0 and "citations: omit" not in page.read_text(encoding="utf-8")
            assert bool(text.select("sup.citation")) == cites_on_page, url
            placed += 1
    assert placed


def test_no_page_says_an_effect_is_missing_from_the_sources(site_dir):
    # "Not listed in the sources" reads as "this does not happen"; empty cells name the article's list.
    for page in site_dir.rglob("*.html"):
        text = " ".join(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())
        for phrase in ("Not listed in the sources", "Not stated in the sources"):
            assert phrase not in text, f"{page.relative_to(site_dir)}: {phrase!r}"


# --- The citation review ledger (data/reviews/citations.yml) --------------------------------------

from sitegen import reviews  # noqa: E402

LEDGER = """reviews:
  - page: docs/a.md
    sentence: Ketamine was created
    key: abdallah2018
    verdict: supports
    source_words: Ketamine was made.
    read_at: abstract
"""
BODY = "Intro.\n\nKetamine was created for anesthesia.[@abdallah2018]\n"


def _ledger(tmp_path, text=LEDGER):
    path = tmp_path / "citations.yml"
    path.write_text(text, encoding="utf-8")
    return reviews.load(path)


def _check(ledger, body=BODY, record=()):
    reviews.check(ledger, {"docs/a.md": ("/a/", body, 5)}, {"abdallah2018": object()}, record)


def test_a_complete_ledger_passes_and_prints_its_verdict(tmp_path):
    ledger = _ledger(tmp_path)
    _check(ledger)
    assert reviews.verdict_line(ledger, "docs/a.md", "Ketamine was created for anesthesia.", "abdallah2018") == "verdict: supports"
    assert reviews.summary(ledger) == "1 sources of citations reviewed: 1 supports, 0 partly, 0 does not support, 0 could not check"


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("verdict: supports", "verdict: maybe", "line 5: reviews[0].verdict: 'maybe' is not a verdict"),
        ("verdict: supports", "verdict: partly", "line 2: reviews[0]: 'partly' needs a note"),
        ("verdict: supports", "verdict: does not support\n    note: No.", "line 2: reviews[0]: does not support its sentence: record what was done"),
        ("    source_words: Ketamine was made.\n", "", "line 2: reviews[0]: needs source_words and read_at"),
        ("Ketamine was made.", "word " * 41, "line 6: reviews[0].source_words: quotes 41 words"),
    ],
)
def test_a_bad_ledger_entry_is_refused_naming_its_line(tmp_path, before, after, message):
    with pytest.raises(SiteDataError) as refused:
        _ledger(tmp_path, LEDGER.replace(before, after))
    assert str(refused.value).startswith(f"citations.yml, {message}") or message in str(refused.value), str(refused.value)


def test_a_marker_without_an_entry_and_an_entry_without_a_marker_are_refused(tmp_path):
    ledger = _ledger(tmp_path)
    with pytest.raises(SiteDataError) as refused:
        _check(ledger, BODY + "\nIt works.[@abdallah2018]\n")
    assert str(refused.value).startswith("docs/a.md, line 9: cites 'abdallah2018' after 'It works.', which data/reviews/citations.yml has not reviewed")
    with pytest.raises(SiteDataError) as refused:
        _check(ledger, "Intro.\n\nNo citation here.\n")
    assert "no citation of 'abdallah2018' on docs/a.md follows a sentence starting 'Ketamine was created'" in str(refused.value)
    for field, value, problem in (("page", "docs/b.md", "page: docs/b.md is not a page that cites sources"),
                                  ("key", "nosuch", "key: 'nosuch' is not an entry in references.bib")):
        bad = _ledger(tmp_path, LEDGER.replace(f"{field}: {'docs/a.md' if field == 'page' else 'abdallah2018'}", f"{field}: {value}"))
        with pytest.raises(SiteDataError) as refused:
            _check(bad)
        assert problem in str(refused.value)


def test_a_does_not_support_needs_a_recorded_change_naming_its_page(tmp_path):
    ledger = _ledger(tmp_path, LEDGER.replace("verdict: supports", "verdict: does not support\n    note: No.\n    change: 2026-01-02"))
    with pytest.raises(SiteDataError) as refused:
        _check(ledger)
    assert "change: data/changes.yml has no entry on 2026-01-02 naming /a/" in str(refused.value)
    (change,) = _record(ENTRY.replace("[/extra/]", "[/a/]"))
    _check(ledger, record=(change,))


def test_the_sites_ledger_reviews_every_citation(site_dir):
    # The build refuses a gap; this reads the built /about/ for the counts it shows from the ledger.
    ledger = reviews.load(ROOT / reviews.WHERE)
    about = BeautifulSoup((site_dir / "about/index.html").read_text(encoding="utf-8"), "html.parser")
    shown = about.select_one(".citation-review ul")
    assert shown and sum(int(li.get_text().split()[0]) for li in shown.select("li")) == len(ledger)


# --- How current the evidence is ------------------------------------------------------------------

from sitegen import citations  # noqa: E402


def test_the_newest_source_and_each_label_version_are_found():
    sources = {"a": citations.Source("a", 1, "A", "A.", year="2018"), "b": citations.Source("b", 2, "B", "B.", year="2021"),
               "l": citations.Source("l", 3, "L", "L.", year="2020", label="Spravato [package insert]"),
               "n": citations.Source("n", 4, "N", "N.", year="n.d.")}
    assert citations.evidence_dates(["a", "l", "a", "n"], sources) == ("2020", [("Spravato [package insert]", "2020")])
    assert citations.evidence_dates(["b", "a"], sources) == ("2021", [])
    assert citations.evidence_dates([], sources) == (None, [])


def test_each_citing_page_shows_the_year_of_its_newest_source(site_dir):
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        url = "" if page.stem == "index" else page.stem + "/"
        shown = BeautifulSoup((site_dir / url / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(".page-evidence")
        if "[@" in text and "citations: omit" not in text:
            assert shown and re.match(r"Newest source cited: \d{4}", shown.get_text()), url
            if "[@janssen2020]" in text or "insert: addition" in text:
                assert "Spravato [package insert]: the 2020 version" in shown.get_text(), url
        else:
            assert shown is None, url


# --- Every change to what a page publishes is on the record (data/published-text.yml) ------------------

import datetime as dt  # noqa: E402

from sitegen import published  # noqa: E402


def test_the_published_text_is_the_readers_words_in_any_copy():
    html = ('<p>Ketamine <abbr title="A drug.">IV</abbr> at https://a.example/k/<wbr>uses/.<a class="headerlink">¶</a></p>'
            '<div class="handout-online">QR https://a.example/k/</div><p class="clinic-contact">Call us</p>')
    assert published.text_of(html, "https://a.example/k/") == "Ketamine IV at /uses/. A drug."
    assert published.text_of(html) == "Ketamine IV at https://a.example/k/uses/. A drug."


def test_a_change_to_a_pages_text_needs_an_entry_of_its_own():
    old = changes.Change(dt.date(2026, 1, 1), ("/a/",), "Made.")
    new = changes.Change(dt.date(2026, 2, 1), ("/a/",), "Reworded a sentence.")
    same_day = changes.Change(dt.date(2026, 2, 1), ("/a/",), "Reworded a sentence, and a table cell it shows.")
    first = published.check({}, {"/a/": ("docs/a.md, line 4", "t1")}, {"/a/": old})  # a page seen for the first time
    assert first == {"/a/": {"text": "t1", "entry": published.entry_id(old)}}
    assert published.check(first, {"/a/": ("docs/a.md, line 4", "t1")}, {"/a/": old}) == first  # nothing changed
    with pytest.raises(SiteDataError) as refused:
        published.check(first, {"/a/": ("docs/a.md, line 4", "t2")}, {"/a/": old})
    assert str(refused.value).startswith("docs/a.md, line 4: the text /a/ publishes changed") and "since 2026-01-01" in str(refused.value)
    assert str(refused.value).endswith("add an entry at the top naming /a/, with each page's last_updated set to its date")
    with pytest.raises(SiteDataError) as refused:  # every page that changed, named at once
        published.check({**first, "/b/": {"text": "u1", "entry": published.entry_id(old)}},
                        {"/a/": ("docs/a.md, line 4", "t2"), "/b/": ("docs/b.md, line 4", "u2")}, {"/a/": old, "/b/": old})
    assert "(and so did /b/)" in str(refused.value) and "naming /a/, /b/, with" in str(refused.value)
    second = published.check(first, {"/a/": ("docs/a.md, line 4", "t2")}, {"/a/": new})
    # Against the last commit's fingerprints (scripts/build), every edit before the next commit counts as the new entry's.
    assert published.check(first, {"/a/": ("docs/a.md, line 4", "t3")}, {"/a/": new})["/a/"]["text"] == "t3"
    with pytest.raises(SiteDataError):  # once committed, the next change needs words of its own
        published.check(second, {"/a/": ("docs/a.md, line 4", "t3")}, {"/a/": new})
    assert published.check(second, {"/a/": ("docs/a.md, line 4", "t3")}, {"/a/": same_day})["/a/"]["text"] == "t3"


def test_the_fingerprint_file_round_trips_and_a_foreign_one_is_named():
    kept = {"/b/": {"text": "x", "entry": "2026-01-01 abcd"}, "/a/": {"text": "y", "entry": "2026-01-02 ef01"}}
    text = published.dump(kept)
    assert text.startswith("# Written by the build") and text.index("/a/") < text.index("/b/")
    assert published.load(text) == kept and published.load(None) == {}
    with pytest.raises(SiteDataError) as refused:
        published.load("- a list\n")
    assert str(refused.value).startswith("data/published-text.yml: is not the build's fingerprint file")


def test_the_build_keeps_a_fingerprint_for_every_page_it_publishes(site_dir):
    stored = published.load((ROOT / published.WHERE).read_text(encoding="utf-8"))
    addresses = {"/" + p.relative_to(site_dir).parent.as_posix().strip(".") + "/" for p in site_dir.glob("**/index.html")
                 if (ROOT / "docs" / ((p.relative_to(site_dir).parent.as_posix().strip(".") or "index") + ".md")).is_file()}
    assert {a.replace("//", "/") for a in addresses} == set(stored)
    assert all(set(v) == {"text", "entry"} and re.fullmatch(r"[0-9a-f]{16}", v["text"]) for v in stored.values())
