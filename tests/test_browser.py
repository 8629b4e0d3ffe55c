"""Every page in real headless Chromium: title, review line, and screenshots to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import ARTICLE_PAGES, REFERENCES_PAGE
from sitegen.pdfs import NO_ADDRESS_BAR_POPUP

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


def _browser_command_line() -> list[str]:
    """The command line of the Chromium this test process drove (Playwright starts it through its driver)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        children.setdefault(int(text[text.rindex(")") + 2:].split()[1]), []).append(int(stat.parent.name))
    todo, found = [os.getpid()], []
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if "--remote-debugging-pipe" in args:
            found.append(args)
    assert len(found) == 1, f"expected the one browser of this test process, found {len(found)}"
    return found[0]


def test_the_browser_keeps_playwrights_settings_and_opens_no_address_bar_popup(browser, page, server):
    # Our --disable-features (sitegen.pdfs: the build prints with it too) replaces Playwright's: it must
    # still hold every feature Playwright turns off.
    lists = [arg.split("=", 1)[1].split(",") for arg in _browser_command_line() if arg.startswith("--disable-features=")]
    assert len(lists) == 2, lists
    playwrights, ours = lists
    assert not set(playwrights) - set(ours), f"Playwright now also turns off {set(playwrights) - set(ours)}: add it to PLAYWRIGHT_DISABLED_FEATURES in scripts/sitegen/pdfs.py"
    assert set(NO_ADDRESS_BAR_POPUP) <= set(ours)
    # What it is for: a new context opens only the page, no browser interface of its own.
    page.goto(server)
    session = browser.new_browser_cdp_session()
    targets = session.send("Target.getTargets")["targetInfos"]
    session.detach()
    assert [t["url"] for t in targets if t["type"] == "browser_ui"] == []
    assert any(t["url"] == server and t["type"] == "page" for t in targets), targets
