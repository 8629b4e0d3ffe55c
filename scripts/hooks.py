"""MkDocs hook: connects build events to the pure functions in `sitegen`.

MkDocs loads this file by path and puts its folder on sys.path, so `sitegen`
imports as a top-level package. Nothing here holds logic worth testing alone.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.utils.meta import get_data

from hooks_shared import fail
from sitegen import citations, glossary, printing, tables
from sitegen.errors import SiteDataError
from sitegen.pages import check_front_matter, human_date


def on_page_markdown(markdown, page, config, files):
    where = f"docs/{page.file.src_uri}"
    try:
        dates = check_front_matter(page.meta, where, markdown)
    except SiteDataError as error:
        fail(error)
    page.meta["dates"] = {
        key: {"iso": day.isoformat(), "text": human_date(day)} for key, day in dates.items()
    }
    markdown = _citations_page_markdown(markdown, page)
    return markdown


# --- Citations and bibliography (references.bib) -----------------------------------------
# Numbers follow the .bib order (the article's), so they never depend on build order.
# Every page is scanned in on_nav, before any renders, so /references/ can list all
# citing places whichever page MkDocs builds first.

_BIB = "references.bib"
_REFERENCES_SRC = "references.md"
_cite: dict = {}


def _citations_config(config):
    try:
        sources = citations.load_bibliography(Path(config.config_file_path).parent / _BIB, _BIB)
    except SiteDataError as error:
        fail(error)
    _cite.clear()
    _cite["sources"] = sources
    config.markdown_extensions.append(citations.CitationExtension(sources, _REFERENCES_SRC))
    return config


def on_nav(nav, config, files):
    in_nav = [page.file for page in nav.pages]
    others = sorted((f for f in files.documentation_pages() if f not in in_nav), key=lambda f: f.src_uri)
    scanned, ids = [], {}
    try:
        for file in in_nav + others:
            where = f"docs/{file.src_uri}"
            body, meta = get_data(file.content_string)
            if meta.get("citations") == "omit":
                ids[file.src_uri] = None
                continue
            groups = citations.scan_page(body, where, config.markdown_extensions, config.mdx_configs)
            title = file.page.title if file.page and file.page.title else file.src_uri
            scanned.append((file.url, title, groups))
            ids[file.src_uri] = citations.expected_citation_ids(groups)
        _cite["places"] = citations.index_citations(_cite["sources"], scanned, _BIB)
    except SiteDataError as error:
        fail(error)
    _cite["ids"] = ids
    return nav


def _citations_page_markdown(markdown, page):
    if page.file.src_uri != _REFERENCES_SRC:
        return markdown
    listing = citations.render_bibliography(_cite["sources"], _cite["places"], page.url)
    try:
        return citations.place_bibliography(markdown, listing, f"docs/{page.file.src_uri}")
    except SiteDataError as error:
        fail(error)


def _citations_check(html, page):
    # A page that repeats cited article text (the handout) opts out, so /references/
    # links back only to the article itself.
    if _cite["ids"].get(page.file.src_uri, []) is None:
        return printing.strip_citations(html)
    # Markdown added after the scan (by another hook) must not hide a citation from the list.
    if citations.rendered_citation_ids(html) != _cite["ids"].get(page.file.src_uri, []):
        fail(SiteDataError(f"docs/{page.file.src_uri}", "citations differ from those scanned before the build; "
                            "citations must be written in the page's Markdown source"))
    return html


# --- Generated tables and glossary from data/*.yml ----------------------------
# Data is loaded and checked once per build (on_config), before any page is read.


TABLE_FILES = ("data/side-effects.yml", "data/at-a-glance.yml")
GLOSSARY_FILE = "data/glossary.yml"
_site_data: dict = {}


def _data_config(config):
    root = Path(config.config_file_path).parent
    try:
        _site_data["tables"] = tables.load_tables([root / name for name in TABLE_FILES], root)
        _site_data["glossary"] = glossary.load_glossary(root / GLOSSARY_FILE, GLOSSARY_FILE)
    except SiteDataError as error:
        fail(error)
    _site_data["placed"], _site_data["used"] = set(), set()
    # Python-Markdown's abbr extension marks the terms on every page.
    config.mdx_configs.setdefault("abbr", {})["glossary"] = _site_data["glossary"].abbreviations()
    return config


def _data_page_content(html, page):
    try:
        html, placed = tables.place_tables(html, _site_data["tables"], f"docs/{page.file.src_uri}")
        html, used = glossary.process_page(html, _site_data["glossary"])
    except SiteDataError as error:
        fail(error)
    _site_data["placed"].update(placed)
    _site_data["used"].update(used)
    return html


def on_env(env, config, files):
    # Every page is rendered by now and nothing is written yet.
    error = tables.unplaced(_site_data["tables"], _site_data["placed"]) or glossary.unused(_site_data["glossary"], _site_data["used"])
    if error:
        fail(error)
    return env


# --- Events: each calls the concerns above in order ----------------------------------------


def on_config(config):
    config = _citations_config(config)
    return _data_config(config)


def on_page_content(html, page, config, files):
    html = _citations_check(html, page)
    return _data_page_content(html, page)
