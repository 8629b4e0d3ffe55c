"""A page's prose lines: its Markdown outside fenced code blocks, where markers, citations,
includes and the safety rules are read (a line shown inside a code example is an example)."""

from __future__ import annotations

import re
from typing import Iterator

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def prose_lines(markdown: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(file line, text) of every line outside fenced code blocks."""
    fence = None
    for number, line in enumerate(markdown.splitlines(), first_line):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        yield number, line
