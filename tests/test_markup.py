"""Unit tests of sitegen.markup: the one home of the helpers that read built HTML."""

from __future__ import annotations

import pytest

from sitegen import glossary, markup
from sitegen.datafile import load_text

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


def test_strip_tags_replaces_each_tag_and_leaves_references_alone():
    assert markup.strip_tags('<p class="x">a &amp; <b>b</b></p>') == "a &amp; b"
    assert markup.strip_tags("<p>a</p><p>b</p>", " ") == " a  b "
    assert markup.strip_tags("a <> b < c") == "a <> b < c"  # not tags: nothing between the brackets, or no end


def test_text_of_drops_tags_before_decoding_so_escaped_markup_stays_text():
    assert markup.text_of("<p>Dose &lt;b&gt;1&lt;/b&gt; mg&nbsp;a day</p>") == "Dose <b>1</b> mg\xa0a day"
    assert markup.text_of("<li>One</li><li>Two</li>", " ") == " One  Two "


def test_outside_tags_changes_only_the_text_between_tags():
    html = '<a href="x y">one two</a> three<br/>four'
    assert markup.outside_tags(html, str.upper) == '<a href="x y">ONE TWO</a> THREE<br/>FOUR'
    assert markup.outside_tags("", lambda text: text + "!") == "!"
    seen: list[str] = []
    markup.outside_tags("a<b>c</b>", lambda text: seen.append(text) or text)
    assert seen == ["a", "c", ""]


@pytest.mark.parametrize(
    ("tag", "name", "value"),
    [
        ('<a href="/x" rel="next">', "href", "/x"),
        ("<a href='/x'>", "href", "/x"),
        ("<a href=/x>", "href", "/x"),
        ('<a HREF = "/x">', "href", "/x"),  # any case, spaces around =
        ('<a href="">', "href", ""),
        ('<a data-href="/y" href="/x">', "href", "/y"),  # a word boundary, as the build has always read it
        ('<a href="a&amp;b">', "href", "a&amp;b"),  # references kept
        ("<a>", "href", None),
        ('<script type="module">', "type", "module"),
    ],
)
def test_attribute_reads_a_value_however_it_is_quoted(tag, name, value):
    assert markup.attribute(tag, name) == value


def test_attribute_pattern_finds_the_attribute_to_replace():
    assert markup.attribute_pattern("rel").sub('rel="a b"', "<a REL='a' href=x>", count=1) == '<a rel="a b" href=x>'


def test_soup_parses_with_the_standard_library_parser():
    tree = markup.soup("<p>One <abbr title='t'>IV</abbr></p>")
    assert tree.abbr["title"] == "t" and tree.get_text() == "One IV"
    assert markup.soup("<p><b>x</p>").decode() == "<p><b>x</b></p>"  # html.parser: no implied <html> or <body>


def test_a_definition_after_escaped_markup_is_still_read_as_stated():
    terms = glossary.validate(load_text("terms:\n  - term: X\n    definition: The body's own.\n", "g.yml"))
    assert glossary.unexplained(terms, {"X"}, "<p>Dose &lt;1 mg. The body's own. &gt; 2</p>") == set()


# ---------------------------------------------------------------------------------------------
# markup: inert text


def test_inert_text_keeps_letters_spaces_and_every_non_ascii_character():
    from sitegen import markup

    # A control character becomes one space; ASCII symbols become references; é, the dash and U+0080 stay.
    assert markup.inert("a\tb <x> é—\x80\x7f") == "a b &#60;x&#62; é—\x80 "


# ---------------------------------------------------------------------------------------------
# markup: invisible characters and code spans in a line of source


def test_invisible_names_the_character_and_counts_from_one():
    assert markup.invisible("plain text") is None
    assert markup.invisible("ab\u200bc") == "U+200B at character 3"  # the editor's column, not Python's index
    assert markup.invisible("\ufeffx") == "U+FEFF at character 1"


@pytest.mark.parametrize(
    ("line", "blanked"),
    [
        ("a `b` c `d` e", "a     c     e"),  # every span, and the text between them, kept
        ("``a ` b`` c", "          c"),  # a single backtick inside a double-backtick span is code
        ("`` x `y` z", "`` x     z"),  # an unclosed run is text; a later span still closes
        ("`x` ` y", "    ` y"),  # a run left open after a span stays as it is
        ("` a", "` a"),  # nothing closes it: all text
    ],
)
def test_blank_code_spans_blanks_each_span_a_run_of_the_same_length_closes(line, blanked):
    assert markup.blank_code_spans(line) == blanked


def test_blank_code_spans_fills_with_the_given_character():
    assert markup.blank_code_spans("a `b` c", "\0") == "a \0\0\0 c"
