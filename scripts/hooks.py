"""MkDocs hook: connects build events to the site model and the generators in `sitegen`.

MkDocs loads this file by path and puts its folder on sys.path, so `sitegen` imports
as a top-level package. Nothing here holds logic worth testing alone, and nothing
outlives one build: what a build learns lives in its config and its pages.

Every change to what a page says happens before the search plugin indexes the page
(in `on_page_context`), so search finds what readers see:

  on_config         the site model; the citation and glossary Markdown extensions
  on_page_markdown  the sitemap date; markdown-scope markers (each recorded addition's box)
  on_page_content   one page: the handout's citations, page-scope markers, old section ids
  on_env            the whole site, every page rendered: glossary tooltips, the checks that
                    need every page, site-scope markers (the reference list, the for-clinics
                    lists, the handout's words to know); each page's published text, and from
                    it its edition (sitegen/edition.py); then the guide contents on the home
                    and topic pages

Markers are declared, found and filled by sitegen/markers.py (one registry, one dispatcher);
the hooks only say when each scope is filled and what its renderers read.
  on_page_context   template values: dates, the edition, the feedback link, link previews
  on_post_build     the change feed (sitegen/feed.py) and /pages.json (sitegen/pageindex.py); the
                    search index reshaped so that it answers (sitegen/search.py)

Print furniture, redirect pages, previews, PDFs and hardening follow in `scripts/build`.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from html import escape, unescape
from types import MappingProxyType

import jinja2
import material
import mkdocs
from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks_shared import TEMPLATES, fail, offline, site_model
from sitegen import published, reviews, citations, clinics, contact, edition, feed, fidelity, glossary, guide, handout, markers, pageindex, pdfs, printing, public_urls, search, social
from sitegen.errors import SiteDataError
from sitegen.pages import TOOL_PAGES, human_date
from sitegen.site import CLINICS_PAGE, HANDOUT_PAGE, REFERENCES_PAGE, Site

# The offline copy's search runs through this shim; the offline plugin would otherwise add it from a CDN.
OFFLINE_SHIM = "assets/javascripts/vendor/iframe-worker-shim.js"
ABOUT_SECTION = "About this site"
GET_HELP_PAGE = "get-help.md"
GLOSSARY_PAGE = "glossary.md"
# A reader in crisis may type "suicidal"; the page with the crisis lines says "suicide".
SEARCH_ALSO = MappingProxyType({GET_HELP_PAGE: "suicidal"})
_ID = re.compile(r'\bid="([^"]+)"')
PAGE_INDEX = "page_index"  # the config's key for what /pages.json lists
EDITIONS = "editions"  # the config's key for each page's edition, by address


@event_priority(100)  # before the offline plugin reads `extra.polyfills`
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    site = site_model(config)
    config.markdown_extensions.append(citations.CitationExtension(dict(site.sources), REFERENCES_PAGE))
    # Python-Markdown's abbr extension marks the glossary terms on every page.
    config.mdx_configs.setdefault("abbr", {})["glossary"] = site.glossary.abbreviations()
    if offline(config):
        config.extra["polyfills"] = [*config.extra.get("polyfills", []), OFFLINE_SHIM]
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    info = site_model(config).pages[page.file.src_uri]
    # The sitemap's <lastmod> (and sitemap.xml.gz's time) would otherwise be the build's day.
    page.update_date = info.last_updated.isoformat()
    # The theme prints these as they are, in <title>, the header and <meta name="description">:
    # give it text that is already escaped, so a quote or an angle bracket stays text.
    page.meta["title"] = escape(info.title)
    page.meta["description"] = escape(info.description)
    try:
        # Markdown-scope markers (additions) in place, as the site model read the page; the others
        # in the one spelling the HTML passes fill.
        return markers.expand(markdown, markers.MarkdownContext(site_model(config).additions), info.where, info.body_line)
    except SiteDataError as error:
        fail(error)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site = site_model(config)
    info = site.pages[page.file.src_uri]
    try:
        if not info.cites:
            # The handout repeats cited article text; /references/ links back to the article only.
            html = printing.strip_citations(html)
        elif sorted(citations.cited_keys(html)) != sorted(k for group in site.citations[info.src] for k in group):
            raise SiteDataError(info.where, "the citations rendered differ from those written in the page; "
                                "write each citation as [@key] in the page's text, outside code")
        html = _fill(page, html, markers.PAGE, markers.PageContext(site, info.src, page.url), site.markers[info.src], info.where)
    except SiteDataError as error:
        fail(error)
    return public_urls.add_anchor_aliases(html, public_urls.anchor_aliases(site.public_urls, info.address))


def _fill(page: Page, html: str, scope: str, context, found, where: str) -> str:
    """Fill the page's markers of `scope`, and tell MkDocs' link checker the ids they bring."""

    def inserted(out: str) -> None:
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= set(_ID.findall(out))

    return markers.fill_scope(html, found, scope, context, where, inserted)


class _TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache keyed by the template's name alone (not its path), so a copy of the project in another
    folder (a test's, a clinic's) uses the same entries rather than adding its own; each entry still
    holds only the text it was compiled from."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name)


def _compiled_by(env: Environment) -> str:
    """What compiles the templates besides their text: Jinja, the environment's syntax and extensions
    (MkDocs and the theme set them up)."""
    settings = (jinja2.__version__, mkdocs.__version__, material.__version__, sorted(env.extensions),
                env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline, env.block_start_string, env.variable_start_string,
                env.comment_start_string, env.line_statement_prefix, env.line_comment_prefix, env.newline_sequence)
    return "jinja-" + hashlib.sha256(repr(settings).encode("utf-8")).hexdigest()[:16]


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    if config.get(TEMPLATES):
        # Before the first template is read. Jinja checks each entry against the template's text and
        # Python's version; what else decides the compiled code names the folder.
        folder = Path(config[TEMPLATES]) / _compiled_by(env)
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = _TemplateCache(str(folder))
    site = site_model(config)
    pages = {f.src_uri: f.page for f in files.documentation_pages() if f.page is not None}
    try:
        _mark_glossary_terms(site, pages)
        places = _index_citations(site, pages)
        _check_pages(site, pages)
        _fill_site_wide(site, pages, places)
        # What each page now says; scripts/build holds it against the record last of all, and saves it on success.
        said = config[published.WHERE] = _published(site, pages)
        # Each page's edition, from that text; then every place a page shows one (sitegen/edition.py).
        editions = config[EDITIONS] = {info.address: edition.of(info.last_updated, said[info.address][1])
                                       for src, info in site.pages.items() if src in pages}
        for src, page in pages.items():
            page.content = edition.fill(page.content, editions, f"docs/{src}")
        # Every page as /pages.json lists it, its sections' headings as built (written in on_post_build).
        config[PAGE_INDEX] = _listed(site, pages, editions)
        _add_guide_contents(site, pages)
    except SiteDataError as error:
        fail(error)
    # The search plugin reads page.content in on_page_context: give it each page as a reader reads
    # it (tables as sentences, no address lists), and the page back before it is rendered.
    for page in pages.values():
        page.shown_content, page.content = page.content, search.index_view(page.content)
    _add_template_values(env, site)
    return env


def _mark_glossary_terms(site: Site, pages: dict[str, Page]) -> None:
    """Each glossary term's first use on each page, as a tooltip; a term no page uses is an error."""
    used: set[str] = set()
    for page in pages.values():
        page.content, terms = glossary.mark_first_uses(page.content, site.glossary)
        used |= terms
    missing = glossary.unused(site.glossary, used, {w for p in site.pages.values() for w in re.findall(r"[\w’'-]+", p.body)})
    if missing:
        raise missing


def _index_citations(site: Site, pages: dict[str, Page]) -> dict:
    """Every citing place of every source, pages in reading order."""
    reading = [src for src in site.pages if src in pages and site.pages[src].cites]
    return citations.index_citations(
        dict(site.sources),
        [(pages[src].url, site.label(src), citations.cited_keys(pages[src].content)) for src in reading],
        retired=site.retired,
    )


def _check_pages(site: Site, pages: dict[str, Page]) -> None:
    """The checks that need every page rendered: the article's words, the review ledger, the public addresses."""
    fidelity.check_pages(site.article, [
        (info.where, info.source, pages[src].content, info.body, info.body_line)
        for src, info in site.pages.items() if info.source and src in pages
    ])
    # After the article check: a reworded sentence is first the article's business, then the ledger's.
    reviews.check(site.reviews, {p.where: (p.address, p.body, p.body_line) for src, p in site.pages.items() if p.cites and site.citations[src]},
                  dict(site.sources), site.record)
    built = {site.pages[src].address: _heading_ids(page.toc) for src, page in pages.items()}
    public_urls.check_public_urls(site.public_urls, built)
    public_urls.check_recorded(site.public_urls, built)


def _fill_site_wide(site: Site, pages: dict[str, Page], places: dict) -> None:
    """Fill every page's site-scope markers; a marker left anywhere then is an error."""
    whole = markers.SiteWide(
        places=places,
        linked=[_linked(site, pages[item.src]) for item in site.nav if item.src not in TOOL_PAGES],
        handout=_linked(site, pages[HANDOUT_PAGE]) if HANDOUT_PAGE in pages else None,
        printable=[_linked(site, pages[src]) for src in site.pages if src in pages],
    )
    for src, page in pages.items():
        context = markers.SiteContext(site, src, page.url, page.content, whole)
        page.content = _fill(page, page.content, markers.SITE, context, site.markers.get(src, ()), f"docs/{src}")
        left = markers.remaining(page.content)
        if left:
            raise SiteDataError(f"docs/{src}", f"{left[0]} was not filled in (a marker inside an included snippet?)")


def _published(site: Site, pages: dict[str, Page]) -> dict[str, published.Said]:
    """Each page's address -> where its date is written, and a fingerprint of what it says."""
    return {
        site.pages[src].address: published.Said(f"{site.pages[src].where}, line {site.pages[src].updated_line}",
                                                published.fingerprint(published.text_of(page.content, site.settings.site_url)))
        for src, page in pages.items()
    }


def _listed(site: Site, pages: dict[str, Page], editions: dict[str, str]) -> list[pageindex.Listed]:
    """Every page, in the model's order, with its recorded sections in page order, under their headings as built."""
    listed = []
    for src, info in site.pages.items():
        recorded = set(site.public_urls.pages.get(info.address, []))
        titles = _headings(pages[src].toc) if src in pages else {}
        sections = tuple((ident, heading) for ident, heading in titles.items() if ident in recorded)
        listed.append(pageindex.Listed(src, info.address, info.title, info.description, info.last_updated, info.next_review, sections,
                                       editions.get(info.address, "")))
    return listed


def _add_template_values(env: Environment, site: Site) -> None:
    env.filters["human_date"] = human_date
    # The footer's links, on every page and the 404 page: the nav's "About this site" section,
    # as this copy links them (folders online, files in the offline copy).
    env.globals["about_pages"] = [(site.url(i.src), site.pages[i.src].title) for i in site.nav if i.section == ABOUT_SECTION]
    env.globals["get_help"] = site.url(GET_HELP_PAGE) if GET_HELP_PAGE in site.pages else None
    # The identity (header, footer, print heading): this copy's settings. A wide topic page shows the guide's
    # contents instead of the menu, so the footer links every other page of the menu's first level (References,
    # Glossary, the handout; Get help is in the header) and the first page of a section (For clinics, which
    # links the rest of its section), then the About pages.
    env.globals["site_settings"] = site.settings
    topics = {t.src for t in guide.topics(site.nav, site.pages)} | {guide.HOME, GET_HELP_PAGE}
    firsts = {i.src for i in {i.section: i for i in reversed(site.nav) if i.section not in (None, ABOUT_SECTION)}.values()}
    others = [(site.url(i.src), site.label(i.src)) for i in site.nav if (i.section is None or i.src in firsts) and i.src not in topics]
    env.globals["footer_pages"] = others + env.globals["about_pages"]
    # Every page, the 404 page too, names the change feed by its absolute address (feed readers find it there).
    env.globals["feed_url"] = site.settings.site_url + feed.PATH


def _add_guide_contents(site: Site, pages: dict[str, Page]) -> None:
    # Last, after the glossary marked first uses and the article check read the pages: the
    # contents are links, not a term's first use, and not the article's prose.
    topics = guide.topics(site.nav, site.pages)
    for src, page in pages.items():
        if src != guide.HOME and src not in {t.src for t in topics}:
            continue
        items = [(t, citations.relative_url(page.url, site.url(t.src))) for t in topics]
        if src == guide.HOME:
            page.content = guide.before_first_section(page.content, guide.render_overview(items))
        else:
            page.content = guide.after_title(page.content, guide.render_contents(items, src))


def _heading_ids(toc) -> set[str]:
    ids = set()
    for item in toc:
        if item.level in (2, 3) and item.id:
            ids.add(item.id)
        ids |= _heading_ids(item.children)
    return ids


def _headings(toc) -> dict[str, str]:
    found = {}
    for item in toc:
        if item.level in (2, 3):
            # The toc keeps headings as escaped HTML text; the renderers escape plain text.
            found[item.id] = unescape(item.title)
        found.update(_headings(item.children))
    return found


def _linked(site: Site, page: Page) -> clinics.LinkedPage:
    info = site.pages[page.file.src_uri]
    titles = _headings(page.toc)
    return clinics.LinkedPage(
        title=info.title,
        url=site.canonical(info.src),
        description=info.description,
        sections=[(ident, titles[ident]) for ident in site.public_urls.pages.get(info.address, []) if ident in titles],
        # Linked from the for-clinics page, relatively, so the offline copy's PDFs open from disk.
        pdfs={paper: handout.relative_link(pdfs.pdf_path(info.src, paper), site.url(CLINICS_PAGE)) for paper in pdfs.PAPERS if pdfs.printed(info.src)},
    )


@event_priority(-10)  # after the search plugin has read the page (on_env gave it the index view)
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    page.content = getattr(page, "shown_content", page.content)
    site = site_model(config)
    info = site.pages[page.file.src_uri]
    context["page_info"] = info
    # One navigation per view: the table of contents beside the text only where a page has more than a few sections.
    if guide.sections(page.toc) <= guide.FEW_SECTIONS:
        page.meta["hide"] = [*page.meta.get("hide", []), "toc"]
    # Its edition, on paper (print-header.html) and in the PDF's metadata, and where to report a problem with it.
    context["edition"] = (config.get(EDITIONS) or {}).get(info.address, "")
    # The handout says it in its own closing lines (the online-version marker): its header, on the same
    # line as its address, keeps to one line and the handout to two sheets.
    context["edition_in_page"] = any(marker.name == "online-version" for marker in site.markers.get(info.src, ()))
    context["report_problem"] = contact.feedback(site.settings.contact_email, site.canonical(info.src), context["edition"])
    # How current the evidence is: the newest source the page cites, and the version of each drug label.
    context["page_evidence"] = citations.evidence_dates([k for group in site.citations[info.src] for k in group], dict(site.sources)) if info.cites else (None, [])
    # "Print or download this page" in the page's furniture: its PDFs, relative, so the offline copy's work too.
    context["page_pdfs"] = [
        (paper, handout.relative_link(pdfs.pdf_path(info.src, paper), page.url)) for paper in pdfs.PAPERS if pdfs.printed(info.src)
    ]
    context["social"] = social.page_social(
        site_name=site.settings.site_name,
        site_url=site.settings.site_url,
        url=info.address.lstrip("/"),
        canonical=site.canonical(info.src),
        title=info.title,
        description=info.description,
        language=site.settings.language,
        last_updated=info.last_updated,
        reviewed=info.reviewed,
        publisher=site.settings.published_by,
    )
    return context


@event_priority(-50)  # after the search plugin writes its index, before the offline plugin copies it
def on_post_build(config: MkDocsConfig) -> None:
    site = site_model(config)
    try:
        _write(Path(config.site_dir) / feed.PATH, feed.render_feed(
            site.record, _addresses(site), site_url=site.settings.site_url, site_name=site.settings.site_name,
            language=site.settings.language, updated=max((p.last_updated for p in site.pages.values()), default=None),
            editions=_produced(site, config.get(EDITIONS) or {})))
    except SiteDataError as error:
        fail(error)
    listed = config.get(PAGE_INDEX) or []
    _write(Path(config.site_dir) / pageindex.PATH, pageindex.render_index(
        listed, site_url=site.settings.site_url, site_name=site.settings.site_name, feed_path=feed.PATH,
        handout=next((page for page in listed if page.src == HANDOUT_PAGE), None)))
    _write(Path(config.site_dir) / pageindex.SCHEMA_PATH, pageindex.schema_text())
    _refine_search_index(config, site)


def _addresses(site: Site) -> dict[str, tuple[str, str]]:
    """Each address a record entry may name (a moved page's old one too) -> (the page's short name, its full address)."""
    out = {page.address: (site.label(src), site.canonical(src)) for src, page in site.pages.items()}
    for old, new in public_urls.page_redirects(site.public_urls).items():
        if new in out:
            out[old] = out[new]
    return out


def _produced(site: Site, current: dict[str, str]) -> list[dict[str, str]]:
    """The edition each change produced on each page it names (sitegen.published.produced), a page's
    current one as this build made it: the same as /changes/ shows, once its slots are filled."""
    made = published.produced(site.record, site.history, public_urls.page_redirects(site.public_urls))
    return [{address: current[address] if number is None else number for address, number in editions.items()
             if number is not None or address in current} for editions in made]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _refine_search_index(config: MkDocsConfig, site: Site) -> None:
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    lists = [
        search.ListPage(site.url(REFERENCES_PAGE), [search.Entry(f"ref-{s.key}", f"{s.number}. {s.short}", search.plain(s.html)) for s in site.sources.values()]),
        search.ListPage(site.url(GLOSSARY_PAGE), [search.Entry(t.anchor, t.term, t.tooltip) for t in site.glossary.terms]),
    ]
    index = search.refine(
        json.loads(path.read_text(encoding="utf-8")),
        # The article's pages, and help for a reader in crisis who types "suicidal".
        first={site.url(src) for src, p in site.pages.items() if p.source == "article" or src == GET_HELP_PAGE},
        lists=[page for page in lists if page.location in {site.url(src) for src in site.pages}],
        # The menu's name ("Printable handout") is what a reader types; the page's title follows.
        title_only=[(site.url(i.src), i.label, f"{site.pages[i.src].title}. {site.pages[i.src].description}") for i in site.nav if not site.pages[i.src].searchable],
        also={site.url(src): words for src, words in SEARCH_ALSO.items() if src in site.pages},
        tasks=frozenset({site.url(CLINICS_PAGE)}) if CLINICS_PAGE in site.pages else frozenset(),
    )
    # Compact, as the theme writes it: every reader who searches downloads this file.
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
