"""A page's prose lines: its Markdown outside code examples, where markers, citations, includes
and the safety rules are read (a line shown inside a code example is an example).

The site's Markdown has no fenced-code extension (mkdocs.yml), so a line of backticks makes code
only as Python-Markdown's code span does: up to the same run of backticks, before any blank line
ends the paragraph. Tildes, an unclosed run, or a blank line before the closing run leave every
line as text Markdown renders, raw HTML included, so those lines are read like any other.
"""

from __future__ import annotations

import re
from typing import Iterator

# A line ends where MkDocs ends it (it reads a page with Python's universal newlines: \n, \r\n, \r),
# and nowhere else: str.splitlines also breaks at U+2028, U+2029, \x0b, \x0c, \x1c-\x1e and \x85,
# which Markdown keeps inside a line, so a fence or a marker after one would be seen where Markdown
# sees none, and every later line would be numbered wrong.
_LINE = re.compile(r".*?(?:\r\n|\r|\n)|.+", re.S)


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """The lines of a page's Markdown as MkDocs reads them, with or without their line breaks."""
    found = _LINE.findall(text)
    return found if keepends else [line.rstrip("\r\n") for line in found]


_OPEN = re.compile(r"^ {0,3}(`{3,})(?!.*(?<!`)\1(?!`))")  # a run of backticks that the same line does not close


def prose_lines(markdown: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(file line, text) of every line Markdown reads as prose, not as a multi-line code span."""
    lines = split_lines(markdown)
    code: set[int] = set()
    for i, line in enumerate(lines):
        opened = _OPEN.match(line)
        if i in code or not opened:
            continue
        run = re.compile(rf"(?<!`){opened.group(1)}(?!`)")
        for j in range(i + 1, len(lines)):
            if not lines[j].strip():
                break  # a blank line ends the paragraph, and the span never opened
            if run.search(lines[j]):
                if lines[j].strip() == opened.group(1):  # closed on a line of its own: every line between is code
                    code.update(range(i, j + 1))
                break  # closed mid-line, text after the run is prose again: the lines stay prose
    for i, line in enumerate(lines):
        if i not in code:
            yield first_line + i, line
