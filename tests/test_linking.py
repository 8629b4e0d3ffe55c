"""Linking from clinic pages: stable addresses, link previews, the for-clinics page, 404, robots.

Unit tests of the `sitegen` generators first, then the built site, then builds of an
edited copy of the project (broken and moved addresses, another SITE_URL), then Chromium.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import io
import json
import re
import threading
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

from helpers import OTHER_ADDRESS, ROOT, add_page, build_fails, build_site, copy_project, edit, front_matter, line_of, record, soup_of
from sitegen import public_urls
from sitegen.card import render_card
from sitegen.clinics import LinkedPage, link_card, render_cards, render_handout, render_link_table
from sitegen.errors import SiteDataError
from sitegen.pages import LINK_CARDS_PAGE, TOOL_PAGES
from sitegen.social import card_name, medical_web_page, page_social

SITE_URL = "https://ketamine-depression.example.org/"
RECORDED = public_urls.load_public_urls(ROOT / "data/public-urls.yml")
NAV = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]


def _nav_files(items) -> list[str]:
    files = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        files += _nav_files(value) if isinstance(value, list) else [value]
    return files


NAV_FILES = _nav_files(NAV)


def _url(src: str) -> str:
    """docs/side-effects.md -> side-effects/ (home: '')."""
    return "" if src == "index.md" else src.removesuffix(".md") + "/"


def _built(project: Path, tmp_path: Path, **options) -> Path:
    out = tmp_path / "out"
    build_site(project, out, **options)
    return out


def _build_fails(project: Path, tmp_path: Path) -> str:
    return build_fails(project, tmp_path / "out")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site like a real host would: missing addresses get the site's 404.html."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def _serve(directory: Path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(directory)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- Unit: the recorded addresses -------------------------------------------------------

GOOD_FILE = """
pages:
  /: [intro]
  /uses/: [uses-depression, uses-ptsd]
moved:
  /old-uses/: /uses/
  /uses/#uses-old: /uses/#uses-ptsd
"""
BUILT = {"/": {"intro"}, "/uses/": {"uses-depression", "uses-ptsd", "uses-new"}}


@pytest.mark.unit
def test_public_urls_file_parses():
    recorded = public_urls.parse_public_urls(GOOD_FILE)
    assert recorded.pages == {"/": ["intro"], "/uses/": ["uses-depression", "uses-ptsd"]}
    assert public_urls.page_redirects(recorded) == {"/old-uses/": "/uses/"}
    assert public_urls.anchor_aliases(recorded, "/uses/") == {"uses-ptsd": ["uses-old"]}
    public_urls.check_public_urls(recorded, BUILT)
    assert public_urls.unrecorded(recorded, BUILT) == ["/uses/#uses-new"]


@pytest.mark.unit
@pytest.mark.parametrize(
    "text, message",
    [
        ("pages: [a]", "data/public-urls.yml, line 1: pages: must be a mapping of fields"),
        ("pages: {}\nextra: 1", "data/public-urls.yml, line 2: extra: unknown field 'extra'"),
        ("pages:\n  uses/: []", "data/public-urls.yml, line 2: pages.uses/: 'uses/' is not a page address"),
        ("pages:\n  /Uses/: []", "data/public-urls.yml, line 2: pages./Uses/: '/Uses/' is not a page address"),
        ("pages:\n  /uses/#x: []", "data/public-urls.yml, line 2: pages./uses/#x: a page address has no #id"),
        ("pages:\n  /uses/: [ok, 'no spaces']", "data/public-urls.yml, line 2: pages./uses/[1]: 'no spaces' is not a section id"),
        ("pages:\n  /uses/: [a, a]", "data/public-urls.yml, line 2: pages./uses/[1]: lists a more than once"),
        ("pages:\n  /uses/: [a]\n  /uses/: [b]", "data/public-urls.yml, line 3: pages./uses/: duplicate key '/uses/' (first given on line 2)"),
        ("pages: {}\nmoved:\n  /old/: /new/#x", "data/public-urls.yml, line 3: moved./old/: map a page to a page and a section (#id) to a section"),
        ("pages: {}\nmoved: [a]", "data/public-urls.yml, line 2: moved: must be a mapping"),
        ("pages:\n  /: [a\n", "data/public-urls.yml, line 2: a '[' opened on this line is never closed"),
        ("pages:\n  /: [a]\nmoved: {}\n  /old/: /\n", "data/public-urls.yml, line 3: ends in '{}' (an empty value), "
         "so the indented lines under it cannot belong to it: delete the '{}'"),
    ],
)
def test_bad_public_urls_file_is_named(text, message):
    with pytest.raises(SiteDataError) as error:
        public_urls.parse_public_urls(text)
    start, _, also = message.partition("|")
    assert str(error.value).startswith(start) and also in str(error.value), str(error.value)


@pytest.mark.unit
@pytest.mark.parametrize(
    "built, message",
    [
        ({"/uses/": BUILT["/uses/"]}, "page / is recorded but no longer built"),
        ({"/": {"intro"}, "/uses/": {"uses-ptsd"}}, "section /uses/#uses-depression is recorded but /uses/ has no heading with id 'uses-depression'"),
        ({"/": {"intro"}, "/uses/": {"uses-depression"}}, "moved['/uses/#uses-old']: points to /uses/#uses-ptsd, but /uses/ has no heading"),
        ({**BUILT, "/old-uses/": set()}, "/old-uses/ is still a page of the site"),
    ],
)
def test_broken_promise_is_named(built, message):
    with pytest.raises(SiteDataError) as error:
        public_urls.check_public_urls(public_urls.parse_public_urls(GOOD_FILE), built)
    assert message in str(error.value)


@pytest.mark.unit
def test_an_unrecorded_page_or_id_is_named_with_the_line_to_add():
    recorded = public_urls.parse_public_urls(GOOD_FILE)
    public_urls.check_recorded(recorded, {"/": {"intro"}, "/uses/": {"uses-depression", "uses-ptsd"}})  # all recorded: silent
    with pytest.raises(SiteDataError) as error:
        public_urls.check_recorded(recorded, {**BUILT, "/new/": {"b", "a"}, "/newer/": set()})
    assert str(error.value) == (
        "data/public-urls.yml: records every page and section id that other sites may link to; add what is new:\n"
        "  under pages:, add `/new/: [a, b]`\n"
        "  under pages:, add `/newer/: []`\n"
        "  under /uses/:, add the line `    - uses-new`"
    )


@pytest.mark.unit
def test_moved_page_keeps_its_recorded_ids_through_the_move():
    recorded = public_urls.parse_public_urls("pages:\n  /old/: [a]\nmoved:\n  /old/: /new/")
    public_urls.check_public_urls(recorded, {"/new/": {"a"}})
    with pytest.raises(SiteDataError, match=r"section /old/#a is recorded but /new/ has no heading"):
        public_urls.check_public_urls(recorded, {"/new/": {"b"}})


@pytest.mark.unit
def test_a_renamed_section_needs_only_its_line_under_moved():
    """The README's one edit for a renamed heading id: `/page/#old: /page/#new` under moved:. The old id
    keeps working (an anchor), and every list of the page's sections (for clinics) shows the new one."""
    recorded = public_urls.parse_public_urls("pages:\n  /uses/: [a, old, c]\nmoved:\n  /uses/#old: /uses/#new\n")
    assert recorded.pages == {"/uses/": ["a", "new", "c"]}
    built = {"/uses/": {"a", "new", "c"}}
    public_urls.check_public_urls(recorded, built)
    public_urls.check_recorded(recorded, built)
    assert public_urls.anchor_aliases(recorded, "/uses/") == {"new": ["old"]}
    # Without the line, the build names it, with the new id it found.
    with pytest.raises(SiteDataError) as refused:
        public_urls.check_public_urls(public_urls.parse_public_urls("pages:\n  /uses/: [a, old, c]\n"), built)
    assert "or, if you renamed it, add the line `  /uses/#old: /uses/#new` under moved: (links to the old id keep working)" in str(refused.value)
    # Listing the new id too, as an editor might, changes nothing.
    assert public_urls.parse_public_urls("pages:\n  /uses/: [a, old, new, c]\nmoved:\n  /uses/#old: /uses/#new\n").pages == {"/uses/": ["a", "new", "c"]}


@pytest.mark.unit
def test_moved_id_gets_an_anchor_before_its_new_heading():
    html = '<p>x</p><h2 id="uses-ptsd">PTSD</h2>'
    out = public_urls.add_anchor_aliases(html, {"uses-ptsd": ["uses-old"]})
    assert out == '<p>x</p><span id="uses-old"></span><h2 id="uses-ptsd">PTSD</h2>'


@pytest.mark.unit
@pytest.mark.parametrize(
    "old, new, target",
    [("/old-uses/", "/uses/", "../uses/"), ("/a/b/", "/", "../../"), ("/uses-2/", "/guide/uses/", "../guide/uses/")],
)
def test_redirect_page_is_relative_and_has_a_canonical(old, new, target):
    page = public_urls.render_redirect(old, new, "https://clinic.example.net/info/", 'Uses & "more"')
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one('meta[http-equiv="refresh"]')["content"] == f"0; url={target}"
    assert soup.select_one('link[rel="canonical"]')["href"] == "https://clinic.example.net/info" + new
    assert soup.a["href"] == target and soup.a.get_text() == 'Uses & "more"'
    assert all(script["src"].endswith("assets/javascripts/redirect.js") and not script.string for script in soup.find_all("script"))


@pytest.mark.unit
def test_headings_without_ids_are_found_by_line():
    markdown = (
        "---\ntitle: x\n---\n# Title\n\n## Has one {#has-one}\n\n### Also {: #also .wide }\n\n"
        "## Missing\n\n```md\n## In a code block\n```\n\n### Closed ###\n#### Deeper is fine\n"
    )
    problems = public_urls.headings_without_ids(markdown, "docs/x.md")
    assert [p.split(":")[0] for p in problems] == ["docs/x.md, line 10", "docs/x.md, line 16"]
    assert "'## Missing' has no explicit id" in problems[0]


@pytest.mark.unit
def test_robots_txt_names_the_sitemap():
    assert public_urls.robots_txt("https://clinic.example.net/info/").splitlines()[-1] == (
        "Sitemap: https://clinic.example.net/info/sitemap.xml"
    )


# --- Unit: previews and structured data -------------------------------------------------


@pytest.mark.unit
def test_medical_web_page_fields():
    data = medical_web_page(
        title="T", description="D", url="https://x.example/t/", language="en", last_updated=dt.date(2026, 11, 27)
    )
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert (data["name"], data["description"], data["url"], data["inLanguage"]) == ("T", "D", "https://x.example/t/", "en")
    assert data["dateModified"] == "2026-11-27"
    # A last update is not a review: no review date, and no reviewer, unless a review is recorded.
    assert "lastReviewed" not in data and "reviewedBy" not in data
    reviewed = medical_web_page(title="T", description="D", url="https://x.example/t/", language="en", last_updated=dt.date(2026, 11, 27),
                                reviewed=("Dr A. Reviewer, MD", dt.date(2026, 12, 1)))
    assert (reviewed["lastReviewed"], reviewed["reviewedBy"]) == ("2026-12-01", {"@type": "Person", "name": "Dr A. Reviewer, MD"})
    assert data["about"] == [
        {"@type": "Drug", "name": "ketamine", "nonProprietaryName": "ketamine"},
        {"@type": "Drug", "name": "esketamine", "nonProprietaryName": "esketamine", "proprietaryName": "Spravato"},
    ]
    assert data["medicalAudience"] == {"@type": "MedicalAudience", "audienceType": "Patient"}


@pytest.mark.unit
def test_page_social_uses_absolute_addresses():
    social = page_social(
        site_name="S", site_url="https://clinic.example.net/info/", url="side-effects/",
        canonical="https://clinic.example.net/info/side-effects/", title="T", description="D",
        language="en", last_updated=dt.date(2026, 1, 2),
    )
    assert social["image"] == "https://clinic.example.net/info/assets/social/side-effects.png"
    assert social["url"] == social["json_ld"]["url"] == "https://clinic.example.net/info/side-effects/"
    assert (social["image_width"], social["image_height"], social["type"]) == (1200, 630, "article")
    assert card_name("") == card_name("/") == "index.png"


@pytest.mark.unit
def test_page_social_is_exactly_these_values():
    drugs = [
        {"@type": "Drug", "name": "ketamine", "nonProprietaryName": "ketamine"},
        {"@type": "Drug", "name": "esketamine", "nonProprietaryName": "esketamine", "proprietaryName": "Spravato"},
    ]
    social = page_social(
        site_name="S", site_url="https://clinic.example.net/info", url="guide/uses/",
        canonical="https://clinic.example.net/info/guide/uses/", title="T", description="D",
        language="en", last_updated=dt.date(2026, 1, 2),
    )
    assert social == {
        "title": "T", "description": "D", "url": "https://clinic.example.net/info/guide/uses/", "type": "article",
        "site_name": "S", "image": "https://clinic.example.net/info/assets/social/guide-uses.png",
        "image_width": 1200, "image_height": 630, "image_alt": "S: T",
        "json_ld": {
            "@context": "https://schema.org", "@type": "MedicalWebPage", "name": "T", "description": "D",
            "url": "https://clinic.example.net/info/guide/uses/", "inLanguage": "en",
            "dateModified": "2026-01-02", "about": drugs,
            "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        },
    }
    # The home page is the website itself; its preview shows the site name alone.
    home = page_social(site_name="S", site_url="https://x.example/", url="", canonical="https://x.example/", title="S",
                       description="D", language="en", last_updated=dt.date(2026, 1, 2))
    assert (home["type"], home["image"], home["image_alt"]) == ("website", "https://x.example/assets/social/index.png", "S")
    assert page_social(site_name="S", site_url="https://x.example/", url="/", canonical="https://x.example/", title="S",
                       description="D", language="en", last_updated=dt.date(2026, 1, 2))["type"] == "website"


@pytest.mark.unit
def test_card_is_a_1200x630_png_and_long_titles_fit():
    long_title = " ".join(["esketamine"] * 14)
    image = Image.open(io.BytesIO(render_card(long_title, "Site", "https://x.example/")))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    # Text is white on the dark background: the lowest band (below the address) stays empty.
    band = image.crop((0, 600, 1200, 630)).convert("L")
    assert band.getextrema()[1] < 128


# --- Unit: the for-clinics page ---------------------------------------------------------

PAGES = [
    LinkedPage("Side effects & <risks>", "https://x.example/side-effects/", 'Say "hi" & bye', [("side-effects-serious", "Serious")]),
    LinkedPage("Uses", "https://x.example/uses/", "D", []),
]


@pytest.mark.unit
def test_link_table_lists_pages_and_sections_with_buttons():
    soup = BeautifulSoup(render_link_table(PAGES), "html.parser")
    links = soup.select("a.link-picker__link")
    assert [a["href"] for a in links] == [
        "https://x.example/side-effects/", "https://x.example/side-effects/#side-effects-serious", "https://x.example/uses/",
    ]
    # One copy button per link, in the link's row: it copies that link's address (copy.js).
    buttons = soup.select("button")
    assert all(b.has_attr("data-copy-link") for b in buttons)
    assert [b.find_parent(class_="link-picker__row").a["href"] for b in buttons] == [a["href"] for a in links]
    assert [s.get_text() for s in soup.select(".link-picker__address")] == [a["href"] for a in links]
    assert links[0].get_text() == "Side effects & <risks>"
    # Sections open below their page; a page without recorded sections offers none.
    assert len(soup.select("details.link-picker__sections")) == 1


@pytest.mark.unit
def test_link_card_is_plain_html_with_title_description_and_address():
    card = BeautifulSoup(link_card(PAGES[0], "Site"), "html.parser")
    assert card.a["href"] == "https://x.example/side-effects/" and card.a.get_text() == "Side effects & <risks>"
    assert 'Say "hi" & bye' in card.get_text() and "https://x.example/side-effects/" in card.get_text()
    assert not card.find(["script", "iframe", "style", "img"]) and not card.find(style=True)


@pytest.mark.unit
def test_card_snippets_show_the_exact_card_as_text():
    soup = BeautifulSoup(render_cards(PAGES, "Site"), "html.parser")
    codes = soup.select("pre.link-card-snippet__html")
    assert [c.get_text() for c in codes] == [link_card(p, "Site") for p in PAGES]
    assert [b["data-copy-from"] for b in soup.select("button")] == [c["id"] for c in codes]


USES = LinkedPage("Uses", "https://x.example/uses/", "D", [("uses-ptsd", "PTSD")])
COPY = '<button type="button" class="md-button copy-button" {} hidden>{}<span class="visually-hidden"> {}</span></button>'
PAGE_BUTTON = COPY.format("data-copy-link", "Copy link", "to the page Uses")
SECTION_BUTTON = COPY.format("data-copy-link", "Copy link", "to the section PTSD")
CARD_BUTTON = COPY.format('data-copy-from="card-x-example-uses"', "Copy HTML", "for the link card to Uses")


@pytest.mark.unit
def test_link_picker_is_exactly_this_markup():
    # Written out in full: a clinic's web editor copies from it, and screen readers read every word.
    # Addresses break only after their slashes (<wbr>), never at a hyphen (a part with one is kept whole).
    assert render_link_table([USES]) == (
        '<ul class="link-picker">\n<li class="link-picker__page"><div class="link-picker__row">'
        '<a class="link-picker__link" href="https://x.example/uses/">Uses</a>'
        '<span class="link-picker__address">https://<wbr>x.example/<wbr>uses/</span>'
        f"{PAGE_BUTTON}</div>"
        '<details class="link-picker__sections"><summary>1 section<span class="visually-hidden"> of Uses</span></summary>'
        '<ul><li><div class="link-picker__row"><a class="link-picker__link" href="https://x.example/uses/#uses-ptsd">'
        '<span class="visually-hidden">Uses, section: </span>PTSD</a>'
        '<span class="link-picker__address">https://<wbr>x.example/<wbr>uses/<wbr><span class="link-picker__part">#uses-ptsd</span></span>'
        f"{SECTION_BUTTON}</div></li></ul></details></li>\n</ul>"
    )


@pytest.mark.unit
def test_card_snippet_is_exactly_this_markup():
    card = (
        '<div class="ketamine-info-link">\n'
        '  <p><a href="https://x.example/uses/"><strong>Uses</strong></a></p>\n'
        "  <p>D</p>\n  <p>https://x.example/uses/ (Site)</p>\n</div>"
    )
    # Shown as it will look, beside the HTML to copy (escaped once: it reads as it will paste).
    assert render_cards([USES], "Site") == (
        '<div class="link-cards">\n<details class="link-card-snippet">\n<summary>Uses</summary>\n'
        '<div class="link-card-snippet__body">\n'
        f'<div class="link-card-snippet__preview" aria-label="How the card looks" role="group">\n{card}\n</div>\n'
        '<div class="link-card-snippet__code">\n'
        f'<pre id="card-x-example-uses" class="link-card-snippet__html">{card.replace("<", "&lt;").replace(">", "&gt;")}</pre>\n'
        f"<p>{CARD_BUTTON}</p>\n</div>\n</div>\n</details>\n</div>"
    )
    assert render_cards([USES, USES], "Site").count('<details class="link-card-snippet">') == 2
    # Each card's id is its address without the scheme, in letters, digits and hyphens.
    odd = LinkedPage("Odd", "https://X.example/a//B_2/", "D")
    assert 'id="card-x-example-a-b-2"' in render_cards([odd], "Site")


@pytest.mark.unit
def test_handout_link_names_the_handout_or_says_how_to_print():
    assert render_handout(None) == "<p>Every page of this site can be printed from your browser's Print command.</p>"
    assert "Print" in render_handout(None) and "<a" not in render_handout(None)
    handout = LinkedPage("Handout", "https://x.example/handout/", "D", pdfs={"Letter": "../pdf/handout.pdf", "A4": "../pdf/handout-a4.pdf"})
    assert 'href="https://x.example/handout/"' in render_handout(handout)
    assert 'href="../pdf/handout.pdf"' in render_handout(handout) and 'href="../pdf/handout-a4.pdf"' in render_handout(handout)


# --- The built site ---------------------------------------------------------------------


@pytest.mark.unit
def test_every_heading_in_the_markdown_has_an_explicit_id():
    problems = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        problems += public_urls.headings_without_ids(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert len(list((ROOT / "docs").rglob("*.md"))) > 10
    assert not problems, "\n".join(problems)


@pytest.mark.build
@pytest.mark.parametrize("src", NAV_FILES)
def test_every_built_h2_h3_id_is_written_in_the_markdown(site_dir, src):
    source = (ROOT / "docs" / src).read_text(encoding="utf-8")
    written = set(re.findall(r"\{[^}]*#([\w-]+)[^}]*\}\s*$", source, re.M))
    article = soup_of(site_dir, _url(src)).select_one("article")
    for heading in article.find_all(["h2", "h3"]):
        if heading.find_parent(attrs={"hidden": True}):
            continue  # print-only parts (the page's cited sources) are not link targets
        assert heading.get("id") in written, f"docs/{src}: <{heading.name}> {heading.get_text()!r} has id {heading.get('id')!r}, not written in the Markdown"


@pytest.mark.browser
@pytest.mark.parametrize("page, ids", RECORDED.pages.items())
def test_every_recorded_page_and_id_is_served(site_dir, page, ids):
    html = site_dir / page.strip("/") / "index.html"
    assert html.exists(), f"recorded page {page} was not built"
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    for ident in ids:
        assert soup.select_one(f"article h2#{ident}, article h3#{ident}"), f"{page}#{ident}: no h2/h3 with this id"


@pytest.mark.build
def test_every_page_and_section_is_recorded(site_dir):
    """A new page or heading is public once recorded; this lists what to add to data/public-urls.yml."""
    missing = []
    for src in NAV_FILES:
        address = "/" + _url(src)
        ids = [h["id"] for h in soup_of(site_dir, _url(src)).select("article h2[id], article h3[id]") if not h.find_parent(attrs={"hidden": True})]
        if address not in RECORDED.pages:
            missing.append(f"{address}: {ids}")
        else:
            missing += [f"{address}#{i}" for i in ids if i not in RECORDED.pages[address]]
    assert not missing, "add to data/public-urls.yml:\n" + "\n".join(missing)


@pytest.mark.build
@pytest.mark.parametrize("src", NAV_FILES)
def test_head_tags(site_dir, src):
    url = _url(src)
    meta = front_matter(src)
    soup = soup_of(site_dir, url)
    canonicals = soup.select('link[rel="canonical"]')
    assert len(canonicals) == 1
    canonical = canonicals[0]["href"]
    assert canonical == SITE_URL + url

    def prop(name):
        found = soup.select(f'meta[property="{name}"], meta[name="{name}"]')
        assert len(found) == 1, f"{src}: expected one {name}, found {len(found)}"
        return found[0]["content"]

    assert prop("description") == meta["description"]
    assert prop("og:title") == meta["title"]
    assert prop("og:description") == meta["description"]
    assert prop("og:url") == canonical
    assert prop("og:type") == ("website" if url == "" else "article")
    assert prop("og:site_name") == "Ketamine and esketamine for depression"
    assert prop("og:image") == SITE_URL + "assets/social/" + card_name(url)
    assert (prop("og:image:width"), prop("og:image:height")) == ("1200", "630")
    assert meta["title"] in prop("og:image:alt")
    assert prop("twitter:card") == "summary_large_image"
    image = Image.open(site_dir / prop("og:image").removeprefix(SITE_URL))
    assert (image.format, image.size) == ("PNG", (1200, 630))

    blocks = soup.select('script[type="application/ld+json"]')
    assert len(blocks) == 1
    data = json.loads(blocks[0].string)
    assert data["@type"] == "MedicalWebPage"
    assert (data["name"], data["description"], data["url"], data["inLanguage"]) == (meta["title"], meta["description"], canonical, "en")
    assert data["dateModified"] == meta["last_updated"].isoformat()
    # lastReviewed only with reviewedBy, and both only where the page records its review.
    assert ("lastReviewed" in data) == ("reviewedBy" in data) == ("reviewed" in meta)
    assert {d["name"]: d.get("proprietaryName") for d in data["about"]} == {"ketamine": None, "esketamine": "Spravato"}
    assert data["medicalAudience"]["audienceType"] == "Patient"


@pytest.mark.build
def test_sitemap_and_robots_use_site_url(site_dir):
    locs = re.findall(r"<loc>(.*?)</loc>", (site_dir / "sitemap.xml").read_text(encoding="utf-8"))
    assert sorted(locs) == sorted(SITE_URL + _url(src) for src in NAV_FILES)
    assert f"Sitemap: {SITE_URL}sitemap.xml" in (site_dir / "robots.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.build
def test_404_page_has_search_hint_and_links_to_every_nav_page(site_dir):
    soup = BeautifulSoup((site_dir / "404.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    assert article.h1.get_text() == "Page not found"
    assert "search" in article.get_text()
    assert [a["href"] for a in article.select("ul a")] == ["/" + _url(src) for src in NAV_FILES]
    assert soup.select_one('input[data-md-component="search-query"]'), "the theme's search box should be on the 404 page"


@pytest.mark.build
def test_for_clinics_lists_every_page_and_recorded_section(site_dir):
    soup = soup_of(site_dir, "for-clinics/")
    article = soup.select_one("article")
    assert "<!-- insert:" not in str(article)
    table = article.select_one(".link-picker")
    expected = []
    for src in NAV_FILES:
        if src in TOOL_PAGES:
            continue
        page = SITE_URL + _url(src)
        expected += [page] + [f"{page}#{i}" for i in RECORDED.pages["/" + _url(src)]]
    assert [a["href"] for a in table.select("a.link-picker__link")] == expected
    assert [s.get_text() for s in table.select(".link-picker__address")] == expected
    buttons = table.select("button")
    assert all(b.has_attr("data-copy-link") for b in buttons)
    assert [b.find_parent(class_="link-picker__row").a["href"] for b in buttons] == expected
    # The address prints from href (for-clinics.css), so these links carry no second copy of it.
    assert not table.select("a.link-picker__link[data-print-href]")
    for button in article.select("button"):
        assert button.get("type") == "button"
        assert len(button.get_text(" ", strip=True)) > len("Copy link"), "each button needs a name saying what it copies"
    handout = "handout.md" in NAV_FILES
    assert bool(article.select_one(f'a[href="{SITE_URL}handout/"]')) == handout


@pytest.mark.build
def test_the_link_cards_page_has_a_card_for_every_page_for_patients(site_dir):
    article = soup_of(site_dir, _url(LINK_CARDS_PAGE)).select_one("article")
    assert "<!-- insert:" not in str(article)
    cards = [BeautifulSoup(code.get_text(), "html.parser") for code in article.select(".link-card-snippet pre.link-card-snippet__html")]
    listed = [s for s in NAV_FILES if s not in TOOL_PAGES]
    assert [c.a["href"] for c in cards] == [SITE_URL + _url(s) for s in listed]
    for card, src in zip(cards, listed):
        assert card.a.get_text() == front_matter(src)["title"]
        assert front_matter(src)["description"] in card.get_text()
        assert not card.find(["script", "iframe"])
    for button in article.select("button"):
        assert button.get("type") == "button"
        assert len(button.get_text(" ", strip=True)) > len("Copy HTML"), "each button needs a name saying what it copies"
    # For clinics links the page.
    assert soup_of(site_dir, "for-clinics/").select_one(f'article a[href="../{_url(LINK_CARDS_PAGE)}"]')


@pytest.mark.unit
def test_for_clinics_is_in_nav():
    assert "for-clinics.md" in NAV_FILES


# --- Builds of an edited copy ------------------------------------------------------------


@pytest.mark.rebuild
def test_everything_follows_site_url(other_address_site):
    base, out = OTHER_ADDRESS, other_address_site
    soup = soup_of(out, "side-effects/")
    canonical = soup.select_one('link[rel="canonical"]')["href"]
    assert canonical == base + "side-effects/"
    assert soup.select_one('meta[property="og:url"]')["content"] == canonical
    assert soup.select_one('meta[property="og:image"]')["content"] == base + "assets/social/side-effects.png"
    assert json.loads(soup.select_one('script[type="application/ld+json"]').string)["url"] == canonical
    assert f"Sitemap: {base}sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")
    clinics = soup_of(out, "for-clinics/").select_one(".link-picker")
    links = [a["href"] for a in clinics.select("a.link-picker__link")]
    assert links and all(link.startswith(base) for link in links)
    assert base + "side-effects/#side-effects-serious" in links
    assert "ketamine-depression.example.org" not in (out / "for-clinics/index.html").read_text(encoding="utf-8")
    not_found = BeautifulSoup((out / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in not_found.select("article ul a")][:2] == ["/info/", "/info/ketamine/"]


@pytest.mark.rebuild
def test_json_ld_tags_and_for_clinics_escape_page_text(tmp_path):
    project = copy_project(tmp_path)
    page = project / "docs/uses.md"
    text = page.read_text(encoding="utf-8").replace("title: What are", "title: Uses & \"quotes\" <18 /script> What are", 1)
    page.write_text(text.replace("## Can ketamine help with PTSD?", "## Can ketamine help with PTSD & “trauma”?"), encoding="utf-8")
    record(project, ["/uses/"], "A test puts quotes and brackets in a title and a heading.")
    out = _built(project, tmp_path)
    clinics = soup_of(out, "for-clinics/")
    link = clinics.select_one(f'.link-picker a[href="{SITE_URL}uses/#uses-ptsd"]')
    assert link.get_text().endswith("Can ketamine help with PTSD & “trauma”?")
    soup = soup_of(out, "uses/")
    title = 'Uses & "quotes" <18 /script> What are ketamine and esketamine used for?'
    assert soup.select_one('meta[property="og:title"]')["content"] == title
    block = soup.select_one('script[type="application/ld+json"]')
    assert "</script>" not in block.string
    assert json.loads(block.string)["name"] == title


@pytest.mark.rebuild
def test_changed_heading_id_stops_the_build_naming_it(tmp_path):
    project = copy_project(tmp_path)
    add_page(project)
    edit(project, "docs/test-page.md", "{#first-section}", "{#renamed}")
    stderr = _build_fails(project, tmp_path)
    assert "data/public-urls.yml" in stderr and "section /test-page/#first-section is recorded but /test-page/ has no heading with id 'first-section'" in stderr


@pytest.mark.rebuild
def test_removed_heading_id_stops_the_build_naming_it(tmp_path):
    project = copy_project(tmp_path)
    add_page(project)
    edit(project, "docs/test-page.md", " {#first-section}", "")
    line = line_of(project / "docs/test-page.md", "## First section")
    stderr = _build_fails(project, tmp_path)
    assert f"docs/test-page.md, line {line}: '## First section' has no explicit id; write it as '## First section {{#an-id}}'" in stderr


@pytest.mark.rebuild
def test_renamed_page_without_mapping_stops_the_build_naming_it(tmp_path):
    project = copy_project(tmp_path)
    add_page(project)
    (project / "docs/test-page.md").rename(project / "docs/renamed-page.md")
    edit(project, "mkdocs.yml", ": test-page.md", ": renamed-page.md")
    stderr = _build_fails(project, tmp_path)
    assert "/test-page/ is not a page of the site; if it moved, add `/test-page/: /new-address/` under moved: in data/public-urls.yml" in stderr


@pytest.mark.build
def test_for_clinics_links_the_handout_for_printing(site_dir):
    article = soup_of(site_dir, "for-clinics/").select_one("article")
    print_section = article.select_one("#clinics-print").find_next(class_="clinic-task__actions")
    assert print_section.a["href"] == SITE_URL + "handout/"
    links = [a["href"] for a in article.select(".link-picker a.link-picker__link")]
    assert SITE_URL + "handout/" in links and SITE_URL + "handout/#handout-next" in links


def _move_test_page(project: Path) -> None:
    """Make a page, rename it and one of its ids, and record both moves as the README says."""
    add_page(project)
    (project / "docs/test-page.md").rename(project / "docs/moved-page.md")
    edit(project, "docs/moved-page.md", "{#second-section}", "{#renamed-section}")
    edit(project, "mkdocs.yml", ": test-page.md", ": moved-page.md")
    edit(project, "data/public-urls.yml", "  /test-page/:\n    - first-section\n    - second-section\n", "  /moved-page/:\n    - first-section\n    - renamed-section\n")
    edit(project, "data/public-urls.yml", "\nmoved:\n", "\nmoved:\n  /test-page/: /moved-page/\n  /test-page/#second-section: /moved-page/#renamed-section\n")


@pytest.mark.rebuild
def test_mapped_page_move_builds_a_redirect_page(tmp_path):
    project = copy_project(tmp_path)
    _move_test_page(project)
    out = _built(project, tmp_path)
    redirect = BeautifulSoup((out / "test-page/index.html").read_text(encoding="utf-8"), "html.parser")
    assert redirect.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=../moved-page/"
    assert redirect.select_one('link[rel="canonical"]')["href"] == SITE_URL + "moved-page/"
    assert all(script.get("src") and not script.string for script in redirect.find_all("script"))
    assert (out / "test-page" / redirect.script["src"]).resolve() == (out / "assets/javascripts/redirect.js").resolve()
    assert "test-page/" not in re.findall(r"<loc>.*?/(test-page/)</loc>", (out / "sitemap.xml").read_text(encoding="utf-8"))


# --- In Chromium ------------------------------------------------------------------------


@pytest.mark.browser
def test_redirect_lands_on_the_new_page(tmp_path, browser):
    project = copy_project(tmp_path)
    _move_test_page(project)
    out = _built(project, tmp_path)
    title = "A test page"
    with _serve(out) as base:
        # The meta refresh alone: no JavaScript.
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "test-page/")
        page.wait_for_url(base + "moved-page/")
        assert page.locator("article h1").inner_text().replace("¶", "").strip() == title
        context.close()
        # With JavaScript the old #section comes along, also for an id that was renamed.
        page = browser.new_page()
        page.goto(base + "test-page/#first-section")
        page.wait_for_url(base + "moved-page/#first-section")
        page.goto(base + "test-page/#second-section")
        page.wait_for_url(base + "moved-page/#second-section")
        assert page.locator("#second-section + h2").get_attribute("id") == "renamed-section"
        # Polled from here: the page's policy forbids the string evaluation wait_for_function uses.
        for _ in range(50):
            if page.evaluate("() => document.querySelector('#renamed-section').getBoundingClientRect().top < 200"):
                break
            page.wait_for_timeout(100)
        else:
            pytest.fail("the renamed section did not scroll into view")
        page.close()


@pytest.mark.browser
def test_copy_buttons_put_the_exact_text_on_the_clipboard(browser, server, screenshots):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    page.goto(server + "for-clinics/")
    # Sections and link cards sit in closed <details>, as a reader opens them.
    page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")
    section = SITE_URL + "side-effects/#side-effects-serious"
    button = page.locator(f'.link-picker__row:has(> a[href="{section}"]) > button')
    assert button.get_attribute("aria-label") is None and button.inner_text().startswith("Copy link")
    name = button.evaluate("b => b.textContent").strip()
    assert name.startswith("Copy link to the section ") and len(name) > len("Copy link to the section ") + 10
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == section
    page.wait_for_function("() => document.getElementById('copy-status').textContent.includes('Copied')")
    page.screenshot(path=screenshots / "for-clinics-desktop.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the for-clinics page must reflow at 320 px"
    page.screenshot(path=screenshots / "for-clinics-320.png", full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + _url(LINK_CARDS_PAGE))
    page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")
    card_button = page.get_by_role("button", name="Copy HTML for the link card to Side effects of ketamine and esketamine")
    card_button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    expected = link_card(
        LinkedPage(
            "Side effects of ketamine and esketamine", SITE_URL + "side-effects/", front_matter("side-effects.md")["description"]
        ),
        "Ketamine and esketamine for depression",
    )
    assert copied == expected
    page.wait_for_function("() => document.getElementById('copy-status').textContent.includes('Copied')")
    page.screenshot(path=screenshots / "link-cards-desktop.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the link cards page must reflow at 320 px"
    context.close()


@pytest.mark.browser
def test_copy_buttons_work_by_keyboard(browser, server):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    page.goto(server + "for-clinics/")
    first = page.locator(".link-picker button").first
    first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("navigator.clipboard.readText()") == SITE_URL
    context.close()


@pytest.mark.browser
def test_link_picker_prints_each_address_after_its_link(browser, server):
    # The link picker's links carry no data-print-href: on paper the address comes from href.
    page = browser.new_page()
    page.goto(server + "for-clinics/")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll('a.link-picker__link')].map(a =>
        [a.getAttribute('href'), getComputedStyle(a, '::after').content])""")
    assert shown and all(after == '" (" attr(href) ")"' or after == f'" ({href})"' for href, after in shown), shown[:3]
    # Printed, the row's shown address is hidden, so each address is on paper once.
    assert page.evaluate("getComputedStyle(document.querySelector('.link-picker__address')).display") == "none"
    page.close()


@pytest.mark.browser
def test_404_page_works_at_any_depth(site_dir, browser, screenshots):
    with _serve(site_dir) as base:
        page = browser.new_page()
        response = page.goto(base + "some/old/address/")
        assert response.status == 404
        assert page.locator("article h1").inner_text() == "Page not found"
        # Absolute asset paths: the theme's stylesheet applies even three levels down.
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        page.screenshot(path=screenshots / "404-desktop.png", full_page=True)
        page.get_by_role("link", name="What is ketamine?").last.click()
        page.wait_for_url(base + "ketamine/")
        page.close()


@pytest.mark.unit
@pytest.mark.parametrize(
    "url, address",
    [("", "/"), ("side-effects/", "/side-effects/"), ("index.html", "/"), ("side-effects.html", "/side-effects/")],
)
def test_offline_file_urls_map_to_public_addresses(url, address):
    assert public_urls.page_path(url) == address
