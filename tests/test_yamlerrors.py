"""Unit tests of sitegen.yamlerrors: the less common YAML mistakes, each named at the line to change.

tests/test_yaml_messages.py makes the common mistakes on fixtures shaped like the site's data, through
datafile; these call `explain` on small texts of their own, for the cases between: blank lines and
comments among the lines it reads, odd indentations, the characters YAML keeps for itself, lines cut
to fit a message.
"""

from __future__ import annotations

import pytest
import yaml

from sitegen import yamlerrors

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

UNEVEN = "is uneven, so the lines after it cannot line up with it: indent it exactly as far as the lines it goes with (spaces, two per level)"
NOT_LINED_UP = "indent it exactly as far as the lines it goes with (spaces, two per level)"
ONE_ITEM = "but does not start with '- ' itself: if line {0} should not be a list item, delete its '- '; if this line starts a new item, write '- ' before it"
KEEPS = "which YAML keeps for itself"


def explained(text: str) -> tuple[int | None, str]:
    """What `explain` says of the error YAML raises on `text` (lines counted from 1)."""
    with pytest.raises(yaml.YAMLError) as caught:
        yaml.compose(text, Loader=yaml.SafeLoader)
    return yamlerrors.explain(caught.value, text)


# (mistake, text, the line to change, the message)
MISTAKES = [
    # Blank lines and comments are not lines a mistake is measured against, above or below.
    ("an empty {} above a blank line", "moved: {}\n\n  /a/: /b/\n", 1,
     "ends in '{}' (an empty value), so the indented lines under it cannot belong to it: delete the '{}'"),
    ("an empty {} above a blank line and a comment", "moved: {}\n\n# old addresses\n  /a/: /b/\n", 1,
     "ends in '{}' (an empty value), so the indented lines under it cannot belong to it: delete the '{}'"),
    ("a key with lines under it, then a line lined up with it", "what: x\ncells\n  a: 1\nb: 2\n", 2,
     "a key on this line has no colon after it (`cells`): write `name: value`, here `cells:`"),
    ("a key with lines under it after a blank line", "what: x\ncells\n\n  a: 1\n", 2,
     "a key on this line has no colon after it (`cells`): write `name: value`, here `cells:`"),
    ("a key with lines under it after a comment", "what: x\ncells\n# note\n  a: 1\n", 2,
     "a key on this line has no colon after it (`cells`): write `name: value`, here `cells:`"),
    # A key without its colon on the file's first line, however it is written.
    ("the first line without its colon", "Title Side effects\ndescription: x\n", 1,
     "a key on this line has no colon after it (`Title Side effects`): write `name: value`, here `Title: Side effects`"),
    ("a wrapped line under any text", "what: Xylazine was added\nto the list\n", 2,
     "a key on this line has no colon after it (`to the list`): write `name: value`; "
     "or, if the line continues the text of line 1, indent it further than `what:`"),
    # A line that starts with a colon has its colon: its key is what is missing, wherever YAML stops.
    ("a line that starts with a colon", "title: Side effects\n: What to expect.\n", 2,
     "this line starts with a colon, with no key before it (`: What to expect.`): write the key before the colon, as in `name: value`"),
    ("a first line that starts with a colon", ": What to expect.\n", 1,
     "this line starts with a colon, with no key before it (`: What to expect.`): write the key before the colon, as in `name: value`"),
    ("a list item that starts with a colon", "pages:\n  - /a/\n  - : b\n", 3,
     "this line starts with a colon, with no key before it (`- : b`): write the key before the colon, as in `name: value`"),
    # A comment after a colon is no value: the line under it is not its text going on.
    ("a key whose only value is a comment", "what: # to write\nto the list\n", 2,
     "a key on this line has no colon after it (`to the list`): write `name: value`, here `to: the list`"),
    ("a line YAML stops at after a value and its comment", "title: Side effects # draft\n|\n", 2,
     "a key on this line has no colon after it (`|`): write `name: value`"),
    # Nor is an anchor or a tag text: the lines under it are keys, not more of a value.
    ("a line under a key whose value is only an anchor", "what: &first\n  to the list\n  more: x\n", 2,
     "a key on this line has no colon after it (`to the list`): write `name: value`, here `to: the list`"),
    ("a line under a key whose value is only a tag", "cells: !table\n  ketamine\n  esketamine: Nausea\n", 2,
     "a key on this line has no colon after it (`ketamine`): write `name: value`, here `ketamine:`"),
    # A value's quotes never take in the comment after it.
    ("a reserved character before a comment", "key: @value # a note\n", 1,
     f"the value begins with '@', {KEEPS} (`key: @value # a note`): put the whole value in quotes, as in `key: \"@value\"`"),
    # Indentation: one space, the place after a list item's dash, the line to fix among odd ones.
    ("one space of indentation", "x:\n  a: {}\n b: 1\n", 3,
     f"the indentation of this line (1 space) does not line up with the lines above it (2 or 0): {NOT_LINED_UP}"),
    ("a line lined up with neither a list item nor its text", "changes:\n  - date: 2026-12-01\n   pages: [/a/]\n", 3,
     f"the indentation of this line (3 spaces) does not line up with the lines above it (4 or 2 or 0): {NOT_LINED_UP}"),
    ("lines above indented by one space", "a:\n b:\n   c: 1\n  d: 2\n", 4,
     f"the indentation of this line (2 spaces) does not line up with the lines above it (3 or 1 or 0): {NOT_LINED_UP}"),
    ("an odd indentation above a line of two spaces", "a:\n   b: 1\n  c: 2\n", 2, f"the indentation of this line (3 spaces) {UNEVEN}"),
    # Of two lines indented one space too far, the nearer is named.
    ("two lines indented one space too far", "rows:\n  - label: Nausea\n    cells:\n       ketamine: Nausea\n       esketamine: Nausea\n      other: x\n",
     5, f"the indentation of this line (7 spaces) {UNEVEN}"),
    # A list of one item: only its own list counts, and a comment lined up with it is no item.
    ("a key after a list of one, below another list", "a:\n  - x\nb:\n  - y\n  z: 1\n", 5,
     f"`z: 1` is lined up with the list item on line 4 (which starts with '- ') {ONE_ITEM.format(4)}"),
    ("a key after a list of one and a comment", "changes:\n  - date: x\n  # note\n  why: y\n", 4,
     f"`why: y` is lined up with the list item on line 2 (which starts with '- ') {ONE_ITEM.format(2)}"),
    # Quotes and brackets.
    ("a colon inside a value with quotes and a backslash", 'what: Note: a "b" c\\d\n', 1,
     'the value holds a colon and a space (`what: Note: a "b" c\\d`), which YAML reads as another key: '
     'put the whole value in quotes, `what: "Note: a \\"b\\" c\\\\d"`'),
    ("a quoted value with text after it, alone in the file", '"Side effects" and more\n', 1,
     'text follows the closing quote (`"Side effects" and more`): a value that starts with a quote mark must end with it. '
     "Put the whole value in double quotes; in single quotes, write an apostrophe twice ('don''t')"),
    ("a missing comma between [ ]", "forms: [a: b c: d]\n", 1,
     "the items between '[' and ']' need a comma between each two, as in `[first, second]`"),
    ("a list closed twice", "forms: [a, b]\n]\n", 2, "this line starts with ']', which closes no list or mapping (`]`): delete it"),
    ("a closing brace among list items", "forms:\n  - a\n  }\n", 3, "this line starts with '}', which closes no list or mapping (`}`): delete it"),
    ("a closing bracket where an item should be", "forms: [spray, }]\n", 1,
     f"the value begins with '}}', {KEEPS} (`forms: [spray, }}]`): put the whole value in quotes, as in `forms: \"[spray, }}]\"`"),
    # The characters YAML keeps for itself.
    ("a value that starts with ?", "what: ? x\n", 1, f"the value begins with '?', {KEEPS} (`what: ? x`): put the whole value in quotes, as in `what: \"? x\"`"),
    ("a value that starts with &", "what: & x\n", 1, f"the value begins with '&', {KEEPS} (`what: & x`): put the whole value in quotes, as in `what: \"& x\"`"),
    ("a value that starts with |", "what: |x\n", 1,
     f"the value begins with '|' or '>', {KEEPS} (`what: |x`): put the whole value in quotes, as in `what: \"|x\"`"),
    ("a line that starts with %", "%YAML x\n", 1, f"the value begins with '%', {KEEPS} (`%YAML x`): put the whole value in quotes"),
    ("a list item that starts with @", "- @home\n", 1, f"the value begins with '@', {KEEPS} (`- @home`): put the whole value in quotes"),
    # No common cause: YAML's words, and where to look.
    ("a stray comma before a key", "title: Side effects\n, description: x\n", 2,
     "YAML cannot read this line (expected <block end>, but found ',', at column 1): check this line and the one above it "
     "for a missing colon, uneven indentation, or an unclosed quote or bracket"),
    ("a tag, then an alias", "description: !What *to expect.\n", 1,
     "YAML cannot read this line (expected <block end>, but found '<alias>', at column 20): check this line and the one above it "
     "for a missing colon, uneven indentation, or an unclosed quote or bracket"),
    ("a control character after an empty first line", "\nwhat: \x07\n", 2,
     "this line holds an invisible control character (#x0007), which a data file cannot hold: delete it "
     "(if your editor does not show it, retype the line)"),
]


@pytest.mark.parametrize(("text", "line", "message"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_each_mistake_is_named_at_its_line_with_what_to_do(text, line, message):
    assert explained(text) == (line, message)


def test_a_line_is_shown_whole_up_to_fifty_characters_and_cut_after():
    # The value holds ": ", so the message shows the line: whole at 50 characters, its first 47 and "..." at 51.
    for length, shown in ((50, "what: " + "x" * 39 + " a: b"), (51, "what: " + "x" * 40 + " ...")):
        text = "what: " + "x" * (length - 11) + " a: b"
        assert len(text) == length
        assert explained(text + "\n")[1].startswith(f"the value holds a colon and a space (`{shown}`), ")


def test_a_colon_after_a_list_wrapped_onto_a_second_line_is_named_on_that_line():
    # The list's last item is read last: the line to change is the one with the colon, not the key's above.
    assert explained("forms: [spray,\n  tablet]: x\n") == (2, (
        "this line has a colon after a closing ']' (`tablet]: x`), which YAML cannot place: delete what comes after the ']', "
        "or, if it belongs to the value, put the whole value in quotes"))
    # Quoting only the text after the bracket would fix nothing; after a mapping's '}' alike, spaces or not.
    assert explained("forms: [spray, tablet]  : x\n")[1].startswith("this line has a colon after a closing ']'")
    assert explained("links: {a: 1,\n  b: 2}: x\n")[1].startswith("this line has a colon after a closing '}' (`b: 2}: x`)")


def test_a_line_that_starts_with_a_percent_sign_is_named_not_the_end_of_the_file():
    # At the start of a line '%' begins a directive, which ends the text: YAML then stops after the last line.
    assert explained("a: 1\n%FOO a: b\n") == (2, (
        "this line starts with '%', which YAML keeps for itself at the start of a line (`%FOO a: b`): "
        "put the text that starts with it in quotes, as in `\"%FOO a\": b`, or delete the line"))
    assert explained("a: 1\n%FOO\n\n# the end\n") == (2, (
        "this line starts with '%', which YAML keeps for itself at the start of a line (`%FOO`): "
        "put the text that starts with it in quotes, or delete the line"))
