"""Editions: which version of a page a printout is, from what the page says, never from when it was built.

A page's edition is the date of its newest recorded change (its `last_updated`) and the first six
characters of the fingerprint of the text it publishes (sitegen.published, the fingerprint
`data/published-text.yml` keeps): `2026-12-06.3f9a2c`. The same text under the same record has the
same edition in every build and every copy (the fingerprint reads the copy's own address as "/", and
leaves out a clinic's details and contact), and a changed sentence gives a new one. Each page has its
own, so a change to one page leaves every other printout current.

It is printed on every PDF (print-header.html) and written into its metadata (sitegen.pdfs), shown on
the handout, and named on /for-clinics/ (the handout's), in /pages.json and in each page's feedback
link; /changes/ and the feed name the edition each change produced (sitegen.published.produced), a
page's current one in a slot. Shown in a page's content, it cannot be part of the text it is made
from: the build writes a slot (`slot`), counts the page's text without it (the `CLASS` element is not
text to sitegen.published, nor is /changes/' list, `ol.changes`), then fills every slot (`fill`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping

from .errors import SiteDataError

CLASS = "edition"
HASH = 6  # characters of the fingerprint: one page's editions in one day do not collide by chance
PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}\.[0-9a-f]{%d}$" % HASH)
_SLOT = re.compile(r"<!-- edition: (/[^ <>\"]*) -->")


def of(last_updated: dt.date, fingerprint: str) -> str:
    """The edition of a page with this date and this fingerprint of its text."""
    if not re.fullmatch(r"[0-9a-f]{%d,}" % HASH, fingerprint):
        raise ValueError(f"{fingerprint!r} is not a fingerprint of a page's text")
    return f"{last_updated.isoformat()}.{fingerprint[:HASH]}"


def slot(address: str, tag: str = "span") -> str:
    """Where the edition of the page at `address` goes in a page's HTML, filled by `fill` once it is known."""
    return f'<{tag} class="{CLASS}"><!-- edition: {html.escape(address)} --></{tag}>'


def fill(page_html: str, editions: Mapping[str, str], where: str) -> str:
    """Each slot in `page_html` with its page's edition; a slot for no page of the site stops the build."""

    def edition(match: re.Match) -> str:
        address = html.unescape(match.group(1))
        if address not in editions:
            raise SiteDataError(where, f"shows the edition of {address}, which is not a page of the site")
        return html.escape(editions[address])

    return _SLOT.sub(edition, page_html)


def render_current(address: str, label: str) -> str:
    """For /for-clinics/ (`<!-- insert: handout-edition -->`): the handout's current edition, to compare
    with the one printed on a clinic's copies."""
    return (
        f'<p class="current-edition">The {html.escape(label)}’s current edition is {slot(address, "strong")}. '
        "Each printed copy shows its edition beside its “Last updated” date: if yours shows another, "
        "print it again from here.</p>"
    )
