"""Honest dates: how current a page's sources are, and every change to what it publishes on the record."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT
from sitegen import changes, citations, published
from sitegen.errors import SiteDataError



@pytest.mark.unit
def test_the_newest_source_and_each_label_version_are_found():
    sources = {"a": citations.Source("a", 1, "A", "A.", year="2018"), "b": citations.Source("b", 2, "B", "B.", year="2021"),
               "l": citations.Source("l", 3, "L", "L.", year="2020", label="Spravato [package insert]"),
               "n": citations.Source("n", 4, "N", "N.", year="n.d.")}
    assert citations.evidence_dates(["a", "l", "a", "n"], sources) == ("2020", [("Spravato [package insert]", "2020")])
    assert citations.evidence_dates(["b", "a"], sources) == ("2021", [])
    assert citations.evidence_dates([], sources) == (None, [])


@pytest.mark.build
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





@pytest.mark.unit
def test_the_published_text_is_the_readers_words_in_any_copy():
    html = ('<p>Ketamine <abbr title="A drug.">IV</abbr> at https://a.example/k/<wbr>uses/.<a class="headerlink">¶</a></p>'
            '<div class="handout-online">QR https://a.example/k/</div><p class="clinic-contact">Call us</p>')
    assert published.text_of(html, "https://a.example/k/") == "Ketamine IV at /uses/. A drug."
    assert published.text_of(html) == "Ketamine IV at https://a.example/k/uses/. A drug."


@pytest.mark.unit
def test_a_change_to_a_pages_text_needs_an_entry_of_its_own():
    old = changes.Change(dt.date(2026, 1, 1), ("/a/",), "Made.")
    new = changes.Change(dt.date(2026, 2, 1), ("/a/",), "Reworded a sentence.")
    same_day = changes.Change(dt.date(2026, 2, 1), ("/a/",), "Reworded a sentence, and a table cell it shows.")
    first = published.check({}, {"/a/": published.Said("docs/a.md, line 4", "t1")}, {"/a/": old})  # a page seen for the first time
    assert first == {"/a/": {"text": "t1", "entry": published.entry_id(old), "editions": {published.entry_id(old): "t1"}}}
    assert published.check(first, {"/a/": published.Said("docs/a.md, line 4", "t1")}, {"/a/": old}) == first  # nothing changed
    with pytest.raises(SiteDataError) as refused:
        published.check(first, {"/a/": published.Said("docs/a.md, line 4", "t2")}, {"/a/": old})
    assert str(refused.value).startswith("docs/a.md, line 4: the text /a/ publishes changed") and "since 2026-01-01" in str(refused.value)
    # No new entry yet: one at the top, dated today (or the record's newest day, if later), and the line to write.
    with pytest.raises(SiteDataError) as refused:
        published.check(first, {"/a/": ("docs/a.md, line 4", "t2")}, {"/a/": old}, top=old, today=dt.date(2026, 3, 5))
    assert str(refused.value).endswith("add an entry at the top of data/changes.yml (date: 2026-03-05, pages: [/a/], what: what changed, "
                                       "in a sentence for readers), and write each page's date on its line:\n"
                                       "  docs/a.md, line 4: `last_updated: 2026-03-05`"), str(refused.value)
    both = {**first, "/b/": {"text": "u1", "entry": published.entry_id(old)}}
    with pytest.raises(SiteDataError) as refused:  # every page that changed, named at once
        published.check(both, {"/a/": ("docs/a.md, line 4", "t2"), "/b/": ("docs/b.md, line 4", "u2")}, {"/a/": old, "/b/": old})
    assert str(refused.value).startswith("docs/a.md, line 4: the text /a/, /b/ publish changed"), str(refused.value)
    assert str(refused.value).endswith("pages: [/a/, /b/], what: what changed, in a sentence for readers), and write each page's date "
                                       "on its line:\n  docs/a.md, line 4: `last_updated: 2026-01-01`\n  docs/b.md, line 4: `last_updated: 2026-01-01`")
    # The editor's own entry, new since the last commit, names another page: the changed ones go into it, with its date.
    mine = changes.Change(dt.date(2026, 2, 1), ("/c/",), "Reworded a table cell.", where="data/changes.yml, line 43")
    with pytest.raises(SiteDataError) as refused:
        published.check(both, {"/a/": ("docs/a.md, line 4", "t2"), "/b/": ("docs/b.md, line 4", "u1")}, {"/a/": old, "/b/": old},
                        top=mine, today=dt.date(2026, 3, 5))
    assert str(refused.value).endswith("add /a/ to `pages:` of your entry at data/changes.yml, line 43 (2026-02-01: 'Reworded a table "
                                       "cell.'), and write each page's date on its line:\n  docs/a.md, line 4: `last_updated: 2026-02-01`")
    second = published.check(first, {"/a/": published.Said("docs/a.md, line 4", "t2")}, {"/a/": new})
    # Against the last commit's fingerprints (scripts/build), every edit before the next commit counts as the new entry's.
    assert published.check(first, {"/a/": published.Said("docs/a.md, line 4", "t3")}, {"/a/": new})["/a/"]["text"] == "t3"
    with pytest.raises(SiteDataError):  # once committed, the next change needs words of its own
        published.check(second, {"/a/": published.Said("docs/a.md, line 4", "t3")}, {"/a/": new})
    assert published.check(second, {"/a/": published.Said("docs/a.md, line 4", "t3")}, {"/a/": same_day})["/a/"]["text"] == "t3"


@pytest.mark.unit
def test_the_fingerprint_file_round_trips_and_a_foreign_one_is_named():
    kept = {"/b/": {"text": "x", "entry": "2026-01-01 abcd"}, "/a/": {"text": "y", "entry": "2026-01-02 ef01"}}
    text = published.dump(kept)
    assert text.startswith("# Written by the build") and text.index("/a/") < text.index("/b/")
    assert published.load(text) == kept and published.load(None) == {}
    with pytest.raises(SiteDataError) as refused:
        published.load("- a list\n")
    assert str(refused.value).startswith("data/published-text.yml: is not the build's fingerprint file")


@pytest.mark.build
def test_the_build_keeps_a_fingerprint_for_every_page_it_publishes(site_dir):
    stored = published.load((ROOT / published.WHERE).read_text(encoding="utf-8"))
    addresses = {"/" + p.relative_to(site_dir).parent.as_posix().strip(".") + "/" for p in site_dir.glob("**/index.html")
                 if (ROOT / "docs" / ((p.relative_to(site_dir).parent.as_posix().strip(".") or "index") + ".md")).is_file()}
    assert {a.replace("//", "/") for a in addresses} == set(stored)
    assert all(set(v) == {"text", "entry", "editions"} and re.fullmatch(r"[0-9a-f]{16}", v["text"]) for v in stored.values())
    # The newest entry's fingerprint is the text's, and every entry kept is one the record has.
    record = {published.entry_id(change) for change in changes.load_record(ROOT / changes.WHERE)}
    assert all(v["editions"][v["entry"]] == v["text"] and set(v["editions"]) <= record for v in stored.values())


@pytest.mark.unit
def test_each_entrys_fingerprint_is_kept_and_an_older_ones_never_changes_again():
    old = changes.Change(dt.date(2026, 1, 1), ("/a/", "/b/"), "Made.")
    new = changes.Change(dt.date(2026, 2, 1), ("/a/",), "Reworded a sentence.")
    said = lambda text: {"/a/": published.Said("docs/a.md, line 4", text), "/b/": published.Said("docs/b.md, line 4", "u1")}
    # A file from before the history: each page's newest entry is all it knows, and that is enough to start one.
    before = {"/a/": {"text": "t1", "entry": published.entry_id(old)}, "/b/": {"text": "u1", "entry": published.entry_id(old)}}
    assert published.history(published.load(published.dump(before))) == {"/a/": {published.entry_id(old): "t1"},
                                                                          "/b/": {published.entry_id(old): "u1"}}
    # A new entry for /a/ with new words: the old entry keeps what it left, the new one has the text now.
    second = published.check(before, said("t2"), {"/a/": new, "/b/": old})
    assert second["/a/"]["editions"] == {published.entry_id(new): "t2", published.entry_id(old): "t1"}
    assert list(second["/a/"]["editions"]) == [published.entry_id(new), published.entry_id(old)]  # newest first
    assert second["/b/"]["editions"] == {published.entry_id(old): "u1"}
    # Before the next commit (held against the same file), the newest entry's is rewritten with its text...
    third = published.check(before, said("t3"), {"/a/": new, "/b/": old})
    assert third["/a/"]["editions"] == {published.entry_id(new): "t3", published.entry_id(old): "t1"}
    # ...and it round-trips through the file, history and all.
    kept = published.load(published.dump(third))
    assert kept == third and published.history(kept)["/a/"] == third["/a/"]["editions"]
    # Committed, and /a/'s newest entry is still `new`: its text cannot change without an entry, the old one's never does.
    assert published.check(kept, said("t3"), {"/a/": new, "/b/": old}) == third
    # Suppose `new` were taken off the record again and `old` became /a/'s newest: what `old` left stays as it was.
    back = published.check(kept, said("t3"), {"/a/": old, "/b/": old}, entries={published.entry_id(old)})
    assert back["/a/"]["editions"] == {published.entry_id(old): "t1"} and back["/a/"]["text"] == "t3"
    # A page that moved brings its history to its new address.
    moved = published.check(kept, {"/c/": ("docs/c.md, line 4", "t3"), "/b/": ("docs/b.md, line 4", "u1")}, {"/c/": new, "/b/": old},
                            moved={"/a/": "/c/"})
    assert moved["/c/"]["editions"] == third["/a/"]["editions"]


@pytest.mark.unit
def test_each_change_names_the_edition_it_produced_and_none_it_cannot_know():
    old = changes.Change(dt.date(2026, 1, 1), ("/a/", "/b/"), "Made.")
    mid = changes.Change(dt.date(2026, 1, 9), ("/old-b/",), "Moved, and reworded.")
    new = changes.Change(dt.date(2026, 2, 1), ("/a/",), "Reworded a sentence.")
    record = (new, mid, old)
    known = {"/a/": {published.entry_id(new): "7" * 16, published.entry_id(old): "abcdef0123456789"},
             "/old-b/": {published.entry_id(mid): "1234567890abcdef"}}
    # Newest first: `new` is /a/'s newest (its current edition, None), `mid` is /b/'s (it named its old address),
    # `old` produced /a/'s older edition, and /b/'s under `old` was never kept.
    assert published.produced(record, known, {"/old-b/": "/b/"}) == [{"/a/": None}, {"/b/": None}, {"/a/": "2026-01-01.abcdef"}]
    assert published.produced(record, {}, {"/old-b/": "/b/"}) == [{"/a/": None}, {"/b/": None}, {}]
    earlier = published.produced((mid, old), known, {"/old-b/": "/b/"})  # before `new`: /a/'s newest is `old`
    assert earlier == [{"/b/": None}, {"/a/": None}]
    # An older entry's, kept under the page's old address, is found from its new one.
    assert published.produced((new, mid), known, {"/old-b/": "/b/"})[1] == {"/b/": None}
    assert published.produced((new, mid, old), {"/old-b/": {published.entry_id(old): "fedcba9876543210"}},
                              {"/old-b/": "/b/"})[2] == {"/b/": "2026-01-01.fedcba"}


@pytest.mark.unit
def test_tooltips_come_from_abbr_titles_only_and_without_an_address_no_word_is_replaced():
    html = ('<p title="Not a tooltip"><abbr title="Intravenous">IV</abbr> <abbr>ECT</abbr> '
            '<span title="Nor this">Code XXXX at /uses/</span></p>')
    assert published.text_of(html) == "IV ECT Code XXXX at /uses/ Intravenous"
    assert published.text_of(html, "") == "IV ECT Code XXXX at /uses/ Intravenous"


@pytest.mark.unit
def test_a_fingerprint_and_an_entry_id_are_short_sha256_digests():
    assert published.fingerprint("") == "e3b0c44298fc1c14"  # sha256 of the UTF-8 text, its first 16 hex digits
    assert published.fingerprint("Ketamine") == "b41b75dad45817c4"
    assert published.entry_id(changes.Change(dt.date(2026, 1, 1), ("/a/",), "Made.")) == "2026-01-01 eff6224e"  # date, 8 digits of `what`


@pytest.mark.unit
def test_a_page_kept_without_both_text_and_entry_adds_nothing_to_its_history():
    stored = {"/a/": {"entry": "2026-01-01 eff6224e"}, "/b/": {"text": "b41b75dad45817c4"},
              "/c/": {"entry": "2026-01-01 eff6224e", "text": "", "editions": {"2025-12-01 00000000": "e3b0c44298fc1c14"}}}
    assert published.history(stored) == {"/a/": {}, "/b/": {}, "/c/": {"2025-12-01 00000000": "e3b0c44298fc1c14"}}


@pytest.mark.unit
def test_a_page_moved_from_an_address_the_file_never_kept_starts_its_history_afresh():
    old = changes.Change(dt.date(2026, 1, 1), ("/a/",), "Made.")
    kept = published.check({}, {"/a/": ("docs/a.md, line 4", "t1")}, {"/a/": old}, moved={"/never-kept/": "/a/"})
    assert kept == {"/a/": {"text": "t1", "entry": published.entry_id(old), "editions": {published.entry_id(old): "t1"}}}


def _refusal(stored, current, newest, **options) -> str:
    with pytest.raises(SiteDataError) as refused:
        published.check(stored, current, newest, **options)
    return str(refused.value)


@pytest.mark.unit
def test_the_refusal_quotes_an_entrys_what_cut_at_a_word_with_dots():
    long = changes.Change(dt.date(2026, 1, 1), ("/a/",), "A" * 49 + " and the words after the first fifty characters")
    stored = {"/a/": {"text": "t1", "entry": published.entry_id(long)}}
    message = _refusal(stored, {"/a/": ("docs/a.md, line 4", "t2")}, {"/a/": long})
    assert f"since 2026-01-01 ('{'A' * 49}...'), the last commit's: add an entry" in message, message
    fifty = changes.Change(dt.date(2026, 1, 1), ("/a/",), "B" * 50)  # exactly 50 characters: quoted whole
    stored = {"/a/": {"text": "t1", "entry": published.entry_id(fifty)}}
    message = _refusal(stored, {"/a/": ("docs/a.md, line 4", "t2")}, {"/a/": fifty})
    assert f"since 2026-01-01 ('{'B' * 50}'), the last commit's: add an entry" in message, message
    # The editor's own new entry is quoted to 40 characters.
    mine = changes.Change(dt.date(2026, 2, 1), ("/c/",), "C" * 39 + " then more words", where="data/changes.yml, line 43")
    message = _refusal(stored, {"/a/": ("docs/a.md, line 4", "t2")}, {"/a/": fifty}, top=mine)
    assert f"your entry at data/changes.yml, line 43 (2026-02-01: '{'C' * 39}...'), and write" in message, message


@pytest.mark.unit
def test_without_a_today_the_new_entry_is_dated_as_the_records_newest():
    old = changes.Change(dt.date(2026, 1, 1), ("/a/",), "Made.")
    top = changes.Change(dt.date(2026, 2, 1), ("/b/",), "Reworded a sentence.")  # committed already: the file knows it
    stored = {"/a/": {"text": "t1", "entry": published.entry_id(old)}, "/b/": {"text": "u1", "entry": published.entry_id(top)}}
    message = _refusal(stored, {"/a/": ("docs/a.md, line 4", "t2"), "/b/": ("docs/b.md, line 4", "u1")}, {"/a/": old, "/b/": top},
                       top=top)
    assert message.endswith("add an entry at the top of data/changes.yml (date: 2026-02-01, pages: [/a/], what: what changed, "
                            "in a sentence for readers), and write each page's date on its line:\n"
                            "  docs/a.md, line 4: `last_updated: 2026-02-01`"), message


@pytest.mark.unit
def test_an_entry_naming_a_page_twice_or_several_pages_gives_each_page_one_edition():
    new = changes.Change(dt.date(2026, 2, 1), ("/a/",), "Reworded a sentence.")
    both = changes.Change(dt.date(2026, 1, 1), ("/old-b/", "/b/", "/a/"), "Made, and moved /old-b/.")
    known = {"/a/": {published.entry_id(both): "abcdef0123456789"}}
    assert published.produced((new, both), known, {"/old-b/": "/b/"}) == [{"/a/": None}, {"/b/": None, "/a/": "2026-01-01.abcdef"}]
    assert published.produced((both,), {}, {"/old-b/": "/b/"}) == [{"/b/": None, "/a/": None}]


@pytest.mark.unit
def test_the_fingerprint_file_lists_each_page_block_style_newest_edition_first():
    kept = {"/a/": {"text": "b41b75dad45817c4", "entry": "2026-02-01 0a0a0a0a",
                    "editions": {"2026-02-01 0a0a0a0a": "b41b75dad45817c4", "2026-01-01 eff6224e": "e3b0c44298fc1c14"}}}
    assert published.dump(kept) == published.HEAD + (
        "pages:\n"
        "  /a/:\n"
        "    text: b41b75dad45817c4\n"
        "    entry: 2026-02-01 0a0a0a0a\n"
        "    editions:\n"
        "      2026-02-01 0a0a0a0a: b41b75dad45817c4\n"
        "      2026-01-01 eff6224e: e3b0c44298fc1c14\n")


@pytest.mark.unit
def test_a_long_value_in_the_fingerprint_file_folds_at_120_columns():
    words = " ".join(f"w{i}" for i in range(80))
    text = published.dump({"/a/": {"text": words, "entry": "2026-01-01 eff6224e"}})
    assert published.load(text)["/a/"]["text"] == words
    lines = text[text.index("    text: "):text.index("\n    entry:")].split("\n")
    assert len(lines) > 1
    for line, following in zip(lines, lines[1:]):
        # Folded once past 120 columns: before its last word the line fits, with the next word it would not.
        assert len(line.rsplit(" ", 1)[0]) <= 120 < len(line) + 1 + len(following.split()[0]), (line, following)
