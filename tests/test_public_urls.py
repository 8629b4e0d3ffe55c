"""Unit tests of sitegen.public_urls: the recorded addresses, moves and redirect pages."""

from __future__ import annotations

import pytest

from helpers import refusal_message
from sitegen import public_urls, servers
from sitegen.errors import SiteDataError

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# public_urls: the recorded addresses, moves and redirect pages


@pytest.mark.parametrize(
    ("url", "address"),
    [("a/index.html", "/a/"), ("a/b.html", "/a/b/"), ("a/b/", "/a/b/"), ("index.html", "/"), ("indexes.html", "/indexes/")],
)
def test_file_and_folder_urls_map_to_the_public_address(url, address):
    assert public_urls.page_path(url) == address


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pages: {}\nmoved:\n  /old/: 1", "data/public-urls.yml, line 3: moved./old/: an address must be text like /side-effects/ or /side-effects/#id, got a number (1)"),
        ("pages:\n  /uses: []", "data/public-urls.yml, line 2: pages./uses: '/uses' is not a page address like /side-effects/ (start and end with /, lower case)"),
        ("pages:\n  /uses/: abc", "data/public-urls.yml, line 2: pages./uses/: must be a list of section ids, got text ('abc')"),
        ("pages:\n  /uses/: [1]", "data/public-urls.yml, line 2: pages./uses/[0]: 1 is not a section id (letters, digits, - and _)"),
        ("pages:\n  /uses/: [-a]", "data/public-urls.yml, line 2: pages./uses/[0]: '-a' is not a section id (letters, digits, - and _)"),
        ("pages:\n  /uses/: [a, b, a]", "data/public-urls.yml, line 2: pages./uses/[2]: lists a more than once"),
        ("pages: {}\nmoved:\n  /old/#1x: /new/#y", "data/public-urls.yml, line 3: moved./old/#1x: '/old/#1x' has no valid section id after #"),
        ("pages: {}\nmoved:\n  /old/: /new/#", "data/public-urls.yml, line 3: moved./old/: '/new/#' has no valid section id after #"),
        ("pages: {}\nmoved:\n  /old/#a: /new/", "data/public-urls.yml, line 3: moved./old/#a: map a page to a page and a section (#id) to a section"),
        ("pages: {}\nmoved: 1", "data/public-urls.yml, line 2: moved: must be a mapping of old address -> new address, one per line (`/old/: /new/`)"),
        ("moved: {}", "data/public-urls.yml, line 1: missing field 'pages'"),
    ],
)
def test_a_bad_address_record_is_refused_with_the_exact_reason(text, message):
    with pytest.raises(SiteDataError) as refused:
        public_urls.parse_public_urls(text)
    assert str(refused.value) == message


DOT = ("has a dot, as the build's own files do (sitemap.xml, pages.json, robots.txt, 404.html, changes/feed.xml) and a page's "
       "address does not; a redirect page there would collide with them: write the address the page had, like /old-name/")


def _in_folder(folder: str) -> str:
    return (f"starts with /{folder}/, a folder the build fills itself (/assets/, /pdf/, /search/), where a redirect page could collide "
            "with its files; write the address the page had, like /old-name/")


@pytest.mark.parametrize(("old", "problem"), [
    ("/sitemap.xml/", DOT),
    ("/changes/feed.xml/", DOT),
    ("/pages.json/", DOT),
    ("/404.html/", DOT),
    ("/robots.txt/", DOT),
    ("/old/v1.2/#a", DOT),  # a section's old page is read by the same rule
    ("/assets/", _in_folder("assets")),
    ("/assets/javascripts/redirect/", _in_folder("assets")),
    ("/search/", _in_folder("search")),
    ("/pdf/x/", _in_folder("pdf")),
], ids=["sitemap", "feed", "page-index", "not-found", "robots", "dotted-section", "assets", "under-assets", "search", "pdf"])
def test_a_moved_address_where_the_build_writes_its_own_files_is_refused_at_its_line(old, problem):
    # Before, a redirect page there stopped the build with an OSError about a temporary folder's permissions.
    new = "/uses/#b" if "#" in old else "/uses/"
    with pytest.raises(SiteDataError) as refused:
        public_urls.parse_public_urls(f"pages:\n  /uses/: [b]\nmoved:\n  /old/: /uses/\n  {old}: {new}\n")
    assert str(refused.value) == f"data/public-urls.yml, line 5: moved.{old}: {old!r} {problem}"


def test_a_moved_address_that_only_starts_like_a_built_folder_is_an_address():
    recorded = public_urls.parse_public_urls("pages: {}\nmoved:\n  /assets-guide/: /uses/\n  /pdfs/: /uses/\n  /research/search/: /uses/\n")
    assert recorded.moved == {"/assets-guide/": "/uses/", "/pdfs/": "/uses/", "/research/search/": "/uses/"}


def test_an_address_record_may_leave_ids_and_moves_empty():
    recorded = public_urls.parse_public_urls("pages:\n  /:\n  /a-b/c.d_e/: [x_1, Y-2]\nmoved:\n")
    assert recorded == public_urls.PublicUrls({"/": [], "/a-b/c.d_e/": ["x_1", "Y-2"]}, {})
    recorded = public_urls.parse_public_urls("pages: {}\nmoved:\n  /old/: /new/\n  /new/#a: /newer/#b\n", where="x.yml")
    assert recorded.moved == {"/old/": "/new/", "/new/#a": "/newer/#b"}


@pytest.mark.parametrize(
    ("moved", "built", "message"),
    [
        ("/old/: /new/", {"/": set()}, "data/public-urls.yml: moved['/old/']: points to /new/, but /new/ is not a page of the site; point it at the current address"),
        ("/old/#a: /new/#b", {"/": set()}, "data/public-urls.yml: moved['/old/#a']: points to /new/#b, but /new/ is not a page of the site; point it at the current address"),
        ("/old/#a: /#b", {"/": {"a"}}, "data/public-urls.yml: moved['/old/#a']: points to /#b, but / has no heading with id 'b'"),
        ("/old/: /", {"/": set(), "/old/": set()}, "data/public-urls.yml: moved['/old/']: /old/ is still a page of the site; remove the entry or the page"),
    ],
)
def test_a_move_must_point_at_a_built_page_or_heading(moved, built, message):
    recorded = public_urls.parse_public_urls(f"pages: {{}}\nmoved:\n  {moved}\n")
    with pytest.raises(SiteDataError) as refused:
        public_urls.check_public_urls(recorded, built)
    assert str(refused.value) == message


def test_a_moved_section_on_a_page_still_built_is_fine():
    recorded = public_urls.parse_public_urls("pages:\n  /:\n    - a\n    - gone\nmoved:\n  /#gone: /#a\n")
    public_urls.check_public_urls(recorded, {"/": {"a"}})


def test_every_broken_promise_is_listed_at_once():
    recorded = public_urls.parse_public_urls("pages:\n  /: [a, b]\n  /gone/: [x]\n  /uses/: [c]\n")
    with pytest.raises(SiteDataError) as refused:
        public_urls.check_public_urls(recorded, {"/": {"b"}, "/uses/": set()}, where="w.yml")
    assert str(refused.value) == (
        "w.yml: a public address would break:\n"
        "  section /#a is recorded but / has no heading with id 'a'; restore the {#a} on its heading, or, if you renamed it, add the line `  /#a: /#new-id` under moved: (links to the old id keep working)\n"
        "  page /gone/ is recorded but no longer built; restore it, or add `/gone/: /new-address/` under moved\n"
        "  section /uses/#c is recorded but /uses/ has no heading with id 'c'; restore the {#c} on its heading, or, if you renamed it, add the line `  /uses/#c: /uses/#new-id` under moved: (links to the old id keep working)"
    )


def test_what_is_built_but_not_recorded_is_listed_in_order():
    recorded = public_urls.parse_public_urls("pages:\n  /: [a]\n")
    assert public_urls.unrecorded(recorded, {"/": {"c", "a", "b"}, "/new/": {"z"}}) == ["/#b", "/#c", "/new/"]
    assert public_urls.unrecorded(recorded, {"/": {"a"}}) == []
    with pytest.raises(SiteDataError) as refused:
        public_urls.check_recorded(recorded, {"/": {"a", "b"}, "/new/": {"z", "y"}}, where="w.yml")
    assert str(refused.value) == ("w.yml: records every page and section id that other sites may link to; add what is new:\n"
                                  "  under pages:, add `/new/: [y, z]`\n"
                                  "  under /:, add the line `    - b`")


def test_old_ids_land_on_the_heading_that_has_their_section_now():
    recorded = public_urls.parse_public_urls(
        "pages: {}\nmoved:\n  /old/: /new/\n  /old/#a: /new/#b\n  /new/#c: /new/#b\n  /other/#d: /new/#e\n  /new/#f: /else/#g\n")
    assert public_urls.page_redirects(recorded) == {"/old/": "/new/"}
    # /other/ was not moved to /new/: its id stays behind.
    assert public_urls.anchor_aliases(recorded, "/new/") == {"b": ["a", "c"]}
    # A link to /new/#f still reaches /new/, so no anchor for f goes on /else/.
    assert public_urls.anchor_aliases(recorded, "/else/") == {}
    assert public_urls.anchor_aliases(recorded, "/old/") == {}


def test_alias_anchors_go_before_the_first_h2_or_h3_with_the_new_id_only():
    content = '<h4 id="b">4</h4><h2 class="x" id="b-2">2</h2><h3 id="b">3</h3><h2 id="b">again</h2>'
    assert public_urls.add_anchor_aliases(content, {"b": ["a", 'q"x'], "none": ["z"]}) == (
        '<h4 id="b">4</h4><h2 class="x" id="b-2">2</h2><span id="a"></span><span id="q&quot;x"></span><h3 id="b">3</h3><h2 id="b">again</h2>')
    assert public_urls.add_anchor_aliases(content, {}) == content


def test_a_redirect_page_is_exactly_this():
    assert public_urls.render_redirect("/old/", "/new/", "https://example.org/k/", "A & B") == (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Moved: A &amp; B</title>\n"
        '<meta name="robots" content="noindex">\n'
        '<link rel="canonical" href="https://example.org/k/new/">\n'
        '<meta http-equiv="refresh" content="0; url=../new/">\n'
        '<script src="../assets/javascripts/redirect.js"></script>\n'
        "</head>\n<body>\n"
        '<p>This page has moved to <a href="../new/">A &amp; B</a>.</p>\n'
        "</body>\n</html>\n"
    )
    same = public_urls.render_redirect("/a/", "/a/", "https://example.org", "T")
    assert 'content="0; url=./"' in same and '<link rel="canonical" href="https://example.org/a/">' in same


def test_a_heading_without_an_id_is_named_with_the_fix():
    markdown = "## One\n   ### Two {#two}\n    ## Code, not a heading\n##Not one\n### Three {.wide} ##\n## Four {#}\n"
    assert public_urls.headings_without_ids(markdown, "docs/x.md", 5) == [
        "docs/x.md, line 5: '## One' has no explicit id; write it as '## One {#an-id}'",
        "docs/x.md, line 9: '### Three {.wide} ##' has no explicit id; write it as '### Three {.wide} ## {#an-id}'",
        "docs/x.md, line 10: '## Four {#}' has no explicit id; write it as '## Four {#} {#an-id}'",
    ]


def test_robots_txt_allows_all_and_names_the_sitemap():
    assert public_urls.robots_txt("https://example.org/k/") == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/k/sitemap.xml\n"
    assert public_urls.robots_txt("https://example.org") == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"


# ---------------------------------------------------------------------------------------------
# Survivors of the complete mutation run that changed behaviour (added after it)


def test_addresses_and_folders_ending_in_a_capital_x_keep_it():
    assert public_urls.robots_txt("https://example.org/BOX/").endswith("Sitemap: https://example.org/BOX/sitemap.xml\n")
    assert '<link rel="canonical" href="https://example.org/BOX/new/">' in public_urls.render_redirect("/old/", "/new/", "https://example.org/BOX/", "T")
    assert servers.base_path("https://example.org/BOX/") == "/BOX/"
    assert servers.settings("https://example.org/", {"WEB_ROOT": "/srv/BOX/", "SERVER_NAME": "X.example.X."}).web_root == "/srv/BOX"
    assert servers.settings("https://example.org/", {"SERVER_NAME": "X.example.X."}).server_name == "X.example.X"


# ---------------------------------------------------------------------------------------------
# Survivors in public_urls (issue 21): each test states what an editor or a clinic would see go wrong


def test_a_missing_address_record_is_named_by_its_place_in_the_project(tmp_path):
    # The editor is told which file to restore, not where the test happened to look for it.
    assert refusal_message(public_urls.load_public_urls, tmp_path / "public-urls.yml") == (
        "data/public-urls.yml: cannot be read: No such file or directory")


def test_a_recorded_id_after_one_that_is_still_built_is_still_checked():
    # `a` is fine; `b` has lost its heading, and a link to /#b would land on the page's top.
    recorded = public_urls.parse_public_urls("pages:\n  /: [a, b]\n")
    assert refusal_message(public_urls.check_public_urls, recorded, {"/": {"a"}}) == (
        "data/public-urls.yml: a public address would break:\n"
        "  section /#b is recorded but / has no heading with id 'b'; restore the {#b} on its heading, or, if you renamed it, add the line `  /#b: /#new-id` under moved: (links to the old id keep working)")


def test_new_pages_stay_listed_when_a_recorded_page_after_them_has_new_ids():
    # Built order puts the new page first: the check must still ask for it to be recorded.
    recorded = public_urls.parse_public_urls("pages:\n  /: [a]\n")
    assert public_urls.unrecorded(recorded, {"/new/": set(), "/": {"a", "b"}}) == ["/new/", "/#b"]


def test_a_section_moved_to_another_page_is_listed_there_under_its_new_id_after_any_page_move():
    # A page's own move (no id) is passed over, not the end of the list; the section lands on its new page.
    parsed = public_urls.parse_public_urls("pages:\n  /a/: [x, y]\n  /b/: [w]\n  /c/: []\nmoved:\n  /old/: /c/\n  /a/#x: /b/#z\n  /a/#y: /a/#v\n")
    assert parsed.pages == {"/a/": ["v"], "/b/": ["w", "z"], "/c/": []}
