"""Citations: `references.bib` -> numbered `[@key]` markers and the `/references/` list.

Load and validate the BibTeX file, find citations with a Python-Markdown inline
pattern (so `[@key]` in code spans and code blocks stays text, as Markdown decides),
index every citing place, and render the bibliography with a small pybtex style.

Numbers are permanent: each entry gives its own (`refnumber = {12}`), so where an entry
stands in the file changes nothing. The article's sources have the article's numbers; a new
entry takes the next free one; a retired entry keeps its number, which is never given again.
The build refuses a missing, repeated or skipped number, saying which number to write. The
list on /references/ is in number order: the article's list (alphabetical by first author),
then the sources the site added, in the order they were added.
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from collections.abc import Mapping
from types import MappingProxyType
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from pybtex.backends.html import Backend as HtmlBackend
from pybtex.database import BibliographyDataError
from pybtex.database.input.bibtex import DuplicateField, Parser, UndefinedMacro
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text
from pybtex.scanner import PybtexSyntaxError
from pybtex.style.formatting import BaseStyle
from pybtex.style.labels.number import LabelStyle
from pybtex.style.names.lastfirst import NameStyle
from pybtex.style.sorting.none import SortingStyle
from pybtex.style.template import field, join, node, optional, sentence, tag

from . import bibsyntax, datafile, markup
from .errors import SiteDataError
from .prose import prose_lines

REQUIRED = ("author", "year", "title")
NUMBER = "refnumber"  # the entry's permanent number; not BibTeX's `number` (a journal issue's)
# Entry type -> the field printed in italics after the title (journal, or where a
# StatPearls chapter or UpToDate topic appears); package inserts have none.
VENUE = MappingProxyType({"article": "journal", "misc": "howpublished", "manual": None})
CITATION_RE = r"\[(@[^\]\n]*)\]"
KEY_RE = re.compile(r"@([A-Za-z0-9_:.-]+)")
RENDERED_ID_RE = re.compile(r'\bid="(cite-[^"]+)"')


@dataclass(frozen=True)
class Source:
    key: str
    number: int
    short: str  # "Berman et al., 2000": the marker's accessible name
    html: str  # the formatted entry, from pybtex's HTML backend
    author: str = ""  # the first author's surname, or the organisation: "Berman"
    year: str = ""
    line: int = 0
    label: str = ""  # for a drug label (@manual): its title as plain text, "Spravato [package insert]"


@dataclass(frozen=True)
class Backlink:
    page: str  # the citing page's URL, as MkDocs gives it ("uses/")
    title: str
    anchor: str  # "cite-berman2000-1"
    ordinal: int  # the nth citation of this source on that page
    of: int  # how many times the page cites it


# ---------------------------------------------------------------------------
# Formatting: the article's pattern, "Surname, I. I., et al. (Year). Title. *Journal*."


@node
def _authors(children, context):
    """Surname, I. I., Surname, I. I., et al.  (`and others` in BibTeX becomes "et al.")"""
    style = context["style"]
    names = []
    for person in context["entry"].persons["author"]:
        if str(person) == "others":
            names.append(Text("et al."))
        elif not person.first_names and not person.middle_names:
            # A braced organisation: plain text, not pybtex's "bibtex-protected" span.
            names.append(Text(str(Text.from_latex(" ".join(person.last_names)))))
        else:
            names.append(style.format_name(person, abbr=False).format_data(context))
    return sentence[join(sep=", ")[names]].format_data(context)


class ArticleStyle(BaseStyle):
    """APA-like, as the article prints its references; keeps the .bib order."""

    # Classes, not names (as with the backend below): pybtex looks a name up among every installed
    # package's entry points each time a style or a parser is made.
    default_sorting_style = SortingStyle
    default_name_style = NameStyle
    default_label_style = LabelStyle

    def _template(self, venue: str | None):
        parts = [_authors, join["(", field("year"), ")."], sentence[field("title")]]
        if venue:
            parts.append(optional[sentence[tag("em")[field(venue)]]])
        return join(sep=" ")[parts]

    def get_article_template(self, entry):
        return self._template(VENUE["article"])

    def get_misc_template(self, entry):
        return self._template(VENUE["misc"])

    def get_manual_template(self, entry):
        return self._template(VENUE["manual"])


def _first_author(entry) -> str:
    first = entry.persons["author"][0]
    return str(Text.from_latex(" ".join(first.prelast_names + first.last_names)))


def _short_label(entry) -> str:
    more = " et al." if len(entry.persons["author"]) > 1 else ""
    return f"{_first_author(entry)}{more}, {entry.fields['year']}"


# ---------------------------------------------------------------------------
# Loading and validating


def _entry_starts(text: str, key: str) -> list[int]:
    """Where each entry with `key` starts; BibTeX compares keys ignoring case, and pybtex ends a
    key at the first character a key cannot hold (a missing comma still gives an entry)."""
    key = re.escape(key) + r"(?![^\s\"#%'(),={}])"
    starts = [m.start() for m in re.finditer(r"@\s*[^\s{(]*\s*[{(]\s*" + key, text, re.IGNORECASE)]
    # pybtex reads more as an entry than this pattern does (@article@{...}): then the key's own place.
    return starts or [m.start() for m in re.finditer(key, text, re.IGNORECASE)]


def _line_of(text: str, key: str, occurrence: int = 1) -> int:
    """The line of the `occurrence`th entry with `key`, which pybtex has found there."""
    return text.count("\n", 0, _entry_starts(text, key)[occurrence - 1]) + 1


def _field_line(text: str, key: str, name: str, occurrence: int = 2) -> int:
    """The line where entry `key` gives field `name` for the `occurrence`th time (pybtex found it)."""
    start = _entry_starts(text, key)[0]
    # A field follows the key's or the last field's comma: "year =" inside a title is not one.
    found = list(re.finditer(r",\s*(" + re.escape(name) + r")\s*=", text[start:], re.IGNORECASE))[occurrence - 1]
    return text.count("\n", 0, start + found.start(1)) + 1


def _check_entry(key: str, entry, text: str, where: str) -> None:
    """An entry of a known type with its required fields, a year, and no LaTeX command but accents."""
    at = f"{where}, line {_line_of(text, key)}: entry '{key}'"
    if entry.type not in VENUE:
        close = difflib.get_close_matches(entry.type, VENUE, n=1)
        hint = f"; did you mean @{close[0]}?" if close else ""
        raise SiteDataError(at, f"entry type @{entry.type} is not one of @{', @'.join(VENUE)}{hint}")
    for name in REQUIRED:
        present = entry.persons.get(name) if name == "author" else entry.fields.get(name, "").strip()
        if not present:
            raise SiteDataError(at, f"is missing '{name}'")
    if not re.fullmatch(r"\d{4}|n\.d\.", entry.fields["year"].strip()):
        raise SiteDataError(at, f"year must be four digits or 'n.d.', got {entry.fields['year']!r}")
    for name, value in entry.fields.items():
        command = _latex_command(value)
        if command:
            raise SiteDataError(f"{where}, line {_field_line(text, key, name, 1)}: entry '{key}'",
                                f"'{name}' holds the LaTeX command {command}, which the site does not run (a link "
                                "would not be one): write plain text; only \\& and accents like {\\\"u} are read")


def parse_bibliography(text: str, where: str = "references.bib") -> dict[str, Source]:
    """Parse BibTeX text into numbered, formatted sources, in number order."""
    bibsyntax.check(text, where, tuple(VENUE))  # the common mistakes, named where they are
    try:
        data = Parser().parse_string(text)
    except UndefinedMacro as error:
        name = str(error).split(": ", 1)[-1]  # "undefined string in line 4: undefinedmacro"
        raise SiteDataError(f"{where}, line {error.lineno}", f"'{name}' is a bare word, which BibTeX reads as an undefined @string; put the text in braces: {{{name}}}") from None
    except PybtexSyntaxError as error:
        problem = str(error).split(": ", 1)[-1]  # pybtex says "syntax error in line 9: '}' expected"
        raise SiteDataError(f"{where}, line {error.lineno}", f"BibTeX cannot read this ({problem}): check the braces, commas and = signs "
                            "of this entry; an entry is written @article{key, then fields like title = {The title}, then }") from None
    except DuplicateField as error:
        key, name = re.fullmatch(r"entry with key (.+) has a duplicate (.+) field", str(error)).groups()
        raise SiteDataError(f"{where}, line {_field_line(text, key, name)}: entry '{key}'", f"gives '{name}' twice; keep one") from None
    except BibliographyDataError as error:
        key = str(error).split(": ", 1)[-1]  # "repeated bibliography entry: smith2000"
        first, again = _line_of(text, key), _line_of(text, key, 2)
        # BibTeX keys ignore case: Smith2000 repeats smith2000.
        raise SiteDataError(f"{where}, line {again}", f"duplicate key '{key}' (first on line {first}; keys ignore case): "
                            "give one of them another key, like smith2020b, and cite it by that key") from None
    except PybtexError as error:
        raise SiteDataError(where, f"BibTeX error: {error}") from None
    if not data.entries:
        raise SiteDataError(where, "has no entries")

    style = ArticleStyle()  # sorting "none": entries keep the order they are given in
    # One backend for every entry: render_as("html") looks the backend up among the installed
    # packages' entry points each time, which is most of the bibliography's build time.
    backend = HtmlBackend()
    for key, entry in data.entries.items():
        _check_entry(key, entry, text, where)
    numbers = _numbers(data.entries, text, where)

    sources = {}
    for key in sorted(data.entries, key=numbers.get):
        entry, number = data.entries[key], numbers[key]
        # Field text is parsed as LaTeX only now: unbalanced braces surface here.
        try:
            html = style.format_entry(str(number), entry).text.render(backend)
            label, author = _short_label(entry), _first_author(entry)
        except PybtexError as error:
            raise SiteDataError(f"{where}, line {_line_of(text, key)}: entry '{key}'", f"cannot be formatted: {error}") from None
        drug_label = str(Text.from_latex(entry.fields["title"])) if entry.type == "manual" else ""
        sources[key] = Source(key, number, label, html, author, entry.fields["year"].strip(), _line_of(text, key), drug_label)
    return sources


def _number_line(text: str, key: str) -> int:
    """The line of entry `key`'s refnumber (its own line if the field cannot be found, as after a key with no comma)."""
    try:
        return _field_line(text, key, NUMBER, occurrence=1)
    except IndexError:
        return _line_of(text, key)


def _numbers(entries, text: str, where: str) -> dict[str, int]:
    """Each entry's permanent number, as its refnumber gives it: every entry has one, no two share
    one, none is skipped. A refusal says which number to write."""
    given: dict[str, int] = {}
    for key, entry in entries.items():
        raw = entry.fields.get(NUMBER)
        if raw is not None:
            if not re.fullmatch(r"[1-9][0-9]*", raw.strip()):
                raise SiteDataError(f"{where}, line {_number_line(text, key)}: entry '{key}'",
                                    f"refnumber must be a whole number from 1 up, like {{12}}, got {raw!r}")
            given[key] = int(raw)
    next_free = max(given.values(), default=0) + 1
    holder: dict[int, str] = {}
    for key, number in given.items():
        if number in holder:
            other = holder[number]
            raise SiteDataError(f"{where}, line {_number_line(text, key)}",
                                f"refnumber {number} is given to two entries, '{other}' (line {_number_line(text, other)}) and "
                                f"'{key}' (this line): a number belongs to one entry for good, even a retired one; the new one "
                                f"of the two takes the next free number: refnumber = {{{next_free}}}")
        holder[number] = key
    for key, entry in entries.items():
        if key not in given:
            line = _line_of(text, key)
            raise SiteDataError(f"{where}, line {line}: entry '{key}'",
                                f"has no refnumber; a new entry takes the next free number, wherever it stands in the file, "
                                f"and keeps it for good: add the line `  {NUMBER} = {{{next_free}}},` under "
                                f"`@{entry.original_type}{{{key},` (line {line})")
    skipped = [n for n in range(1, next_free) if n not in holder]
    if skipped:
        gap, top = skipped[0], next_free - 1
        if skipped == list(range(gap, top)):
            # Only the highest number is past the gap: most likely a new entry that miscounted.
            key = holder[top]
            raise SiteDataError(f"{where}, line {_number_line(text, key)}: entry '{key}'",
                                f"refnumber {top} skips {gap if gap == top - 1 else f'{gap} to {top - 1}'}: numbers are given "
                                f"in turn; if '{key}' is new, write refnumber = {{{gap}}}; if an entry numbered {gap} was deleted, "
                                "put it back (to stop citing it, retire it in data/changes.yml: it keeps its number)")
        raise SiteDataError(where, f"no entry has refnumber {gap} (the numbers run from 1 to {top}): numbers never change, "
                                   f"so an entry is never deleted: put back the entry numbered {gap} (to stop citing it, retire it "
                                   "in data/changes.yml, which keeps its number)")
    return given


def load_bibliography(path: Path, where: str = "references.bib") -> dict[str, Source]:
    return parse_bibliography(datafile.read_text(path, where), where)


# ---------------------------------------------------------------------------
# Finding and rendering citations in Markdown


def parse_keys(inside: str) -> list[str]:
    """`@a; @b` -> ["a", "b"]; anything else is a malformed citation."""
    keys = []
    for part in inside.split(";"):
        match = KEY_RE.fullmatch(part.strip())
        if not match:
            raise SiteDataError("citation", f"'[{inside}]' is not written [@key] or [@key1; @key2]")
        keys.append(match.group(1))
    return keys


# LaTeX commands a name or title may use: accents and letters (\u{g}, \ss, \o). Any other (\href,
# \url, \input...) is refused; escaped characters (\&) and symbol accents (\"u) are no commands.
_LATEX_LETTERS = frozenset({"u", "v", "H", "t", "c", "d", "b", "k", "r", "ss", "o", "O", "aa", "AA", "ae", "AE", "oe", "OE", "l", "L", "i", "j"})
_LATEX_WORD = re.compile(r"\\([A-Za-z]+)")


def _latex_command(value: str) -> str | None:
    return next((f"\\{m[1]}" for m in _LATEX_WORD.finditer(value) if m[1] not in _LATEX_LETTERS), None)


def find_citations(markdown: str, where: str, first_line: int, sources: dict[str, Source],
                   retired: Mapping[str, str] | None = None) -> list[list[str]]:
    """A page's citation groups in reading order, checked before the page is built.

    Citations in fenced code and code spans are examples, not citations, as Markdown
    decides; an unknown key, a retired one (`retired` maps each to where data/changes.yml
    retires it) or a malformed group stops the build naming the line.
    """
    groups = []
    for number, line in prose_lines(markdown, first_line):
        # Code spans blanked out in place, so positions still point into the line; blanked with
        # a character no key has, so `[@a `x`]` is malformed here as it is to Markdown, whose code
        # span inside the brackets keeps the whole group text.
        prose = markup.blank_code_spans(line, "\0")
        for match in re.finditer(CITATION_RE, prose):
            if match.start() > 0 and prose[match.start() - 1] == "\\":
                continue
            try:
                keys = parse_keys(match.group(1))
            except SiteDataError:
                problem = f"'{line[match.start():match.end()]}' is not written [@key] or [@key1; @key2]"
                raise SiteDataError(f"{where}, line {number}", problem) from None
            for key in keys:
                if key not in sources:
                    close = difflib.get_close_matches(key, sources, n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else "; the keys are the names after @article{ in references.bib"
                    raise SiteDataError(f"{where}, line {number}", f"unknown citation key '{key}' (not in references.bib){hint}")
                if retired and key in retired:
                    raise SiteDataError(f"{where}, line {number}", f"cites '{key}', which the entry at {retired[key]} retires: cite another "
                                        f"source here, or take '{key}' out of that entry's retire:")
            groups.append(keys)
    return groups


class _CitationProcessor(InlineProcessor):
    def __init__(self, extension: "CitationExtension", md: Markdown):
        super().__init__(CITATION_RE, md)
        self.ext = extension
        self.seen: dict[str, int] = {}

    def handleMatch(self, m, data):
        # The site model has already checked every citation on the page (find_citations);
        # anything else that looks like one stays text.
        try:
            keys = parse_keys(m.group(1))
        except SiteDataError:
            return None, None, None
        if any(key not in self.ext.sources for key in keys):
            return None, None, None
        sup = etree.Element("sup", {"class": "citation"})
        # Ascending numbers read best; each key keeps its own anchor id.
        for i, key in enumerate(sorted(keys, key=lambda k: self.ext.sources[k].number)):
            source = self.ext.sources[key]
            self.seen[key] = self.seen.get(key, 0) + 1
            link = etree.SubElement(sup, "a", {
                "href": f"{self.ext.references_src}#ref-{key}",
                "id": cite_id(key, self.seen[key]),
                "aria-label": f"Reference {source.number}: {source.short}",
            })
            link.text = str(source.number)
            if i < len(keys) - 1:
                link.tail = ", "  # sup.citation does not wrap: the group stays one "[26, 32]"
        return sup, m.start(0), m.end(0)


class CitationExtension(Extension):
    """Turns `[@key]` into a superscript link to the source on the references page.

    The link points at `references_src` (a .md path) so MkDocs makes it relative and
    checks its anchor.
    """

    def __init__(self, sources: dict[str, Source], references_src: str = "references.md"):
        super().__init__()
        self.sources = sources
        self.references_src = references_src

    def extendMarkdown(self, md):
        # Above links and references (170), below code spans and escapes: `\[@x]` and
        # `` `[@x]` `` stay text.
        md.inlinePatterns.register(_CitationProcessor(self, md), "citation", 172)


def cite_id(key: str, ordinal: int) -> str:
    return f"cite-{key}-{ordinal}"


def cited_keys(page_html: str) -> list[str]:
    """The keys cited in a rendered page, one per citation, in reading order."""
    return [ident[len("cite-"):].rpartition("-")[0] for ident in RENDERED_ID_RE.findall(page_html)]


def index_citations(sources: dict[str, Source], pages: list[tuple[str, str, list[str]]],
                    where: str = "references.bib", retired: frozenset[str] = frozenset()) -> dict[str, list[Backlink]]:
    """Every citing place of every source, pages in reading order.

    `pages` holds (url, title, cited keys in reading order), as rendered. A source no page
    cites is an error: the reference list should hold only sources the site uses, unless
    data/changes.yml retired it (it then keeps its number, and no page may cite it).
    """
    places: dict[str, list[Backlink]] = {key: [] for key in sources}
    for url, title, keys in pages:
        for key in dict.fromkeys(keys):
            total = keys.count(key)
            for n in range(1, total + 1):
                places[key].append(Backlink(url, title, cite_id(key, n), n, total))
    cited_retired = [key for key in retired if places.get(key)]
    if cited_retired:
        key = cited_retired[0]
        raise SiteDataError(places[key][0].page or "/", f"cites '{key}', which data/changes.yml retired; cite another source, or take it out of 'retire'")
    uncited = [key for key, links in places.items() if not links and key not in retired]
    if uncited:
        line = sources[uncited[0]].line
        raise SiteDataError(f"{where}, line {line}" if line else where, f"entry '{uncited[0]}' is not cited on any page"
                            + (f" (nor are {', '.join(uncited[1:])})" if len(uncited) > 1 else "")
                            + ": cite it where a page uses it ([@key] after the sentence), or retire it in data/changes.yml "
                            "(retire: [key], why), which keeps its number")
    return places


# ---------------------------------------------------------------------------
# The reference list


def evidence_dates(keys, sources: dict[str, Source]) -> tuple[str | None, list[tuple[str, str]]]:
    """For a page's footer: the year of the newest source it cites, and each drug label it cites with its version's year."""
    cited = [sources[key] for key in dict.fromkeys(keys)]
    years = [s.year for s in cited if s.year.isdigit()]
    return (max(years) if years else None), [(s.label, s.year) for s in cited if s.label]


def relative_url(from_url: str, to_url: str) -> str:
    """The link from page `from_url` to page `to_url` (site-relative URLs, as MkDocs gives them)."""
    base = posixpath.dirname("/" + from_url) if not from_url.endswith("/") else "/" + from_url.rstrip("/")
    rel = posixpath.relpath("/" + to_url, base or "/")
    return rel + "/" if (to_url == "" or to_url.endswith("/")) and not rel.endswith("/") else rel


def render_bibliography(sources: dict[str, Source], places: dict[str, list[Backlink]], from_url: str,
                        retired: frozenset[str] = frozenset(), changes_url: str = "") -> str:
    """The numbered list for the references page, as one raw HTML block; retired sources keep their number."""
    items = []
    for key, source in sources.items():
        if key in retired:
            note = f'<a href="{html.escape(changes_url)}">record of changes</a>' if changes_url else "record of changes"
            items.append(f'<li id="ref-{key}" class="retired"><span class="reference">{source.html}</span> '
                         f'<span class="cited-on">No longer cited on this site: see the {note}.</span></li>')
            continue
        links = []
        for place in places.get(key, []):
            text = html.escape(place.title) + (f" ({place.ordinal})" if place.of > 1 else "")
            href = html.escape(f"{relative_url(from_url, place.page)}#{place.anchor}")
            # The visible text first, whole (WCAG 2.5.3, label in name): speech input says what it sees.
            label = f"{place.title}" + (f" ({place.ordinal})" if place.of > 1 else "") + f": back to citation {source.number}"
            if place.of > 1:
                label += f", place {place.ordinal} of {place.of}"
            links.append(f'<a class="backlink" href="{href}" aria-label="{html.escape(label)}">{text}</a>')
        cited = f' <span class="cited-on" data-search-exclude>Cited on: {", ".join(links)}</span>' if links else ""
        items.append(f'<li id="ref-{key}"><span class="reference">{source.html}</span>{cited}</li>')
    return '<ol class="bibliography">\n' + "\n".join(items) + "\n</ol>"


# ---------------------------------------------------------------------------
# The reviewer's report: every claim beside the sources attached to it


def claims(markdown_text: str, first_line: int = 1) -> list[tuple[int, str, list[str]]]:
    """(line, claim, keys) for each citation in a page's Markdown: the claim is the text the
    citation follows, back to the end of the sentence before it."""
    out = []
    for number, line in prose_lines(markdown_text, first_line):
        start = 0
        for match in re.finditer(CITATION_RE, line):
            before = line[start:match.start()]
            sentence = re.split(r"(?<=[.!?:])\s+(?=\S)", before.strip())[-1] if before.strip() else ""
            text = re.sub(r"\[@[^\]]*\]|\*\*|^[-*] ", "", sentence).strip()
            try:
                out.append((number, text, parse_keys(match.group(1))))
            except SiteDataError:
                pass
            start = match.end()
    return out


def review_report(pages: list[tuple[str, str, int]], sources: dict[str, Source], verdict=None) -> str:
    """Plain text for an editor: `pages` holds (where, Markdown body, its first line); `verdict(where,
    claim, key)`, where given, is the review ledger's line for that source of that claim."""
    lines = []
    for where, body, first_line in pages:
        found = claims(body, first_line)
        if not found:
            continue
        lines.append(f"== {where}")
        for number, claim, keys in found:
            lines.append(f"line {number}: {claim}")
            for key in keys:
                source = sources[key]
                lines.append(f"    [{source.number}] {markup.text_of(source.html)}")
                if verdict:
                    lines.append(f"        {verdict(where, claim, key)}")
        lines.append("")
    return "\n".join(lines)
