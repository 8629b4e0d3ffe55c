"""Every page in real headless Chromium: title, review line, and screenshots to look at."""

from __future__ import annotations

import pytest

from conftest import ARTICLE_PAGES, REFERENCES_PAGE

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 375}


@pytest.mark.parametrize("src, url, title", ARTICLE_PAGES + [REFERENCES_PAGE])
def test_page_opens_with_title_and_review_line(browser, server, screenshots, src, url, title):
    for name, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        response = page.goto(server + url)
        assert response.ok
        assert page.locator("article h1").inner_text().replace("¶", "").strip() == title
        assert title in page.title()
        assert page.locator(".page-dates").is_visible()
        assert page.locator(".page-dates").inner_text().startswith("Last updated:")
        slug = url.strip("/") or "home"
        page.screenshot(path=screenshots / f"{slug}-{name}.png", full_page=True)
        context.close()


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
