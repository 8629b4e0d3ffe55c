"""HTML in the build: the one home of the helpers that read it, and of making outside text inert.

One toolkit: Python's own `html.parser`. Steps that change a built page change its text in place
and leave every other byte as it was (`TAG` finds the tags, `attribute` reads one of a tag's
attributes, `outside_tags` edits only the text between tags); steps that only read a page take
its words (`text_of`) or its parsed tree (`soup`: BeautifulSoup over the same `html.parser`,
when parts of a page are picked out by CSS selector). The HTMLParser subclasses that need a
tag's place in the page (sitegen.printing, sitegen.security, sitegen.htmlcheck) use it too.

Text from outside the docs (commit subjects, settings) is made inert in Markdown and HTML by
`inert`, and a character a reader cannot see is found by `invisible`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from bs4 import BeautifulSoup

# --- Reading built HTML ----------------------------------------------------------------------

TAG = re.compile(r"<[^>]+>")
# One attribute of a tag, its value double-quoted, single-quoted or bare (group 1, 2 or 3).
_ATTRIBUTE = r"""\b{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""


def strip_tags(html: str, sep: str = "") -> str:
    """`html` with every tag replaced by `sep`; character references are left as they are."""
    return TAG.sub(sep, html)


def text_of(html: str, sep: str = "") -> str:
    """The characters a reader gets from `html`: every tag replaced by `sep`, then character
    references decoded (in that order, so an escaped `&lt;b&gt;` stays text)."""
    return unescape(strip_tags(html, sep))


def outside_tags(html: str, change: Callable[[str], str]) -> str:
    """`html` with `change` applied to each run of text between tags; the tags as they were."""
    out, pos = [], 0
    for tag in TAG.finditer(html):
        out.append(change(html[pos:tag.start()]))
        out.append(tag.group(0))
        pos = tag.end()
    out.append(change(html[pos:]))
    return "".join(out)


def attribute_pattern(name: str) -> re.Pattern[str]:
    """The pattern of the attribute `name` (any case) in a tag's text."""
    return re.compile(_ATTRIBUTE.format(name=name), re.I)


def attribute(tag: str, name: str) -> str | None:
    """The value of the attribute `name` in a tag's text (character references kept), or None."""
    found = attribute_pattern(name).search(tag)
    return None if found is None else next(group for group in found.groups() if group is not None)


# A class attribute as Python-Markdown, the theme and our generators write it (double quotes).
_CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')


def classes(html: str) -> set[str]:
    """Every class an element of `html` carries."""
    return {name for value in _CLASS_ATTR.findall(html) for name in value.split()}


def soup(html: str) -> BeautifulSoup:
    """`html` parsed into a tree, for reading parts of a page by CSS selector."""
    return BeautifulSoup(html, "html.parser")


# --- Outside text made inert -----------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Characters a reader cannot see that change what is shown: bidi overrides and isolates, zero-width
# characters, soft hyphens. In a title or menu label they can reverse or disguise the words.
INVISIBLE = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def invisible(text: str) -> str | None:
    """A description of the first invisible character in `text`, or None."""
    found = INVISIBLE.search(text)
    return None if found is None else f"U+{ord(found[0]):04X} at character {found.start() + 1}"


def inert(text: str) -> str:
    """Every ASCII symbol becomes a numeric character reference.

    The browser shows the same characters, but neither Python-Markdown, its
    extensions nor another hook's marker (`[@key]`, `<!-- table: x -->`) can read
    markup into them. Letters, digits, spaces and non-ASCII text stay readable.
    """
    text = _CONTROL.sub(" ", text)
    return "".join(c if c.isalnum() or c == " " or ord(c) > 127 else f"&#{ord(c)};" for c in text)


_BACKTICKS = re.compile(r"`+")


def blank_code_spans(line: str, fill: str = " ") -> str:
    """The line with each code span (`x`, ``x``) blanked out, in one pass: a run of backticks opens a
    span that the next run of the same length closes (a backtracking regex took minutes on a long run)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    following, after = {}, [None] * len(runs)
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        after[i], following[length] = following.get(length), i
    out, i, done = [], 0, 0
    while i < len(runs):
        close = after[i]
        if close is None:  # never closed: the backticks are text
            i += 1
            continue
        out += [line[done:runs[i][0]], fill * (runs[close][1] - runs[i][0])]
        done, i = runs[close][1], close + 1
    return "".join(out) + line[done:]
