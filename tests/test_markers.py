"""Unit tests of sitegen.markers: the one marker form, found and checked in Markdown, filled in HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import refusal_message
from sitegen import fidelity, markers
from sitegen.errors import SiteDataError
from sitegen.markers import (
    MARKDOWN,
    PAGE,
    REGISTRY,
    SCOPES,
    SITE,
    Marker,
    Spec,
    dispatch,
    expand,
    fill,
    fill_scope,
    find_markers,
    prose_lines,
    remaining,
)

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

ARGS = {name: None for name in REGISTRY} | {"table": frozenset({"side-effects", "at-a-glance"}), "contact": frozenset({"error"})}


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

    def render(marker):
        seen.append((marker.name, marker.arg))
        return "<table></table>" if marker.name == "table" else None

    # The markers the site model found on the page, each standing in the HTML as it is spelled.
    out = fill(html, [Marker("table", "side-effects", 3), Marker("bibliography", None, 5), Marker("glossary", None, 7)], render)
    assert seen == [("table", "side-effects"), ("bibliography", None)]
    assert out == "<p>a</p>\n<table></table>\n<!-- insert: bibliography -->\n<pre><code>&lt;!-- insert: glossary --&gt;</code></pre>"
    assert remaining(out) == ["<!-- insert: bibliography -->"]


# --- The registry and its one dispatcher ------------------------------------------------------


ROOT = Path(__file__).resolve().parent.parent


def test_every_marker_is_declared_whole():
    for name, spec in REGISTRY.items():
        assert spec.name == name and callable(spec.render) and spec.scope in SCOPES, name
        assert spec.argument in (None, markers.TABLE, markers.TOPIC, markers.ADDITION), name
        assert spec.help and spec.furniture, name
    # A marker cannot be declared without its renderer (the old fall-through rendered the handout link).
    with pytest.raises(TypeError):
        Spec("new-list", None, SITE, help="a new list", furniture=(".new-list",))


def test_what_markers_insert_is_furniture_to_the_article_check():
    selectors = {s.strip() for s in fidelity.FURNITURE.split(",")}
    assert {s for spec in REGISTRY.values() for s in spec.furniture} <= selectors
    assert markers.furniture().count(".data-table__legend") == 1  # table and lists share it; listed once


def test_arguments_come_from_the_sites_data_by_what_they_name():
    allowed = markers.arguments({markers.TABLE: {"side-effects": 1}, markers.TOPIC: ("error",), markers.ADDITION: {}})
    assert set(allowed) == set(REGISTRY)
    assert allowed["table"] == allowed["lists"] == frozenset({"side-effects"})
    assert allowed["contact"] == frozenset({"error"}) and allowed["addition"] == frozenset() and allowed["glossary"] is None


def test_the_dispatcher_fills_a_marker_in_its_own_pass_and_leaves_later_ones():
    box = Spec("box", None, PAGE, lambda context, arg: f"<div>{context}</div>", "a box", (".box",))
    registry = {"box": box}
    assert dispatch(Marker("box", None, 3), PAGE, "x", "docs/x.md", registry) == "<div>x</div>"
    assert dispatch(Marker("box", None, 3), MARKDOWN, "x", "docs/x.md", registry) is None


@pytest.mark.parametrize(
    "spec, marker, scope, message",
    [
        (None, Marker("nonsense", None, 4), SITE, "docs/x.md, line 4: unknown marker 'nonsense' (known: box)"),
        # A marker whose renderer gives nothing (a forgotten branch, once) is refused, never filled with something else.
        (Spec("box", None, SITE, lambda context, arg: None, "a box", (".box",)), Marker("box", None, 4), SITE,
         "docs/x.md, line 4: <!-- insert: box --> cannot be filled: its renderer gave None"),
        (Spec("box", "table", PAGE, lambda context, arg: {}[arg], "a box", (".box",)), Marker("box", "nope", 4), PAGE,
         "docs/x.md, line 4: <!-- insert: box nope --> cannot be filled: nothing is named 'nope'"),
        # A page-scope marker still there once every page is rendered was missed in its own pass.
        (Spec("box", None, PAGE, lambda context, arg: "<div></div>", "a box", (".box",)), Marker("box", None, 4), SITE,
         "docs/x.md, line 4: <!-- insert: box --> is filled in the page pass, yet was still there in the site pass"),
    ],
    ids=["unknown", "forgotten", "unfillable", "missed"],
)
def test_the_dispatcher_raises_for_what_it_cannot_fill(spec, marker, scope, message):
    registry = {"box": spec or Spec("box", None, PAGE, lambda context, arg: "", "a box", (".box",))}
    with pytest.raises(SiteDataError) as caught:
        dispatch(marker, scope, None, "docs/x.md", registry)
    assert str(caught.value) == message


def test_a_registered_renderer_given_an_argument_the_site_lacks_is_refused():
    context = markers.PageContext(type("Site", (), {"tables": {}, "table_additions": {}})(), "x.md", "x/")
    with pytest.raises(SiteDataError, match=r"^docs/x.md, line 2: <!-- insert: table gone --> cannot be filled: nothing is named 'gone'$"):
        dispatch(Marker("table", "gone", 2), PAGE, context, "docs/x.md")


def test_expand_fills_the_markdown_pass_and_spells_every_other_marker_one_way():
    change = type("Addition", (), {"section": "Label", "text": "A fact.", "source": "key2020"})()
    page = "Intro.\n\n  <!--insert:  table   side-effects-->  \n\n<!-- insert: addition a -->\r\n\n```\n<!--insert:glossary-->\n```\n"
    out = expand(page, markers.MarkdownContext({"a": change}), "docs/x.md", 5)
    lines = out.splitlines()
    assert lines[2] == "  <!-- insert: table side-effects -->  "
    assert lines[4].startswith('<div class="site-addition"') and "A fact.[@key2020]" in lines[4] and "\r\n" in out
    assert lines[7] == "<!--insert:glossary-->"  # an example in code stays as written
    assert out.count("\n") == page.count("\n")


def test_fill_scope_fills_its_markers_and_refuses_one_the_html_lost():
    registry = {"box": Spec("box", None, PAGE, lambda context, arg: '<div id="b"></div>', "a box", (".box",))}
    seen = []
    found = [Marker("box", None, 3)]
    html = fill_scope("<p>a</p>\n<!-- insert: box -->", found, PAGE, None, "docs/x.md", seen.append, registry)
    assert html == '<p>a</p>\n<div id="b"></div>' and seen == ['<div id="b"></div>']
    with pytest.raises(SiteDataError) as caught:
        fill_scope("<p>a</p>", found, PAGE, None, "docs/x.md", registry=registry)
    assert str(caught.value).startswith("docs/x.md, line 3: <!-- insert: box --> is not in the page as built")
    # Another pass's markers are not this pass's business.
    assert fill_scope("<p>a</p>", found, SITE, None, "docs/x.md", registry=registry) == "<p>a</p>"


def test_the_markers_the_documentation_shows_are_the_registrys():
    for name in ("README.md", "CONTRIBUTING.md"):
        shown = {m.group(1) for m in re.finditer(r"<!-- insert: ([a-z][a-z0-9-]*)", (ROOT / name).read_text(encoding="utf-8"))}
        assert shown <= set(REGISTRY), f"{name} shows markers the registry does not have: {shown - set(REGISTRY)}"


# ---------------------------------------------------------------------------------------------
# Survivors of the complete mutation run that changed behaviour (added after it)


def test_a_marker_is_written_back_as_an_editor_writes_it():
    assert str(Marker("bibliography", None, 3)) == "<!-- insert: bibliography -->"
    assert str(Marker("table", "side-effects", 3)) == "<!-- insert: table side-effects -->"


# ---------------------------------------------------------------------------------------------
# Survivors in markers (issue 21): each test states what an editor or a clinic would see go wrong


def test_a_malformed_marker_is_refused_with_every_marker_name_listed():
    # The editor who left out the colon is shown the form and the names to choose from.
    assert refusal_message(markers.find_markers, "Text.\n\n<!-- insert table -->\n", "docs/x.md", 4, {}) == (
        "docs/x.md, line 6: '<!-- insert table -->' is not a marker; write it as <!-- insert: NAME --> on a line of its own "
        f"(names: {', '.join(markers.REGISTRY)})")
