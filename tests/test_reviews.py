"""The citation review ledger (data/reviews/citations.yml): every citation reviewed, checked by the build."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT
from sitegen import reviews
from sitegen.errors import SiteDataError
from test_additions import ENTRY, _record


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


@pytest.mark.unit
def test_a_complete_ledger_passes_and_prints_its_verdict(tmp_path):
    ledger = _ledger(tmp_path)
    _check(ledger)
    assert reviews.verdict_line(ledger, "docs/a.md", "Ketamine was created for anesthesia.", "abdallah2018") == "verdict: supports"
    assert reviews.summary(ledger) == "1 sources of citations reviewed: 1 supports, 0 partly, 0 does not support, 0 could not check"


@pytest.mark.unit
def test_each_field_of_an_entry_is_read_as_written(tmp_path):
    (review,) = _ledger(tmp_path, LEDGER.replace("verdict: supports", "verdict: partly\n    note: Only adults."))
    assert review == reviews.Review("docs/a.md", "Ketamine was created", "abdallah2018", "partly", "Ketamine was made.", "abstract",
                                    "Only adults.", None, f"{reviews.WHERE}, line 2")
    # A source no one could read needs neither its words nor where they were read: both stay empty.
    unread = LEDGER.replace("verdict: supports", "verdict: could not check\n    note: Paywalled.")
    (review,) = _ledger(tmp_path, unread.replace("    source_words: Ketamine was made.\n    read_at: abstract\n", ""))
    assert (review.source_words, review.read_at, review.note) == ("", "", "Paywalled.")


TEXT_ONLY = "must be text, got a number (3) (put it in quotes if it is meant as text)"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("verdict: supports", "verdict: maybe",
         "line 5: reviews[0].verdict: 'maybe' is not a verdict; write one of: supports, partly, does not support, could not check"),
        ("verdict: supports", "verdict: partly", "line 2: reviews[0]: 'partly' needs a note: why, in a sentence"),
        ("verdict: supports", "verdict: does not support\n    note: No.",
         "line 2: reviews[0]: does not support its sentence: record what was done in data/changes.yml (correct the sentence, "
         "move or remove the citation, or keep a safety warning and say so) and give that entry's date as 'change'"),
        ("    source_words: Ketamine was made.\n", "",
         "line 2: reviews[0]: needs source_words and read_at: the source's own words that decide the verdict, and where they were read"),
        ("    read_at: abstract\n", "",
         "line 2: reviews[0]: needs source_words and read_at: the source's own words that decide the verdict, and where they were read"),
        ("Ketamine was made.", "word " * 41, "line 6: reviews[0].source_words: quotes 41 words; keep to the 40 that decide the verdict"),
        # A value of the wrong kind is named at its own line and key.
        ("page: docs/a.md", "page: 3", f"line 2: reviews[0].page: {TEXT_ONLY}"),
        ("sentence: Ketamine was created", "sentence: 3", f"line 3: reviews[0].sentence: {TEXT_ONLY}"),
        ("key: abdallah2018", "key: 3", f"line 4: reviews[0].key: {TEXT_ONLY}"),
        ("verdict: supports", "verdict: 3", f"line 5: reviews[0].verdict: {TEXT_ONLY}"),
        ("source_words: Ketamine was made.", "source_words: 3", f"line 6: reviews[0].source_words: {TEXT_ONLY}"),
        ("read_at: abstract", "read_at: 3", f"line 7: reviews[0].read_at: {TEXT_ONLY}"),
        ("read_at: abstract", "read_at: abstract\n    note: 3", f"line 8: reviews[0].note: {TEXT_ONLY}"),
        ("read_at: abstract", "read_at: abstract\n    change: soon",
         "line 8: reviews[0].change: must be a date written YYYY-MM-DD, got text ('soon')"),
        ("read_at: abstract", "read_at: abstract\n    change: 2026-01-02 10:00:00",
         "line 8: reviews[0].change: must be a date written YYYY-MM-DD, got a datetime (2026-01-02 10:00:00)"),
        # The file's own shape: a mapping holding a list of entries, each a mapping.
        (LEDGER, "{}\n", "line 1: missing field 'reviews'"),
        (LEDGER, "- docs/a.md\n", "line 1: must be a mapping of fields, got a list"),
        (LEDGER, "reviews: []\n", "line 1: reviews: is empty: list at least one review"),
        (LEDGER, "reviews:\n  - docs/a.md\n", "line 2: reviews[0]: must be a mapping of fields, got text ('docs/a.md')"),
    ],
)
def test_a_bad_ledger_entry_is_refused_naming_its_line(tmp_path, before, after, message):
    with pytest.raises(SiteDataError) as refused:
        _ledger(tmp_path, LEDGER.replace(before, after))
    assert str(refused.value) == f"{reviews.WHERE}, {message}"


NOT_REVIEWED = "which data/reviews/citations.yml has not reviewed"
ADD_ONE = "; add an entry (page, sentence, key, verdict, source_words, read_at) after reading the source"


@pytest.mark.unit
def test_a_marker_without_an_entry_and_an_entry_without_a_marker_are_refused(tmp_path):
    ledger = _ledger(tmp_path)
    with pytest.raises(SiteDataError) as refused:
        _check(ledger, BODY + "\nIt works.[@abdallah2018]\n")
    assert str(refused.value) == f"docs/a.md, line 9: cites 'abdallah2018' after 'It works.', {NOT_REVIEWED}{ADD_ONE}"
    with pytest.raises(SiteDataError) as refused:
        _check(ledger, "Intro.\n\nNo citation here.\n")
    assert str(refused.value) == (f"{reviews.WHERE}, line 2: no citation of 'abdallah2018' on docs/a.md follows a sentence starting "
                                  "'Ketamine was created'; if the page changed, review the sentence again, or remove the entry")
    for field, value, problem in (("page", "docs/b.md", "page: docs/b.md is not a page that cites sources (write it as docs/NAME.md)"),
                                  ("key", "nosuch", "key: 'nosuch' is not an entry in references.bib")):
        bad = _ledger(tmp_path, LEDGER.replace(f"{field}: {'docs/a.md' if field == 'page' else 'abdallah2018'}", f"{field}: {value}"))
        with pytest.raises(SiteDataError) as refused:
            _check(bad)
        assert (refused.value.where, refused.value.problem) == (f"{reviews.WHERE}, line 2", problem)


def _entry(page: str, sentence: str, key: str, where: str) -> reviews.Review:
    return reviews.Review(page, sentence, key, "supports", "Words.", "abstract", "", None, where)


@pytest.mark.unit
def test_a_reworded_sentence_points_to_its_old_entry(tmp_path):
    # The page's entry for this source that covers none of its citations is the one to update; an entry
    # of the same source on another page, or of another source on this page, is not.
    pages = {"docs/a.md": ("/a/", "Ketamine was invented for anesthesia.[@k]\n", 5), "docs/b.md": ("/b/", "B says so.[@k]\n", 5)}
    elsewhere, other_key = _entry("docs/b.md", "B says", "k", "L, line 2"), _entry("docs/a.md", "Nothing", "j", "L, line 9")
    old = _entry("docs/a.md", "Ketamine was created", "k", "L, line 16")
    with pytest.raises(SiteDataError) as refused:
        reviews.check((elsewhere, other_key, old), pages, {"k": object(), "j": object()}, ())
    assert str(refused.value) == (
        f"docs/a.md, line 5: cites 'k' after 'Ketamine was invented for anesthesia.', {NOT_REVIEWED}; if you reworded the sentence, "
        "write its new start in the entry at L, line 16 and check the verdict against the source again")
    # An entry that still covers another citation of the source on the page was not reworded: a new entry is wanted.
    body = "Ketamine was created here.[@k] It also works.[@k]\n"
    with pytest.raises(SiteDataError) as refused:
        reviews.check((old,), {"docs/a.md": ("/a/", body, 5)}, {"k": object()}, ())
    assert str(refused.value) == f"docs/a.md, line 5: cites 'k' after 'It also works.', {NOT_REVIEWED}{ADD_ONE}"


@pytest.mark.unit
def test_a_long_sentence_is_named_by_its_first_sixty_characters(tmp_path):
    claim = "Esketamine was approved as a nasal spray in twenty nineteen, for depression that resisted other drugs."
    with pytest.raises(SiteDataError) as refused:
        _check(_ledger(tmp_path), f"{BODY}\n{claim}[@abdallah2018]\n")
    assert str(refused.value) == f"docs/a.md, line 9: cites 'abdallah2018' after '{claim[:60]}', {NOT_REVIEWED}{ADD_ONE}"


@pytest.mark.unit
def test_a_citation_in_an_additions_box_needs_no_entry(tmp_path):
    # An addition's box names its source and section in the record of changes, not in the ledger: its
    # lines are blanked, and the other lines keep their numbers.
    box = '  <div class="site-addition" id="x">Glutamate rose.[@other2020]</div>'
    body = f"{BODY}{box}\nEnd.\n"
    assert reviews.reviewed_body(body).splitlines() == BODY.splitlines() + ["", "End."]
    assert reviews.markers(body, 5) == [(7, "Ketamine was created for anesthesia.", "abdallah2018")]
    _check(_ledger(tmp_path), body)


@pytest.mark.unit
def test_a_does_not_support_needs_a_recorded_change_naming_its_page(tmp_path):
    ledger = _ledger(tmp_path, LEDGER.replace("verdict: supports", "verdict: does not support\n    note: No.\n    change: 2026-01-02"))
    with pytest.raises(SiteDataError) as refused:
        _check(ledger)
    assert (refused.value.where, refused.value.problem) == (f"{reviews.WHERE}, line 2", "change: data/changes.yml has no entry on 2026-01-02 naming /a/")
    (change,) = _record(ENTRY.replace("[/extra/]", "[/a/]"))
    _check(ledger, record=(change,))


@pytest.mark.unit
def test_the_verdict_line_gives_the_note_and_names_a_claim_not_reviewed(tmp_path):
    ledger = _ledger(tmp_path, LEDGER.replace("verdict: supports", "verdict: partly\n    note: Only adults."))
    assert reviews.verdict_line(ledger, "docs/a.md", "Ketamine was created for anesthesia.", "abdallah2018") == "verdict: partly (Only adults.)"
    assert reviews.verdict_line(ledger, "docs/a.md", "Something else.", "abdallah2018") == "verdict: not reviewed"


@pytest.mark.unit
def test_the_about_page_counts_each_verdict_in_words(tmp_path):
    ledger = _ledger(tmp_path, LEDGER + LEDGER.removeprefix("reviews:\n").replace("supports", "partly\n    note: Less."))
    shown = BeautifulSoup(reviews.render_counts(ledger), "html.parser")
    assert shown.p.get_text() == "Of 2 source numbers:"
    assert [child.name for child in shown.ul.children] == ["li"] * 4  # a list of its items, nothing between them
    assert [li.get_text() for li in shown.select("li")] == [
        "1 supported by their source", "1 partly supported (the source covers part of the sentence, or says less)",
        "0 not supported, with what was done on the record of changes", "0 not checked, because the source's own text could not be read"]


@pytest.mark.build
def test_the_sites_ledger_reviews_every_citation(site_dir):
    # The build refuses a gap; this reads the built /about/ for the counts it shows from the ledger.
    ledger = reviews.load(ROOT / reviews.WHERE)
    about = BeautifulSoup((site_dir / "about/index.html").read_text(encoding="utf-8"), "html.parser")
    shown = about.select_one(".citation-review ul")
    assert shown and sum(int(li.get_text().split()[0]) for li in shown.select("li")) == len(ledger)


# --- The handout's PEMAT-P review: of the handout as it is, and passing (a build rule) ------------

PEMAT = """scored_by: A reviewer
handout: '2026-03-01.3f9a2c'
understandability:
- item: 1
  score: 1
- item: 2
  score: 1
- item: 3
  score: n/a
actionability:
- item: 20
  score: 1
"""
EDITION = "2026-03-01.3f9a2c"


def _pemat(tmp_path, text=PEMAT, handout=EDITION):
    path = tmp_path / "pemat.yml"
    path.write_text(text, encoding="utf-8")
    reviews.check_handout_edition(reviews.load_handout_review(path), "docs/handout.md, line 4", handout)


@pytest.mark.unit
def test_the_handout_review_of_this_handout_passes(tmp_path):
    _pemat(tmp_path)
    assert reviews.load_handout_review(tmp_path / "pemat.yml") == (EDITION, "pemat.yml, line 2".replace("pemat.yml", reviews.HANDOUT_REVIEW))
    assert reviews.load_handout_review(tmp_path / "none.yml") is None  # no review kept: nothing to check
    reviews.check_handout_edition(None, "docs/handout.md, line 4", EDITION)


@pytest.mark.unit
def test_the_sites_handout_review_loads_and_passes():
    # Which edition it scores is the build's to hold against the handout it builds.
    assert reviews.load_handout_review(ROOT / reviews.HANDOUT_REVIEW) is not None


@pytest.mark.unit
@pytest.mark.parametrize(
    "before, after, handout, message",
    [
        # Changed on any day, the review's own included: a new edition, scored again.
        ("", "", "2026-03-01.0b1c2d", "pemat.yml, line 2: handout: the review scores edition 2026-03-01.3f9a2c, but the handout is now "
         "edition 2026-03-01.0b1c2d (docs/handout.md, line 4): the handout changed, so score its PEMAT-P review again (each item's score "
         "and note, and `date:`), then write `handout: '2026-03-01.0b1c2d'` on this line"),
        # A date alone, as the review was once written, names no edition: scored again, it names one.
        ("'2026-03-01.3f9a2c'", "2026-03-01", EDITION, "pemat.yml, line 2: handout: the review scores the handout of 2026-03-01, but the "
         "handout is now edition 2026-03-01.3f9a2c (docs/handout.md, line 4): the handout changed, so score its PEMAT-P review again (each "
         "item's score and note, and `date:`), then write `handout: '2026-03-01.3f9a2c'` on this line"),
        ("handout: '2026-03-01.3f9a2c'\n", "", EDITION, "data/reviews/pemat-p-handout.yml: needs the line `handout: EDITION`: the edition of "
         "the handout it scores, printed on the handout after 'Edition' (like 2026-12-06.3f9a2c)"),
        ("'2026-03-01.3f9a2c'", "soon", EDITION, "pemat.yml, line 2: handout: must be the edition of the handout it scores, printed on the "
         "handout after 'Edition' (like 2026-12-06.3f9a2c), got text ('soon')"),
        ("'2026-03-01.3f9a2c'", "'2026-03-01.3f9a2c0'", EDITION, "pemat.yml, line 2: handout: must be the edition of the handout it scores"),
        # A date with a time is no handout's edition.
        ("'2026-03-01.3f9a2c'", "2026-03-01 10:00:00", EDITION,
         "pemat.yml, line 2: handout: must be the edition of the handout it scores, printed on the handout after 'Edition' "
         "(like 2026-12-06.3f9a2c), got a datetime (2026-03-01 10:00:00)"),
        ("- item: 2\n  score: 1", "- item: 2\n  score: 0", EDITION,
         "pemat.yml, line 3: understandability: the handout scores 1/2 on understandability, under the 80% the site aims for: "
         "improve the handout where items score 0, then score it again"),
        ("  score: n/a", "  score: maybe", EDITION,
         "pemat.yml, line 9: understandability[2].score: must be 1 (agree), 0 (disagree) or n/a, got text ('maybe')"),
        ("- item: 20", "- item: 2", EDITION,
         "pemat.yml, line 11: actionability[0].item: must be the item's own number, 20 or more, each once; got a number (2)"),
        ("- item: 2\n", "- item: 1\n", EDITION,
         "pemat.yml, line 6: understandability[1].item: must be the item's own number, 1 or more, each once; got a number (1)"),
        ("actionability:\n- item: 20\n  score: 1\n", "", EDITION, "pemat.yml, line 1: actionability: must be a list of items, got nothing"),
        ("- item: 20\n  score: 1\n", "- 20\n", EDITION, "pemat.yml, line 11: actionability[0]: must be a mapping of fields, got a number (20)"),
    ],
)
def test_a_stale_or_failing_handout_review_is_named_with_what_to_do(tmp_path, before, after, handout, message):
    with pytest.raises(SiteDataError) as refused:
        _pemat(tmp_path, PEMAT.replace(before, after, 1), handout)
    assert str(refused.value).startswith(message.replace("pemat.yml", "data/reviews/pemat-p-handout.yml")), str(refused.value)
