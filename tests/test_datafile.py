"""Unit tests of sitegen.datafile: every problem in an editor's YAML is named with its file and line."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen import datafile
from sitegen.errors import SiteDataError

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# datafile: every message names the file, the line and the key


def _load_error(text: str, first_line: int = 1) -> str:
    with pytest.raises(SiteDataError) as caught:
        datafile.load_text(text, "d.yml", first_line)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "first_line", "message"),
    [
        # A character YAML refuses is named at its line (YAML gives only its position in the text).
        ("a: 1\nb: \x07", 1, "d.yml, line 2: this line holds an invisible control character (#x0007)"),
        # An error on the first line looks at no line above it, however the file ends.
        ("a: b: c\nx: {}\n", 1, 'd.yml, line 1: the value holds a colon and a space (`a: b: c`), which YAML reads as another key: '
         'put the whole value in quotes, `a: "b: c"`'),
        # An empty {} or [] above the error, spaces after it or not, is named, at the file's own line numbers.
        ("moved: {}  \n  /a/: /b/\n", 1, "d.yml, line 1: ends in '{}' (an empty value), so the indented lines under it cannot belong to it: delete the '{}'"),
        ("moved: []\n  /a/: /b/\n", 2, "d.yml, line 2: ends in '[]' (an empty value), so the indented lines under it cannot belong to it: delete the '[]'"),
        # A value YAML reads as a number but cannot build is "not a value" (only a date is "not a real
        # date"), with YAML's reason; an explicit tag is refused before any value is built.
        ("a: 0x_\n", 1, "d.yml, line 1: a: '0x_' is not a value (invalid literal for int() with base 16: ''); put it in quotes if it is text"),
        ("a: !!int x\n", 1, "d.yml, line 1: uses the YAML tag '!!int'; write the value without it (in quotes if it is text)"),
        # What YAML's escapes in quotes make, though the file may not hold it: a control character or a
        # lone surrogate, which no page can show (the surrogate stopped the build with no file or line).
        ('title: "Privacy \\ud800 here"\n', 2, "d.yml, line 2: title: holds the character U+D800, which is not text"),
        ('a:\n  - "x \\e[31m"\n', 1, "d.yml, line 2: a[0]: holds the character U+001B, which is not text"),
        ('"k\\0": 1\n', 1, "d.yml, line 1: top level: holds the character U+0000, which is not text"),
    ],
)
def test_yaml_errors_name_the_line_and_what_to_do(text, first_line, message):
    assert _load_error(text, first_line).startswith(message)


def test_a_yaml_error_message_is_whole():
    # A missing comma between { and } on one line: no column, no parser's words.
    assert _load_error("a: {b: 1 c: 2}\n") == "d.yml, line 1: the items between '{' and '}' need a comma between each two, as in `{first: 1, second: 2}`"
    # A value YAML cannot build: its reason, whole.
    assert _load_error("a: 0b_\n") == "d.yml, line 1: a: '0b_' is not a value (invalid literal for int() with base 2: ''); put it in quotes if it is text"
    # YAML's own words without its note of the place.
    assert _load_error("a: =\n") == ("d.yml, line 1: a: '=' is not a value (could not determine a constructor for the tag "
                                     "'tag:yaml.org,2002:value'); put it in quotes if it is text")
    assert _load_error("a: \x07") == ("d.yml, line 1: this line holds an invisible control character (#x0007), which a data file cannot hold: "
                                      "delete it (if your editor does not show it, retype the line)")


def test_a_place_not_in_the_file_is_named_at_its_nearest_known_parent():
    doc = datafile.load_text("top: 1\ntables:\n  demo:\n    caption: C\n", "d.yml")
    assert doc.where(("tables", "demo", "missing", "deeper")) == "d.yml, line 3"
    assert doc.where(("tables", "demo", "missing")) == "d.yml, line 3"


def test_a_bad_byte_after_a_first_empty_line_is_on_line_2():
    with pytest.raises(SiteDataError) as caught:
        datafile.decode(b"\n\xff", "d.yml")
    assert str(caught.value) == "d.yml, line 2: is not UTF-8 text (byte 0xff); save the file as UTF-8 in your editor"


# ---------------------------------------------------------------------------------------------
# datafile: every problem in an editor's YAML is named with its file and line


def _load(text: str, first_line: int = 1) -> datafile.DataFile:
    return datafile.load_text(text, "data/x.yml", first_line)


def _refusal(text: str, first_line: int = 1) -> str:
    with pytest.raises(SiteDataError) as error:
        _load(text, first_line)
    return str(error.value)


def test_data_keeps_the_line_of_every_key_and_item():
    data = _load("# a comment\nrows:\n  - name: a\n    cells:\n      k: 1\n  - name: b\nflag: true\nnone:\nwhen: 2026-01-02\n")
    assert data.data == {"rows": [{"name": "a", "cells": {"k": 1}}, {"name": "b"}], "flag": True, "none": None,
                         "when": dt.date(2026, 1, 2)}
    assert data.lines == {(): 2, ("rows",): 2, ("rows", 0): 3, ("rows", 0, "name"): 3, ("rows", 0, "cells"): 4,
                          ("rows", 0, "cells", "k"): 5, ("rows", 1): 6, ("rows", 1, "name"): 6, ("flag",): 7,
                          ("none",): 8, ("when",): 9}
    assert data.where(("rows", 1, "name")) == "data/x.yml, line 6"
    assert data.where(("rows", 0, "cells", "missing", 3)) == "data/x.yml, line 4"  # the nearest line known
    assert datafile.DataFile("data/x.yml", {}, {}).where(("a",)) == "data/x.yml"
    # Front matter starts on the page's second line: every line is counted from there.
    assert datafile.load_text("title: T\nlist:\n  - x\n", "docs/x.md", 2).lines == {(): 2, ("title",): 2, ("list",): 3, ("list", 0): 4}


def test_errors_name_the_nearest_line_and_the_dotted_path():
    data = _load("rows:\n  - cells:\n      ketamine: x\n")
    error = data.error(("rows", 0, "cells", "ketamine"), "must be text")
    assert (error.where, error.problem) == ("data/x.yml, line 3", "rows[0].cells.ketamine: must be text")
    assert str(data.error((), "is wrong")) == "data/x.yml, line 1: is wrong"
    assert datafile.dotted((0, "a", 1, "b")) == "[0].a[1].b"


@pytest.mark.parametrize(
    ("value", "described"),
    [(None, "nothing"), (True, "a yes/no value (true)"), (False, "a yes/no value (false)"), (3, "a number (3)"),
     (2.5, "a number (2.5)"), ({}, "a mapping"), ([], "a list"), ("x", "text ('x')"),
     (dt.date(2026, 1, 2), "a date (2026-01-02)")],
)
def test_a_wrong_value_is_described_in_an_editors_words(value, described):
    assert datafile.describe(value) == described


def test_the_typed_getters_name_the_key_and_what_was_wanted():
    data = _load("a: 1\n")
    assert data.mapping({"name": "x"}, ("t",), required=("name",), optional=("note",)) == {"name": "x"}
    assert data.mapping({"any": 1}, ("t",)) == {"any": 1}  # no field list: any field
    problems = []
    for call in (
        lambda: data.mapping([], ("a",)),
        lambda: data.mapping({"nmae": "x"}, ("a",), required=("name",), optional=("note",)),
        lambda: data.mapping({"note": "x"}, ("a",), required=("name",), optional=("note",)),
        lambda: data.items("x", ("a",), "rows"),
        lambda: data.items([], ("a",), "rows"),
        lambda: data.items([], ("a",), "glossary"),
        lambda: data.text(3, ("a",)),
        lambda: data.text("  \n ", ("a",)),
        lambda: data.text("Take <b>care</b> with it", ("a",)),
        lambda: data.text("See <!-- hidden -->", ("a",)),
    ):
        with pytest.raises(SiteDataError) as error:
            call()
        problems.append(str(error.value))
    assert problems == [
        "data/x.yml, line 1: a: must be a mapping of fields, got a list",
        "data/x.yml, line 1: a.nmae: unknown field 'nmae' (did you mean 'name'? expected one of: name, note)",
        "data/x.yml, line 1: a: missing field 'name'",
        "data/x.yml, line 1: a: must be a list of rows, got text ('x')",
        "data/x.yml, line 1: a: is empty: list at least one row",
        "data/x.yml, line 1: a: is empty: list at least one glossary",
        "data/x.yml, line 1: a: must be text, got a number (3) (put it in quotes if it is meant as text)",
        "data/x.yml, line 1: a: must not be empty",
        "data/x.yml, line 1: a: contains HTML ('<b>care</b> '...): write plain text, it is shown exactly as written",
        "data/x.yml, line 1: a: contains HTML ('<!-- hidden '...): write plain text, it is shown exactly as written",
    ]
    assert data.items(["r"], ("a",), "rows") == ["r"]
    # Text is one line with single spaces; a lone "<" (as in "< 18") is not markup.
    assert data.text("  Under\n  < 18 years,   or > 65 ", ("a",)) == "Under < 18 years, or > 65"


def test_files_are_read_as_utf8_and_a_bad_byte_is_named_by_line():
    assert datafile.decode("\ufeffa: ü\n".encode(), "data/x.yml") == "a: ü\n"  # a byte-order mark is dropped
    with pytest.raises(SiteDataError) as error:
        datafile.decode(b"a: 1\nb: 2\nc: caf\xe9\n", "data/x.yml")
    assert str(error.value) == "data/x.yml, line 3: is not UTF-8 text (byte 0xe9); save the file as UTF-8 in your editor"


def test_a_file_too_large_or_unreadable_is_named(tmp_path):
    big = tmp_path / "big.yml"
    big.write_bytes(b"a" * (3 * 1024 + 1))
    assert datafile.read_text(big, "data/big.yml", max_bytes=3 * 1024 + 1) == "a" * (3 * 1024 + 1)
    with pytest.raises(SiteDataError) as error:
        datafile.read_text(big, "data/big.yml", max_bytes=3 * 1024)
    assert str(error.value) == "data/big.yml: is 3 KiB, over the 3 KiB a file of this kind may have"
    assert datafile.MAX_BYTES == 512 * 1024
    with pytest.raises(SiteDataError) as error:
        datafile.read_text(tmp_path / "missing.yml", "data/missing.yml")
    assert str(error.value) == "data/missing.yml: cannot be read: No such file or directory"
    (tmp_path / "latin.yml").write_bytes(b"a: caf\xe9\n")  # a file saved in another encoding is named, with its line
    with pytest.raises(SiteDataError) as error:
        datafile.read_text(tmp_path / "latin.yml", "data/latin.yml")
    assert error.value.where == "data/latin.yml, line 1"
    (tmp_path / "ok.yml").write_text("a: 1\n", encoding="utf-8")
    loaded = datafile.load(tmp_path / "ok.yml", "data/ok.yml")
    assert (loaded.name, loaded.data) == ("data/ok.yml", {"a": 1})


def test_yaml_mistakes_are_named_by_line_with_a_hint():
    assert _refusal("a: 1\nb: &x 2\nc: *x\n") == "data/x.yml, line 2: uses a YAML anchor or alias (& or *); write each value out in full"
    assert _refusal("a: 1\nc: *x\n", 5).startswith("data/x.yml, line 6: uses a YAML anchor or alias")
    assert _refusal("") == "data/x.yml: is empty"
    assert _refusal("a: 1\na: 2\n") == "data/x.yml, line 2: a: duplicate key 'a' (first given on line 1); keep one of them"
    assert _refusal("? [a]\n: 1\n") == "data/x.yml, line 1: top level: a key must be a plain word"
    assert _refusal("m:\n  ? [a]\n  : 1\n") == "data/x.yml, line 2: m: a key must be a plain word"
    # An explicit tag would make text into another kind of value, or crash PyYAML's constructors.
    assert _refusal("a: 1\nb: !!bool maybe\n") == "data/x.yml, line 2: uses the YAML tag '!!bool'; write the value without it (in quotes if it is text)"
    assert _refusal("when: !!timestamp x\n").startswith("data/x.yml, line 1: uses the YAML tag '!!timestamp';")
    assert _refusal("a: !!binary aGk=\n").startswith("data/x.yml, line 1: uses the YAML tag '!!binary';")
    assert _refusal("- !custom x\n", 2).startswith("data/x.yml, line 2: uses the YAML tag '!custom';")
    assert _refusal("when: 2026-02-30\n") == "data/x.yml, line 1: when: '2026-02-30' is not a real date (day is out of range for month)"
    assert _refusal("a: [1, 2\nb: 3\n") == "data/x.yml, line 1: a '[' opened on this line is never closed: close it with ']' after its last item"
    assert _refusal("moved: {}\n  /old/: /new/\n") == (
        "data/x.yml, line 1: ends in '{}' (an empty value), so the indented lines under it cannot belong to it: delete the '{}'")
    # Counted from the page's second line (front matter).
    assert _refusal("a: [1, 2\nb: 3\n", 2) == "data/x.yml, line 2: a '[' opened on this line is never closed: close it with ']' after its last item"
    assert _refusal("a: 'x\n") == "data/x.yml, line 1: a quote (') opened on this line is never closed: end the value with the same quote mark (')"
    assert _refusal("a: 1\nb: 'x\n", 5) == "data/x.yml, line 6: a quote (') opened on this line is never closed: end the value with the same quote mark (')"


@pytest.mark.parametrize("text, line, says", [
    ("a: 1\n---\nb: &x 2\n", 3, "uses a YAML anchor"),
    ("a: 1\n---\nb: !!str 2\n", 3, "uses the YAML tag '!!str'"),
    ("a: 1\n---\nb: [1, 2\n", 3, "a '[' opened on this line is never closed"),
    ("a: 1\nb: 2\na: 3\n---\nc: &z 1\n", 5, "uses a YAML anchor"),
    ("a: 1\n---\nb: 2\n", 2, "starts a second document"),
])
def test_what_a_second_document_holds_is_named_before_the_second_document(text, line, says):
    """The file is read to its end before a second document is named: its first mistake comes first."""
    with pytest.raises(SiteDataError) as refused:
        datafile.load_text(text, "d.yml")
    assert str(refused.value).startswith(f"d.yml, line {line}: ") and says in str(refused.value), str(refused.value)


def test_an_unknown_field_lists_each_allowed_field_once_and_the_nearest():
    doc = datafile.load_text("waht: x\n", "data/changes.yml")
    with pytest.raises(SiteDataError) as error:
        doc.mapping(doc.data, (), required=("date", "what"), optional=("date", "what", "why"))
    assert str(error.value) == ("data/changes.yml, line 1: waht: unknown field 'waht' (did you mean 'what'? "
                                "expected one of: date, what, why)")
    doc = datafile.load_text("zzz: x\n", "data/changes.yml")
    with pytest.raises(SiteDataError) as error:
        doc.mapping(doc.data, (), optional=("date", "what"))
    assert str(error.value) == "data/changes.yml, line 1: zzz: unknown field 'zzz' (expected one of: date, what)"


def test_a_character_that_is_not_text_is_named_with_where_it_comes_from():
    assert _load_error('a: "x\\ty \\x1f"\n', 1) == (
        "d.yml, line 1: a: holds the character U+001F, which is not text (an escape in quotes, such as \\0, \\e "
        "or \\ud800, makes one); take it out")
