"""The built site: pages, titles, navigation, furniture, and no third-party requests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ARTICLE_PAGES, REFERENCES_PAGE, copy_project, mkdocs_build

READING_ORDER = ARTICLE_PAGES + [REFERENCES_PAGE]


def _soup(site_dir: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site_dir / url / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("src, url, title", READING_ORDER)
def test_page_url_and_title(site_dir, src, url, title):
    soup = _soup(site_dir, url)
    assert soup.h1.get_text(strip=True).replace("¶", "") == title
    assert soup.select_one('meta[name="description"]')["content"]
    assert soup.html["lang"] == "en"


def test_navigation_is_in_reading_order(site_dir):
    soup = _soup(site_dir, "")
    links = [a["href"] for a in soup.select("nav.md-nav--primary > ul > li > a.md-nav__link")]
    expected = ["." if url == "" else url for _, url, _ in READING_ORDER]
    assert [link.rstrip("/") or "." for link in links][: len(expected)] == [e.rstrip("/") or "." for e in expected]


def test_previous_and_next_links(site_dir):
    urls = [url for _, url, _ in READING_ORDER]
    for i, url in enumerate(urls):
        soup = _soup(site_dir, url)
        prev = soup.select_one("a.md-footer__link--prev")
        nxt = soup.select_one("a.md-footer__link--next")
        if i == 0:
            assert prev is None
        else:
            assert prev and prev["href"].endswith(urls[i - 1] or "..") or prev["href"] in ("../", "./")
        if i == len(urls) - 1:
            # Only the printable handout follows the reading order (issue 5).
            assert nxt is None or nxt["href"].rstrip("/").endswith("handout")
        else:
            assert nxt and urls[i + 1] in nxt["href"]


@pytest.mark.parametrize("src, url, title", READING_ORDER)
def test_review_line_and_disclaimer(site_dir, src, url, title):
    furniture = _soup(site_dir, url).select_one(".page-furniture")
    text = furniture.get_text(" ", strip=True)
    assert "does not replace advice from a healthcare professional" in text
    assert re.search(r"Last updated: \w+ \d{1,2}, \d{4} · Next review due: \w+ \d{1,2}, \d{4}", text), text


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


def test_site_url_follows_the_environment(tmp_path):
    project = copy_project(tmp_path)
    out = tmp_path / "out"
    result = mkdocs_build(project, out, env={"SITE_URL": "https://clinic.example.net/info/"})
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((out / "ketamine/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one('link[rel="canonical"]')["href"] == "https://clinic.example.net/info/ketamine/"


@pytest.mark.parametrize(
    "replacement, message",
    [
        ("last_updated: 2026-13-45", "front matter 'last_updated' must be a date written YYYY-MM-DD"),
        ("last_updated: soon", "front matter 'last_updated' must be a date written YYYY-MM-DD"),
        ("", "front matter is missing 'last_updated'"),
    ],
)
def test_bad_front_matter_date_stops_the_build(tmp_path, replacement, message):
    project = copy_project(tmp_path)
    page = project / "docs/uses.md"
    page.write_text(re.sub(r"^last_updated: .*$", replacement, page.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "out")
    assert result.returncode != 0
    assert "docs/uses.md" in result.stderr and message in result.stderr, result.stderr
