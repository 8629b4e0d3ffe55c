"""The site says what the source article says: the content rules, checked by the build.

- Pages marked `source: article` hold every sentence of the article, each once, and no other
  prose; pages marked `source: extract` (the handout) repeat only the article's sentences.
- Table cells and glossary definitions are the article's own wording (a glossary definition
  may instead be marked as the site's own, or as a reference's words on the record, and is then
  shown as such); a cell may instead quote a fact the site added on the record (data/changes.yml,
  additions).
- The side-effects table lists exactly the article's side-effects line, drug by drug: one column for each of
  the line's lists, as many as there are, in its order.
- `references.bib` is the article's reference list, entry for entry, each with the article's
  number; the sources the site added number on from there, in the order they were added.

The article here is the one with every recorded edit (data/changes.yml) applied, so a
deliberate, reviewed change passes and nothing else does. Every message says what to do.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from . import markers, markup
from .article import WHERE as ARTICLE_FILE, Article, normalise, sentences_of
from .errors import SiteDataError

SIDE_EFFECTS_TABLE = "side-effects"
RECORD = "data/changes.yml"
# Our own words inside article pages: headings, captions, boxes, notes, and all that a marker
# inserts (generated tables and lists, the handout's tools: each marker's own, sitegen.markers).
FURNITURE = ", ".join((
    "h1, h2, h3, h4, h5, h6, caption, sup, .admonition-title, .headerlink, .footnote-backref",
    ".site-note, .urgent-help, .call-911, .print-only",
    *markers.furniture(),
    "script, style",
))
_BLOCKS = ("p", "li", "dd", "td", "th", "blockquote")
_MIN_REPEAT_WORDS = 4  # shorter list items ("Coma", "Seizures") may recur inside longer sentences


def _remedy(what: str) -> str:
    return (f"write the article's words, or change them on the record: an entry in {RECORD} with "
            f"edits (replace: the article's words, with: the new ones), why, and sources; {what}")


# --- Data: tables, glossary, references ------------------------------------------------------


def check_tables(article: Article, tables: dict, added: dict[str, str] | None = None) -> dict[str, str]:
    """`added` maps the text of each fact recorded as an addition to where it comes from; a cell
    may quote one too. Returns, for each cell item quoting an addition, where that comes from."""
    quoted: dict[str, str] = {}
    added_texts = [(normalise(text), where) for text, where in (added or {}).items()]
    for table in tables.values():
        for row in table.rows:
            for drug, items in row.cells.items():
                for item in items:
                    if article.contains(item):
                        continue
                    origin = next((where for text, where in added_texts if normalise(item).rstrip(".") in text), None)
                    if origin:
                        quoted[item] = origin
                    else:
                        raise SiteDataError(f"{row.where}", f"tables.{table.name}, row '{row.label}', {drug}: '{item}' is not the article's wording; "
                                            + _remedy(f"see {ARTICLE_FILE} for the article's text"))
    table = tables.get(SIDE_EFFECTS_TABLE)
    if table is None:
        return quoted
    if len(table.columns) != len(article.side_effects):
        raise SiteDataError(table.source, f"tables.{table.name} has {len(table.columns)} drug columns ({', '.join(table.columns.values())}), "
                            f"but the article's side-effects line has {len(article.side_effects)} lists, one a drug: give the table "
                            "one column for each list, in the line's order")
    for drug, expected in zip(table.columns, article.side_effects, strict=True):
        listed = Counter(normalise(item) for row in table.rows for item in row.cells.get(drug, []))
        wanted = Counter(expected)
        for item in wanted - listed:
            raise SiteDataError(table.source, f"tables.{table.name}: the article lists '{item}' for {table.columns[drug]}, but no cell says it; "
                                "add it to a row, or record its removal in data/changes.yml (edits, why)")
        for item in listed - wanted:
            raise SiteDataError(table.source, f"tables.{table.name}: '{item}' is not in the article's list for {table.columns[drug]}; "
                                "cells hold the list's items word for word, one item a cell")
    _check_one_alphabetical_list(table)
    return quoted


def _check_one_alphabetical_list(table) -> None:
    """The side-effects table claims no order of importance and no contrast between the medicines:
    one list, no group headings, rows in alphabetical order of their labels."""
    grouped = next((group for group in table.groups if group.heading), None)
    if grouped:
        raise SiteDataError(grouped.rows[0].where if grouped.rows else table.source,
                            f"tables.{table.name}: the group '{grouped.heading}' sorts side effects into kinds the article does not; "
                            "list every row under `rows:`, with no groups")
    rows, key = table.rows, (lambda r: r.label.casefold())
    for i in range(1, len(rows)):
        if key(rows[i]) >= key(rows[i - 1]):
            continue
        # The row out of place: the one before, if it is above the next one too (put in too early), else this one.
        row = rows[i - 1] if i + 1 < len(rows) and key(rows[i - 1]) > key(rows[i + 1]) else rows[i]
        others = [r for r in rows if r is not row]
        before = [r for r in others if key(r) <= key(row)]
        place = f"below the row '{max(before, key=key).label}'" if before else f"first, above the row '{others[0].label}'"
        raise SiteDataError(row.where, f"tables.{table.name}, row '{row.label}': the rows are in alphabetical order (the table ranks no "
                            f"side effect above another), so it goes {place}: move its lines (from `- label:` to its last cell) there")


def check_glossary(article: Article, glossary) -> None:
    for term in glossary.terms:
        if term.ours or term.source:  # the site's own words, or a reference's (glossary.check_recorded)
            continue
        for sentence in sentences_of(term.definition):
            if not article.contains(sentence):
                raise SiteDataError(f"{glossary.source}, line {term.line}",
                                    f"the definition of '{term.term}' is not the article's wording ('{sentence}'); quote the article, "
                                    "or mark it 'source: site' so the Glossary shows it as this site's own definition (and /about/ says so), "
                                    "or 'source: KEY' and 'section' for one of the article's references' words, on the record")


def _claim(article: Article, sources: dict, added: set[str], record_where: dict[str, str]) -> dict[int, str]:
    """Which entry of references.bib is each of the article's references (by its line); an entry that is
    neither one of them nor a recorded addition, or an article reference with no entry, stops the build."""
    claimed: dict[int, str] = {}
    # In number order, so two entries of one author and year are matched to the article's the same way wherever they stand.
    for key, source in sorted(sources.items(), key=lambda item: item[1].number):
        matches = [r for r in article.references if r.author.startswith(source.author) and r.year == source.year]
        if key in added:
            if matches:
                raise SiteDataError(record_where[key], f"'{key}' is in the article's own reference list (line {matches[0].line}); it needs no 'add'")
            continue
        if not matches:
            raise SiteDataError(f"references.bib, line {source.line}: entry '{key}'",
                                f"{source.author} ({source.year}) is not in the article's reference list; if you are adding a source, "
                                f"record it in {RECORD} (add: [{key}], why)")
        taken = [r for r in matches if r.line not in claimed]
        if not taken:
            raise SiteDataError(f"references.bib, line {source.line}: entry '{key}'", f"the article lists {source.author} ({source.year}) once, and entry '{claimed[matches[0].line]}' is it already")
        claimed[taken[0].line] = key
    for reference in article.references:
        if reference.line not in claimed:
            raise SiteDataError("references.bib", f"the article's reference '{reference.text[:70]}...' ({ARTICLE_FILE}, line {reference.line}) has no entry; add it")
    return claimed


def check_references(article: Article, sources: dict, added: set[str], retired: set[str], record_where: dict[str, str],
                     added_in_order: Sequence[tuple[str, Sequence[str]]] = ()) -> None:
    """references.bib holds the article's list, plus the additions recorded in data/changes.yml.

    Numbers never change: the article's sources have the article's numbers, and the additions
    number on from there in the order they were recorded (`added_in_order`: each record entry's
    place and `add` keys, the oldest entry first). So a renumbered entry is named, even when the
    numbers still run 1, 2, 3 without a gap.
    """
    for key in added | retired:
        if key not in sources:
            kept = ("; a retired source stays in references.bib and keeps its number, which is never given again: "
                    "put its entry back") if key in retired else ""
            raise SiteDataError(record_where[key], f"'{key}' is not an entry in references.bib{kept}")
    claimed = _claim(article, sources, added, record_where)
    next_free = max((s.number for s in sources.values()), default=0) + 1
    for number, reference in enumerate(article.references, start=1):
        source = sources[claimed[reference.line]]
        if source.number != number:
            raise SiteDataError(f"references.bib, line {source.line}: entry '{source.key}'",
                                f"has refnumber {source.number}, but it is the article's reference {number} ({ARTICLE_FILE}, line "
                                f"{reference.line}), and the article's sources keep the article's numbers: write refnumber = {{{number}}}. "
                                f"Numbers never change: a new entry takes the next free one ({next_free}), wherever it stands")
    before = None  # (number, key, record place) of the highest addition recorded so far
    for where, keys in added_in_order:
        numbered = sorted((sources[key].number, key) for key in keys)  # each is an entry (checked above)
        if before and numbered[0][0] < before[0]:
            number, key = numbered[0]
            raise SiteDataError(f"references.bib, line {sources[key].line}: entry '{key}'",
                                f"has refnumber {number}, but '{before[1]}', added before it ({before[2]}), has {before[0]}: "
                                "numbers are given in the order sources are added, and never change; give each its number back "
                                f"(a new entry takes the next free one, {next_free})")
        before = (*numbered[-1], where)


# --- Pages, as built ---------------------------------------------------------------------------


def page_sentences(page_html: str) -> list[str]:
    """The sentences of a built page's prose, in order, without its furniture, citation and footnote numbers."""
    soup = markup.soup(page_html)
    for junk in soup.select(FURNITURE):
        junk.decompose()
    out = []
    for block in soup.find_all(_BLOCKS):
        if block.find(_BLOCKS):
            continue  # a list item holding a paragraph: the paragraph is the block
        out += sentences_of(block.get_text(" "))
    return [_tidy(s) for s in out]


def _tidy(sentence: str) -> str:
    # get_text(" ") puts a space where inline tags meet: "Glutamate :" -> "Glutamate:".
    for mark in (" .", " ,", " :", " ;", " ?", " !", " )"):
        sentence = sentence.replace(mark, mark[1:])
    return sentence.replace("( ", "(")


def _line_of(sentence: str, body: str, first_line: int) -> str:
    start = normalise(sentence)[:40]
    for number, line in enumerate(body.splitlines(), first_line):
        if start and start in normalise(line):
            return f", line {number}"
    return ""


class BuiltPage(NamedTuple):
    """A page with a `source:` kind, as `check_pages` holds it against the article."""

    where: str  # its Markdown file, for messages: "docs/uses.md"
    kind: str  # its `source:`: "article" (holds the article's sentences, each once) or "extract" (repeats some)
    html: str  # its content as built
    body: str  # its Markdown, to find a sentence's line
    first_line: int  # the line the body starts on


def check_pages(article: Article, pages: Iterable[BuiltPage]) -> None:
    """Every sentence of the built `pages` is the article's, and the article pages hold each of its sentences once.
    (scripts/hooks.py passes plain tuples in BuiltPage's order.)"""
    expected = {sentence for _, sentence in article.sentences()}
    line_of = {}
    for line, sentence in article.sentences():
        line_of.setdefault(sentence, line)
    seen: Counter = Counter()
    for page in (BuiltPage(*page) for page in pages):
        for sentence in page_sentences(page.html):
            if sentence not in expected:
                near = difflib.get_close_matches(sentence, expected, n=1, cutoff=0.6)
                hint = f"; the article says '{near[0]}'" if near else ""
                raise SiteDataError(f"{page.where}{_line_of(sentence, page.body, page.first_line)}",
                                    f"'{sentence}' is not the article's wording{hint}: " + _remedy("or move our own note into a box (class site-note)"))
            if page.kind == "article":
                seen[sentence] += 1
    # In the article's order (not the set's, which changes from one process to the next).
    for sentence in line_of:
        if seen[sentence] == 0:
            raise SiteDataError(f"{ARTICLE_FILE}, line {line_of[sentence]}",
                                f"the article's sentence '{sentence}' is on no page; put it back, or record its removal in "
                                f"{RECORD} (edits: replace: the sentence, with: nothing; why)")
        if seen[sentence] > 1 and len(sentence.split()) >= _MIN_REPEAT_WORDS:
            raise SiteDataError(f"{ARTICLE_FILE}, line {line_of[sentence]}",
                                f"the article's sentence '{sentence}' is on the article pages {seen[sentence]} times; keep it once "
                                "(the handout may repeat it)")
