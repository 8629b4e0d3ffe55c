"""MkDocs hook for print: link addresses, each page's cited sources, the handout's parts.

Listed after hooks.py in mkdocs.yml, so it sees the final links, tables and citations.
"""

from __future__ import annotations

from hooks_shared import fail
from sitegen import handout as _handout
from sitegen import printing as _printing
from sitegen.errors import SiteDataError


_REFERENCES_PAGE = "references.md"


def on_page_content(html, page, config, files):
    where = f"docs/{page.file.src_uri}"
    if not page.canonical_url:
        fail(SiteDataError("mkdocs.yml", "site_url must be set: printouts and the handout's QR code show full addresses"))
    try:
        if page.file.src_uri == _handout.HANDOUT_PAGE:
            dates = page.meta.get("dates") or {}
            html = _handout.fill_markers(
                html,
                url=page.canonical_url,
                page_url=page.url,
                date_text=dates.get("last_updated", {}).get("text", ""),
                where=where,
            )
        return _printing.add_print_addresses(html, page.canonical_url)
    except SiteDataError as error:
        fail(error)


def on_page_context(context, page, config, nav):
    # Every page's content is rendered before any template, so the bibliography is ready here.
    references = next((p.content for p in nav.pages if p.file.src_uri == _REFERENCES_PAGE), None)
    try:
        page.content += _printing.page_sources(page.content, references, f"docs/{page.file.src_uri}")
    except SiteDataError as error:
        fail(error)
    return context
