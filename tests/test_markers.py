"""Unit tests of sitegen.markers: the one marker form, found and checked in Markdown, filled in HTML."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from helpers import refusal_message
from sitegen import (
    changes,
    citations,
    clinic,
    clinics,
    contact,
    edition,
    feed,
    fidelity,
    glossary,
    handout,
    markers,
    pageindex,
    public_urls,
    published,
    reviews,
    tables,
)
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
from sitegen.pages import Page
from sitegen.site import NavItem, Settings, Site

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

ARGS = {name: None for name in REGISTRY} | {"table": frozenset({"side-effects", "at-a-glance"}), "contact": frozenset({"error"})}


def find(markdown: str) -> list[Marker]:
    return find_markers(markdown, "docs/x.md", 10, ARGS)


def test_markers_are_found_with_their_lines():
    markdown = "# T\n\n<!-- insert: table side-effects -->\n\nText.\n\n<!-- insert: bibliography -->\n"
    assert find(markdown) == [Marker("table", "side-effects", 12), Marker("bibliography", None, 16)]
    assert str(find(markdown)[0]) == "<!-- insert: table side-effects -->"


def test_markers_in_code_are_examples_and_in_tildes_are_not():
    # No fenced-code extension here: ``` makes a code span, ~~~ is text, and its marker is read.
    assert find("Write:\n\n```md\n<!-- insert: tabel x -->\n```\n") == []
    with pytest.raises(SiteDataError, match="unknown marker 'nonsense'"):
        find("Write:\n\n~~~\n<!-- insert: nonsense -->\n~~~\n")


def test_prose_lines_skip_a_backtick_span_closed_by_its_own_run():
    lines = list(prose_lines("a\n````\n```\nb\n````\nc\n~~~\nd\n~~~\n", 1))
    assert lines == [(1, "a"), (6, "c"), (7, "~~~"), (8, "d"), (9, "~~~")]


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


def test_an_unknown_marker_is_refused_with_every_name_the_registry_knows():
    registry = {name: Spec(name, None, PAGE, lambda context, arg: "", "a box", (".box",)) for name in ("box", "list")}
    assert refusal_message(dispatch, Marker("bocks", None, 4), PAGE, None, "docs/x.md", registry) == (
        "docs/x.md, line 4: unknown marker 'bocks' (known: box, list)")


# --- expand: the markdown pass, over the page's own lines ------------------------------------------------


def test_expand_names_the_pages_own_line_by_default():
    # Without a first line given, the page's Markdown starts at line 1: the editor is sent to line 3.
    assert refusal_message(expand, "Intro.\n\n<!-- insert: addition gone -->\n", markers.MarkdownContext({}), "docs/x.md") == (
        "docs/x.md, line 3: <!-- insert: addition gone --> cannot be filled: nothing is named 'gone'")


def test_expand_goes_on_past_a_mention_that_is_not_a_marker():
    change = type("Addition", (), {"section": "Label", "text": "A fact.", "source": "key2020"})()
    out = expand("See <!-- insert: glossary --> here.\n\n<!-- insert: addition a -->\n", markers.MarkdownContext({"a": change}), "docs/x.md")
    assert out.startswith("See <!-- insert: glossary --> here.\n\n") and "A fact.[@key2020]" in out


def test_a_marker_after_a_line_separator_is_inside_its_paragraph_as_markdown_reads_it():
    # str.splitlines would have put it on a line of its own, and every later marker a line too far down.
    assert refusal_message(find, "# T\n\nText\u2028<!-- insert: bibliography -->\n") == (
        "docs/x.md, line 12: a marker must stand on a line of its own, with blank lines around it")
    assert find("A\u2028b\x0cc\x85d\n\n<!-- insert: bibliography -->\n") == [Marker("bibliography", None, 12)]


def test_expand_fills_the_markers_line_after_a_line_separator():
    registry = {"box": Spec("box", None, MARKDOWN, lambda context, arg: f"Box of {context}.", "a box", (".box",))}
    page = "A\u2028b\x0cc.\r\n\n<!-- insert: box -->\nEnd\u2029.\n"
    assert expand(page, "mine", "docs/x.md", registry=registry) == "A\u2028b\x0cc.\r\n\nBox of mine.\nEnd\u2029.\n"


def test_expand_fills_from_the_registry_it_is_given():
    registry = {"box": Spec("box", None, MARKDOWN, lambda context, arg: f"Box of {context}.", "a box", (".box",))}
    assert expand("<!-- insert: box -->\n", "mine", "docs/x.md", registry=registry) == "Box of mine.\n"


def test_fill_scope_tells_the_editor_how_to_write_a_lost_marker():
    registry = {"box": Spec("box", None, PAGE, lambda context, arg: "<div></div>", "a box", (".box",))}
    assert refusal_message(fill_scope, "<p>a</p>", [Marker("box", None, 3)], PAGE, None, "docs/x.md", [].append, registry) == (
        "docs/x.md, line 3: <!-- insert: box --> is not in the page as built; write it on a line of its own, with blank lines around it")


def test_fill_scope_renders_from_its_context_and_names_its_page():
    registry = {"box": Spec("box", "table", PAGE, lambda context, arg: context[arg], "a box", (".box",))}
    html = "<!-- insert: box a -->\n<!-- insert: box b -->"
    found = [Marker("box", "a", 3), Marker("box", "b", 5)]
    assert fill_scope(html.split("\n")[0], found[:1], PAGE, {"a": "<p>A</p>"}, "docs/x.md", registry=registry) == "<p>A</p>"
    assert refusal_message(fill_scope, html, found, PAGE, {"a": "<p>A</p>"}, "docs/y.md", [].append, registry) == (
        "docs/y.md, line 5: <!-- insert: box b --> cannot be filled: nothing is named 'b'")


# --- Each registered renderer, on a small site of the test's own ------------------------------------------


def small_site(**fields):
    """A site model of five pages (Uses is named "Uses" in the menu), a table, a glossary and a reference."""
    day = dt.date(2026, 3, 4)
    pages = {src: Page(src, title, "About it.", day, day, "", 1) for src, title in (
        ("uses.md", "How ketamine is used"), ("handout.md", "Handout"), ("references.md", "References"),
        ("changes.md", "Changes"), ("glossary.md", "Glossary"))}
    table = tables.Table("effects", "data/t.yml", "Effects", "Effect", "Not listed", {"k": "Ketamine"},
                         [tables.Group(None, [tables.Row("Mood", {"k": ["Calm", "Quoted"]})])])
    term = glossary.Term("Label", "The official text of a drug.", ["label"], 3, source="fda2020", section="Spravato label")
    model = dict(root=Path("."), nav=(NavItem("Uses", "uses.md"),), pages=pages, markers={}, citations={},
                 settings=Settings("Ketamine facts", "https://example.org/", contact_email="ed@example.org",
                                   clinic=clinic.Clinic("Our clinic", "555-0100")),
                 sources={"fda2020": citations.Source("fda2020", 1, "FDA, 2020", "FDA. (2020). <em>Label</em>.")},
                 tables={"effects": table}, glossary=glossary.Glossary("data/glossary.yml", [term]),
                 public_urls=public_urls.PublicUrls(), article=None, record=(), table_additions={"Quoted": "Spravato label"})
    return Site(**(model | fields))


def rendered(name: str, context, arg: str | None = None) -> str:
    return dispatch(Marker(name, arg, 1), REGISTRY[name].scope, context, "docs/x.md")


@pytest.mark.parametrize("name", ["table", "lists"])
def test_a_table_shows_its_rows_and_where_the_site_added_an_item(name):
    out = rendered(name, markers.PageContext(small_site(), "uses.md", "uses/"), "effects")
    assert "Calm" in out and "Quoted <span class=\"data-table__added\">(added by this site, from the Spravato label)</span>" in out


def test_the_glossary_links_a_references_words_to_its_entry_from_the_page():
    out = rendered("glossary", markers.PageContext(small_site(), "glossary.md", "glossary/"))
    assert ">Label</dt>" in out
    assert '<a href="../references/#ref-fda2020">Spravato label</a>' in out


def test_the_record_of_changes_links_each_page_by_its_menu_name_under_its_moved_address():


    older = changes.Change(dt.date(2026, 1, 5), ("/old-uses/",), "Older wording.", add=("fda2020",))
    newer = changes.Change(dt.date(2026, 2, 5), ("/uses/",), "Newer wording.")
    fingerprint = "abcdef0123456789"
    site = small_site(record=(newer, older), public_urls=public_urls.PublicUrls(moved={"/old-uses/": "/uses/"}),
                      history={"/uses/": {published.entry_id(older): fingerprint}})
    out = rendered("changes", markers.PageContext(site, "changes.md", "changes/"))
    assert out.count('<a href="../uses/">Uses</a>') == 2  # the older entry named the page by its old address
    assert "A source was added: FDA. (2020). <em>Label</em>." in out
    assert f"Edition: Uses {edition.slot('/uses/')}" in out  # the newer entry made the current edition
    assert f"Edition: Uses {edition.of(older.date, fingerprint)}" in out  # the older one's, from the history


def test_the_record_of_changes_names_the_definitions_it_added():


    site = small_site(record=(changes.Change(dt.date(2026, 1, 5), ("/uses/",), "Defined a word.", definitions=("Label",)),))
    out = rendered("changes", markers.PageContext(site, "changes.md", "changes/"))
    assert "Added to the Glossary by this site, from the Spravato label: Label, <q>The official text of a drug.</q>" in out


def test_the_offers_link_the_sites_files_from_the_page_and_show_their_full_address():
    context = markers.PageContext(small_site(), "for-clinics.md", "for-clinics/")
    assert rendered("feed-link", context) == feed.render_offer("../changes/feed.xml", "https://example.org/changes/feed.xml")
    assert rendered("page-index", context) == pageindex.render_offer("../pages.json", "https://example.org/pages.json", "../pages.schema.json")


def test_the_handouts_edition_and_print_actions():
    context = markers.PageContext(small_site(), "handout.md", "handout/")
    assert rendered("handout-edition", context) == edition.render_current("/handout/", "handout")
    assert "The handout’s current edition is" in rendered("handout-edition", context)
    assert rendered("print-actions", context) == handout.actions_html("../pdf/handout.pdf", "../pdf/handout-a4.pdf")


def test_the_handouts_online_version_names_its_address_date_sources_clinic_and_edition():
    out = rendered("online-version", markers.PageContext(small_site(), "handout.md", "handout/"))
    assert out == handout.online_version_html("https://example.org/handout/", "March 4, 2026", "https://example.org/references/",
                                              clinic.contact_line(clinic.Clinic("Our clinic", "555-0100")), edition.slot("/handout/"))
    assert "Our clinic" in out


def test_the_citation_review_counts_the_sites_reviews():
    review = reviews.Review("docs/uses.md", "It helps.", "fda2020", "supports", "", "", "", None, "")
    assert "Of 1 source numbers:" in rendered("citation-review", markers.PageContext(small_site(reviews=(review,)), "about.md", "about/"))


@pytest.mark.parametrize("topic", ["error", "accessibility"])
def test_contact_gives_the_topics_words_and_the_sites_address(topic):
    out = rendered("contact", markers.PageContext(small_site(), "about.md", "about/"), topic)
    assert out == contact.render_contact(topic, "ed@example.org") and "mailto:ed@example.org" in out


def site_context(site, content: str = "", url: str = "for-clinics/", **whole) -> markers.SiteContext:
    handout = clinics.LinkedPage("Handout", "https://example.org/handout/", "To print.", pdfs={"Letter": "../pdf/handout.pdf"})
    uses = clinics.LinkedPage("Uses", "https://example.org/uses/", "How it is used.", [("dose", "Dose")], {"Letter": "../pdf/uses.pdf"})
    defaults = dict(places={}, linked=[uses], handout=handout, printable=[handout, uses])
    return markers.SiteContext(site, "x.md", url, content, markers.SiteWide(**(defaults | whole)))


def test_the_bibliography_links_back_to_each_citing_place_and_to_the_record_for_a_retired_source():
    sources = {"fda2020": citations.Source("fda2020", 1, "FDA, 2020", "FDA. (2020). <em>Label</em>."),
               "old1999": citations.Source("old1999", 2, "Old, 1999", "Old. (1999). Gone.")}
    context = site_context(small_site(sources=sources, retired=frozenset({"old1999"})), url="references/",
                           places={"fda2020": [citations.Backlink("uses/", "Uses", "cite-fda2020-1", 1, 1)]})
    out = rendered("bibliography", context)
    assert 'href="../uses/#cite-fda2020-1"' in out and "FDA. (2020). <em>Label</em>." in out
    assert '<li id="ref-old1999" class="retired">' in out and '<a href="../changes/">record of changes</a>' in out


def test_the_clinics_lists_show_the_sites_pages_and_pdfs():
    context = site_context(small_site())
    uses, handout = context.whole.linked[0], context.whole.handout
    assert rendered("link-table", context) == clinics.render_link_table([uses])
    assert rendered("link-cards", context) == clinics.render_cards([uses], "Ketamine facts") and "(Ketamine facts)" in rendered("link-cards", context)
    assert rendered("handout-link", context) == clinics.render_handout(handout) and "../pdf/handout.pdf" in rendered("handout-link", context)
    assert rendered("pdf-list", context) == clinics.render_pdf_list([handout, uses])
    assert rendered("clinic-tasks", context) == clinics.render_tasks(handout) and "../pdf/handout.pdf" in rendered("clinic-tasks", context)


def test_words_to_know_defines_only_the_terms_the_page_uses_and_leaves_undefined():
    terms = [glossary.Term("Label", "The official text.", ["label"], 3), glossary.Term("Dose", "How much is taken.", ["dose"], 5),
             glossary.Term("Nasal", "Of the nose.", ["nasal"], 7)]
    content = "<p>Read the label. A dose is how much is taken.</p>"
    out = rendered("words-to-know", site_context(small_site(glossary=glossary.Glossary("g.yml", terms)), content, "handout/"))
    assert out == '<dl class="words-to-know">\n<dt>Label</dt>\n<dd>The official text.</dd>\n</dl>'
