"""The record of changes as an Atom 1.0 feed (RFC 4287), `/changes/feed.xml`: a clinic's feed reader
tells it when a page it links to, or the handout it prints, has changed.

One entry per entry of `data/changes.yml`, newest first, with its date, the reader-facing "what"
and "why", the pages it changed as links, and the edition it produced on each of them where it is
known (sitegen.published.produced), as /changes/ names it. Everything comes from the record and the settings,
never the clock: the feed is dated by its newest entry, and two builds of the same sources give the
same bytes. Data is text here: every value is escaped, and the content is HTML made of escaped text.
Every address is absolute, from `site_url`, so a clinic's copy (SITE_URL) has a feed of its own.

An entry's id must never change (a feed reader would show it again as new). It is a tag URI (RFC
4151) made of the copy's host and path and the entry's key (`changes.entry_keys`: its date and its
place among that date's entries, counted from the oldest), so entries added on top, and corrections
to an entry's wording, leave every other id as it was.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from .changes import Change, anchor, entry_keys
from .errors import SiteDataError

# Where the build writes it, relative to the site's root; /changes/ is the page it follows.
PATH = "changes/feed.xml"
CHANGES_ADDRESS = "/changes/"
TYPE = "application/atom+xml"
HEADLINE = 110  # characters: an entry's title is the first sentence of its "what", cut at a word
_ABBREVIATIONS = frozenset({"dr", "mr", "mrs", "ms", "st", "vs", "e.g", "i.e", "etc", "al", "no", "fig"})
# XML 1.0 allows no other control characters; YAML refuses them too, but the feed must parse whatever comes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    """Text or an attribute value, escaped for XML."""
    return html.escape(_NOT_XML.sub("", text), quote=True)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def headline(what: str) -> str:
    """An entry's title: the first sentence of its "what", cut on a word if long."""
    words = " ".join(what.split())
    first = words
    for end in re.finditer(r"(\S*)[.!?][\"”’)]*\s+(?=[A-Z0-9\"“‘(])", words):
        word = end.group(1).lower().lstrip("(\"“‘")
        if len(word) > 1 and word not in _ABBREVIATIONS:  # "E. M." and "Dr." end no sentence
            first = words[:end.end()].rstrip()
            break
    if len(first) <= HEADLINE:
        return first
    cut = first[:HEADLINE].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def entry_id(site_url: str, key: str) -> str:
    """`tag:host,2026-12-06:/path/changes/3` for the entry keyed `2026-12-06-3`."""
    parts = urlsplit(site_url)
    day, number = key.rsplit("-", 1)
    return f"tag:{(parts.hostname or '').lower()},{day}:{parts.path or '/'}changes/{number}"


def render_feed(record: tuple[Change, ...], pages: Mapping[str, tuple[str, str]], *, site_url: str, site_name: str,
                language: str = "en", updated: dt.date | None = None, editions: Sequence[Mapping[str, str]] | None = None) -> str:
    """The feed. `pages` maps each address a change may name (moved ones included) to (its label, its
    absolute address); `updated` dates a feed with no entries; `editions`, for each entry, the edition
    it produced on each page it names, by the page's address (sitegen.published.produced, a page's
    current edition filled in). Raises SiteDataError, naming the entry's file and line, for an entry
    that names a page the site does not have."""
    for change in record:
        for address in change.pages:
            if address not in pages:
                raise SiteDataError(change.where, f"pages: {address} is not a page of the site, so the change cannot go in the "
                                    f"feed ({PATH}); name pages by their address in data/public-urls.yml, like /uses/")
    newest = record[0].date if record else updated
    if newest is None:
        raise ValueError("a feed with no entries needs a date")
    changes_url = site_url + CHANGES_ADDRESS.lstrip("/")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{_x(language)}">',
        f"<id>{_x(site_url + PATH)}</id>",
        f"<title>{_x(site_name)}: record of changes</title>",
        "<subtitle>Every change to what the pages of this site say, newest first: its date, what changed and why, "
        "and the pages it changed.</subtitle>",
        f"<updated>{_stamp(newest)}</updated>",
        f'<link rel="self" type="{TYPE}" href="{_x(site_url + PATH)}"/>',
        f'<link rel="alternate" type="text/html" href="{_x(changes_url)}"/>',
        f"<author><name>{_x(site_name)}</name><uri>{_x(site_url)}</uri></author>",
    ]
    for n, (change, key) in enumerate(zip(record, entry_keys(record))):
        lines += _entry(change, key, pages, site_url, changes_url, editions[n] if editions else {})
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _entry(change: Change, key: str, pages: Mapping[str, tuple[str, str]], site_url: str, changes_url: str,
           made: Mapping[str, str]) -> list[str]:
    # An old address (a page that moved) is the page it moved to: each page once.
    named = list(dict.fromkeys(pages[a] for a in change.pages))
    e = html.escape
    body = f"<p>{e(change.what)}</p>"
    if change.why:
        body += f"<p>Why: {e(change.why)}</p>"
    links = ", ".join(f'<a href="{e(url)}">{e(label)}</a>' for label, url in named)
    body += f"<p>Pages changed: {links}</p>"
    if made:  # as /changes/ says it: "Editions: Handout 2026-12-06.ac8162, …"
        shown = ", ".join(f"{e(pages[address][0])} {e(number)}" for address, number in made.items())
        body += f"<p>{'Edition' if len(made) == 1 else 'Editions'}: {shown}</p>"
    out = [
        "<entry>",
        f"<id>{_x(entry_id(site_url, key))}</id>",
        f"<title>{_x(headline(change.what))}</title>",
        f"<published>{_stamp(change.date)}</published>",
        f"<updated>{_stamp(change.date)}</updated>",
        f'<link rel="alternate" type="text/html" href="{_x(changes_url)}#{_x(anchor(key))}"/>',
    ]
    out += [f'<link rel="related" type="text/html" href="{_x(url)}" title="{_x(label)}"/>' for label, url in named]
    # A page's address as a category, so a reader can follow one page's changes.
    out += [f'<category term="{_x("/" + url.removeprefix(site_url))}" label="{_x(label)}"/>' for label, url in named]
    out += [f'<content type="html">{_x(body)}</content>', "</entry>"]
    return out


def render_offer(href: str, address: str) -> str:
    """"Get updates in a feed reader" for /changes/ and /for-clinics/ (`<!-- insert: feed-link -->`): the
    feed's full address as its link (relative `href`, so every copy links its own) and what a reader does with it."""
    shown = re.sub(r"(/+)(?=.)", r"\1<wbr>", html.escape(address, quote=False))
    return (
        '<p class="feed-link"><strong>Get updates in a feed reader:</strong> '
        f'<a href="{html.escape(href)}" type="{TYPE}">{shown}</a><br>\n'
        "Add this address to a feed reader (an app or email service that follows websites), and it tells you "
        "each time a change to these pages is recorded, with what changed and why.</p>"
    )
