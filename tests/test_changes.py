"""Unit tests of sitegen.changes: the record of changes."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen import changes, datafile
from sitegen.errors import SiteDataError

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# changes: the record of changes


def _changes(text: str):
    return changes.validate(datafile.load_text(text, "data/changes.yml"))


def test_a_record_entry_keeps_every_field_as_written():
    record = _changes(
        "changes:\n"
        "  - date: 2026-03-01\n"
        "    pages: [/uses/]\n"
        "    what: \"  Reworded   two  sentences. \"\n"
        "    why: Newer label.\n"
        "    edits:\n"
        "      - replace: may  be\n"
        "        with: can be\n"
        "      - replace: \"only this\"\n"
        "        with:\n"
        "      - replace: \"and this\"\n"
        "        with: \"\"\n"
        "    sources: [berman2000, an2021]\n"
        "    add: [new2026]\n"
        "  - date: 2026-03-01\n"
        "    pages: [/, /uses/]\n"
        "    what: Same day.\n"
    )
    assert record == (
        changes.Change(dt.date(2026, 3, 1), ("/uses/",), "Reworded two sentences.", "Newer label.",
                       (changes.Edit("may be", "can be", "data/changes.yml, line 7"),
                        changes.Edit("only this", "", "data/changes.yml, line 9"),
                        changes.Edit("and this", "", "data/changes.yml, line 11")),
                       ("berman2000", "an2021"), False, (), ("new2026",), "data/changes.yml, line 2"),
        changes.Change(dt.date(2026, 3, 1), ("/", "/uses/"), "Same day.", where="data/changes.yml, line 15"),
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("    date: 2026-03-01 10:00:00\n", "data/changes.yml, line 4: changes[0].date: must be a date written YYYY-MM-DD, got a datetime (2026-03-01 10:00:00)"),
        ("    date: March 1\n", "data/changes.yml, line 4: changes[0].date: must be a date written YYYY-MM-DD, got text ('March 1')"),
        ("    date: 2026-03-01\n    sources: berman2000\n", "data/changes.yml, line 5: changes[0].sources: must be a list of citation keys, like [berman2000], got text ('berman2000')"),
        ("    date: 2026-03-01\n    add: {a: 1}\n    why: x\n", "data/changes.yml, line 5: changes[0].add: must be a list of citation keys, like [berman2000], got a mapping"),
        ("    date: 2026-03-01\n    typo: 1\n", "data/changes.yml, line 5: changes[0].typo: must be true or false"),
        ("    date: 2026-03-01\n    retire: [old1999]\n", "data/changes.yml, line 2: changes[0]: changes the article's words or the reference list, so it needs 'why': the reason, in a sentence"),
        ("    date: 2026-03-01\n    add: [new2026]\n", "data/changes.yml, line 2: changes[0]: changes the article's words or the reference list, so it needs 'why': the reason, in a sentence"),
        ("    date: 2026-03-01\n    edits:\n      - replace: a\n        with:\n", "data/changes.yml, line 2: changes[0]: changes the article's words or the reference list, so it needs 'why': the reason, in a sentence"),
        ("    date: 2026-03-01\n    edits:\n      - replace: a\n", "data/changes.yml, line 6: changes[0].edits[0]: missing field 'with'"),
    ],
)
def test_a_record_entry_is_refused_naming_its_line_and_what_to_write(entry, message):
    text = "changes:\n  - pages: [/]\n    what: W.\n" + entry
    with pytest.raises(SiteDataError) as refused:
        _changes(text)
    assert str(refused.value) == message


def test_new_words_need_sources_or_a_typo_but_removals_do_not():
    base = "changes:\n  - date: 2026-03-01\n    pages: [/]\n    what: W.\n    why: Because.\n    edits:\n      - replace: a\n        with: {}\n"
    assert _changes(base.format('""'))[0].edits == (changes.Edit("a", "", "data/changes.yml, line 7"),)
    assert _changes(base.format("b") + "    typo: true\n")[0].typo is True
    assert _changes(base.format("b") + "    sources: [k]\n")[0].sources == ("k",)
    with pytest.raises(SiteDataError, match=r"^data/changes.yml, line 2: changes\[0\]: puts new words in the article's place: list the citation keys "
                                            r"behind them under 'sources', or say 'typo: true' if it only corrects a typing error$"):
        _changes(base.format("b") + "    typo: false\n")


def test_the_record_is_newest_first_and_edits_come_back_oldest_first():
    record = (
        changes.Change(dt.date(2026, 3, 1), ("/",), "New.", edits=(changes.Edit("c", "d", "w3"),)),
        changes.Change(dt.date(2026, 2, 1), ("/",), "Mid."),
        changes.Change(dt.date(2026, 1, 1), ("/",), "Old.", edits=(changes.Edit("a", "b", "w1"), changes.Edit("b", "c", "w2"))),
    )
    assert [e.where for e in changes.edits(record)] == ["w1", "w2", "w3"]
    with pytest.raises(SiteDataError) as refused:
        _changes("changes:\n  - date: 2026-01-01\n    pages: [/]\n    what: A.\n  - date: 2026-01-02\n    pages: [/]\n    what: B.\n")
    assert str(refused.value) == "data/changes.yml, line 5: changes[1].date: 2026-01-02 is newer than the entry above it (2026-01-01): keep the newest first"


def test_each_page_is_dated_by_the_latest_entry_naming_it():
    record = (
        changes.Change(dt.date(2026, 3, 1), ("/old-uses/",), "Newest.", where="data/changes.yml, line 2"),
        changes.Change(dt.date(2026, 2, 1), ("/uses/", "/"), "Older.", where="data/changes.yml, line 6"),
    )
    pages = {"/uses/": changes.Dated("docs/uses.md", 4, dt.date(2026, 3, 1)), "/": changes.Dated("docs/index.md", 3, dt.date(2026, 2, 1))}
    changes.check_dates(record, pages, {"/old-uses/": "/uses/"})
    with pytest.raises(SiteDataError) as refused:
        changes.check_dates(record, {**pages, "/": changes.Dated("docs/index.md", 3, dt.date(2026, 2, 2))}, {"/old-uses/": "/uses/"})
    assert str(refused.value) == (
        "docs/index.md, line 3: last_updated is 2026-02-02, but data/changes.yml has no entry for / on that date: "
        "add one at the top (date: 2026-02-02, pages: [/], what: what changed, in a sentence for readers)")
    with pytest.raises(SiteDataError) as refused:
        changes.check_dates(record, {**pages, "/": changes.Dated("docs/index.md", 3, dt.date(2026, 1, 31))}, {"/old-uses/": "/uses/"})
    assert str(refused.value) == ("data/changes.yml, line 6: records a change to / on 2026-02-01, after its last_updated (2026-01-31): "
                                  "in docs/index.md, line 3, write `last_updated: 2026-02-01`")
    with pytest.raises(SiteDataError) as refused:
        changes.check_dates(record, {**pages, "/about/": changes.Dated("docs/about.md", 5, dt.date(2026, 1, 1))}, {"/old-uses/": "/uses/"})
    assert str(refused.value) == ("docs/about.md, line 5: last_updated is 2026-01-01, but data/changes.yml has no entry for /about/ on that date: "
                                  "add one at the top (date: 2026-01-01, pages: [/about/], what: what changed, in a sentence for readers)")
    with pytest.raises(SiteDataError) as refused:  # a slip of a letter: the page it must have meant
        changes.check_dates(record, {**pages, "/old-usess/": pages["/uses/"]}, {})
    assert str(refused.value) == ("data/changes.yml, line 2: pages: /old-uses/ is not a page of the site; did you mean /old-usess/? If not, and "
                                  "it moved, add `/old-uses/: /new-address/` under moved: in data/public-urls.yml (addresses are as there, like /uses/)")
    with pytest.raises(SiteDataError) as refused:
        changes.check_dates(record, pages, {})
    assert str(refused.value) == ("data/changes.yml, line 2: pages: /old-uses/ is not a page of the site; if it moved, add `/old-uses/: /new-address/` "
                                  "under moved: in data/public-urls.yml (addresses are as there, like /uses/)")


class _Cited:
    def __init__(self, html):
        self.html = html


def test_the_record_page_says_what_the_article_said_and_what_each_source_did():
    record = (
        changes.Change(dt.date(2026, 3, 9), ("/uses/", "/gone/", "/"), "Two & three.", "Because <b>.",
                       (changes.Edit("a < b", "c", "w"), changes.Edit("d", "", "w")), retire=("old",), add=("new",)),
        changes.Change(dt.date(2026, 1, 2), ("/",), "Plain."),
    )
    out = changes.render(record, {"/uses/": ("Uses & more", "../uses/?a&b"), "/": ("Home", "../")},
                         {"old": _Cited("Old, A. (1999). <cite>T</cite>."), "new": _Cited("New, B. (2026).")})
    assert out == (
        '<ol class="changes" data-search-exclude>\n'
        '<li class="change" id="change-2026-03-09-1"><p class="change__date"><time datetime="2026-03-09">March 9, 2026</time></p>'
        '<p class="change__what">Two &amp; three.</p>'
        '<p class="change__edit">The source article said <q>a &lt; b</q>; this site now says <q>c</q>.</p>'
        '<p class="change__edit">The source article’s words <q>d</q> were removed.</p>'
        '<p class="change__edit">A source is no longer cited: Old, A. (1999). <cite>T</cite>.</p>'
        '<p class="change__edit">A source was added: New, B. (2026).</p>'
        '<p class="change__why">Why: Because &lt;b&gt;.</p>'
        '<p class="change__pages">Pages: <a href="../uses/?a&amp;b">Uses &amp; more</a>, <a href="../">Home</a></p></li>\n'
        '<li class="change" id="change-2026-01-02-1"><p class="change__date"><time datetime="2026-01-02">January 2, 2026</time></p>'
        '<p class="change__what">Plain.</p><p class="change__pages">Pages: <a href="../">Home</a></p></li>\n'
        "</ol>"
    )


# ---------------------------------------------------------------------------------------------
# changes: every message names the file, the line and the key

RECORD = "changes:\n  - date: 2026-01-02\n    pages: [/a/]\n    what: W\n"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (RECORD, "{}", "d.yml, line 1: missing field 'changes'"),
        (RECORD, "[]", "d.yml, line 1: must be a mapping of fields, got a list"),
        (RECORD, "changes: []", "d.yml, line 1: changes: is empty: list at least one change"),
        ("pages: [/a/]", "pages: []", "d.yml, line 3: changes[0].pages: is empty: list at least one page"),
        ("pages: [/a/]", "pages: [1]", "d.yml, line 3: changes[0].pages[0]: must be text, got a number (1)"),
        ("what: W", "what: W\n    why: 1", "d.yml, line 5: changes[0].why: must be text, got a number (1)"),
        ("what: W", "what: W\n    sources: [1]", "d.yml, line 5: changes[0].sources[0]: must be text, got a number (1)"),
        ("what: W", "what: W\n    why: Y\n    edits:\n      - replace: 1\n        with: x",
         "d.yml, line 7: changes[0].edits[0].replace: must be text, got a number (1)"),
        ("what: W", "what: W\n    why: Y\n    typo: true\n    edits:\n      - replace: x\n        with: 1",
         "d.yml, line 9: changes[0].edits[0].with: must be text, got a number (1)"),
    ],
)
def test_a_wrong_value_in_the_record_of_changes_is_named_by_line_and_key(old, new, message):
    with pytest.raises(SiteDataError) as caught:
        changes.validate(datafile.load_text(RECORD.replace(old, new), "d.yml"))
    assert str(caught.value).startswith(message)
