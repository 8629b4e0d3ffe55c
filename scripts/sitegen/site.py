"""The site model: everything the build knows, loaded and checked once, before any page is built.

`load_site()` reads the pages' front matter, the bibliography, the data files, the
record of public addresses and the settings, checks each of them and how they fit
together (a marker for a table that exists, a citation key that exists, an id on
every heading), and returns one immutable `Site`. The MkDocs hooks and the
finishing pass in `scripts/build` read it; nothing writes to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, NamedTuple
from urllib.parse import urlsplit

from . import additions, article, changes, reviews, citations, clinic, contact, publisher, datafile, fidelity, glossary, markers, markup, menu, public_urls, published, safety, tables
from .errors import SiteDataError
from .markers import Marker
from .pages import CHANGES_PAGE, CLINICS_PAGE, HANDOUT_PAGE, REFERENCES_PAGE, Page, parse_page, review_cycle, url_of

BIBLIOGRAPHY = "references.bib"
GLOSSARY_FILE = "data/glossary.yml"
# The data files that hold something other than tables; every other data/*.yml is a table file.
NOT_TABLES = frozenset({GLOSSARY_FILE, changes.WHERE, public_urls.WHERE, published.WHERE})
# Folders whose files are read or published as text; each must be UTF-8.
TEXT_FOLDERS = ("docs", "data", "overrides")
TEXT_SUFFIXES = frozenset({".md", ".yml", ".yaml", ".css", ".js", ".html", ".svg", ".txt", ".json"})
SNIPPETS = "_snippets/"

_HOST = re.compile(r"^(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\Z")


@dataclass(frozen=True)
class Settings:
    """What mkdocs.yml (or the environment) says about this copy of the site."""

    site_name: str
    site_url: str  # absolute, ends with "/"
    language: str = "en"
    contact_email: str = ""
    clinic: clinic.Clinic = clinic.Clinic()  # a clinic's own details for the handout (extra.clinic)
    publisher: publisher.Publisher | None = None  # who publishes this copy (extra.publisher); None: the site itself
    short_name: str = ""  # the phone header's name (extra.short_name); "": the site's name
    offline: bool = False  # the copy opened from disk (`make dist`)

    @property
    def directory_urls(self) -> bool:
        return not self.offline

    @property
    def published_by(self) -> publisher.Publisher:
        return self.publisher or publisher.Publisher(self.site_name)

    @property
    def phone_name(self) -> str:
        return self.short_name or self.site_name


@dataclass(frozen=True)
class NavItem:
    label: str  # the short name in the menu
    src: str
    section: str | None = None  # the nav section it sits in, if any


@dataclass(frozen=True)
class Site:
    root: Path
    settings: Settings
    nav: tuple[NavItem, ...]
    pages: Mapping[str, Page]  # by source path, nav order first
    markers: Mapping[str, tuple[Marker, ...]]  # by source path
    citations: Mapping[str, tuple[tuple[str, ...], ...]]  # by source path: the page's citation groups
    sources: Mapping[str, citations.Source]
    tables: Mapping[str, tables.Table]
    glossary: glossary.Glossary
    public_urls: public_urls.PublicUrls
    article: article.Article  # the source article, with the recorded edits applied
    record: tuple[changes.Change, ...]  # data/changes.yml, newest first
    retired: frozenset[str] = frozenset()  # references no page cites any more (kept in the list)
    reviews: tuple = ()  # data/reviews/citations.yml: each citation's verdict
    additions: Mapping[str, changes.Addition] = field(default_factory=dict)  # the record's, by id
    table_additions: Mapping[str, str] = field(default_factory=dict)  # a cell item quoting an addition -> where it comes from
    # data/published-text.yml's history (sitegen.published.history): page -> record entry -> the fingerprint it left;
    # scripts/build gives the file as last committed, the one it holds the pages against.
    history: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    handout_review: reviews.HandoutReview | None = None  # data/reviews/pemat-p-handout.yml, passing; its edition unchecked

    def url(self, src: str) -> str:
        """The page's URL as MkDocs writes it for this copy (`uses/`, or `uses.html` offline)."""
        return url_of(src, self.settings.directory_urls)

    def canonical(self, src: str) -> str:
        """The page's full public address."""
        return self.settings.site_url + url_of(src)

    def label(self, src: str) -> str:
        """The page's short name in the menu (back-links and the record of changes use it), else its title."""
        return next((item.label for item in self.nav if item.src == src), self.pages[src].title)

    def by_address(self, address: str) -> Page | None:
        return next((page for page in self.pages.values() if page.address == address), None)


def check_settings(site_name, site_url, language="en", contact_email=None, offline=False, clinic_details=None,
                   texts: dict | None = None, publisher_details=None, short_name=None, docs: Path | None = None) -> Settings:
    """Settings from mkdocs.yml, checked: the address every printout, QR code and preview carries, and
    `texts` ({"site_description": ..., "copyright": ...}), which the theme's templates print unescaped."""
    if not site_url:
        raise SiteDataError("mkdocs.yml: site_url", "must be set (or SITE_URL): printouts, the handout's QR code and link previews show full addresses")
    for key, value in (texts or {}).items():
        if value is not None:
            plain_name(f"mkdocs.yml: {key}", value)
    parts = urlsplit(site_url)
    host = (parts.hostname or "").rstrip(".")
    if (parts.scheme not in ("http", "https") or not _is_host(host) or parts.query or parts.fragment or parts.username
            or re.search(r"[\x00-\x20\x7f\"'<>\\^`{|}]", site_url)):
        raise SiteDataError(
            "mkdocs.yml: site_url",
            f"{site_url!r} is not a web address like https://example.org/ or https://example.org/ketamine/",
        )
    if not site_url.endswith("/"):
        site_url += "/"
    plain_name("mkdocs.yml: site_name", site_name)
    site_name = str(site_name)
    return Settings(
        site_name=site_name,
        site_url=site_url,
        language=str(language or "en"),
        contact_email=contact.check_email(contact_email),
        clinic=clinic.check_clinic(clinic_details),
        offline=bool(offline),
        publisher=publisher.check_publisher(publisher_details, site_name, docs),
        short_name=publisher.check_short_name(short_name, site_name),
    )


def plain_name(where: str, value) -> None:
    """Names the theme prints as they are (menu labels, the site's name): text without markup characters."""
    if not isinstance(value, str) or not value.strip():
        raise SiteDataError(where, f"must be a name in words, got {value!r}")
    if re.search(r"[<>&\"]", value):
        raise SiteDataError(where, "may not contain < > & or \" (the menu shows it as written); use words, or curly quotes")
    hidden = markup.invisible(value)
    if hidden:
        raise SiteDataError(where, f"contains an invisible character ({hidden}) that can reverse or disguise the words; delete it")


def _is_host(host: str) -> bool:
    if re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", host):
        return all(int(part) < 256 for part in host.split("."))
    return bool(_HOST.match(host.lower())) and not host.replace(".", "").isdigit()


def flatten_nav(nav) -> tuple[NavItem, ...]:
    """mkdocs.yml's `nav:` as a flat list of pages; `nav` is MkDocs' parsed value (lists of {label: src})."""
    items: list[NavItem] = []

    def walk(entries, section):
        for entry in entries or []:
            if isinstance(entry, str):
                items.append(NavItem(entry, entry, section))
                continue
            if not isinstance(entry, dict) or len(entry) != 1:
                raise SiteDataError("mkdocs.yml: nav", f"each entry is `Label: page.md` or a section with a list, got {entry!r}")
            ((label, value),) = entry.items()
            plain_name(f"mkdocs.yml: nav: '{label}'", label)
            if isinstance(value, list):
                walk(value, str(label))
            elif isinstance(value, str) and value.endswith(".md"):
                items.append(NavItem(str(label), value, section))
            else:
                raise SiteDataError("mkdocs.yml: nav", f"'{label}' must name a .md file in docs/ or list a section's pages")

    walk(nav, None)
    return tuple(items)


def check_text_files(root: Path) -> None:
    """Every text file an editor can touch is UTF-8, and the ones the build parses are of a size it
    parses in bounded time; a bad one is named before anything reads it."""
    for folder in TEXT_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix.lower() in TEXT_SUFFIXES and path.is_file():
                name = path.relative_to(root).as_posix()
                text = datafile.decode(path.read_bytes(), name)
                if path.suffix.lower() in safety.PARSED_SUFFIXES and not name.startswith("docs/assets/"):
                    safety.check_bounds(text, name)
    for name in ("mkdocs.yml", BIBLIOGRAPHY):
        if (root / name).is_file():
            safety.check_bounds(datafile.decode((root / name).read_bytes(), name), name)


def load_site(root: Path, settings: Settings, nav=None) -> Site:
    """Read and check everything under `root`; raise SiteDataError naming the file and line of the first problem."""
    safety.check_own_files(root, TEXT_FOLDERS, ("mkdocs.yml", BIBLIOGRAPHY))
    check_text_files(root)
    data = _load_data(root)
    items = flatten_nav(nav)
    docs = root / "docs"
    pages, found, cites = _load_pages(docs, _page_order(docs, items), data)
    _check_snippets(root, docs)
    _check_menu(root, items, pages)
    _check_placements(found, data.tables)
    _check_additions(data.record, pages, found)
    _check_review_cycle(pages)
    # Read and checked entry by entry now; held against the pages' citations once they are built (hooks.on_env).
    ledger = reviews.load(root / reviews.WHERE) if (root / reviews.WHERE).exists() or any(cites.values()) else ()
    changes.check_dates(
        data.record,
        {page.address: changes.Dated(page.where, page.updated_line, page.last_updated) for page in pages.values()},
        public_urls.page_redirects(data.public_urls),
    )
    _check_reviewed(data.record, pages, public_urls.page_redirects(data.public_urls))
    # Which edition it scores is held against the handout's once the handout is built (pipeline.build).
    handout_review = reviews.load_handout_review(root / reviews.HANDOUT_REVIEW) if HANDOUT_PAGE in pages else None
    if any(cites.values()) and not any(m.name == "bibliography" for m in found.get(REFERENCES_PAGE, ())):
        raise SiteDataError(f"docs/{REFERENCES_PAGE}", "needs the line <!-- insert: bibliography -->: every citation links to the list it makes")
    return Site(
        root=root,
        settings=settings,
        nav=items,
        pages=MappingProxyType(pages),
        markers=MappingProxyType(found),
        citations=MappingProxyType(cites),
        sources=MappingProxyType(data.sources),
        tables=MappingProxyType(data.tables),
        glossary=data.glossary,
        public_urls=data.public_urls,
        article=data.article,
        record=data.record,
        handout_review=handout_review,
        additions=MappingProxyType(data.additions),
        table_additions=MappingProxyType(data.table_additions),
        retired=frozenset(data.retired),
        reviews=ledger,
        history=MappingProxyType(published.history(published.load(
            datafile.read_text(root / published.WHERE, published.WHERE) if (root / published.WHERE).is_file() else None))),
    )


class _Data(NamedTuple):
    """The data files, each checked, and checked against each other and the source article."""

    sources: dict[str, citations.Source]
    tables: dict[str, tables.Table]
    glossary: glossary.Glossary
    public_urls: public_urls.PublicUrls
    record: tuple[changes.Change, ...]
    article: article.Article  # with the recorded edits applied
    additions: dict[str, changes.Addition]
    table_additions: dict[str, str]
    retired: set[str]


def _load_data(root: Path) -> _Data:
    sources = citations.load_bibliography(root / BIBLIOGRAPHY, BIBLIOGRAPHY)
    all_tables = tables.load_tables(tables.table_files(root, NOT_TABLES), root)
    terms = glossary.load_glossary(root / GLOSSARY_FILE, GLOSSARY_FILE)
    recorded = public_urls.load_public_urls(root / public_urls.WHERE)
    record = changes.load_record(root / changes.WHERE)
    source = article.parse(article.apply_edits(datafile.read_text(root / article.WHERE, article.WHERE), changes.edits(record)))
    added = changes.additions(record)
    reworded = changes.replaced(added)  # a cell may quote an addition's words as pages show them, never its old ones
    table_additions = fidelity.check_tables(source, all_tables, {a.text: a.section for a in added.values() if a.id not in reworded})
    fidelity.check_glossary(source, terms)
    glossary.check_recorded(terms, record, sources)
    retired = {key for change in record for key in change.retire}
    _check_record_sources(record, added, sources, source, retired)
    return _Data(sources, all_tables, terms, recorded, record, source, added, table_additions, retired)


def _check_record_sources(record, added: dict[str, changes.Addition], sources: dict[str, citations.Source],
                          source: article.Article, retired: set[str]) -> None:
    """references.bib is the article's list plus what the record added; every source the record names is in it."""
    where_of = {key: change.where for change in record for key in change.retire + change.add}
    fidelity.check_references(source, sources, {key for change in record for key in change.add}, retired, where_of,
                              [(change.where, change.add) for change in reversed(record) if change.add])
    for change in record:
        for key in change.sources:
            if key not in sources:
                raise SiteDataError(change.where, f"sources: '{key}' is not an entry in references.bib")
    for addition in added.values():
        if addition.source not in sources:
            raise SiteDataError(addition.where, f"source: '{addition.source}' is not an entry in references.bib; "
                                "an addition comes from one of the article's own references, named by its key")


def _page_order(docs: Path, items: tuple[NavItem, ...]) -> list[str]:
    """Every page's source in docs/ (snippets aside): the nav's order, then the rest by name."""
    sources_in_docs = sorted(
        path.relative_to(docs).as_posix()
        for path in docs.rglob("*.md")
        if not path.relative_to(docs).as_posix().startswith(SNIPPETS)
    )
    for item in items:
        if item.src not in sources_in_docs:
            raise SiteDataError("mkdocs.yml: nav", f"'{item.label}' points to {item.src}, which is not in docs/")
    in_nav = [item.src for item in items]
    return in_nav + [src for src in sources_in_docs if src not in in_nav]


def _load_pages(docs: Path, order: list[str], data: _Data) -> tuple[dict[str, Page], dict[str, tuple[Marker, ...]], dict[str, tuple]]:
    """Each page, its markers and its citation groups, by source path in `order`."""
    allowed = markers.arguments({markers.TABLE: data.tables, markers.TOPIC: contact.TOPICS, markers.ADDITION: data.additions})
    pages, found, cites = {}, {}, {}
    for src in order:
        pages[src], found[src], cites[src] = _load_page(docs, src, allowed, data)
    return pages, found, cites


def _load_page(docs: Path, src: str, allowed: dict, data: _Data) -> tuple[Page, tuple[Marker, ...], tuple]:
    """One page as it is built, checked: its text, its markers (found once, here) and its citations."""
    page = parse_page(src, datafile.read_text(docs / src, f"docs/{src}"))
    additions.check_hand_written(page.body, page.where, page.body_line)
    problems = public_urls.headings_without_ids(page.body, page.where, page.body_line)
    if problems:
        raise SiteDataError(page.where, "every h2/h3 needs an explicit id, so links to it survive rewording:\n  " + "\n  ".join(problems))
    safety.check_active_markup(page.body, page.where, page.body_line)
    safety.check_includes(page.body, page.where, page.body_line, docs)
    found = tuple(markers.find_markers(page.body, page.where, page.body_line, allowed))
    # From here on the page is read as it is built: each addition's box in its marker's place.
    page = replace(page, body=markers.expand(page.body, markers.MarkdownContext(data.additions), page.where, page.body_line))
    shown = [text for m in found if markers.REGISTRY[m.name].argument == markers.TABLE for text in data.tables[m.arg].texts()]
    safety.check_urgent_help(page.body, page.where, page.body_line, shown)
    retired = {key: change.where for change in data.record for key in change.retire}
    cites = tuple(tuple(group) for group in citations.find_citations(page.body, page.where, page.body_line, data.sources, retired))
    return page, found, cites


def _check_snippets(root: Path, docs: Path) -> None:
    for path in sorted((docs / SNIPPETS).glob("*.md")):
        name = path.relative_to(root).as_posix()
        safety.check_active_markup(datafile.read_text(path, name), name)


def _check_menu(root: Path, items: tuple[NavItem, ...], pages: dict[str, Page]) -> None:
    """The menu in reading order: the guide, then References and Glossary, then the rest (sitegen.menu)."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") if config.is_file() else None
    menu.check_nested([(i.label, i.src) for i in items if i.section is not None and pages[i.src].source == "article"], text)
    menu.check_order([(i.label, i.src, pages[i.src].source) for i in items if i.section is None], text)


def _check_reviewed(record, pages: dict[str, Page], moved: dict[str, str]) -> None:
    """A review by a person (front matter `reviewed: {by, on}`) is a recorded change: an entry on its
    date names the page, so /changes/ says who checked it, and the page's dates follow from the record."""
    for page in pages.values():
        if page.reviewed is None:
            continue
        by, on = page.reviewed
        if any(change.date == on and page.address in {moved.get(a, a) for a in change.pages} for change in record):
            continue
        entry = f"date: {on}, pages: [{page.address}], what: {by} reviewed this page against its sources."
        todo = (f"add one at the top ({entry}) and write `last_updated: {on}` on line {page.updated_line}" if on >= page.last_updated
                else f"add one where its date belongs, newest first ({entry})")
        raise SiteDataError(f"{page.where}, line {page.reviewed_line}",
                            f"reviewed: on {on}, but data/changes.yml has no entry for {page.address} on that date: {todo}")


def _check_review_cycle(pages: dict[str, Page]) -> None:
    """One review cycle for the site: every page is next due on the same date, unless it says why not."""
    bound = [page for page in pages.values() if not page.review_note]
    cycle, count = review_cycle(page.next_review for page in bound) or (None, 0)
    odd = next((page for page in bound if page.next_review != cycle), None)
    if odd is None:
        return
    raise SiteDataError(f"{odd.where}, line {odd.review_line}", f"next_review is {odd.next_review}, but the site's pages are next reviewed "
                        f"on {cycle} ({count} pages): use that date, or say why this page differs in `review_note:`")


def _check_additions(record, pages: dict[str, Page], found_on: dict[str, tuple[Marker, ...]]) -> None:
    """Each addition is on some page, and its entry names every page that shows it (so each date has its reason);
    a reworded one is on none: pages show the addition that rewords it."""
    reworded = changes.replaced(changes.additions(record))
    for src, found in found_on.items():
        for marker in found:
            if marker.name == "addition" and marker.arg in reworded:
                new = reworded[marker.arg]
                raise SiteDataError(f"docs/{src}, line {marker.line}", f"addition '{marker.arg}' was reworded as '{new.id}' ({new.where}): "
                                    f"write <!-- insert: addition {new.id} --> instead")
    for change in record:
        for addition in change.additions:
            if addition.id in reworded:
                continue
            shown = [src for src, found in found_on.items() if any(m.name == "addition" and m.arg == addition.id for m in found)]
            if not shown:
                raise SiteDataError(addition.where, f"addition '{addition.id}' is placed on no page; add <!-- insert: addition {addition.id} --> "
                                    "to the page it belongs on, or remove it")
            for src in shown:
                if pages[src].address not in change.pages:
                    raise SiteDataError(change.where, f"pages: {pages[src].where} shows addition '{addition.id}', so this entry must name "
                                        f"{pages[src].address} (and that page's last_updated is this entry's date)")


def _check_placements(found_on: dict[str, tuple[Marker, ...]], all_tables: dict) -> None:
    """Each table is placed on some page; no page places a table or a site-wide list twice."""
    placed = set()
    for src, found in found_on.items():
        seen = set()
        for marker in found:
            key = (marker.name, marker.arg)
            if key in seen:
                raise SiteDataError(f"docs/{src}, line {marker.line}", f"{marker} is on this page twice; keep one")
            seen.add(key)
            if markers.REGISTRY[marker.name].argument == markers.TABLE:
                placed.add(marker.arg)
    missing = tables.unplaced(all_tables, placed)
    if missing:
        raise missing
