"""The site's own stylesheets and scripts reach readers as one fingerprinted file each."""

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import ROOT
from sitegen import assets
from sitegen.assets import bundle_css, bundle_js, fingerprinted, strip_js
from sitegen.errors import SiteDataError


@pytest.mark.unit
def test_css_bundle_keeps_rules_in_order_and_drops_comments():
    css = bundle_css([("a.css", "/* why */\n.a {\n  color: red;\n}\n\n"), ("b.css", "@media print {\n  .b { color: #000; } /* note */\n}\n")])
    assert css == ".a {\ncolor: red;\n}\n@media print {\n.b { color: #000; }\n}\n"


@pytest.mark.unit
def test_css_bundle_names_a_file_with_an_unclosed_comment():
    with pytest.raises(SiteDataError, match=r"^docs/x.css: a /\* comment is not closed$"):
        bundle_css([("docs/x.css", ".a{} /* oops")])


@pytest.mark.unit
def test_js_bundle_keeps_each_script_whole():
    assert bundle_js([("a.js", "// why\nf()"), ("b.js", "g()\n")]) == "f()\n;\ng()\n;\n"


@pytest.mark.unit
def test_js_loses_whole_line_comments_only():
    source = '/* a\n * b */\nx = "http://x"; // kept: may be in a string\n\n  // gone\n/* c */ y(); /* d */\nz = "/* s */";\n'
    assert strip_js(source) == 'x = "http://x"; // kept: may be in a string\n/* c */ y(); /* d */\nz = "/* s */";\n'


@pytest.mark.unit
def test_fingerprint_changes_with_content():
    a, b = fingerprinted("assets/s/site.min.css", "x"), fingerprinted("assets/s/site.min.css", "y")
    assert re.fullmatch(r"assets/s/site\.[0-9a-f]{8}\.min\.css", a) and a != b


def _listed(key):
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)[key]


@pytest.mark.build
@pytest.mark.parametrize("key, tag, attr, folder", [("extra_css", "link[rel=stylesheet]", "href", "stylesheets"), ("extra_javascript", "script[src]", "src", "javascripts")])
def test_one_bundle_holds_every_listed_file(site_dir, key, tag, attr, folder):
    soup = BeautifulSoup((site_dir / "uses/index.html").read_text(encoding="utf-8"), "html.parser")
    ours = [el[attr] for el in soup.select(tag) if f"/{folder}/site." in el[attr]]
    assert len(ours) == 1, ours
    bundle = (site_dir / "uses" / ours[0]).resolve().read_text(encoding="utf-8")
    for src in _listed(key):
        assert not (site_dir / src).exists(), f"{src} is published on its own as well"
        alone = (bundle_css if key == "extra_css" else bundle_js)([(f"docs/{src}", (ROOT / "docs" / src).read_text(encoding="utf-8"))])
        assert alone.strip().removesuffix(";").strip() in bundle, f"{src} is missing from the bundle"


@pytest.mark.unit
def test_a_page_links_the_sheets_its_content_calls_for_in_their_order():
    sheets = {"a.css": ("table-x",), "b.css": ("cite", "note"), "c.css": ("tool",)}
    assert assets.called_for('<p class="note other">x</p><div class="table-x">', sheets) == ["a.css", "b.css"]
    # A class is a whole word of a class attribute: "tools", or a word of the text, does not call for "tool".
    assert assets.called_for('<p class="tools">tool</p><a href="x" title="cite">', sheets) == []
    assert assets.called_for("", sheets) == []


@pytest.mark.build
def test_a_content_stylesheet_reaches_the_pages_that_call_for_it_alone(site_dir):
    """A sheet for what only some pages hold (hooks_assets.CONTENT_CSS) is published once, fingerprinted, made
    of its sources alone, and linked after the site's bundle from every page with an element of one of its
    classes, and from no other page. Some pages call for each, and some for none."""
    from hooks_assets import CONTENT_CSS

    soups = {p: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in site_dir.rglob("index.html")}
    bundle = next((site_dir / "assets/stylesheets").glob("site.*.min.css")).read_text(encoding="utf-8")
    for path, sheet in CONTENT_CSS.items():
        stem = path.removesuffix("min.css")
        published = [p for p in (site_dir / "assets/stylesheets").iterdir() if f"/{stem}" in p.as_posix() and p.name.endswith(".min.css")]
        assert len(published) == 1, published
        name, callers, others = published[0].name, [], []
        for page, soup in soups.items():
            links = [el["href"] for el in soup.select("link[rel=stylesheet]")]
            calls = bool(soup.select(", ".join(f"article .{c}" for c in sheet.classes)))
            (callers if calls else others).append(page)
            assert any(href.endswith(name) for href in links) == calls, (page, path, links)
            if calls:
                assert [i for i, h in enumerate(links) if "/site." in h][0] < [i for i, h in enumerate(links) if h.endswith(name)][0], links
        assert callers and others, (path, callers)
        sources = [(f"docs/assets/stylesheets/{src}", (ROOT / "docs/assets/stylesheets" / src).read_text(encoding="utf-8")) for src in sheet.sources]
        assert published[0].read_text(encoding="utf-8").strip() == bundle_css(sources).strip()
        for src, source in zip(sheet.sources, sources):
            assert not (site_dir / "assets/stylesheets" / src).exists(), f"{src} is published on its own as well"
            assert bundle_css([source]).strip() not in bundle, f"{src} is in the site's bundle too"


def _dark_blocks(css: str) -> list[str]:
    """The bodies of a stylesheet's `prefers-color-scheme: dark` blocks, nested blocks included."""
    css, bodies = re.sub(r"/\*.*?\*/", "", css, flags=re.S), []
    for match in re.finditer(r"@media[^{]*prefers-color-scheme:\s*dark[^{]*\{", css):
        depth, end = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        bodies.append(css[match.end():end - 1])
    return bodies


@pytest.mark.unit
def test_the_dark_scheme_sets_colours_and_nothing_else():
    # tests/sweep.py runs only axe's colour rules in the dark scheme, which is right while the dark
    # scheme (dark.css, and the dark blocks of the sheets that come after it) changes nothing but colours.
    sheets = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs/assets/stylesheets").glob("*.css")}
    dark = {name: _dark_blocks(css) for name, css in sheets.items() if "prefers-color-scheme" in css}
    assert "dark.css" in dark and all(dark.values()), dark.keys()
    # Each mention is a dark block: no sheet reads the scheme any other way.
    assert all(re.sub(r"/\*.*?\*/", "", sheets[name], flags=re.S).count("prefers-color-scheme") == len(bodies) for name, bodies in dark.items())
    properties = {p for bodies in dark.values() for body in bodies for p in re.findall(r"([a-z-]+)\s*:\s*[^;{}]+;", body)}
    assert len(properties) > 20, properties
    colours = {"color", "background-color", "border-color", "color-scheme"}
    assert {p for p in properties if not p.startswith("--")} <= colours, properties
    assert all(re.search(r"color|bg|shadow", p) for p in properties if p.startswith("--")), properties


@pytest.mark.unit
def test_a_dark_block_is_read_whole_and_alone():
    css = "a{x:1}@media screen and (prefers-color-scheme: dark){.a{color:red}@media (min-width:1px){.b{color:blue}}}.c{width:1px}"
    assert _dark_blocks(css) == [".a{color:red}@media (min-width:1px){.b{color:blue}}"]


# ---------------------------------------------------------------------------------------------
# assets: the bundled stylesheet


@pytest.mark.unit
def test_a_comment_whose_removal_would_open_another_is_refused():
    # In "1px//**/*2" taking out "/**/" joins "/" and "*" into "/*": the bundle would hide every rule after it.
    with pytest.raises(SiteDataError) as error:
        assets.bundle_css([("docs/assets/stylesheets/x.css", ".a{width:calc(1px//**/*2)}\n.b{}\n")])
    assert str(error.value) == "docs/assets/stylesheets/x.css: a /* comment is not closed"
