"""Accessibility and readers' privacy in real headless Chromium, on every built page.

axe-core (all its rules) at desktop and phone widths; keyboard order and visible focus;
reflow at 320 CSS px and 200% zoom; tap-target size; and the network log of a first visit.
Pages are discovered from the build, so pages added later are checked without editing this file.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules/axe-core/axe.min.js"
WIDTHS = {"desktop": 1280, "phone": 375}


def built_pages(site_dir: Path) -> list[str]:
    """URL paths of every built page: each index.html, plus the 404 page."""
    urls = sorted(
        "" if p.parent == site_dir else p.parent.relative_to(site_dir).as_posix() + "/"
        for p in site_dir.rglob("index.html")
    )
    return urls + ["404.html"]


@pytest.fixture(scope="module")
def pages(site_dir) -> list[str]:
    urls = built_pages(site_dir)
    assert len(urls) >= 10, f"expected at least the 9 article pages and the 404 page, found {urls}"
    return urls


def _open(browser, url: str, width: int, height: int = 900, scale: float = 1):
    # The pages' own Content-Security-Policy would block the injected axe-core script;
    # tests/test_publishing.py checks the pages under their policy.
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale, bypass_csp=True)
    page = context.new_page()
    response = page.goto(url)
    assert response.ok, f"{url}: HTTP {response.status}"
    return context, page


def _axe_violations(page) -> list[str]:
    assert AXE.is_file(), f"{AXE} is missing: run `make test`, which runs npm ci"
    page.add_script_tag(path=str(AXE))
    # Every rule axe-core has, not only the WCAG-tagged ones it runs by default.
    violations = page.evaluate(
        """async () => {
            const rules = axe.getRules().map(r => r.ruleId);
            const result = await axe.run(document, {runOnly: {type: 'rule', values: rules},
                                                    resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, help: v.help,
                targets: v.nodes.map(n => n.target.join(' '))}));
        }"""
    )
    return [f"{v['id']} ({v['help']}): {', '.join(v['targets'])}" for v in violations]


@pytest.mark.parametrize("width_name", WIDTHS)
def test_axe_finds_nothing_on_any_page(browser, server, pages, width_name):
    failures = []
    for url in pages:
        context, page = _open(browser, server + url, WIDTHS[width_name])
        failures += [f"/{url} at {WIDTHS[width_name]} px: {v}" for v in _axe_violations(page)]
        context.close()
    assert not failures, "axe-core violations:\n" + "\n".join(failures)


@pytest.mark.parametrize("state", ["search", "drawer"])
def test_axe_finds_nothing_with_search_or_menu_open(browser, server, state):
    # The search dialog and the navigation drawer are hidden until opened; check them open.
    context, page = _open(browser, server + "ketamine/", WIDTHS["phone"])
    page.locator(f'label.md-header__button[for="__{state}"]').click()
    page.wait_for_timeout(400)
    if state == "search":
        page.locator(".md-search__input").press_sequentially("ketamine", delay=50)
        page.wait_for_selector(".md-search-result__item")
    failures = [f"/ketamine/ with the {state} open: {v}" for v in _axe_violations(page)]
    if state == "search":
        # The theme moves through results with the arrow keys; focus lands on one, visibly.
        page.keyboard.press("ArrowDown")
        focused = page.evaluate(_FOCUSED)
        if not (focused["cls"].startswith("md-search-result") and focused["onScreen"] and (focused["outline"] or focused["shadow"])):
            failures.append(f"ArrowDown from the search box focuses {focused}, not a visible result")
    context.close()
    assert not failures, "axe-core violations:\n" + "\n".join(failures)


def test_axe_itself_reports_a_violation(browser, server):
    # The checks above must be able to fail: an image without alternative text is a violation.
    context, page = _open(browser, server, WIDTHS["desktop"])
    page.evaluate("document.querySelector('article').append(document.createElement('img'))")
    assert any(v.startswith("image-alt") for v in _axe_violations(page))
    context.close()


# --- Keyboard --------------------------------------------------------------------------------

_FOCUSED = """() => {
    const e = document.activeElement;
    const r = e.getBoundingClientRect();
    const s = getComputedStyle(e);
    const inFooter = !!e.closest('footer');
    return {
        tag: e.tagName.toLowerCase(), cls: e.className, text: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 50),
        selector: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : ''),
        region: e.closest('.md-skip') ? 'skip' : e.closest('.md-search') ? 'search'
              : e.closest('nav.md-nav--primary, .md-sidebar--primary') ? 'navigation'
              : e.closest('article') ? 'content' : inFooter ? 'footer' : 'other',
        onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
        shadow: s.boxShadow !== 'none',
        visibility: s.visibility,
        transparent: (() => { for (let a = e; a; a = a.parentElement) { if (parseFloat(getComputedStyle(a).opacity) === 0) return true; } return false; })(),
    };
}"""


def _tab_through(page, stops: int = 80) -> list[dict]:
    # The theme animates the drawer and search into view; check where things end up.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        info = page.evaluate(_FOCUSED)
        if info["transparent"] or not info["onScreen"]:
            # The theme's script opens the search dialog on focus, a moment after it.
            page.wait_for_timeout(150)
            info = page.evaluate(_FOCUSED)
        if info["tag"] == "body" or (seen and info["selector"] == seen[0]["selector"] and len(seen) > 3):
            break
        seen.append(info)
    return seen


@pytest.mark.parametrize("width", [1280, 640, 375], ids=["desktop", "desktop-at-200pc-zoom", "phone"])
def test_keyboard_reaches_skip_link_search_navigation_and_content(browser, server, width):
    context, page = _open(browser, server + "ketamine/", width)
    stops = _tab_through(page)
    context.close()
    assert stops and stops[0]["region"] == "skip", f"first Tab stop is {stops[:1]}, not the skip link"
    regions = [s["region"] for s in stops]
    for region in ("skip", "search", "navigation", "content"):
        assert region in regions, f"at {width} px, Tab never reaches the {region}: {regions}"
    # Search before navigation before content, as they appear on screen.
    assert regions.index("search") < regions.index("navigation") < regions.index("content")


@pytest.mark.parametrize("width", [1280, 640, 375], ids=["desktop", "desktop-at-200pc-zoom", "phone"])
def test_focus_is_visible_on_every_interactive_element(browser, server, pages, width):
    failures = []
    for url in pages:
        context, page = _open(browser, server + url, width)
        stops = _tab_through(page, stops=200)
        # Every page has a skip link, search and links: no Tab stop at all means nothing was checked.
        if not stops:
            failures.append(f"/{url} at {width} px: Tab reaches nothing")
        for stop in stops:
            problems = []
            if not stop["onScreen"]:
                problems.append("off screen")
            if stop["visibility"] != "visible" or stop["transparent"]:
                problems.append("invisible")
            if not (stop["outline"] or stop["shadow"]):
                problems.append("no focus outline")
            if problems:
                failures.append(f"/{url} at {width} px: {stop['selector']} ({stop['text']!r}): {', '.join(problems)}")
        context.close()
    assert not failures, "focus is not visible:\n" + "\n".join(failures)


def test_skip_link_moves_focus_to_the_content(browser, server):
    context, page = _open(browser, server + "ketamine/", 1280)
    page.keyboard.press("Tab")
    assert page.evaluate(_FOCUSED)["region"] == "skip", "the first Tab stop is not the skip link"
    page.keyboard.press("Enter")
    # It lands on the page's title, the start of the content ("What is ketamine?" on this page)...
    page.wait_for_function("() => location.hash !== ''")  # a function: a bare expression is eval'd, which the CSP forbids
    assert page.evaluate("location.hash") == "#what-is-ketamine"
    assert page.evaluate("document.querySelector(location.hash).closest('article h1') !== null")
    # ...and the next Tab continues from there, inside the content, not back in the header.
    page.keyboard.press("Tab")
    after = page.evaluate(_FOCUSED)
    context.close()
    assert after["region"] == "content", f"Tab after the skip link goes to {after}"


# --- Reflow and zoom -------------------------------------------------------------------------

_OVERFLOW = """() => {
    const doc = document.documentElement;
    const wide = [...document.querySelectorAll('body *')].filter(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > doc.clientWidth + 1 && getComputedStyle(e).position !== 'fixed'
            && !e.closest('.md-sidebar, .md-search, [hidden]') && !e.closest('.md-typeset__scrollwrap, .data-table, pre, .md-typeset__table');
    }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : ''));
    return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, wide};
}"""


@pytest.mark.parametrize(
    "width, scale", [(320, 1), (640, 2)], ids=["320px", "1280px-at-200pc-zoom"]
)
def test_no_horizontal_page_scroll(browser, server, pages, width, scale):
    # 200% zoom of a 1280 px window lays the page out at 640 CSS px, with pixels twice as big.
    failures = []
    for url in pages:
        context, page = _open(browser, server + url, width, height=800, scale=scale)
        result = page.evaluate(_OVERFLOW)
        if result["scrollWidth"] > result["clientWidth"] or result["wide"]:
            failures.append(f"/{url} at {width} CSS px: page is {result['scrollWidth']} px wide; too wide: {result['wide']}")
        context.close()
    assert not failures, "horizontal scrolling (WCAG 1.4.10 reflow):\n" + "\n".join(failures)


def test_nothing_is_lost_at_200pc_zoom(browser, server, pages):
    # Every heading and paragraph of the content is still laid out at 640 CSS px with a real size.
    failures = []
    for url in pages:
        context, page = _open(browser, server + url, 640, height=800, scale=2)
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('article h1, article h2, article h3, article p, article li, article td')]
                .filter(e => !e.closest('[hidden], .print-only'))  // printed, never shown on screen
                .filter(e => { const r = e.getBoundingClientRect(); return r.width < 1 || r.height < 1; })
                .map(e => e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 40))"""
        )
        failures += [f"/{url}: {h}" for h in hidden if not h.endswith(": ")]
        context.close()
    assert not failures, "content hidden at 200% zoom:\n" + "\n".join(failures)


# --- Tap targets (WCAG 2.2 2.5.8, target size minimum) ---------------------------------------

_TARGETS = """() => {
    const visible = e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
        return s.visibility === 'visible' && s.display !== 'none' && s.pointerEvents !== 'none'
            && parseFloat(s.opacity) > 0 && r.width > 0 && r.height > 0
            && r.right > 0 && r.left < innerWidth; };
    // Inline links inside a sentence are exempt ("inline" exception): their size is set by the text.
    const inSentence = e => { const s = getComputedStyle(e);
        if (!s.display.startsWith('inline')) return false;
        const block = e.parentElement.closest('p, li, td, th, dd, dt, figcaption, blockquote, h1, h2, h3, h4, h5, h6');
        return !!block && block.textContent.trim().length > e.textContent.trim().length; };
    const els = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [tabindex]:not([tabindex="-1"])')]
        .filter(e => visible(e) && !(e.tagName === 'INPUT' && e.classList.contains('md-toggle')));
    const rects = els.map(e => e.getBoundingClientRect());
    const small = [];
    els.forEach((e, i) => {
        const r = rects[i];
        if ((r.width >= 24 && r.height >= 24) || inSentence(e)) return;
        // Spacing exception: a 24 px circle centred on the target touches no other target.
        const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
        const clash = rects.some((o, j) => {
            if (j === i || els[j].contains(e) || e.contains(els[j])) return false;
            const dx = Math.max(o.left - cx, 0, cx - o.right), dy = Math.max(o.top - cy, 0, cy - o.bottom);
            return dx * dx + dy * dy < 12 * 12;
        });
        if (clash) small.push(e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '')
            + ` "${(e.getAttribute('aria-label') || e.textContent).trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    });
    return small;
}"""


@pytest.mark.parametrize("width_name", WIDTHS)
def test_tap_targets_are_at_least_24px(browser, server, pages, width_name):
    failures = []
    for url in pages:
        context, page = _open(browser, server + url, WIDTHS[width_name], height=20000)
        failures += [f"/{url} at {WIDTHS[width_name]} px: {t}" for t in page.evaluate(_TARGETS)]
        context.close()
    assert not failures, "tap targets under 24x24 px and too close to another:\n" + "\n".join(failures)


# --- Readers' privacy ------------------------------------------------------------------------

def test_first_visit_requests_nothing_from_other_hosts_and_sets_no_cookies(browser, server, pages):
    origin = urlsplit(server)[:2]
    failures = []
    for url in pages:
        # A fresh context is a first visit: empty cache, no cookies, no storage.
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        requested = []
        # On the context, so requests from the search worker are logged too.
        context.on("request", lambda request: requested.append(request.url))
        page = context.new_page()
        page.goto(server + url, wait_until="networkidle")
        page.mouse.wheel(0, 20000)  # lazy content, if any, loads on scroll
        page.wait_for_timeout(300)
        outside = [r for r in requested if not r.startswith(("data:", "blob:")) and urlsplit(r)[:2] != origin]
        failures += [f"/{url}: requested {r}" for r in outside]
        failures += [f"/{url}: set cookie {c['name']} for {c['domain']}" for c in context.cookies()]
        assert requested, f"/{url}: the network log is empty, so it shows nothing"
        context.close()
    assert not failures, "a first visit leaves the site or sets cookies:\n" + "\n".join(failures)
