"""Search that answers a reader's question: the theme's index, reshaped after MkDocs writes it.

- Article sections come first: the reference list and the glossary are weighted far below
  them, and the site's own pages (about, privacy, for clinics) below the article's.
- Each reference and each glossary term is a result of its own, pointing at its entry,
  instead of one result that holds the whole list.
- Every result's text is a row of short blocks: each sentence, each list item (a list of short
  items is one block), each table row as "label: medicine: cell". The theme's worker shows only
  the blocks that hold a match (two at most), with the match highlighted, so a preview is the
  sentence a reader searched for; the stylesheet shows the first lines of the first blocks
  when only a title matched.
- What the search plugin reads is the page as a reader reads it (index_view): a table as
  sentences, not its cells run together ("Side effectKetamineEsketamine"), and none of the
  for-clinics page's address lists, link-card code or PDF lists, which repeat other pages.
- A page left out of search (the handout repeats the article) is still found by its title and
  its one-sentence description.

A pure function over the index's JSON; scripts/hooks.py applies it to search/search_index.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from . import markup

from bs4 import BeautifulSoup

# Multipliers of lunr's score (the theme's per-document `boost`). Pages that rank first have none (1).
SITE_PAGE = 0.3
# A page of tasks (for clinics: link, print): above the other site pages, below the article's.
TASK_PAGE = 0.6
# One reference, one glossary term: found, but after every page that says the word. Small
# enough that a match in an entry's title (weighted 1000 by the theme) stays below a page's text.
LIST_ENTRY = 1e-4

# Citation and footnote numbers: noise in a preview, and "20" should not find every page citing source 20.
_SUP = re.compile(r"<sup>.*?</sup>", re.S)
_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # not \s: a no-break space (in "C.\u00a0G.") stays
_LEADING_PARAGRAPHS = re.compile(r"^(?:\s*<p>.*?</p>)+", re.S)
# The theme's index keeps these tags of a page (and drops the others, keeping their text).
_BLOCK = re.compile(r"<(/?)(p|ul|ol|li)>")
# A sentence ends at . ! or ? (a closing quote or bracket may follow) before a space and a capital,
# a digit or an opening quote: "C. G. Abdallah", "et al. (2000)", "Dr. Smith" and "e.g. this" stay whole.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bal\.)(?<!\bDr\.)(?<!\bvs\.)([\"”’)\]]?)\s+(?=[A-Z0-9“\"‘(])")
# A list whose items are all this short (in words) reads as one block: "Seizures" alone says little.
SHORT_ITEM = 6
# Parts of a page that repeat other pages (the for-clinics lists of addresses, link cards and
# PDFs): search would find that page for every other page's title and description.
NOT_INDEXED = ".link-picker, .link-cards, .pdf-list"
# Marks that mean nothing in a preview: a footnote's way back, a PDF link's words for screen readers.
NOT_READ = ".footnote-backref, .pdf-link .visually-hidden"


@dataclass(frozen=True)
class Entry:
    """One list entry as its own result: `anchor` is its id on the page."""

    anchor: str
    title: str
    text: str


@dataclass(frozen=True)
class ListPage:
    """A page whose list is split into entries: the page keeps its introduction."""

    location: str  # "references/"
    entries: list[Entry]


def plain(html: str) -> str:
    """The words of an index text (or of one of its blocks), tags dropped."""
    return _SPACE.sub(" ", markup.text_of(_SUP.sub(" ", html), " ")).strip()


def _paragraph(text: str) -> str:
    return f"<p>{escape(text, quote=False)}</p>" if text else ""


def sentences(text: str) -> list[str]:
    """A paragraph's sentences, each with its closing punctuation."""
    parts = _SENTENCE_END.split(text)
    # split() keeps the captured closing quote: put it back on its sentence.
    out = [parts[0]] + [parts[i + 1] for i in range(1, len(parts) - 1, 2)]
    closers = [parts[i] for i in range(1, len(parts), 2)]
    return [sentence + closer for sentence, closer in zip(out, closers + [""]) if sentence.strip()]


def blocks(html: str) -> list[str]:
    """The blocks of an index text, as plain text: each sentence of a paragraph (or of loose text),
    each item of a list, or a whole list when every item is short."""
    out: list[str] = []
    items: list[str] = []  # the current list's items
    depth = 0  # how deep in lists
    position = 0

    def text_block(raw: str) -> None:
        words = plain(raw)
        if not words:
            return
        if depth:
            items.append(words)
        else:
            out.extend(sentences(words))

    def end_list() -> None:
        if items and all(len(item.split()) <= SHORT_ITEM for item in items):
            out.append("; ".join(items))
        else:
            for item in items:
                out.extend(sentences(item))
        items.clear()

    for match in _BLOCK.finditer(html):
        text_block(html[position:match.start()])
        position = match.end()
        closing, tag = match.group(1), match.group(2)
        if tag in ("ul", "ol"):
            depth += -1 if closing else 1
            if closing and depth == 0:
                end_list()
    text_block(html[position:])
    if items:
        end_list()
    return out


def _blocks_html(texts: list[str]) -> str:
    return "".join(_paragraph(text) for text in texts)


def index_view(html: str) -> str:
    """A page as the search plugin should read it: each table as one paragraph per row
    ("Anxiety: Ketamine: Anxiety or fear; Esketamine (Spravato): Anxiety."), its caption first,
    and without the parts of the for-clinics page that repeat other pages. Never published: the
    page keeps its table."""
    classes = re.findall(r"\.([\w-]+)", f"{NOT_INDEXED} {NOT_READ}")
    if "<table" not in html and not any(name in html for name in classes):
        return html
    soup = BeautifulSoup(html, "html.parser")
    for part in soup.select(f"{NOT_INDEXED}, {NOT_READ}"):
        part.decompose()
    for table in soup.select("table"):
        table.replace_with(BeautifulSoup(_table_text(table), "html.parser"))
    return str(soup)


def _cell_text(cell) -> str:
    items = [li.get_text(" ", strip=True) for li in cell.select("li")]
    text = ", ".join(items) if items else cell.get_text(" ", strip=True)
    return _SPACE.sub(" ", text)


def _table_text(table) -> str:
    """A table as paragraphs: its caption, then each row as "row heading: column: cell; ...".

    Cells without a heading of their own row take the first cell as the row's label.
    """
    out = []
    if table.caption:
        out.append(_cell_text(table.caption))
    head = table.select_one("thead tr") or table.select_one("tr")
    names = [_cell_text(th) for th in head.find_all(["th", "td"])] if head else []
    for tr in table.select("tbody tr") or table.select("tr")[1:]:
        cells = tr.find_all(["th", "td"])
        if len(cells) == 1:  # a group's heading across the table
            out.append(_cell_text(cells[0]))
            continue
        label, rest = _cell_text(cells[0]), cells[1:]
        pairs = [f"{names[i + 1]}: {_cell_text(cell)}" if i + 1 < len(names) and names[i + 1] else _cell_text(cell) for i, cell in enumerate(rest)]
        out.append(f"{label}: " + "; ".join(pairs) + ".")
    return "".join(f"<p>{escape(text, quote=False)}</p>" for text in out if text)


def refine(index: dict, *, first: set[str], lists: list[ListPage], title_only: list[tuple[str, str, str]],
           also: dict[str, str] | None = None, tasks: frozenset[str] = frozenset()) -> dict:
    """The index with weights, split lists, texts in blocks and title-only pages.

    `first`: the locations of the pages that rank first ("uses/", "" for the home page);
    `lists`: pages whose list becomes one result per entry; `title_only`: (location, title,
    description) of pages left out of search that should still be found by name (only by it, so
    at full weight); `also`: words a page's first result is also found by, added to its first block
    (which the result then shows, with them highlighted); `tasks`: the locations of pages of tasks
    (TASK_PAGE).
    """
    also = also or {}
    split = {page.location: page for page in lists}
    docs = []
    for doc in index["docs"]:
        location = doc["location"]
        page = location.partition("#")[0]
        text = doc["text"]
        if location in split:
            # The introduction only; its list follows as entries.
            intro = _LEADING_PARAGRAPHS.match(text)
            text = intro.group(0) if intro else ""
        texts = blocks(text)
        if location in also:  # found by these words too: with the first block, which shows with them
            texts[:1] = [" ".join(texts[:1] + [also[location]])]
        out = {**doc, "text": _blocks_html(texts)}
        if page not in first:
            out["boost"] = TASK_PAGE if page in tasks else SITE_PAGE
        docs.append(out)
        if location in split:
            docs += [
                {"location": f"{location}#{e.anchor}", "title": escape(e.title, quote=False), "text": _paragraph(e.text), "boost": LIST_ENTRY}
                for e in split[location].entries
            ]
    for location, title, description in title_only:
        if not any(d["location"] == location for d in docs):
            docs.append({"location": location, "title": escape(title, quote=False), "text": _paragraph(description)})
    return {**index, "docs": docs}
