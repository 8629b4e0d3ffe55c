"""A page's prose lines: its Markdown outside fenced code blocks, where markers, citations,
includes and the safety rules are read (a line shown inside a code example is an example)."""

from __future__ import annotations

import re
from typing import Iterator

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A line ends where MkDocs ends it (it reads a page with Python's universal newlines: \n, \r\n, \r),
# and nowhere else: str.splitlines also breaks at U+2028, U+2029, \x0b, \x0c, \x1c-\x1e and \x85,
# which Markdown keeps inside a line, so a fence or a marker after one would be seen where Markdown
# sees none, and every later line would be numbered wrong.
_LINE = re.compile(r".*?(?:\r\n|\r|\n)|.+", re.S)


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """The lines of a page's Markdown as MkDocs reads them, with or without their line breaks."""
    found = _LINE.findall(text)
    return found if keepends else [line.rstrip("\r\n") for line in found]


def prose_lines(markdown: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(file line, text) of every line outside fenced code blocks."""
    fence = None
    for number, line in enumerate(split_lines(markdown), first_line):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        yield number, line
