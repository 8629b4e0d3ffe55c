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

import hashlib
from collections.abc import Mapping

import yaml
from bs4 import BeautifulSoup

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


def text_of(page_html: str, site_url: str = "") -> str:
    """The words a reader gets from a page's content, glossary tooltips included; the copy's own
    address (SITE_URL, which a clinic sets) reads as "/", so every copy has the same text."""
    # Line-break hints (<wbr>) inside addresses are layout, and would split the address in the text.
    soup = BeautifulSoup(page_html.replace("<wbr>", ""), "html.parser")
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


def check(stored: dict[str, dict[str, str]], current: dict[str, tuple[str, str]], newest: Mapping[str, Change]) -> dict[str, dict[str, str]]:
    """`current` maps an address to (where its last_updated is, its text's fingerprint); `newest` to
    its newest record entry. Returns the fingerprints to keep; raises for an unexplained change."""
    out, unexplained = {}, []
    for address, (where, text) in current.items():
        entry = entry_id(newest[address])
        before = stored.get(address)
        if before and before.get("text") != text and before.get("entry") == entry:
            unexplained.append((address, where))
        out[address] = {"text": text, "entry": entry}
    if unexplained:
        (address, where), change = unexplained[0], newest[unexplained[0][0]]
        also = f" (and so did {', '.join(a for a, _ in unexplained[1:])})" if len(unexplained) > 1 else ""
        raise SiteDataError(where, f"the text {address} publishes changed{also} (in the page, or in data it shows: a table, the "
                            f"glossary, an addition, a reference number), but data/changes.yml has no entry for it since {change.date} "
                            f"('{change.what[:50]}...'), the last commit's: add an entry at the top naming "
                            f"{', '.join(a for a, _ in unexplained)}, with each page's last_updated set to its date")
    return out


def dump(fingerprints: dict[str, dict[str, str]]) -> str:
    body = {"pages": {address: fingerprints[address] for address in sorted(fingerprints)}}
    return HEAD + yaml.safe_dump(body, sort_keys=False, default_flow_style=False, width=120)
