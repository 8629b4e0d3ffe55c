"""Unit tests of sitegen.prose: a page's prose lines, numbered as its file numbers them, code examples left out."""

from __future__ import annotations

import pytest

from sitegen.prose import prose_lines, split_lines

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


def test_lines_are_numbered_from_one_unless_told_where_the_text_starts():
    assert list(prose_lines("a\n```\nb\n```\nc\n")) == [(1, "a"), (5, "c")]
    assert list(prose_lines("a\n", 7)) == [(7, "a")]


def test_lines_break_only_where_markdown_breaks_them():
    # Markdown keeps U+2028, U+2029, \x0b, \x0c, \x1c and \x85 inside a line, so no fence opens after one:
    # the <script> line is prose, checked, and the lines after are numbered as the file numbers them.
    text = "a\u2028```\n<script>\nb\x0cc\u2029~~~\x1c\r\nd\x85e\x0bf\rg\n"
    assert list(prose_lines(text, 10)) == [(10, "a\u2028```"), (11, "<script>"), (12, "b\x0cc\u2029~~~\x1c"), (13, "d\x85e\x0bf"), (14, "g")]


def test_lines_keep_their_own_breaks_when_asked():
    text = "a\u2028b\r\nc\rd\n\ne"
    assert split_lines(text, keepends=True) == ["a\u2028b\r\n", "c\r", "d\n", "\n", "e"]
    assert split_lines(text) == ["a\u2028b", "c", "d", "", "e"]
    assert split_lines("") == [] and split_lines("a\n") == ["a"]
