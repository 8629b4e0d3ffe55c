"""Unit tests of sitegen.markers: the one marker form, found and checked in Markdown, filled in HTML."""

from __future__ import annotations

import pytest

from sitegen.errors import SiteDataError
from sitegen.markers import KINDS, Marker, fill, find_markers, prose_lines, remaining

ARGS = {name: None for name in KINDS} | {"table": frozenset({"side-effects", "at-a-glance"}), "contact": frozenset({"error"})}


def find(markdown: str) -> list[Marker]:
    return find_markers(markdown, "docs/x.md", 10, ARGS)


def test_markers_are_found_with_their_lines():
    markdown = "# T\n\n<!-- insert: table side-effects -->\n\nText.\n\n<!-- insert: bibliography -->\n"
    assert find(markdown) == [Marker("table", "side-effects", 12), Marker("bibliography", None, 16)]
    assert str(find(markdown)[0]) == "<!-- insert: table side-effects -->"


def test_markers_in_fenced_code_are_examples():
    assert find("Write:\n\n```md\n<!-- insert: tabel x -->\n```\n\n~~~\n<!-- insert: nonsense -->\n~~~\n") == []


def test_prose_lines_skip_fences_of_either_kind_and_length():
    lines = list(prose_lines("a\n````\n```\nb\n````\nc\n~~~\nd\n~~~\n", 1))
    assert lines == [(1, "a"), (6, "c")]


@pytest.mark.parametrize(
    "line, message",
    [
        ("<!-- insert: tabel side-effects -->", "docs/x.md, line 11: unknown marker 'tabel' (known: table, "),
        ("<!-- insert: table side-efects -->", "docs/x.md, line 11: <!-- insert: table NAME --> needs one of: at-a-glance, side-effects; got 'side-efects'"),
        ("<!-- insert: table -->", "docs/x.md, line 11: <!-- insert: table NAME --> needs one of: at-a-glance, side-effects; got none"),
        ("<!-- insert: bibliography all -->", "docs/x.md, line 11: <!-- insert: bibliography --> takes no argument, got 'all'"),
        ("<!-- insert: contact sales -->", "docs/x.md, line 11: <!-- insert: contact NAME --> needs one of: error; got 'sales'"),
        ("Text <!-- insert: bibliography --> more", "docs/x.md, line 11: a marker must stand on a line of its own"),
        ("<!-- insert table side-effects -->", "docs/x.md, line 11: '<!-- insert table side-effects -->' is not a marker; write it as <!-- insert: NAME -->"),
        ("<!--insert: Table X-->", "docs/x.md, line 11: '<!--insert: Table X-->' is not a marker"),
    ],
)
def test_bad_markers_name_the_page_and_line(line, message):
    with pytest.raises(SiteDataError) as caught:
        find(f"Intro.\n{line}\n")
    assert str(caught.value).startswith(message), str(caught.value)


def test_fill_replaces_what_it_can_and_leaves_the_rest():
    html = "<p>a</p>\n<!-- insert: table side-effects -->\n<!-- insert: bibliography -->\n<pre><code>&lt;!-- insert: glossary --&gt;</code></pre>"
    seen = []

    def render(name, arg):
        seen.append((name, arg))
        return "<table></table>" if name == "table" else None

    out = fill(html, render)
    assert seen == [("table", "side-effects"), ("bibliography", None)]
    assert out == "<p>a</p>\n<table></table>\n<!-- insert: bibliography -->\n<pre><code>&lt;!-- insert: glossary --&gt;</code></pre>"
    assert remaining(out) == ["<!-- insert: bibliography -->"]
