"""Markers: the one form for everything the build writes into a page, `<!-- insert: NAME [ARGUMENT] -->`,
and the one registry of them.

A marker stands on a line of its own, with blank lines around it. Each is declared once, in
REGISTRY: its name, what its argument names, its scope, its renderer, its help text, and the CSS
selectors of what it inserts (our words, which the article check skips: `fidelity.FURNITURE`).
The scopes, in the order the build fills them:

  markdown  replaced in the page's Markdown before anything reads it (`expand`), so the site model
            cites, checks and builds what it inserts as the page's own text
  page      filled in the page's HTML as MkDocs renders it (hooks.on_page_content)
  site      filled once every page is rendered: what lists or reads the whole site (hooks.on_env)

Markers are found once, in the Markdown, by the site model (`find_markers`: an unknown name, a
missing or unknown argument, a marker inside a paragraph: an error naming the page and line),
and kept as `Site.markers`. `expand` writes each other marker in its one spelling, `str(marker)`,
and `fill` replaces those in the built HTML by that text, so HTML is never parsed for markers;
a marker shown in a code example has been escaped there and is left alone. One dispatcher
(`dispatch`) fills every scope, and raises for anything it cannot fill; `remaining` finds a
marker no page's Markdown showed the model (one inside an included snippet), which is an error too.

Two other forms come from the Markdown tools themselves and stay as they are:
citations `[@key]` and pymdownx.snippets' `--8<--` includes and section marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, NamedTuple

from . import published as published_text
from . import additions, changes, citations, clinic, clinics, contact, edition, feed, glossary, handout, pageindex, public_urls, reviews, tables
from .errors import SiteDataError
from .pages import CHANGES_PAGE, HANDOUT_PAGE, REFERENCES_PAGE, human_date
from .prose import prose_lines, split_lines

if TYPE_CHECKING:
    from .site import Site


# The scopes, in the order the build fills them.
MARKDOWN, PAGE, SITE = "markdown", "page", "site"
SCOPES = (MARKDOWN, PAGE, SITE)
# What an argument names; the site model gives the choices of each (`arguments`).
TABLE, TOPIC, ADDITION = "table", "contact topic", "addition"

_ANY = re.compile(r"<!--\s*insert\b")
LINE = re.compile(r"^ {0,3}(?P<marker><!--\s*insert:\s*(?P<name>[a-z][a-z0-9-]*)(?:[ \t]+(?P<arg>[a-z0-9][a-z0-9-]*))?\s*-->)[ \t]*$")
# In built HTML: Python-Markdown passes an HTML comment on its own line through unchanged.
_HTML = re.compile(r"<!--\s*insert:\s*(?P<name>[a-z][a-z0-9-]*)(?:[ \t]+(?P<arg>[a-z0-9][a-z0-9-]*))?\s*-->")


@dataclass(frozen=True)
class Marker:
    name: str
    arg: str | None
    line: int

    def __str__(self) -> str:
        return f"<!-- insert: {self.name}{' ' + self.arg if self.arg else ''} -->"


# --- What a renderer reads, by scope ------------------------------------------------------------


class MarkdownContext(NamedTuple):
    """A markdown-scope marker reads the site's data, before any page is built."""

    additions: Mapping[str, changes.Addition]


class PageContext(NamedTuple):
    """A page-scope marker reads the site model and the page being built."""

    site: Site
    src: str  # the page's source in docs/
    url: str  # its URL as built: relative links start here


class SiteWide(NamedTuple):
    """What the whole rendered site tells the site-scope markers (gathered by hooks.on_env)."""

    places: Mapping[str, list[citations.Backlink]]  # each source's citing places
    linked: list[clinics.LinkedPage]  # the menu's pages, the for-clinics page aside
    handout: clinics.LinkedPage | None
    printable: list[clinics.LinkedPage]  # every page, for its PDFs


class SiteContext(NamedTuple):
    """A site-scope marker reads the page as rendered, and the whole site."""

    site: Site
    src: str
    url: str
    content: str  # the page's HTML, every page rendered
    whole: SiteWide


# --- The renderers ------------------------------------------------------------------------------


def _addition(c: MarkdownContext, arg: str) -> str:
    return additions.render(c.additions[arg])


def _table(c: PageContext, arg: str) -> str:
    return tables.render_table(c.site.tables[arg], c.site.table_additions)


def _lists(c: PageContext, arg: str) -> str:
    return tables.render_lists(c.site.tables[arg], c.site.table_additions)


def _glossary(c: PageContext, arg: None) -> str:
    references = citations.relative_url(c.url, c.site.url(REFERENCES_PAGE))
    return glossary.render_glossary(c.site.glossary, reference_url=lambda key: f"{references}#ref-{key}")


def _changes(c: PageContext, arg: None) -> str:
    site = c.site
    published = {p.address: (site.label(src), citations.relative_url(c.url, site.url(src))) for src, p in site.pages.items()}
    moved = public_urls.page_redirects(site.public_urls)
    for old, new in moved.items():
        published[old] = published[new]
    # The edition each change produced on each page, a page's current one in a slot the build fills (hooks.on_env).
    made = published_text.produced(site.record, site.history, moved)
    return changes.render(site.record, published, dict(site.sources), site.glossary, made)


def _feed_link(c: PageContext, arg: None) -> str:
    return feed.render_offer(handout.relative_link(feed.PATH, c.url), c.site.settings.site_url + feed.PATH)


def _page_index(c: PageContext, arg: None) -> str:
    return pageindex.render_offer(handout.relative_link(pageindex.PATH, c.url), c.site.settings.site_url + pageindex.PATH,
                                  handout.relative_link(pageindex.SCHEMA_PATH, c.url))


def _handout_edition(c: PageContext, arg: None) -> str:
    page = c.site.pages[HANDOUT_PAGE]
    return edition.render_current(page.address, "handout")


def _citation_review(c: PageContext, arg: None) -> str:
    return reviews.render_counts(c.site.reviews)


def _contact(c: PageContext, arg: str) -> str:
    return contact.render_contact(arg, c.site.settings.contact_email)


def _print_actions(c: PageContext, arg: None) -> str:
    return handout.actions_html(handout.relative_link(handout.PDF_PATH, c.url), handout.relative_link(handout.PDF_PATH_A4, c.url))


def _online_version(c: PageContext, arg: None) -> str:
    site, info = c.site, c.site.pages[c.src]
    return handout.online_version_html(site.canonical(info.src), human_date(info.last_updated), site.canonical(REFERENCES_PAGE),
                                       clinic.contact_line(site.settings.clinic), edition.slot(info.address))


def _bibliography(c: SiteContext, arg: None) -> str:
    changes_url = citations.relative_url(c.url, c.site.url(CHANGES_PAGE))
    return citations.render_bibliography(dict(c.site.sources), c.whole.places, c.url, c.site.retired, changes_url)


def _link_table(c: SiteContext, arg: None) -> str:
    return clinics.render_link_table(c.whole.linked)


def _link_cards(c: SiteContext, arg: None) -> str:
    return clinics.render_cards(c.whole.linked, c.site.settings.site_name)


def _handout_link(c: SiteContext, arg: None) -> str:
    return clinics.render_handout(c.whole.handout)


def _pdf_list(c: SiteContext, arg: None) -> str:
    return clinics.render_pdf_list(c.whole.printable)


def _clinic_tasks(c: SiteContext, arg: None) -> str:
    return clinics.render_tasks(c.whole.handout)


def _words_to_know(c: SiteContext, arg: None) -> str:
    # Every term the page's text uses, tables included, that it leaves undefined.
    terms = c.site.glossary
    return glossary.render_glossary(terms, glossary.unexplained(terms, glossary.used_in(terms, c.content), c.content), css="words-to-know")


# --- The registry ---------------------------------------------------------------------------------


class Spec(NamedTuple):
    name: str
    argument: str | None  # what the argument names (TABLE, TOPIC or ADDITION); None: it takes none
    scope: str  # MARKDOWN, PAGE or SITE
    render: Callable[[Any, Any], str]  # (the scope's context, the argument) -> what the marker becomes
    help: str
    furniture: tuple[str, ...]  # CSS selectors of what it inserts (the article check skips them)


REGISTRY: Mapping[str, Spec] = MappingProxyType({spec.name: spec for spec in (
    Spec("table", TABLE, PAGE, _table, "a comparison table from data/*.yml: <!-- insert: table NAME -->",
         (".data-table", ".data-table__legend")),
    Spec("lists", TABLE, PAGE, _lists, "a comparison table as one list per medicine, as the article gives it: <!-- insert: lists NAME -->",
         (".data-lists", ".data-table__legend")),
    Spec("addition", ADDITION, MARKDOWN, _addition, "a fact the site added from a reference, recorded in data/changes.yml: <!-- insert: addition ID -->",
         (f".{additions.CLASS}",)),
    Spec("bibliography", None, SITE, _bibliography, "the numbered reference list from references.bib", (".bibliography",)),
    Spec("glossary", None, PAGE, _glossary, "the list of glossary terms from data/glossary.yml", (".glossary",)),
    Spec("changes", None, PAGE, _changes, "the record of changes", (".changes", ".changes-note")),
    Spec("feed-link", None, PAGE, _feed_link, "the change feed's address, to follow in a feed reader", (".feed-link",)),
    Spec("handout-edition", None, PAGE, _handout_edition, "the handout's current edition, to compare with printed copies (for clinics)",
         (".current-edition",)),
    Spec("page-index", None, PAGE, _page_index, "the address of /pages.json, every page as data for a clinic's website or portal",
         (".page-index",)),
    Spec("citation-review", None, PAGE, _citation_review,
         "how many citations the review ledger (data/reviews/citations.yml) found supported, partly, and so on", (".citation-review",)),
    Spec("contact", TOPIC, PAGE, _contact, "how to reach the site's editors: <!-- insert: contact error --> or <!-- insert: contact accessibility -->",
         ("p[data-copy-setting]",)),
    Spec("link-table", None, SITE, _link_table, "every page and recorded section with its full address (for clinics)", (".link-picker",)),
    Spec("link-cards", None, SITE, _link_cards, "a copyable link card for every page (for clinics)", (".link-cards",)),
    Spec("handout-link", None, SITE, _handout_link, "where to find the printable handout and its PDFs (for clinics)", (".clinic-task__actions",)),
    Spec("pdf-list", None, SITE, _pdf_list, "every page's PDF, on US Letter and A4 (for clinics)", (".pdf-list",)),
    Spec("clinic-tasks", None, SITE, _clinic_tasks, "the for-clinics page's three tasks, each with its one action", (".clinic-tasks",)),
    Spec("print-actions", None, PAGE, _print_actions, "the handout's print button and PDF link", (".handout-actions",)),
    Spec("online-version", None, PAGE, _online_version, "the handout's QR code, online address and date", (".handout-online",)),
    Spec("words-to-know", None, SITE, _words_to_know, "the glossary's definitions of the terms the page uses (the handout, on paper)",
         (".words-to-know",)),
)})


def arguments(choices: Mapping[str, Iterable[str]], registry: Mapping[str, Spec] = REGISTRY) -> dict[str, frozenset[str] | None]:
    """Each marker's allowed arguments (None: it takes none), from `choices`: the site's, by what an argument names."""
    return {name: None if spec.argument is None else frozenset(choices[spec.argument]) for name, spec in registry.items()}


def furniture(registry: Mapping[str, Spec] = REGISTRY) -> tuple[str, ...]:
    """The CSS selectors of everything a marker inserts, each once."""
    return tuple(dict.fromkeys(selector for spec in registry.values() for selector in spec.furniture))


# --- Found once, in the Markdown ---------------------------------------------------------------


def _marker_lines(markdown: str, first_line: int) -> Iterator[tuple[int, str, re.Match | None]]:
    """(file line, text, its match as a marker or None) of each prose line that mentions a marker."""
    for number, line in prose_lines(markdown, first_line):
        if _ANY.search(line):
            yield number, line, LINE.match(line)


def find_markers(markdown: str, where: str, first_line: int, arguments: dict[str, frozenset[str] | None]) -> list[Marker]:
    """Every marker in a page's Markdown, checked; `arguments[name]` is the set of allowed arguments (None: none).

    Raises SiteDataError naming the page and line for a marker that is malformed, unknown,
    inside a paragraph, or has a missing or unknown argument.
    """
    found = []
    for number, line, match in _marker_lines(markdown, first_line):
        at = f"{where}, line {number}"
        if not match:
            if _ANY.match(line.strip()):
                raise SiteDataError(at, f"'{line.strip()}' is not a marker; write it as <!-- insert: NAME --> on a line of its own (names: {', '.join(REGISTRY)})")
            raise SiteDataError(at, "a marker must stand on a line of its own, with blank lines around it")
        name, arg = match["name"], match["arg"]
        if name not in REGISTRY:
            raise SiteDataError(at, f"unknown marker '{name}' (known: {', '.join(REGISTRY)})")
        allowed = arguments.get(name)
        if allowed is None and arg:
            raise SiteDataError(at, f"<!-- insert: {name} --> takes no argument, got '{arg}'")
        if allowed is not None and arg not in allowed:
            got = f"'{arg}'" if arg else "none"
            raise SiteDataError(at, f"<!-- insert: {name} NAME --> needs one of: {', '.join(sorted(allowed))}; got {got}")
        found.append(Marker(name, arg, number))
    return found


# --- Filled by one dispatcher ------------------------------------------------------------------


def dispatch(marker: Marker, scope: str, context, where: str, registry: Mapping[str, Spec] = REGISTRY) -> str | None:
    """What `marker` becomes when the build fills `scope`'s markers: its renderer's text, or None
    for a marker of a later scope (it is filled then).

    Raises SiteDataError naming the page and line for a marker the registry does not know, one of
    an earlier scope (it should have been filled already), or one its renderer cannot fill.
    """
    at = f"{where}, line {marker.line}"
    spec = registry.get(marker.name)
    if spec is None:
        raise SiteDataError(at, f"unknown marker '{marker.name}' (known: {', '.join(registry)})")
    if SCOPES.index(spec.scope) > SCOPES.index(scope):
        return None
    if spec.scope != scope:
        raise SiteDataError(at, f"{marker} is filled in the {spec.scope} pass, yet was still there in the {scope} pass")
    try:
        out = spec.render(context, marker.arg)
    except KeyError as error:
        raise SiteDataError(at, f"{marker} cannot be filled: nothing is named {error}") from None
    if not isinstance(out, str):
        raise SiteDataError(at, f"{marker} cannot be filled: its renderer gave {out!r}")
    return out


def expand(markdown: str, context: MarkdownContext, where: str, first_line: int = 1, registry: Mapping[str, Spec] = REGISTRY) -> str:
    """The page's Markdown as it is built, line for line: each markdown-scope marker's line is what it
    renders, and every other marker is written `str(marker)`, the text `fill` finds in the HTML."""
    lines = split_lines(markdown, keepends=True)  # numbered as prose_lines numbers them
    for number, line, match in _marker_lines(markdown, 0):
        if not match:
            continue  # not a marker: the site model's error
        marker = Marker(match["name"], match["arg"], first_line + number)
        out = dispatch(marker, MARKDOWN, context, where, registry)
        if out is None:
            out = line[:match.start("marker")] + str(marker) + line[match.end("marker"):]
        lines[number] = out + lines[number][len(line):]
    return "".join(lines)


def fill(html: str, found: Iterable[Marker], render: Callable[[Marker], str | None]) -> str:
    """Built HTML with each of the page's markers (`found`, as the site model found them, each standing
    as `str(marker)`) replaced by `render(marker)`; a None result leaves it for later."""
    known = {str(marker): marker for marker in found}
    if not known:
        return html

    def replace(match: re.Match) -> str:
        out = render(known[match.group(0)])
        return match.group(0) if out is None else out

    return re.sub("|".join(map(re.escape, known)), replace, html)


def fill_scope(html: str, found: Iterable[Marker], scope: str, context, where: str,
               inserted: Callable[[str], None] = lambda out: None, registry: Mapping[str, Spec] = REGISTRY) -> str:
    """A page's built HTML with its markers of `scope` filled through `dispatch`; `inserted` sees what each
    becomes. Raises SiteDataError for a marker of the scope that the HTML does not hold as `str(marker)`."""
    for marker in found:
        spec = registry.get(marker.name)
        if spec is not None and spec.scope == scope and str(marker) not in html:
            raise SiteDataError(f"{where}, line {marker.line}", f"{marker} is not in the page as built; "
                                "write it on a line of its own, with blank lines around it")

    def render(marker: Marker) -> str | None:
        out = dispatch(marker, scope, context, where, registry)
        if out is not None:
            inserted(out)
        return out

    return fill(html, found, render)


def remaining(html: str) -> list[str]:
    """Markers still in built HTML (none should be, once every page is finished)."""
    return [m.group(0) for m in _HTML.finditer(html)]
