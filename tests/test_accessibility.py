"""Accessibility and readers' privacy in real headless Chromium, on every built page.

axe-core (all its rules) at desktop and phone widths; keyboard order and visible focus;
reflow at 320 CSS px and 200% zoom; tap-target size; and the network log of a first visit.
Pages are discovered from the build, so pages added later are checked without editing this file.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from sweep import FOCUSED, MIN_TEXT_PX, SYMBOL_CONTRAST, VIEWS, axe_violations, open_page

pytestmark = pytest.mark.browser

WIDTHS = {name: VIEWS[name].width for name in ("desktop", "phone")}


@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_axe_finds_nothing_on_any_page(sweep, view):
    visits = sweep(view)
    failures = [f"/{url} at {VIEWS[view].width} px: {v}" for url, seen in visits.items() for v in seen.axe]
    assert not failures, "axe-core violations:\n" + "\n".join(failures)


@pytest.mark.parametrize("state", ["search", "drawer"])
def test_axe_finds_nothing_with_search_or_menu_open(browser, server, state):
    # The search dialog and the navigation drawer are hidden until opened; check them open.
    context, page = open_page(browser, server + "ketamine/", WIDTHS["phone"])
    page.locator(f'label.md-header__button[for="__{state}"]').click()
    page.wait_for_timeout(400)
    if state == "search":
        page.locator(".md-search__input").press_sequentially("ketamine", delay=50)
        page.wait_for_selector(".md-search-result__item")
    failures = [f"/ketamine/ with the {state} open: {v}" for v in axe_violations(page)]
    if state == "search":
        # The theme moves through results with the arrow keys; focus lands on one, visibly.
        page.keyboard.press("ArrowDown")
        focused = page.evaluate(FOCUSED)
        if not (focused["cls"].startswith("md-search-result") and focused["onScreen"] and (focused["outline"] or focused["shadow"])):
            failures.append(f"ArrowDown from the search box focuses {focused}, not a visible result")
    context.close()
    assert not failures, "axe-core violations:\n" + "\n".join(failures)


@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_text_axe_leaves_out_has_contrast_in_both_schemes(sweep, view):
    visits = sweep(view)
    failures = [f"/{url} at {VIEWS[view].width} px, {scheme}: {low}" for url, seen in visits.items()
                for scheme, found in (("light", seen.symbols), ("dark", seen.dark_symbols)) for low in found["low"]]
    assert not failures, "symbols under 4.5:1 against their background:\n" + "\n".join(failures)
    # Citation brackets and list markers are on most pages: the check read something.
    assert sum(seen.symbols["seen"] for seen in visits.values()) > 50


def test_the_symbol_contrast_check_finds_a_faint_key(browser, server):
    # The dark scheme's old <kbd>: near-white text on a near-white key.
    context, page = open_page(browser, server + "404.html", WIDTHS["desktop"])
    assert page.evaluate(SYMBOL_CONTRAST)["low"] == []
    page.evaluate("""document.querySelector('article').insertAdjacentHTML('beforeend',
        '<p style="background: #fafafa"><kbd style="color: #e8eaed; background: none; box-shadow: none">/</kbd> (</p>')""")
    low = page.evaluate(SYMBOL_CONTRAST)["low"]
    assert len(low) == 1 and low[0].startswith('kbd. "/" 1.1'), low
    context.close()


def test_axe_itself_reports_a_violation(browser, server):
    # The checks above must be able to fail: an image without alternative text is a violation.
    context, page = open_page(browser, server, WIDTHS["desktop"])
    page.evaluate("document.querySelector('article').append(document.createElement('img'))")
    assert any(v.startswith("image-alt") for v in axe_violations(page))
    context.close()


# --- Keyboard --------------------------------------------------------------------------------

FOCUS_VIEWS = ["desktop", "zoom", "phone"]  # 1280 px, 1280 px at 200% zoom, 375 px


@pytest.mark.parametrize("view", FOCUS_VIEWS)
def test_keyboard_reaches_skip_link_search_navigation_and_content(sweep, view):
    stops = sweep(view)["ketamine/"].stops
    assert stops and stops[0]["region"] == "skip", f"first Tab stop is {stops[:1]}, not the skip link"
    regions = [s["region"] for s in stops]
    for region in ("skip", "search", "navigation", "content"):
        assert region in regions, f"at the {view} view, Tab never reaches the {region}: {regions}"
    # Search before navigation before content, as they appear on screen. (On a wide screen a topic
    # page's navigation, the guide's contents, sits beside its title, after the title's own "¶" link.)
    regions = [s["region"] for s in stops if "headerlink" not in s["selector"]]
    assert regions.index("search") < regions.index("navigation") < regions.index("content")


@pytest.mark.parametrize("view", FOCUS_VIEWS)
def test_focus_is_visible_on_every_interactive_element(sweep, view):
    failures = []
    for url, seen in sweep(view).items():
        # Every page has a skip link, search and links: no Tab stop at all means nothing was checked.
        if not seen.stops:
            failures.append(f"/{url} at the {view} view: Tab reaches nothing")
        for stop in seen.stops:
            problems = []
            if not stop["onScreen"]:
                problems.append("off screen")
            if stop["visibility"] != "visible" or stop["transparent"]:
                problems.append("invisible")
            if not (stop["outline"] or stop["shadow"]):
                problems.append("no focus outline")
            if problems:
                failures.append(f"/{url} at the {view} view: {stop['selector']} ({stop['text']!r}): {', '.join(problems)}")
    assert not failures, "focus is not visible:\n" + "\n".join(failures)


def test_skip_link_moves_focus_to_the_content(browser, server):
    context, page = open_page(browser, server + "ketamine/", 1280)
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["region"] == "skip", "the first Tab stop is not the skip link"
    page.keyboard.press("Enter")
    # It lands on the page's title, the start of the content ("What is ketamine?" on this page)...
    page.wait_for_function("() => location.hash !== ''")  # a function: a bare expression is eval'd, which the CSP forbids
    assert page.evaluate("location.hash") == "#what-is-ketamine"
    assert page.evaluate("document.querySelector(location.hash).closest('article h1') !== null")
    # ...and the next Tab continues from there, inside the content, not back in the header.
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUSED)
    context.close()
    # (The guide's contents, right under the title, count as navigation: tests/sweep.py.)
    assert after["region"] == "content" or (after["region"] == "navigation" and after["text"].startswith("Contents")), f"Tab after the skip link goes to {after}"


# --- Reflow and zoom -------------------------------------------------------------------------

@pytest.mark.parametrize("view", ["narrow", "zoom"])  # 320 CSS px; 1280 px at 200% zoom
def test_no_horizontal_page_scroll(sweep, view):
    failures = []
    for url, seen in sweep(view).items():
        result = seen.overflow
        assert result["clientWidth"] == VIEWS[view].width, (url, result)
        if result["scrollWidth"] > result["clientWidth"] or result["wide"]:
            failures.append(f"/{url} at {VIEWS[view].width} CSS px: page is {result['scrollWidth']} px wide; too wide: {result['wide']}")
    assert not failures, "horizontal scrolling (WCAG 1.4.10 reflow):\n" + "\n".join(failures)


@pytest.mark.parametrize("view", ["zoom"])
def test_nothing_is_lost_at_200pc_zoom(sweep, view):
    # Every heading and paragraph of the content is still laid out at 640 CSS px with a real size.
    failures = [f"/{url}: {h}" for url, seen in sweep(view).items() for h in seen.lost]
    assert not failures, "content hidden at 200% zoom:\n" + "\n".join(failures)


# --- Tap targets (WCAG 2.2 2.5.8, target size minimum) ---------------------------------------

@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_tap_targets_are_at_least_24px(sweep, view):
    failures = []
    for url, seen in sweep(view).items():
        assert seen.targets > 3, f"/{url}: only {seen.targets} targets found, so the check saw nothing"
        failures += [f"/{url} at {VIEWS[view].width} px: {t}" for t in seen.small_targets]
    assert not failures, "tap targets under 24x24 px and too close to another:\n" + "\n".join(failures)


# --- Readers' privacy ------------------------------------------------------------------------

@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_no_text_under_12px(sweep, view):
    visits = sweep(view)
    assert all(seen.small_text is not None for seen in visits.values()), "the sweep did not measure text sizes"
    failures = [f"/{url}: {text}" for url, seen in visits.items() for text in seen.small_text]
    assert not failures, f"text under {MIN_TEXT_PX} px at {VIEWS[view].width} px:\n" + "\n".join(failures)


@pytest.mark.parametrize("view", ["desktop"])
def test_first_visit_requests_nothing_from_other_hosts_and_sets_no_cookies(sweep, server, view):
    origin = urlsplit(server)[:2]
    failures = []
    for url, seen in sweep(view).items():
        assert seen.requests, f"/{url}: the network log is empty, so it shows nothing"
        outside = [r for r in seen.requests if not r.startswith(("data:", "blob:")) and urlsplit(r)[:2] != origin]
        failures += [f"/{url}: requested {r}" for r in outside]
        failures += [f"/{url}: set cookie {c['name']} for {c['domain']}" for c in seen.cookies]
    assert not failures, "a first visit leaves the site or sets cookies:\n" + "\n".join(failures)
