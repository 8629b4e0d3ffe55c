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


@pytest.mark.build
def test_a_page_stylesheet_reaches_its_page_alone(site_dir):
    """A stylesheet one page uses (hooks_assets.PAGE_CSS) is published once, fingerprinted, linked from that
    page after the site's bundle, and from no other page; none of its rules are in the bundle."""
    from hooks_assets import PAGE_CSS

    pages = {p: p.read_text(encoding="utf-8") for p in site_dir.rglob("*.html")}
    for src, css in PAGE_CSS.items():
        stem = css.removesuffix("css")
        published = [p for p in (site_dir / "assets/stylesheets").iterdir() if p.as_posix().endswith(".min.css") and f"/{stem}" in p.as_posix()]
        assert len(published) == 1 and not (site_dir / css).exists(), published
        name = published[0].name
        own = site_dir / (src.removesuffix(".md") + "/index.html")
        links = [el["href"] for el in BeautifulSoup(pages[own], "html.parser").select("link[rel=stylesheet]")]
        assert links[-1].endswith(name) and any("/site." in href for href in links[:-1]), links
        assert [p.relative_to(site_dir).as_posix() for p, text in pages.items() if name in text and p != own] == []
        bundle = next((site_dir / "assets/stylesheets").glob("site.*.min.css")).read_text(encoding="utf-8")
        alone = bundle_css([(f"docs/{css}", (ROOT / "docs" / css).read_text(encoding="utf-8"))])
        assert alone.strip() not in bundle and alone.strip() == published[0].read_text(encoding="utf-8").strip()


@pytest.mark.unit
def test_the_dark_scheme_sets_colours_and_nothing_else():
    # tests/sweep.py runs only axe's colour rules in the dark scheme, which is right while dark.css,
    # the one stylesheet that reads prefers-color-scheme, changes nothing but colours.
    sheets = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs/assets/stylesheets").glob("*.css")}
    assert [name for name, css in sheets.items() if "prefers-color-scheme" in css] == ["dark.css"]
    css = re.sub(r"/\*.*?\*/", "", sheets["dark.css"], flags=re.S)
    properties = set(re.findall(r"([a-z-]+)\s*:\s*[^;{}]+;", css))
    assert len(properties) > 20, properties
    colours = {"color", "background-color", "border-color", "color-scheme"}
    assert {p for p in properties if not p.startswith("--")} <= colours, properties
    assert all(re.search(r"color|bg|shadow", p) for p in properties if p.startswith("--")), properties


# ---------------------------------------------------------------------------------------------
# assets: the bundled stylesheet


@pytest.mark.unit
def test_a_comment_whose_removal_would_open_another_is_refused():
    # In "1px//**/*2" taking out "/**/" joins "/" and "*" into "/*": the bundle would hide every rule after it.
    with pytest.raises(SiteDataError) as error:
        assets.bundle_css([("docs/assets/stylesheets/x.css", ".a{width:calc(1px//**/*2)}\n.b{}\n")])
    assert str(error.value) == "docs/assets/stylesheets/x.css: a /* comment is not closed"
