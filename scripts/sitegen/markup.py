"""Text from outside the docs (commit subjects, settings) made inert in Markdown and HTML."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def inert(text: str) -> str:
    """Every ASCII symbol becomes a numeric character reference.

    The browser shows the same characters, but neither Python-Markdown, its
    extensions nor another hook's marker (`[@key]`, `<!-- table: x -->`) can read
    markup into them. Letters, digits, spaces and non-ASCII text stay readable.
    """
    text = _CONTROL.sub(" ", text)
    return "".join(c if c.isalnum() or c == " " or ord(c) > 127 else f"&#{ord(c)};" for c in text)
