"""The built site: pages, titles, navigation, furniture, and no third-party requests."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from helpers import ARTICLE_PAGES, GLOSSARY_PAGE, REFERENCES_PAGE, build_fails, copy_project, model_of, soup_of
from sitegen import menu
from sitegen.errors import SiteDataError

READING_ORDER = ARTICLE_PAGES + [REFERENCES_PAGE, GLOSSARY_PAGE]


@pytest.mark.build
@pytest.mark.parametrize("src, url, title", READING_ORDER)
def test_page_url_and_title(site_dir, src, url, title):
    soup = soup_of(site_dir, url)
    assert soup.h1.get_text(strip=True).replace("¶", "") == title
    assert soup.select_one('meta[name="description"]')["content"]
    assert soup.html["lang"] == "en"


@pytest.mark.build
def test_navigation_is_in_reading_order(site_dir):
    soup = soup_of(site_dir, "")
    links = [a["href"] for a in soup.select("nav.md-nav--primary > ul > li > a.md-nav__link")]
    expected = ["." if url == "" else url for _, url, _ in READING_ORDER]
    assert [link.rstrip("/") or "." for link in links][: len(expected)] == [e.rstrip("/") or "." for e in expected]


@pytest.mark.build
def test_previous_and_next_links(site_dir):
    urls = [url for _, url, _ in READING_ORDER]
    for i, url in enumerate(urls):
        soup = soup_of(site_dir, url)
        prev = soup.select_one("a.md-footer__link--prev")
        nxt = soup.select_one("a.md-footer__link--next")
        if i == 0:
            assert prev is None
        else:
            # The exact link from this page's folder to the one before it ("../ketamine/"); the home
            # page, one folder up, is written ".." by the theme. No other page may link "../".
            expected = "../" + urls[i - 1] if urls[i - 1] else ".."
            assert prev is not None and prev["href"] == expected, (url, prev and prev["href"], expected)
        if i == len(urls) - 1:
            # Pages for other readers (for clinics) may follow the references in the nav.
            assert nxt is None or not any(u and u in nxt["href"] for u in urls)
        else:
            assert nxt and urls[i + 1] in nxt["href"]


@pytest.mark.build
@pytest.mark.parametrize("src, url, title", READING_ORDER)
def test_review_line_and_disclaimer(site_dir, src, url, title):
    furniture = soup_of(site_dir, url).select_one(".page-furniture")
    text = furniture.get_text(" ", strip=True)
    assert "does not replace advice from a healthcare professional" in text
    assert re.search(r"Last updated: \w+ \d{1,2}, \d{4} · Next review due: \w+ \d{1,2}, \d{4}", text), text


@pytest.mark.build
def test_no_third_party_host_in_html_or_css(site_dir):
    """Nothing the browser loads (scripts, styles, images, fonts, frames) may come from another host."""
    offenders = []
    for path in site_dir.rglob("*"):
        if path.suffix == ".html":
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for tag, attr in [("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"), ("audio", "src")]:
                for el in soup.find_all(tag):
                    value = el.get(attr, "")
                    if tag == "link" and not set(el.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest"}:
                        continue
                    if re.match(r"^(https?:)?//", value):
                        offenders.append(f"{path.relative_to(site_dir)}: <{tag} {attr}={value}>")
        elif path.suffix == ".css":
            for match in re.finditer(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(site_dir)}: url({match.group(1)})")
            for match in re.finditer(r"@import\s+(?:url\()?['\"]?((?:https?:)?//[^'\")]+)", path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(site_dir)}: @import {match.group(1)}")
    assert not offenders, "third-party requests:\n" + "\n".join(offenders)


@pytest.mark.rebuild
def test_site_url_follows_the_environment(other_address_site):
    soup = BeautifulSoup((other_address_site / "ketamine/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one('link[rel="canonical"]')["href"] == "https://clinic.example.net/info/ketamine/"


@pytest.mark.rebuild
@pytest.mark.parametrize(
    "replacement, message",
    [
        ("last_updated: 2026-13-45", "docs/uses.md, line 4: last_updated: '2026-13-45' is not a real date"),
        ("last_updated: soon", "docs/uses.md, line 4: last_updated: must be a date written YYYY-MM-DD"),
        ("", "docs/uses.md, line 2: missing field 'last_updated'"),
    ],
)
def test_bad_front_matter_date_stops_the_build(tmp_path, replacement, message):
    project = copy_project(tmp_path)
    page = project / "docs/uses.md"
    page.write_text(re.sub(r"^last_updated: .*$", replacement, page.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    assert message in build_fails(project, tmp_path / "out")


# --- The menu's reading order: a build rule (sitegen/menu.py) ------------------------------------

MENU = """site_name: x
nav:
  - Home: index.md
  - One: one.md
  - Two: two.md
  - References: references.md
  - Glossary: glossary.md
  - Handout: handout.md
  - About this site:
      - About: about.md
extra: {}
"""
SOURCES = {"index.md": "article", "one.md": "article", "two.md": "article", "handout.md": "extract"}


def _top(order: list[str]) -> list[tuple[str, str, str | None]]:
    return [(src.removesuffix(".md").title(), src, SOURCES.get(src)) for src in order]


def _menu_refused(order: list[str]) -> str:
    text = MENU.replace("  - Home: index.md\n  - One: one.md\n  - Two: two.md\n  - References: references.md\n  - Glossary: glossary.md\n"
                        "  - Handout: handout.md\n", "".join(f"  - {label}: {src}\n" for label, src, _ in _top(order)))
    with pytest.raises(SiteDataError) as refused:
        menu.check_order(_top(order), text)
    return str(refused.value)


@pytest.mark.unit
def test_the_menu_in_reading_order_passes():
    menu.check_order(_top(["index.md", "one.md", "two.md", "references.md", "glossary.md", "handout.md", "new.md"]), MENU)
    menu.check_order(_top(["index.md", "one.md", "new.md"]), MENU)  # no References or Glossary: nothing to keep them in order with


@pytest.mark.unit
@pytest.mark.parametrize(
    "order, message",
    [
        # A page that is not the guide's, among the guide's pages or before References: moved down, below the Glossary.
        (["index.md", "one.md", "new.md", "two.md", "references.md", "glossary.md"],
         "mkdocs.yml, line 5: nav: 'New' (new.md) is not one of the guide's pages (its front matter has no `source: article`), but the "
         "menu starts with the guide (Home and every page with `source: article`), then References, then Glossary, then every other "
         "page: move this line below `- Glossary: glossary.md` (line 8)"),
        (["index.md", "one.md", "two.md", "new.md", "references.md", "glossary.md"], "line 6: nav: 'New' (new.md)|below `- Glossary: glossary.md`"),
        # One of the guide's pages after the others: moved up, above the first page that should follow it.
        (["index.md", "one.md", "references.md", "glossary.md", "handout.md", "two.md"],
         "mkdocs.yml, line 8: nav: 'Two' (two.md) is one of the guide's pages (source: article), but|move this line above "
         "`- References: references.md` (line 5)"),
        (["index.md", "one.md", "two.md", "glossary.md", "references.md"], "line 6: nav: 'Glossary' (glossary.md) is the Glossary|"
         "move this line below `- References: references.md` (line 7)"),
    ],
)
def test_a_page_out_of_reading_order_is_named_with_the_line_to_move(order, message):
    start, _, end = message.partition("|")
    refused = _menu_refused(order)
    assert start in refused and end in refused, refused


@pytest.mark.unit
def test_a_guide_page_in_a_section_is_named():
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml, line 10: nav: 'About' \(about.md\) is one of the guide's pages .* move its line out"):
        menu.check_nested([("About", "about.md")], MENU)


@pytest.mark.unit
def test_the_build_refuses_a_page_out_of_reading_order(tmp_path):
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    handout = next(i for i, line in enumerate(lines) if line.strip().endswith(": handout.md"))
    references = next(i for i, line in enumerate(lines) if line.strip().endswith(": references.md"))
    moved = lines[:references] + [lines[handout]] + [line for i, line in enumerate(lines[references:], references) if i != handout]
    config.write_text("".join(moved), encoding="utf-8")
    with pytest.raises(SiteDataError) as refused:
        model_of(project)
    assert str(refused.value).startswith(f"mkdocs.yml, line {references + 1}: nav: "), str(refused.value)
    assert f"move this line below `{lines[next(i for i, l in enumerate(lines) if l.strip().endswith(': glossary.md'))].strip()}`" in str(refused.value)


@pytest.mark.unit
def test_a_new_page_goes_where_the_menu_order_accepts_it():
    text = MENU.replace("  - Handout: handout.md\n", "")
    assert menu.place_for_new_page(text, SOURCES.get) == menu.Line(7, "- Glossary: glossary.md", "  ")
    assert menu.place_for_new_page(MENU.replace("  - Glossary: glossary.md\n", ""), SOURCES.get).text == "- References: references.md"
    assert menu.place_for_new_page("nav:\n  - Home: index.md\n  - About: about.md\n", SOURCES.get).text == "- Home: index.md"
