"""Guide contents: the guide's topic pages, listed at the top of each of them, from `nav`.

The guide is the home page and the pages after it in the menu that hold the source article
(`source: article`). Each topic page starts with a numbered list of the topic pages, itself
marked as the current one; the home page lists them with their front-matter descriptions.
The labels are the menu's, the descriptions the pages' own: nothing here is new text beyond
"Contents", "In this guide" and the page count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

HOME = "index.md"
_FIRST_H2 = re.compile(r"<h2[\s>]")
# A page with more sections than this keeps its table of contents beside the text; with fewer,
# the headings are in view as one scrolls, and the contents would be one more list of links.
FEW_SECTIONS = 3


@dataclass(frozen=True)
class Topic:
    src: str
    label: str  # the menu's short name
    description: str  # the page's one sentence from front matter


def topics(nav, pages) -> list[Topic]:
    """The guide's topic pages in menu order: those in `nav` whose front matter says `source: article`,
    the home page left out (it is the guide's cover). `nav` is the model's NavItems; `pages` its Pages."""
    return [
        Topic(item.src, item.label, pages[item.src].description)
        for item in nav
        if item.src != HOME and item.section is None and pages[item.src].source == "article"
    ]


def _link(href: str, text: str, current: bool) -> str:
    mark = ' aria-current="page"' if current else ""
    return f'<a href="{escape(href)}"{mark}>{escape(text)}</a>'


def sections(toc) -> int:
    """How many sections (h2) a page has, from MkDocs' table of contents (its h1 holds them)."""
    return sum(1 if item.level == 2 else sections(item.children) for item in toc)


def render_contents(items: list[tuple[Topic, str]], current: str) -> str:
    """The numbered list at the top of a topic page; `items` pairs each topic with its link from this page.
    A <details> so a phone can fold it; guide.css shows it open on wider screens."""
    number = next(i for i, (t, _) in enumerate(items, 1) if t.src == current)
    rows = "".join(f"<li>{_link(href, t.label, t.src == current)}</li>" for t, href in items)
    return (
        '<nav class="guide-contents" aria-label="Guide contents" data-search-exclude>'
        f'<details><summary>Contents <span class="guide-contents__where">(page {number} of {len(items)})</span></summary>'
        f'<ol class="guide-contents__list">{rows}</ol></details></nav>'
    )


def render_overview(items: list[tuple[Topic, str]]) -> str:
    """The home page's list: each topic page with its one-sentence description."""
    rows = "".join(
        f'<li>{_link(href, t.label, False)}<span class="guide-overview__about">{escape(t.description)}</span></li>'
        for t, href in items
    )
    return (
        '<nav class="guide-overview" aria-labelledby="guide-overview-title" data-search-exclude>'
        '<p class="guide-overview__title" id="guide-overview-title">In this guide</p>'
        f'<ol class="guide-overview__list">{rows}</ol></nav>'
    )


def after_title(page_html: str, block: str) -> str:
    """`block` right after the page's <h1>, where a topic page's contents go."""
    at = page_html.find("</h1>")
    return page_html if at < 0 else page_html[: at + 5] + block + page_html[at + 5 :]


def before_first_section(page_html: str, block: str) -> str:
    """`block` before the page's first <h2>: on the home page, after the key takeaways."""
    found = _FIRST_H2.search(page_html)
    return after_title(page_html, block) if found is None else page_html[: found.start()] + block + page_html[found.start() :]
