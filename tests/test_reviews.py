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


@pytest.mark.unit
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


@pytest.mark.unit
def test_a_does_not_support_needs_a_recorded_change_naming_its_page(tmp_path):
    ledger = _ledger(tmp_path, LEDGER.replace("verdict: supports", "verdict: does not support\n    note: No.\n    change: 2026-01-02"))
    with pytest.raises(SiteDataError) as refused:
        _check(ledger)
    assert "change: data/changes.yml has no entry on 2026-01-02 naming /a/" in str(refused.value)
    (change,) = _record(ENTRY.replace("[/extra/]", "[/a/]"))
    _check(ledger, record=(change,))


@pytest.mark.build
def test_the_sites_ledger_reviews_every_citation(site_dir):
    # The build refuses a gap; this reads the built /about/ for the counts it shows from the ledger.
    ledger = reviews.load(ROOT / reviews.WHERE)
    about = BeautifulSoup((site_dir / "about/index.html").read_text(encoding="utf-8"), "html.parser")
    shown = about.select_one(".citation-review ul")
    assert shown and sum(int(li.get_text().split()[0]) for li in shown.select("li")) == len(ledger)


# --- The handout's PEMAT-P review: of the handout as it is, and passing (a build rule) ------------

PEMAT = """scored_by: A reviewer
handout: '2026-03-01'
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


def _pemat(tmp_path, text=PEMAT, handout="2026-03-01"):
    import datetime as dt

    path = tmp_path / "pemat.yml"
    path.write_text(text, encoding="utf-8")
    reviews.check_handout_review(path, "docs/handout.md, line 4", dt.date.fromisoformat(handout))


@pytest.mark.unit
def test_the_handout_review_of_this_handout_passes(tmp_path):
    _pemat(tmp_path)
    reviews.check_handout_review(tmp_path / "none.yml", "docs/handout.md, line 4", None)  # no review kept: nothing to check


@pytest.mark.unit
def test_the_sites_handout_review_is_current_and_passes(tmp_path):
    import re

    handout = re.search(r"^last_updated: (\S+)$", (ROOT / "docs/handout.md").read_text(encoding="utf-8"), re.M).group(1)
    reviews.check_handout_review(ROOT / reviews.HANDOUT_REVIEW, "docs/handout.md", __import__("datetime").date.fromisoformat(handout))


@pytest.mark.unit
@pytest.mark.parametrize(
    "before, after, handout, message",
    [
        ("", "", "2026-03-05", "pemat.yml, line 2: handout: the review scores the handout of 2026-03-01, but docs/handout.md, line 4 says "
         "last_updated: 2026-03-05: the handout changed, so score its PEMAT-P review again (each item's score and note, and `date:`), "
         "then write `handout: '2026-03-05'` on this line"),
        ("handout: '2026-03-01'\n", "", "2026-03-01", "data/reviews/pemat-p-handout.yml: needs the line `handout: YYYY-MM-DD`"),
        ("handout: '2026-03-01'", "handout: soon", "2026-03-01", "pemat.yml, line 2: handout: must be a date written YYYY-MM-DD"),
        ("- item: 2\n  score: 1", "- item: 2\n  score: 0", "2026-03-01",
         "pemat.yml, line 3: understandability: the handout scores 1/2 on understandability, under the 80% the site aims for"),
        ("  score: n/a", "  score: yes", "2026-03-01", "pemat.yml, line 9: understandability[2].score: must be 1 (agree), 0 (disagree) or n/a"),
        ("- item: 20", "- item: 2", "2026-03-01", "pemat.yml, line 11: actionability[0].item: must be the item's own number, 20 or more"),
    ],
)
def test_a_stale_or_failing_handout_review_is_named_with_what_to_do(tmp_path, before, after, handout, message):
    with pytest.raises(SiteDataError) as refused:
        _pemat(tmp_path, PEMAT.replace(before, after, 1), handout)
    assert str(refused.value).startswith(message.replace("pemat.yml", "data/reviews/pemat-p-handout.yml")), str(refused.value)
