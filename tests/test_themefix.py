"""Unit tests of sitegen.themefix: the theme's markup made valid."""

from __future__ import annotations

import pytest

from sitegen import themefix

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# themefix: the theme's markup made valid


def test_only_the_themes_toggle_checkboxes_lose_autocomplete():
    toggle = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
    assert themefix.drop_checkbox_autocomplete(toggle) == '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'
    other = '<input class="other" type="checkbox" autocomplete="off">'
    assert themefix.drop_checkbox_autocomplete(other) == other
    both = toggle + "\n" + toggle.replace("drawer", "search")
    assert themefix.drop_checkbox_autocomplete(both).count("autocomplete") == 0


TOC = '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">'


NAMED_TOC = '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc" aria-label="Table of contents">'


def test_the_contents_toggle_is_named_only_where_no_label_names_it():
    assert themefix.name_toc_toggle(f"<nav>{TOC}</nav>") == f"<nav>{NAMED_TOC}</nav>"
    labelled = f'<nav>{TOC}<label class="md-nav__link" for="__toc">Contents</label></nav>'
    assert themefix.name_toc_toggle(labelled) == labelled
    assert themefix.name_toc_toggle("<p>No toggle</p>") == "<p>No toggle</p>"


def test_fix_page_applies_every_fix():
    drawer = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
    page = f"<body>{drawer}<nav>{TOC}</nav></body>"
    assert themefix.fix_page(page) == (
        '<body><input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'
        f"<nav>{NAMED_TOC}</nav></body>"
    )


# ---------------------------------------------------------------------------------------------
# themefix: whitespace holding a line break


@pytest.mark.parametrize(
    ("html", "collapsed"),
    [
        ("<p>a\n   b</p>", "<p>a\nb</p>"),
        ("<p>a   b</p>", "<p>a   b</p>"),  # no line break: spacing as written
        ("\n  <p>a</p> \t\r\n\f <p>b</p>\n\n", "\n<p>a</p>\n<p>b</p>\n"),
        ('<a\n   href="x">y</a>', '<a\n   href="x">y</a>'),  # the insides of tags stay
        ("<PRE>a\n\n  b</PRE>\n\n<Style>\n\n</Style >\n <p>\n</p>", "<PRE>a\n\n  b</PRE>\n<Style>\n\n</Style >\n<p>\n</p>"),
        ("<textarea>\n  x\n</textarea>\n  <script type=x>\n\n</script>", "<textarea>\n  x\n</textarea>\n<script type=x>\n\n</script>"),
        ("<pre>a\n\n</pre>\n\n<pre>b\n\n</pre>", "<pre>a\n\n</pre>\n<pre>b\n\n</pre>"),
        ("", ""),
    ],
)
def test_whitespace_holding_a_line_break_becomes_one_line_break(html, collapsed):
    assert themefix.collapse_whitespace(html) == collapsed
