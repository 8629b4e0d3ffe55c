"""Text from outside the docs (commit subjects, settings) made inert in Markdown and HTML."""

from __future__ import annotations

import re

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
