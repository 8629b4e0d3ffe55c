"""`/pages.json`: every public page in a form a clinic's website or patient portal can read, so it can
list these pages (title, description, address, sections, PDFs, dates) without scraping /for-clinics/.

It holds only what the pages already publish, from the same place the for-clinics page takes it:
the site model (titles, descriptions, dates, addresses), the recorded sections of
`data/public-urls.yml` with their headings as built, the PDFs' names (sitegen.pdfs), the change
feed's address (sitegen.feed) and each page's edition where the build has one (sitegen.edition).

Its shape is `pages.schema.json` (JSON Schema 2020-12), kept beside this module because it is this
module's promise to other people's code: a change to one is a change to the other, reviewed as code,
and a change that could break a reader raises VERSION. The build publishes the schema next to the
index, and the index names it (`$schema`), so a portal can check what it reads.

Every address is absolute, from `site_url`: a clinic's copy (SITE_URL) lists its own. The file is
data, never markup: strings hold plain text, and `<`, `>` and `&` are written as \\u escapes, so not
even a careless reader that pastes a title into HTML gets a tag from it. Keys keep one order and
nothing comes from the clock, so two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .pdfs import PAPERS, pdf_path, printed

VERSION = 1
PATH = "pages.json"
SCHEMA_PATH = "pages.schema.json"
SCHEMA_FILE = Path(__file__).with_name(SCHEMA_PATH)
TYPE = "application/json"


@dataclass(frozen=True)
class Listed:
    """One page as the index lists it."""

    src: str  # its source in docs/ (names its PDFs)
    address: str  # its public address from the site root, as recorded: /side-effects/
    title: str
    description: str
    last_updated: dt.date
    next_review: dt.date
    sections: tuple[tuple[str, str], ...] = ()  # (id, heading as built), recorded ones only
    edition: str = ""  # sitegen.edition, or "" where the build has none


def _page(page: Listed, site_url: str) -> dict:
    url = site_url + page.address.lstrip("/")
    out = {
        "address": url,
        "path": page.address,
        "title": page.title,
        "description": page.description,
        "last_updated": page.last_updated.isoformat(),
        "next_review": page.next_review.isoformat(),
    }
    if page.edition:
        out["edition"] = page.edition
    out["sections"] = [{"id": ident, "heading": heading, "address": f"{url}#{ident}"} for ident, heading in page.sections]
    if printed(page.src):
        out["pdf"] = {paper.lower(): site_url + pdf_path(page.src, paper) for paper in PAPERS}
    return out


def render_index(pages: list[Listed], *, site_url: str, site_name: str, feed_path: str, handout: Listed | None = None) -> str:
    """The index's text: `pages` in menu order; `handout` (one of them) is named with its edition."""
    data: dict = {
        "$schema": site_url + SCHEMA_PATH,
        "version": VERSION,
        "site": {"name": site_name, "address": site_url},
        "feed": site_url + feed_path,
    }
    if handout is not None:
        data["handout"] = {"address": site_url + handout.address.lstrip("/"), **({"edition": handout.edition} if handout.edition else {})}
    data["pages"] = [_page(page, site_url) for page in pages]
    return dumps(data)


def dumps(data) -> str:
    """JSON with one key order and two-space indents, and no `<`, `>` or `&` in its bytes."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") + "\n"


def schema_text() -> str:
    """The schema as the build publishes it."""
    return SCHEMA_FILE.read_text(encoding="utf-8")


def render_offer(href: str, address: str, schema_href: str) -> str:
    """The for-clinics page's offer of the index (`<!-- insert: page-index -->`): its full address as its
    link (relative `href`s, so every copy links its own files) and, in two lines, what a portal can do with it."""
    shown = re.sub(r"(/+)(?=.)", r"\1<wbr>", html.escape(address, quote=False))
    return (
        '<p class="page-index"><strong>List these pages in your own systems:</strong> '
        f'<a href="{html.escape(href)}" type="{TYPE}">{shown}</a><br>\n'
        "Every page's address, title, description, dates, sections and PDFs, as JSON "
        f'(described by <a href="{html.escape(schema_href)}" type="{TYPE}">its schema</a>). '
        "Your website or patient portal can read it to list these pages and their PDFs, and compare each page's "
        "last-updated date with the one it stored to show which pages have changed.</p>"
    )
