"""The citation review ledger (`data/reviews/citations.yml`): does each source say what its sentence says?

One entry per source of each citation marker, with a verdict and the source's own words. The
build refuses a marker with no entry, an entry whose marker is gone, an unknown page, key or
verdict, and a "does not support" whose page has no entry in the record of changes on the date
it names. Judging support takes a person; keeping the ledger whole and current is the build's.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from types import MappingProxyType

from . import datafile, edition
from .article import normalise
from .citations import claims
from .errors import SiteDataError

WHERE = "data/reviews/citations.yml"
VERDICTS = ("supports", "partly", "does not support", "could not check")
MAX_WORDS = 40
_ADDITION = '<div class="site-addition"'  # an addition's box names its source and section in the record


@dataclass(frozen=True)
class Review:
    page: str  # docs/NAME.md
    sentence: str  # the start of the sentence, as the page has it
    key: str
    verdict: str
    source_words: str
    read_at: str
    note: str
    change: dt.date | None
    where: str


def load(path: Path) -> tuple[Review, ...]:
    doc = datafile.load(path, WHERE)
    top = doc.mapping(doc.data, (), required=("reviews",))
    out = []
    for i, raw in enumerate(doc.items(top["reviews"], ("reviews",), "reviews")):
        p = ("reviews", i)
        entry = doc.mapping(raw, p, required=("page", "sentence", "key", "verdict"),
                            optional=("source_words", "read_at", "note", "change"))
        verdict = doc.text(entry["verdict"], p + ("verdict",))
        if verdict not in VERDICTS:
            raise doc.error(p + ("verdict",), f"'{verdict}' is not a verdict; write one of: {', '.join(VERDICTS)}")
        words = doc.text(entry["source_words"], p + ("source_words",)) if entry.get("source_words") else ""
        read_at = doc.text(entry["read_at"], p + ("read_at",)) if entry.get("read_at") else ""
        if not (words and read_at) and verdict != "could not check":
            raise doc.error(p, "needs source_words and read_at: the source's own words that decide the verdict, and where they were read")
        if len(words.split()) > MAX_WORDS:
            raise doc.error(p + ("source_words",), f"quotes {len(words.split())} words; keep to the {MAX_WORDS} that decide the verdict")
        note = doc.text(entry["note"], p + ("note",)) if entry.get("note") else ""
        if not note and verdict != "supports":
            raise doc.error(p, f"'{verdict}' needs a note: why, in a sentence")
        change = entry.get("change")
        if change is not None and (not isinstance(change, dt.date) or isinstance(change, dt.datetime)):
            raise doc.error(p + ("change",), f"must be a date written YYYY-MM-DD, got {datafile.describe(change)}")
        if verdict == "does not support" and change is None:
            raise doc.error(p, "does not support its sentence: record what was done in data/changes.yml (correct the sentence, "
                            "move or remove the citation, or keep a safety warning and say so) and give that entry's date as 'change'")
        out.append(Review(doc.text(entry["page"], p + ("page",)), doc.text(entry["sentence"], p + ("sentence",)),
                          doc.text(entry["key"], p + ("key",)), verdict, words, read_at,
                          note, change, doc.where(p)))
    return tuple(out)


def reviewed_body(body: str) -> str:
    """A page's Markdown as the ledger reads it: additions' boxes blanked, lines kept (the record names their source and section)."""
    return "\n".join("" if line.lstrip().startswith(_ADDITION) else line for line in body.splitlines())


def markers(body: str, first_line: int) -> list[tuple[int, str, str]]:
    """(line, claim, key) for every source of every citation the page writes; additions' boxes aside."""
    return [(number, claim, key) for number, claim, keys in claims(reviewed_body(body), first_line) for key in keys]


def _covers(review: Review, where: str, claim: str, key: str) -> bool:
    """Whether `review` is the ledger's entry for this source of this claim."""
    return review.page == where and review.key == key and normalise(claim).startswith(normalise(review.sentence))


def check(reviews: tuple[Review, ...], pages: dict, sources: dict, record) -> None:
    """`pages` maps docs/NAME.md to (address, Markdown body, its first line) for pages that cite."""
    recorded = {(change.date, address) for change in record for address in change.pages}
    used: set[Review] = set()
    for review in reviews:
        if review.page not in pages:
            raise SiteDataError(review.where, f"page: {review.page} is not a page that cites sources (write it as docs/NAME.md)")
        if review.key not in sources:
            raise SiteDataError(review.where, f"key: '{review.key}' is not an entry in references.bib")
        if review.change and (review.change, pages[review.page][0]) not in recorded:
            raise SiteDataError(review.where, f"change: data/changes.yml has no entry on {review.change} naming {pages[review.page][0]}")
    for src, (_, body, first_line) in pages.items():
        cited = markers(body, first_line)
        for line, claim, key in cited:
            found = [r for r in reviews if _covers(r, src, claim, key)]
            if not found:
                stale = next((r for r in reviews if r.page == src and r.key == key
                              and not any(_covers(r, src, c, k) for _, c, k in cited)), None)
                hint = (f"; if you reworded the sentence, write its new start in the entry at {stale.where} and check the verdict "
                        "against the source again" if stale else "; add an entry (page, sentence, key, verdict, source_words, read_at) "
                        "after reading the source")
                raise SiteDataError(f"{src}, line {line}", f"cites '{key}' after '{claim[:60]}', which {WHERE} has not reviewed{hint}")
            used.update(found)
    for review in reviews:
        if review not in used:
            raise SiteDataError(review.where, f"no citation of '{review.key}' on {review.page} follows a sentence starting "
                                f"'{review.sentence}'; if the page changed, review the sentence again, or remove the entry")


def counts(reviews: tuple[Review, ...]) -> Counter:
    return Counter(review.verdict for review in reviews)


def verdict_line(reviews: tuple[Review, ...], where: str, claim: str, key: str) -> str:
    """The ledger's verdict on one source of one claim, for `make citations`."""
    found = next((r for r in reviews if _covers(r, where, claim, key)), None)
    if found is None:
        return "verdict: not reviewed"
    return f"verdict: {found.verdict}" + (f" ({found.note})" if found.note else "")


def summary(reviews: tuple[Review, ...]) -> str:
    tally = counts(reviews)
    return f"{len(reviews)} sources of citations reviewed: " + ", ".join(f"{tally[v]} {v}" for v in VERDICTS)


_SAID = MappingProxyType({"supports": "supported by their source", "partly": "partly supported (the source covers part of the sentence, or says less)",
         "does not support": "not supported, with what was done on the record of changes",
         "could not check": "not checked, because the source's own text could not be read"})


def render_counts(reviews: tuple[Review, ...]) -> str:
    """The ledger's counts, for /about/: the same figures `make citations` prints."""
    tally = counts(reviews)
    items = "".join(f"<li>{tally[v]} {html.escape(_SAID[v])}</li>" for v in VERDICTS)
    return f'<div class="citation-review"><p>Of {len(reviews)} source numbers:</p>\n<ul>{items}</ul></div>'


HANDOUT_REVIEW = "data/reviews/pemat-p-handout.yml"
# PEMAT-P's two scales, the number of their first item, and the share of agreed items the site aims for.
PEMAT_SCALES = (("understandability", 1), ("actionability", 20))
PEMAT_PASS = 0.8


class HandoutReview(NamedTuple):
    """Which handout data/reviews/pemat-p-handout.yml scores, and where it says so."""

    scored: str  # the handout's edition, as printed on it ("2026-12-06.3f9a2c"); a bare date from before editions
    where: str  # its `handout:` line


def load_handout_review(path: Path) -> HandoutReview | None:
    """The handout's PEMAT-P review, if kept: it passes, 80% or more on both scales. It names the edition
    of the handout it scores (sitegen.edition, printed on the handout), so any change to what the handout
    says, on any day, asks for the review again (`check_handout_edition`, once the handout's edition is
    known). The scores take a person; the build keeps them current and adds them up."""
    if not path.is_file():
        return None
    doc = datafile.load(path, HANDOUT_REVIEW)
    if not isinstance(doc.data, dict) or "handout" not in doc.data:
        raise SiteDataError(HANDOUT_REVIEW, "needs the line `handout: EDITION`: the edition of the handout it scores, printed on "
                                            "the handout after 'Edition' (like 2026-12-06.3f9a2c)")
    value = doc.data["handout"]  # YAML reads a bare date as a date; as text, only an edition or a date matches
    text = str(value).strip()
    if not (edition.PATTERN.match(text) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)):
        raise doc.error(("handout",), "must be the edition of the handout it scores, printed on the handout after 'Edition' "
                        f"(like 2026-12-06.3f9a2c), got {datafile.describe(value)}")
    for scale, first in PEMAT_SCALES:
        items = doc.items(doc.data.get(scale), (scale,), "items")
        numbers, agreed, scored = [], 0, 0
        for i, raw in enumerate(items):
            item = doc.mapping(raw, (scale, i), required=("item", "score"), optional=("text", "note"))
            number, score = item["item"], item["score"]
            if not isinstance(number, int) or number < first or number in numbers:
                raise doc.error((scale, i, "item"), f"must be the item's own number, {first} or more, each once; got {datafile.describe(number)}")
            if isinstance(score, bool) or score not in (0, 1, "n/a"):
                raise doc.error((scale, i, "score"), f"must be 1 (agree), 0 (disagree) or n/a, got {datafile.describe(score)}")
            numbers.append(number)
            if score != "n/a":
                scored, agreed = scored + 1, agreed + score
        if not scored or agreed / scored < PEMAT_PASS:
            raise doc.error((scale,), f"the handout scores {agreed}/{scored} on {scale}, under the {PEMAT_PASS:.0%} the site aims for: "
                            "improve the handout where items score 0, then score it again")
    return HandoutReview(text, doc.where(("handout",)))


def check_handout_edition(review: HandoutReview | None, handout_where: str, current: str) -> None:
    """The review scores the handout as it is now: edition `current`, dated at `handout_where`."""
    if review is not None and review.scored != current:
        scored = f"edition {review.scored}" if "." in review.scored else f"the handout of {review.scored}"
        raise SiteDataError(review.where, f"handout: the review scores {scored}, but the handout is now edition {current} "
                            f"({handout_where}): the handout changed, so score its PEMAT-P review again (each item's score and "
                            f"note, and `date:`), then write `handout: '{current}'` on this line")
