"""Unit tests of sitegen.prose: a page's prose lines, numbered as its file numbers them, code examples left out."""

from __future__ import annotations

import pytest

from sitegen.prose import prose_lines, split_lines

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


def test_lines_are_numbered_from_one_unless_told_where_the_text_starts():
    assert list(prose_lines("a\n```\nb\n```\nc\n")) == [(1, "a"), (5, "c")]
    assert list(prose_lines("a\n", 7)) == [(7, "a")]


# Each text, and the lines Markdown (this site's extensions: no fenced code) renders inside <code>.
CASES = [
    ("```md\nCite like [@x].\n```\n", {1, 2, 3}),
    ("   ```\n<b>y</b>\n   ```\n", {1, 2, 3}),  # indented up to 3, still a code span
    ("a\n````\n```\nb\n````\nc\n", {2, 3, 4, 5}),  # only the same run closes it
    ("```\n\n<script>x</script>\n\n```\n", set()),  # a blank line: the raw HTML between is rendered
    ("```\n<b>z</b>\n", set()),  # never closed
    ("```\n<b>x</b>\n````\n", set()),  # a longer run does not close it
    ("~~~\n<b>x</b>\n~~~\n", set()),  # tildes are text here
    ("```\nfoo ``` <script>\n```\n", set()),  # closed mid-line: what follows is prose, and so is every line
    ("```x```\n<b>\n", set()),  # a span closed on its own line is the line's own business (code spans)
]


@pytest.mark.parametrize(("markdown", "in_code"), CASES)
def test_a_line_is_left_out_only_where_markdown_renders_it_as_code(markdown, in_code):
    lines = markdown.splitlines()
    assert [n for n, _ in prose_lines(markdown)] == [n for n in range(1, len(lines) + 1) if n not in in_code]


@pytest.mark.parametrize(("markdown", "in_code"), CASES)
def test_the_cases_are_what_markdown_does(markdown, in_code):
    import markdown as md

    html = md.markdown(markdown, extensions=["abbr", "admonition", "attr_list", "footnotes", "md_in_html", "tables"])
    # Every line left out is inside the one <code> element; raw HTML is rendered exactly where lines are read.
    from html import unescape

    inside = unescape(html[html.find("<code>"):html.find("</code>")]) if "<code>" in html else ""
    lines = markdown.splitlines()
    assert all(lines[n - 1].strip("` ") in inside for n in in_code), html
    for tag in ("<b>", "<script>"):
        if tag in markdown:
            assert (tag in html) == (not in_code), html


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
    assert split_lines("AXX\nXr\r\n") == ["AXX", "Xr"]  # only the line break comes off
