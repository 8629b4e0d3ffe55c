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


# --- WCAG 2.2 checks another engine's review found (2026-12-07) ---------------------------------------

_FOCUSED = """() => { const e = document.activeElement;
  if (!e || e === document.body || e.closest('.md-header') || e.matches('.md-skip')) return null;
  const r = e.getBoundingClientRect(), header = document.querySelector('.md-header').getBoundingClientRect();
  return {name: e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40), top: r.top, bottom: r.bottom,
          left: r.left, right: r.right, header: header.bottom, tall: r.height > innerHeight - header.bottom}; }"""


def test_moving_focus_backwards_never_leaves_it_under_the_sticky_header(page, server):
    # 2.4.11: Shift+Tab scrolls each element just into view, at the top edge, where the header is.
    for address in ("", "side-effects/"):
        page.goto(server + address)
        page.keyboard.press("End")
        hidden, stops = [], 0
        for _ in range(120):
            page.keyboard.press("Shift+Tab")
            seen = page.evaluate(_FOCUSED)
            if seen is None or seen["tall"]:
                continue
            stops += 1
            if seen["top"] < seen["header"] and seen["bottom"] > 0:
                hidden.append(seen["name"])
        assert stops > 50 and not hidden, (address, hidden)


def test_a_glossary_tooltip_can_be_hovered_and_dismissed(page, server):
    # 1.4.13: the pointer may move onto the tooltip, which stays; Escape hides it; it goes once the pointer does.
    shown = "() => [...document.querySelectorAll('.md-tooltip2--active')].filter(t => !t.hidden).length"
    page.goto(server)
    term = page.locator("abbr[tabindex]").first.bounding_box()
    page.mouse.move(term["x"] + term["width"] / 2, term["y"] + term["height"] / 2)
    tip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    tip.wait_for()
    box = tip.bounding_box()
    page.mouse.move(term["x"] + term["width"] / 2, term["y"] + term["height"] + 3)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=3)
    page.wait_for_timeout(800)
    assert page.evaluate(shown) == 1, "the tooltip closed as the pointer moved onto it"
    page.keyboard.press("Escape")
    assert page.evaluate(shown) == 0, "Escape left the tooltip open"
    page.mouse.move(5, 890)
    page.wait_for_timeout(900)
    page.mouse.move(term["x"] + term["width"] / 2, term["y"] + term["height"] / 2)
    tip.wait_for()
    page.mouse.move(5, 890)
    page.wait_for_timeout(900)
    assert page.locator(".md-tooltip2--active").count() == 0, "the tooltip stayed after the pointer left"


def test_the_header_icons_are_named_and_search_announces_its_count(page, server):
    # 4.1.2: touch screen readers reach the icon labels; 4.1.3: the count of results is a status.
    page.goto(server)
    for selector in ('.md-header__button[for="__drawer"]', '.md-header__button[for="__search"]', '.md-search__icon[for="__search"]'):
        assert page.locator(selector).text_content().strip(), selector  # a name in words, hidden on screen
    meta = page.locator(".md-search-result__meta")
    assert meta.get_attribute("role") == "status"
    page.locator("input.md-search__input").click()
    page.keyboard.type("Spravato", delay=30)
    page.wait_for_function("() => /matching/i.test(document.querySelector('.md-search-result__meta').textContent)")
    assert page.locator('[role="status"]').filter(has_text="matching").count() == 1
