"""What each page publishes, fingerprinted, so no change to it goes unrecorded.

A page's text changes through its Markdown and through data it shows: a table, a glossary
tooltip, an addition, a reference number. `data/published-text.yml` keeps, for each page, a
fingerprint of that text and the record entry (data/changes.yml) that last explained it. The
build (scripts/build) holds the pages against the file as last committed, and refuses a page
whose text no longer matches while that same entry is still its newest: the change needs an
entry of its own. A successful build in a checkout then writes the new fingerprints; commit
them with the change. (Whoever changes what counts as the text here deletes the file from the
last commit, and the next build writes it anew.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import NamedTuple

import yaml

from . import markup
from .changes import Change
from .errors import SiteDataError

WHERE = "data/published-text.yml"
HEAD = ("# Written by the build (sitegen/published.py): a fingerprint of the text each page publishes, and the\n"
        "# record entry (date and a digest of its 'what') that last explained it. Commit it with your change.\n")
# Not what the page says: the copy's own furniture and settings (links, QR code, print buttons, a clinic's
# or the editors' contact, an edition: sitegen/edition.py, which is made from this text); the record of changes and the citation ledger's counts, which explain
# themselves; and lists of places (the for-clinics page's pages, the reference list's "Cited on"
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


def load(text: str | None) -> dict[str, dict[str, str]]:
    if not text:
        return {}
    data = yaml.safe_load(text) or {}
    pages = data.get("pages") if isinstance(data, dict) else None
    if not isinstance(pages, dict):
        raise SiteDataError(WHERE, "is not the build's fingerprint file; delete it and build again to write a new one")
    return {str(k): v for k, v in pages.items() if isinstance(v, dict)}


def check(stored: dict[str, dict[str, str]], current: Mapping[str, Said], newest: Mapping[str, Change],
          top: Change | None = None, today: dt.date | None = None) -> dict[str, dict[str, str]]:
    """`current` maps an address to what its page says now (a (where, text) pair will do); `newest` to
    its newest record entry; `top` is the record's newest entry, `today` the day to suggest for a new
    one. Returns the fingerprints to keep; raises for an unexplained change, naming each page's line
    and what to write on it."""
    out, unexplained = {}, []
    for address, said in current.items():
        said, entry = Said(*said), entry_id(newest[address])
        before = stored.get(address)
        if before and before.get("text") != said.text and before.get("entry") == entry:
            unexplained.append((address, said.where))
        out[address] = {"text": said.text, "entry": entry}
    if unexplained:
        raise SiteDataError(unexplained[0][1], _remedy(unexplained, newest, {e.get("entry") for e in stored.values()}, top, today))
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


def dump(fingerprints: dict[str, dict[str, str]]) -> str:
    body = {"pages": {address: fingerprints[address] for address in sorted(fingerprints)}}
    return HEAD + yaml.safe_dump(body, sort_keys=False, default_flow_style=False, width=120)
