"""What each page publishes, fingerprinted, so no change to it goes unrecorded.

A page's text changes through its Markdown and through data it shows: a table, a glossary
tooltip, an addition, a reference number. `data/published-text.yml` keeps, for each page, a
fingerprint of that text and the record entry (data/changes.yml) that last explained it. The
build (scripts/build) holds the pages against the file as last committed, and refuses a page
whose text no longer matches while that same entry is still its newest: the change needs an
entry of its own. A successful build in a checkout then writes the new fingerprints; commit
them with the change. (Whoever changes what counts as the text here deletes each page's `text`
and `entry` from the last commit, and the next build writes them anew.)

It also keeps each page's history (`editions`): for every record entry that explained the page's
text, the fingerprint that entry left it with, so /changes/ and the feed can name the edition
(sitegen/edition.py) each change produced (`produced`). The page's newest entry's fingerprint is
rewritten as its text is, as long as that entry is its newest; once a newer entry names the page,
the older one's is never written again. A file from before this history knows only each page's
newest entry; an entry it does not know gets no edition, never a guessed one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection, Mapping
from typing import NamedTuple

import yaml

from . import edition, markup
from .changes import Change, latest_entries
from .errors import SiteDataError

WHERE = "data/published-text.yml"
HEAD = ("# Written by the build (sitegen/published.py): a fingerprint of the text each page publishes, the\n"
        "# record entry (date and a digest of its 'what') that last explained it, and under editions the\n"
        "# fingerprint each entry that named the page left it with (an older entry's never changes).\n"
        "# Commit it with your change.\n")
# Not what the page says: the copy's own furniture and settings (links, QR code, print buttons, a clinic's
# or the editors' contact, an edition: sitegen/edition.py, which is made from this text); the record of changes (the
# editions its entries name included) and the citation ledger's counts, which explain themselves; and lists of places (the for-clinics page's pages, the reference list's "Cited on"
# links), whose pages' own changes are recorded.
_NOT_TEXT = (".headerlink, script, style, .handout-online, .handout-actions, .clinic-contact, [data-copy-setting], .edition, "
             "ol.changes, .citation-review, .link-picker, .link-cards, .pdf-list, .clinic-tasks, .cited-on")


class Said(NamedTuple):
    """What a page publishes, as `check` holds it against the record."""

    where: str  # where its last_updated is set, for the message: "docs/uses.md, line 4"
    text: str  # the fingerprint of its text


def text_of(page_html: str, site_url: str = "") -> str:
    """The words a reader gets from a page's content, glossary tooltips included; the copy's own
    address (SITE_URL, which a clinic sets) reads as "/", so every copy has the same text."""
    # Line-break hints (<wbr>) inside addresses are layout, and would split the address in the text.
    soup = markup.soup(page_html.replace("<wbr>", ""))
    for junk in soup.select(_NOT_TEXT):
        junk.decompose()
    tips = [abbr.get("title", "") for abbr in soup.find_all("abbr")]
    text = " ".join(" ".join([soup.get_text(" "), *tips]).split())
    return text.replace(site_url, "/") if site_url else text


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def entry_id(change: Change) -> str:
    return f"{change.date.isoformat()} {hashlib.sha256(change.what.encode('utf-8')).hexdigest()[:8]}"


def load(text: str | None) -> dict[str, dict]:
    if not text:
        return {}
    data = yaml.safe_load(text) or {}
    pages = data.get("pages") if isinstance(data, dict) else None
    if not isinstance(pages, dict):
        raise SiteDataError(WHERE, "is not the build's fingerprint file; delete it and build again to write a new one")
    return {str(k): v for k, v in pages.items() if isinstance(v, dict)}


def history(stored: Mapping[str, Mapping]) -> dict[str, dict[str, str]]:
    """Each page's address -> each record entry that explained its text -> the fingerprint it left:
    its `editions`, and its newest entry with its `text` (all a file from before the history knows)."""
    out = {}
    for address, kept in stored.items():
        editions = kept.get("editions")
        known = {str(k): str(v) for k, v in editions.items()} if isinstance(editions, dict) else {}
        if kept.get("entry") and kept.get("text"):
            known[str(kept["entry"])] = str(kept["text"])
        out[address] = known
    return out


def check(stored: dict[str, dict], current: Mapping[str, Said], newest: Mapping[str, Change],
          top: Change | None = None, today: dt.date | None = None, moved: Mapping[str, str] | None = None,
          entries: Collection[str] | None = None) -> dict[str, dict]:
    """`current` maps an address to what its page says now (a (where, text) pair will do); `newest` to
    its newest record entry; `top` is the record's newest entry, `today` the day to suggest for a new
    one. Returns the fingerprints to keep; raises for an unexplained change, naming each page's line
    and what to write on it.

    Each page's history (`editions`) is carried over, a moved page's from its old addresses
    (`moved`, old -> new) too; the newest entry's fingerprint is its text's while it is the entry
    the stored file has as newest (or one the history does not have yet), and an older entry's
    stays as stored. With `entries` (the record's entry_ids), entries no longer on the record
    (an entry reworded has a new id) are dropped."""
    out, unexplained = {}, []
    past = history(stored)
    for address, said in current.items():
        said, entry = Said(*said), entry_id(newest[address])
        before = stored.get(address)
        if before and before.get("text") != said.text and before.get("entry") == entry:
            unexplained.append((address, said.where))
        editions = {}
        for old in sorted(old for old, new in (moved or {}).items() if new == address):
            editions.update(past.get(old, {}))
        editions.update(past.get(address, {}))
        if entry not in editions or not before or entry == before.get("entry") or not before.get("entry"):
            editions[entry] = said.text
        if entries is not None:
            editions = {k: v for k, v in editions.items() if k in entries}
        out[address] = {"text": said.text, "entry": entry, "editions": dict(sorted(editions.items(), reverse=True))}
    if unexplained:
        raise SiteDataError(unexplained[0][1], _remedy(unexplained, newest, {e.get("entry") for e in stored.values()}, top, today))
    return out


def produced(record: tuple[Change, ...], known: Mapping[str, Mapping[str, str]], moved: Mapping[str, str]) -> list[dict[str, str | None]]:
    """For each entry of the record, in its order: the edition it produced on each page it names, by
    the page's address now. None for a page whose newest entry it is: that page's current edition,
    which only the build knows (edition.slot, edition.fill); from `known` (`history`) for an older
    one. A page whose fingerprint under that entry was never kept is left out: no edition is guessed."""
    latest = latest_entries(record, moved)
    out = []
    for change in record:
        eid, editions = entry_id(change), {}
        for named in change.pages:
            address = moved.get(named, named)
            if address in editions:
                continue
            if latest.get(address) is change:
                editions[address] = None
                continue
            fingerprint = known.get(address, {}).get(eid) or next(
                (known[old][eid] for old, new in sorted(moved.items()) if new == address and eid in known.get(old, {})), None)
            if fingerprint and re.fullmatch(r"[0-9a-f]{%d,}" % edition.HASH, fingerprint):
                editions[address] = edition.of(change.date, fingerprint)
        out.append(editions)
    return out


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length].rstrip() + "..."


def _remedy(unexplained: list[tuple[str, str]], newest: Mapping[str, Change], known: set, top: Change | None, today: dt.date | None) -> str:
    """What to write: the pages added to the editor's own new entry (the record's newest, if the last
    commit did not have it), or a new entry; and each page's last_updated line, with its date."""
    addresses = ", ".join(address for address, _ in unexplained)
    first = newest[unexplained[0][0]]
    said = (f"the text {addresses} {'publishes' if len(unexplained) == 1 else 'publish'} changed (in the page, or in data it shows: "
            f"a table, the glossary, an addition, a reference number), but data/changes.yml has no entry for it since {first.date} "
            f"('{_short(first.what, 50)}'), the last commit's")
    if top is not None and entry_id(top) not in known:  # the editor's own entry, new since the last commit
        day, todo = top.date, f"add {addresses} to `pages:` of your entry at {top.where} ({top.date}: '{_short(top.what, 40)}')"
    else:
        day = max(today or dt.date.min, top.date if top else dt.date.min)
        day = day if day != dt.date.min else first.date
        todo = (f"add an entry at the top of data/changes.yml (date: {day}, pages: [{addresses}], what: what changed, "
                "in a sentence for readers)")
    lines = "\n  ".join(f"{where}: `last_updated: {day}`" for _, where in unexplained)
    return f"{said}: {todo}, and write each page's date on its line:\n  {lines}"


def dump(fingerprints: dict[str, dict]) -> str:
    body = {"pages": {address: fingerprints[address] for address in sorted(fingerprints)}}
    return HEAD + yaml.safe_dump(body, sort_keys=False, default_flow_style=False, width=120)
