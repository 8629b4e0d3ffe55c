"""MkDocs hook: connects build events to the pure functions in `sitegen`.

MkDocs loads this file by path and puts its folder on sys.path, so `sitegen`
imports as a top-level package. Nothing here holds logic worth testing alone.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from sitegen.errors import SiteDataError
from sitegen.pages import check_front_matter, human_date


def _fail(error: SiteDataError):
    raise PluginError(str(error)) from error


def on_page_markdown(markdown, page, config, files):
    where = f"docs/{page.file.src_uri}"
    try:
        dates = check_front_matter(page.meta, where, markdown)
    except SiteDataError as error:
        _fail(error)
    page.meta["dates"] = {
        key: {"iso": day.isoformat(), "text": human_date(day)} for key, day in dates.items()
    }
    return markdown


# --- Print (issue 5): link addresses, each page's cited sources, the handout's parts ---
# Runs after every other content step, so it sees the final links and citations.

from sitegen import handout as _handout  # noqa: E402
from sitegen import printing as _printing  # noqa: E402

_REFERENCES_PAGE = "references.md"


def on_page_content(html, page, config, files):
    where = f"docs/{page.file.src_uri}"
    if not page.canonical_url:
        _fail(SiteDataError("mkdocs.yml", "site_url must be set: printouts and the handout's QR code show full addresses"))
    try:
        if page.file.src_uri == _handout.HANDOUT_PAGE:
            dates = page.meta.get("dates") or {}
            html = _handout.fill_markers(
                _printing.strip_citations(html),
                url=page.canonical_url,
                page_url=page.url,
                date_text=dates.get("last_updated", {}).get("text", ""),
                where=where,
            )
        return _printing.add_print_addresses(html, page.canonical_url)
    except SiteDataError as error:
        _fail(error)


def on_page_context(context, page, config, nav):
    # Every page's content is rendered before any template, so the bibliography is ready here.
    references = next((p.content for p in nav.pages if p.file.src_uri == _REFERENCES_PAGE), None)
    try:
        page.content += _printing.page_sources(page.content, references, f"docs/{page.file.src_uri}")
    except SiteDataError as error:
        _fail(error)
    return context
