"""Search that answers a reader's question: the theme's index, reshaped after MkDocs writes it.

- Article sections come first: the reference list and the glossary are weighted far below
  them, and the site's own pages (about, privacy, for clinics) below the article's.
- Each reference and each glossary term is a result of its own, pointing at its entry,
  instead of one result that holds the whole list.
- Every result's text is one short paragraph (the stylesheet shows its first lines), so no
  preview runs to screens of lists.
- A page left out of search (the handout repeats the article) is still found by its title and
  its one-sentence description.

A pure function over the index's JSON; scripts/hooks.py applies it to search/search_index.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from . import markup

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
    """The words of an index text, tags dropped: the theme shows them as one paragraph."""
    return _SPACE.sub(" ", markup.text_of(_SUP.sub(" ", html), " ")).strip()


def _paragraph(text: str) -> str:
    return f"<p>{escape(text, quote=False)}</p>" if text else ""


def refine(index: dict, *, first: set[str], lists: list[ListPage], title_only: list[tuple[str, str, str]],
           also: dict[str, str] | None = None, tasks: frozenset[str] = frozenset()) -> dict:
    """The index with weights, split lists, one-paragraph texts and title-only pages.

    `first`: the locations of the pages that rank first ("uses/", "" for the home page);
    `lists`: pages whose list becomes one result per entry; `title_only`: (location, title,
    description) of pages left out of search that should still be found by name (only by it, so
    at full weight); `also`: words a page's first result is also found by, after its text (beyond
    the three lines a result shows); `tasks`: the locations of pages of tasks (TASK_PAGE).
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
        out = {**doc, "text": _paragraph(" ".join(filter(None, [plain(text), also.get(location, "")])))}
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
