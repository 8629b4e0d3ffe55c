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
