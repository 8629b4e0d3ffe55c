"""Every page in real headless Chromium: title, review line, and screenshots to look at."""

from __future__ import annotations

import pytest

from conftest import ARTICLE_PAGES, REFERENCES_PAGE

pytestmark = pytest.mark.browser

@pytest.mark.parametrize("view", ["desktop", "phone"])  # 1280 and 375 px
def test_every_page_opens_with_its_title_and_review_line(sweep, view):
    visits = sweep(view)
    for src, url, title in ARTICLE_PAGES + [REFERENCES_PAGE]:
        seen = visits[url]
        assert seen.heading == title, (url, seen.heading)
        assert title in seen.title, (url, seen.title)
        assert seen.dates.startswith("Last updated:"), (url, seen.dates)
        assert seen.screenshot.stat().st_size > 10_000, seen.screenshot


def test_search_finds_a_page(page, server, screenshots):
    page.goto(server)
    page.locator("input.md-search__input").click()
    page.keyboard.type("Spravato", delay=30)  # the search listens for key events, not for fill()
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    assert results.count() > 0
    page.screenshot(path=screenshots / "search-desktop.png")
    results.first.locator("a").first.click()
    page.wait_for_load_state()
    assert "Spravato" in page.locator("article").inner_text()
