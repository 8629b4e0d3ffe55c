"""Glossary: the medical words the site uses, shown as tooltips on pages and listed on /glossary/.

A definition is one of three kinds (its `source`):
- the article's own words (no `source`): fidelity.check_glossary holds them against the article;
- the site's own plain words (`source: site`), shown as the site's own;
- a reference's words (`source: KEY` and `section:`), from one of the article's own references
  in references.bib, shown with that section after them, and on the record: an entry of
  data/changes.yml names the term under `definitions`, and /changes/ lists it as added by the site.

Python-Markdown's `abbr` extension does the marking (its `glossary` option takes a
{word: definition} mapping): each form is matched as a whole word, case and all, in the
page's Markdown text (not in tables and lists the build inserts later). This module loads
and checks the terms, makes the first use of each term on a page focusable so keyboard and
touch users can open its tooltip, finds the terms a page uses anywhere in its text (for a
printed page's list of words), and renders the Glossary page's list.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from pathlib import Path

from . import datafile, markup
from .errors import SiteDataError

# mkdocs-material puts an abbr's title into its tooltip as HTML, so these must not occur at all.
_UNSAFE = re.compile(r"[<>&]")
# A definition is shown as written, never as Markdown: markup would show as its characters.
_MARKUP = re.compile(r"[\[\]*_`\\{}|#]")
SITE = "site"
ARTICLE = "article"
_KEY = re.compile(r"^[A-Za-z][\w:-]*$")  # a citation key, as references.bib writes one
_ABBR = re.compile(r'<abbr title="([^"]*)">([^<]*)</abbr>')
_HEADING_OR_ABBR = re.compile(r"(<h([1-6])\b.*?</h\2>)|" + _ABBR.pattern, re.S)


@dataclass
class Term:
    term: str
    definition: str
    forms: list[str]  # the exact words (case matters) marked on pages
    line: int
    ours: bool = False  # the site's own definition, not the article's words: shown as such
    source: str | None = None  # a reference's citation key: its words, from `section`, shown as such
    section: str | None = None  # where in that reference, as readers see it ("Spravato label, Medication Guide")

    @property
    def mark(self) -> str | None:
        """What the tooltip and the lists say after a definition that is not the article's words."""
        if self.ours:
            return SITE_MARK
        return self.section  # a reference's words: where they come from ("Spravato label, Medication Guide")

    @property
    def tooltip(self) -> str:
        return f"{self.definition} ({self.mark})" if self.mark else self.definition

    @property
    def anchor(self) -> str:
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


@dataclass
class Glossary:
    source: str
    terms: list[Term]

    def abbreviations(self) -> dict[str, str]:
        """The mapping for the `abbr` extension's `glossary` option."""
        return {form: term.tooltip for term in self.terms for form in term.forms}

    def term_for(self, form: str) -> Term | None:
        return next((term for term in self.terms if form in term.forms), None)


def load_glossary(path: Path, name: str) -> Glossary:
    return validate(datafile.load(path, name))


def validate(doc: datafile.DataFile) -> Glossary:
    top = doc.mapping(doc.data, (), required=("terms",))
    terms: list[Term] = []
    seen_terms: dict[str, int] = {}
    seen_forms: dict[str, int] = {}
    for i, raw in enumerate(doc.items(top["terms"], ("terms",), "terms")):
        path = ("terms", i)
        entry = doc.mapping(raw, path, required=("term", "definition"), optional=("forms", "source", "section"))
        source = _plain(doc, entry["source"], path + ("source",)) if "source" in entry else ARTICLE
        section = _plain(doc, entry["section"], path + ("section",)) if "section" in entry else None
        reference = source not in (ARTICLE, SITE)
        if reference and not _KEY.match(source):
            raise doc.error(path + ("source",), f"'{source}' is not a kind of definition: leave it out (the article's words), "
                            "write 'site' (the site's own words) or a reference's citation key from references.bib, like janssen2020")
        if reference and not section:
            raise doc.error(path, f"takes its definition from the reference '{source}' (for the site's own words, write "
                            "'source: site'), so it needs 'section': where in it, as readers see it, like \"Spravato label, Medication Guide\"")
        if section and not reference:
            raise doc.error(path + ("section",), "names where in a reference the definition comes from; only a definition "
                            "with 'source: KEY' (a reference's citation key) has one")
        term = _plain(doc, entry["term"], path + ("term",))
        definition = _plain(doc, entry["definition"], path + ("definition",))
        marked = _MARKUP.search(definition)
        if marked:
            raise doc.error(path + ("definition",), f"holds '{marked.group()}': a definition is plain text, shown as written; "
                            "write it without Markdown")
        if "forms" in entry:
            forms = [_plain(doc, form, path + ("forms", j)) for j, form in enumerate(doc.items(entry["forms"], path + ("forms",), "forms"))]
        else:
            forms = [term]
        if term.casefold() in seen_terms:
            first = seen_terms[term.casefold()]
            raise doc.error(path + ("term",), f"duplicate term '{term}': it already has an entry, terms[{first}] at "
                            f"{doc.line(('terms', first, 'term'))}; keep one of the two")
        seen_terms[term.casefold()] = i
        for j, form in enumerate(forms):
            if form in seen_forms:
                first = seen_forms[form]
                raise doc.error(path + ("forms", j), f"'{form}' is already a form of terms[{first}] at {doc.line(('terms', first))}: "
                                "a word on a page can mark one term only, so list it under one of the two")
            seen_forms[form] = i
        terms.append(Term(term, definition, forms, doc.lines[path], source == SITE, source if reference else None, section))
    return Glossary(doc.name, terms)


def check_recorded(glossary: Glossary, record, sources) -> None:
    """A definition from a reference is on the record, as an addition is: its key is an entry of
    references.bib, and an entry of data/changes.yml names the term under `definitions`; every
    term the record names there is such a definition."""
    by_term = {term.term: term for term in glossary.terms}
    named: set[str] = set()
    for change in record:
        for name in change.definitions:
            term = by_term.get(name)
            if term is None or not term.source:
                what = "is not a term of" if term is None else "is not defined from a reference (source: KEY, section) in"
                raise SiteDataError(change.where, f"definitions: '{name}' {what} {glossary.source}; name each term as "
                                    "its 'term:' reads, and only terms whose definition comes from a reference")
            named.add(name)
    for term in glossary.terms:
        if not term.source:
            continue
        where = f"{glossary.source}, line {term.line}"
        if term.source not in sources:
            raise SiteDataError(where, f"source: '{term.source}' is not an entry in references.bib; a definition comes from "
                                "the article (no source), the site (source: site) or one of the article's own references, by its key")
        if term.term not in named:
            raise SiteDataError(where, f"'{term.term}' takes its definition from {term.source} ({term.section}), so it goes on the "
                                "record: add an entry at the top of data/changes.yml with definitions: "
                                f"[{term.term}], why, and the pages whose text it changes")


def _plain(doc: datafile.DataFile, value, path: tuple) -> str:
    text = doc.text(value, path)
    bad = _UNSAFE.search(text)
    if bad:
        raise doc.error(path, f"contains '{bad.group()}': tooltips show text as HTML, so write it without < > &")
    return text


def mark_first_uses(page_html: str, glossary: Glossary) -> tuple[str, set[str]]:
    """Keep one tooltip per term on a page, at its first use outside headings.

    The first use gets tabindex="0" so it can be focused (material shows the
    tooltip on focus as on hover); later uses and uses in headings become plain
    text, so a page is not a field of dotted underlines and tab stops.
    Returns the new HTML and the terms used.
    """
    used: set[str] = set()
    used_in_headings: set[str] = set()

    def unwrap_in_heading(match: re.Match) -> str:
        term = glossary.term_for(html.unescape(match.group(2)))
        if term is None:
            return match.group(0)
        used_in_headings.add(term.term)
        return match.group(2)

    def replace(match: re.Match) -> str:
        if match.group(1):  # a heading: the term counts as used, but gets no tooltip there
            return _ABBR.sub(unwrap_in_heading, match.group(1))
        title, text = match.group(3), match.group(4)
        term = glossary.term_for(html.unescape(text))
        if term is None:
            return match.group(0)
        if term.term in used:
            return text
        used.add(term.term)
        return f'<abbr tabindex="0" title="{title}">{text}</abbr>'

    page_html = _HEADING_OR_ABBR.sub(replace, page_html)
    return page_html, used | used_in_headings


SITE_MARK = "this site’s own definition"


def render_glossary(glossary: Glossary, only: set[str] | None = None, css: str = "glossary", reference_url=None) -> str:
    """A definition list in alphabetical order: every term (the Glossary page), or `only` those (a page's words).

    `reference_url(key)`, where given, links a reference's section to its entry in the reference list."""
    e = html.escape
    out = [f'<dl class="{css}">']
    for term in sorted(glossary.terms, key=lambda t: t.term.casefold()):
        if only is not None and term.term not in only:
            continue
        ident = f' id="{term.anchor}"' if only is None else ""
        out.append(f"<dt{ident}>{e(term.term)}</dt>")
        if term.ours:
            mark = f' <span class="glossary__ours">({e(SITE_MARK)})</span>'
        elif term.source:
            section = e(term.section)
            if reference_url:
                section = f'<a href="{e(reference_url(term.source))}">{section}</a>'
            mark = f' <span class="glossary__ours glossary__source">({section})</span>'
        else:
            mark = ""
        out.append(f"<dd>{e(term.definition)}{mark}</dd>")
    out.append("</dl>")
    return "\n".join(out)


def used_in(glossary: Glossary, page_html: str) -> set[str]:
    """The terms a page's text uses anywhere, tables and boxes included: a form as a whole word, case and all."""
    text = markup.text_of(page_html, " ")
    return {term.term for term in glossary.terms if any(re.search(rf"\b{re.escape(form)}\b", text) for form in term.forms)}


def unexplained(glossary: Glossary, used: set[str], page_html: str) -> set[str]:
    """The terms a page uses whose definition the page does not already state in full."""
    text = _normalise(markup.text_of(page_html))
    return {term.term for term in glossary.terms if term.term in used and _normalise(term.definition) not in text}


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def unused(glossary: Glossary, used: set[str], words: set[str] = frozenset()) -> SiteDataError | None:
    """A term no page uses is a mistake: a misspelt form, or a term for another site.

    `words` are the words the pages use, for a "did you mean".
    """
    for term in glossary.terms:
        if term.term not in used:
            forms = ", ".join(f"'{form}'" for form in term.forms)
            close = [m for form in term.forms for m in difflib.get_close_matches(form, words, n=1, cutoff=0.8)]
            hint = f"; the pages say '{close[0]}'" if close else ""
            return SiteDataError(
                f"{glossary.source}, line {term.line}",
                f"glossary term '{term.term}' appears on no page (looked for {forms}; case matters){hint}: fix its forms or remove the term",
            )
    return None
