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
