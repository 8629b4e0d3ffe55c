"""One visit per built page and view that gathers what every whole-site browser check reads.

Opening a page is most of the cost of a whole-site check, so the checks of tests/test_accessibility.py
and tests/test_phone.py share visits: at each view each page is opened once, and axe-core (light and
dark), the tap targets, the overflow and the Tab order are read from that one page, in an order
where no step changes what a later one sees (the Tab walk, which moves focus, comes last). The
tests assert on the results; conftest.py runs the tests of one view on one worker, so each view is
visited once per run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from helpers import OUTPUT, ROOT

AXE = ROOT / "node_modules/axe-core/axe.min.js"


@dataclass(frozen=True)
class View:
    width: int
    height: int = 900
    scale: float = 1
    checks: tuple[str, ...] = ()


VIEWS = {
    "desktop": View(1280, checks=("network", "heading", "axe", "taps", "fonts", "focus")),
    "phone": View(375, checks=("heading", "axe", "taps", "fonts", "permalinks", "focus")),
    # 200% zoom of a 1280 px window lays the page out at 640 CSS px, with pixels twice as big.
    "zoom": View(640, 800, 2, checks=("overflow", "lost", "focus")),
    "narrow": View(320, 800, checks=("overflow", "narrow")),
}


def built_pages(site_dir: Path) -> list[str]:
    """URL paths of every built page: each index.html, plus the 404 page."""
    urls = sorted(
        "" if p.parent == site_dir else p.parent.relative_to(site_dir).as_posix() + "/"
        for p in site_dir.rglob("index.html")
    )
    return urls + ["404.html"]


def new_context(browser, view: View):
    # The pages' own Content-Security-Policy would block the injected axe-core script;
    # tests/test_publishing.py checks the pages under their policy.
    return browser.new_context(viewport={"width": view.width, "height": view.height}, device_scale_factor=view.scale, bypass_csp=True)


def open_page(browser, url: str, width: int, height: int = 900, scale: float = 1):
    context = new_context(browser, View(width, height, scale))
    page = context.new_page()
    response = page.goto(url)
    assert response.ok, f"{url}: HTTP {response.status}"
    return context, page


def axe_violations(page, tags: list[str] | None = None) -> list[str]:
    """axe-core's violations on the page: every rule it has (not only the WCAG-tagged ones it runs
    by default), or only the rules with one of `tags`."""
    assert AXE.is_file(), f"{AXE} is missing: run `make test`, which runs npm ci"
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async tags => {
            const rules = axe.getRules(tags || undefined).map(r => r.ruleId);
            const result = await axe.run(document, {runOnly: {type: 'rule', values: rules},
                                                    resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, help: v.help,
                targets: v.nodes.map(n => n.target.join(' '))}));
        }""",
        tags,
    )
    return [f"{v['id']} ({v['help']}): {', '.join(v['targets'])}" for v in violations]


# The dark scheme (dark.css and the dark blocks of the sheets after it: tests/test_assets.py) sets colours and
# nothing else, so in the dark axe runs the rules that judge colour: the others would see the same page.
COLOUR_RULES = ["cat.color"]


FOCUSED = """() => {
    const e = document.activeElement;
    const r = e.getBoundingClientRect();
    const s = getComputedStyle(e);
    const inFooter = !!e.closest('footer');
    return {
        tag: e.tagName.toLowerCase(), cls: e.className, text: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 50),
        selector: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : ''),
        region: e.closest('.md-skip') ? 'skip' : e.closest('.md-search') ? 'search'
              : e.closest('nav.md-nav--primary, .md-sidebar--primary, nav.guide-contents') ? 'navigation'
              : e.closest('article') ? 'content' : inFooter ? 'footer' : 'other',
        onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
        shadow: s.boxShadow !== 'none',
        visibility: s.visibility,
        transparent: (() => { for (let a = e; a; a = a.parentElement) { if (parseFloat(getComputedStyle(a).opacity) === 0) return true; } return false; })(),
    };
}"""


NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def tab_through(page, stops: int = 80) -> list[dict]:
    # The theme animates the drawer and search into view; check where things end up.
    page.add_style_tag(content=NO_MOTION)
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info["transparent"] or not info["onScreen"]:
            # The theme's script opens the search dialog on focus, a moment after it.
            page.wait_for_timeout(150)
            info = page.evaluate(FOCUSED)
        if info["tag"] == "body" or (seen and info["selector"] == seen[0]["selector"] and len(seen) > 3):
            break
        seen.append(info)
    return seen


OVERFLOW = """() => {
    const doc = document.documentElement;
    const wide = [...document.querySelectorAll('body *')].filter(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > doc.clientWidth + 1 && getComputedStyle(e).position !== 'fixed'
            && !e.closest('.md-sidebar, .md-search, [hidden]') && !e.closest('.md-typeset__scrollwrap, .data-table, pre, .md-typeset__table');
    }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : ''));
    return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, wide,
            tables: [...document.querySelectorAll('.data-table')].map(b => b.scrollWidth - b.clientWidth)};
}"""

LOST = """() => [...document.querySelectorAll('article h1, article h2, article h3, article p, article li, article td')]
    .filter(e => !e.closest('[hidden], .print-only'))  // printed, never shown on screen
    .filter(e => { const r = e.getBoundingClientRect(); return r.width < 1 || r.height < 1; })
    .map(e => e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 40))"""

# WCAG 2.2 2.5.8, target size minimum.
TARGETS = """() => {
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
    return {count: els.length, small};
}"""

# The narrowest a column of text may be: about 20 characters of its own font ("0" widths).
MIN_CHARACTERS = 20
NARROW_CELLS = """min => {
    const narrow = [];
    for (const cell of document.querySelectorAll('article table th, article table td')) {
        const r = cell.getBoundingClientRect();
        const head = cell.closest('thead');
        if (!cell.textContent.trim() || (head && head.getBoundingClientRect().width <= 1)) continue;  // a visually hidden header row
        const probe = document.createElement('span');
        probe.textContent = '0'.repeat(min);
        probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;padding:0;border:0';
        cell.appendChild(probe);
        const needed = probe.getBoundingClientRect().width;
        probe.remove();
        const style = getComputedStyle(cell);
        const inner = r.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        if (inner < needed) narrow.push(`"${cell.textContent.trim().slice(0, 30)}" ${Math.round(inner)} px < ${Math.round(needed)} px`);
    }
    return narrow;
}"""

# A heading's hidden permalink on the line of the heading's last word, not one below it.
LONELY_PERMALINKS = """() => [...document.querySelectorAll('article :is(h1, h2, h3)')]
    .filter(h => { const link = h.querySelector(':scope > .headerlink'); if (!link) return false;
                   const text = link.previousSibling; if (!text || text.nodeType !== 3 || !text.length) return false;
                   const range = document.createRange();
                   range.setStart(text, text.length - 1); range.setEnd(text, text.length);
                   const word = range.getBoundingClientRect(), mark = link.getBoundingClientRect();
                   return mark.top >= word.bottom - 2; })
    .map(h => h.textContent.trim())"""

BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"

# The smallest text any reader gets (issue 34): every visible text, and every drawn one (a "note"
# before a footnote's number, a citation's brackets), at least 12 CSS px.
MIN_TEXT_PX = 12
SMALL_TEXT = r"""min => {
    const out = new Set();
    const shown = e => e.checkVisibility({visibilityProperty: true, opacityProperty: true})
        && e.getBoundingClientRect().width > 1 && e.getBoundingClientRect().height > 1;
    const name = e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : '');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!n.nodeValue.trim() || el.closest('.md-visually-hidden, .visually-hidden') || !shown(el)) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < min) out.add(`${name(el)} "${n.nodeValue.trim().slice(0, 30)}" ${size.toFixed(1)} px`);
    }
    for (const el of document.body.querySelectorAll('*')) {
        for (const part of ['::before', '::after']) {
            const s = getComputedStyle(el, part);
            if (!/[\p{L}\p{N}]/u.test(s.content.replace(/\/.*$/, '')) || s.content === 'none' || s.content === 'normal' || !shown(el)) continue;
            if (parseFloat(s.fontSize) < min) out.add(`${name(el)}${part} ${s.content.slice(0, 20)} ${parseFloat(s.fontSize).toFixed(1)} px`);
        }
    }
    return [...out];
}"""

# The contrast of an element's text against what is painted behind it: its own and its
# ancestors' background colours blended over white, and its colour over that (WCAG 1.4.3).
# null where a background image is behind it, which colours alone cannot measure.
_CONTRAST_OF = r"""
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (top, under) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat(1); };
  const contrastOf = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage !== 'none') return null;
      const c = parse(s.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (const c of layers.reverse()) bg = over(c, bg);
    const fg = over(parse(getComputedStyle(el).color), bg);
    const [a, b] = [lum(fg), lum(bg)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
"""

# Each element matching a selector: its text and contrastOf.
CONTRAST = "selector => {" + _CONTRAST_OF + """
  return [...document.querySelectorAll(selector)].map(el => ({text: el.textContent.trim(), ratio: contrastOf(el)}));
}"""

# axe-core leaves out text with no letter or digit (a key such as "/", a bracket, an arrow), so
# it never judged the 404 page's <kbd>/</kbd>, once near-white on white in the dark scheme. This
# measures that text as axe would (4.5:1).
SYMBOL_CONTRAST = "() => {" + _CONTRAST_OF + r"""
  const out = [];
  let seen = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue.trim();
    if (!text || /[\p{L}\p{N}]/u.test(text)) continue;
    const el = n.parentElement;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect(); if (!r.width || !r.height) continue;
    if (el.closest('.visually-hidden, .md-visually-hidden, [aria-hidden="true"]')) continue;
    const ratio = contrastOf(el); if (ratio === null) continue;
    seen += 1;
    if (ratio < 4.5) out.push(`${el.tagName.toLowerCase()}.${el.className} "${text}" ${ratio.toFixed(2)}`);
  }
  return {seen, low: out};
}"""


@dataclass
class Visit:
    """What one page showed at one view."""
    url: str
    title: str = ""  # the document's <title>
    heading: str = ""  # the article's h1, without its permalink
    dates: str = ""  # the visible "Last updated" line, or "" where there is none
    screenshot: Path | None = None
    requests: list[str] = field(default_factory=list)
    cookies: list[dict] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    dark_axe: list[str] = field(default_factory=list)
    symbols: dict = field(default_factory=dict)  # SYMBOL_CONTRAST in the light scheme: {seen, low}
    dark_symbols: dict = field(default_factory=dict)
    dark_background: str = ""
    light_background: str = ""
    targets: int = 0
    small_targets: list[str] = field(default_factory=list)
    small_text: list[str] | None = None  # SMALL_TEXT; None where not measured
    permalinks: list[str] = field(default_factory=list)
    overflow: dict = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    narrow: list[str] = field(default_factory=list)
    stops: list[dict] = field(default_factory=list)


def visit_all(browser, base: str, urls: list[str], view: View) -> dict[str, Visit]:
    """Each page at `view`. The view that checks the network gives each page a first visit of its own
    (a fresh context: empty cache, no cookies, no storage). The others open every page in one tab, as
    a reader going from page to page would, with cookies and storage cleared between pages: a fresh
    context costs a new renderer process, and that view already checks first visits."""
    if "network" in view.checks:
        visits = {}
        for url in urls:
            context = new_context(browser, view)
            try:
                visits[url] = visit(context.new_page(), base, url, view)
            finally:
                context.close()
        return visits
    context = new_context(browser, view)
    try:
        page, visits = context.new_page(), {}
        for url in urls:
            visits[url] = visit(page, base, url, view)
            # What one page stored must not change what the next one shows.
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
            context.clear_cookies()
        return visits
    finally:
        context.close()


def visit(page, base: str, url: str, view: View) -> Visit:
    """What `page`, a tab of a context made for `view`, shows of `url`."""
    result = Visit(url)

    def log(request):
        result.requests.append(request.url)

    context = page.context
    context.on("request", log)  # on the context, so requests from the search worker are logged too
    try:
        response = page.goto(base + url, wait_until="networkidle" if "network" in view.checks else "load")
        assert response.ok, f"/{url}: HTTP {response.status}"
        if "network" in view.checks:
            page.mouse.wheel(0, 20000)  # lazy content, if any, loads on scroll
            page.wait_for_timeout(300)
            page.mouse.wheel(0, -20000)
            result.cookies = context.cookies()
        if "heading" in view.checks:
            result.title = page.title()
            heading = page.locator("article h1")
            result.heading = heading.first.inner_text().replace("¶", "").strip() if heading.count() else ""
            dates = page.locator(".page-dates")
            result.dates = dates.first.inner_text() if dates.count() and dates.first.is_visible() else ""
            # Every page at every width, to look at (test-output/screenshots/).
            name = {"": "home", "404.html": "page-not-found"}.get(url, url.strip("/").replace("/", "-"))
            result.screenshot = OUTPUT / "screenshots" / f"{name}-{next(k for k, v in VIEWS.items() if v is view)}.png"
            result.screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=result.screenshot, full_page=True)
        if "axe" in view.checks:
            # Links fade to their new colour when the scheme changes: let axe see where they end up.
            page.add_style_tag(content=NO_MOTION)
            result.light_background = page.evaluate(BACKGROUND)
            result.axe = axe_violations(page)
            result.symbols = page.evaluate(SYMBOL_CONTRAST)
            page.emulate_media(color_scheme="dark")
            result.dark_background = page.evaluate(BACKGROUND)
            result.dark_axe = axe_violations(page, COLOUR_RULES)
            result.dark_symbols = page.evaluate(SYMBOL_CONTRAST)
            page.emulate_media(color_scheme="light")
        if "overflow" in view.checks:
            result.overflow = page.evaluate(OVERFLOW)
        if "lost" in view.checks:
            result.lost = [h for h in page.evaluate(LOST) if not h.endswith(": ")]
        if "narrow" in view.checks:
            result.narrow = page.evaluate(NARROW_CELLS, MIN_CHARACTERS)
        if "permalinks" in view.checks and url != "404.html":
            result.permalinks = page.evaluate(LONELY_PERMALINKS)
        if "taps" in view.checks:
            # Tall enough that every target is laid out inside the window.
            page.set_viewport_size({"width": view.width, "height": 20000})
            taps = page.evaluate(TARGETS)
            result.targets, result.small_targets = taps["count"], taps["small"]
            page.set_viewport_size({"width": view.width, "height": view.height})
            page.evaluate("() => window.scrollTo(0, 0)")
        if "fonts" in view.checks:
            result.small_text = page.evaluate(SMALL_TEXT, MIN_TEXT_PX)
        if "focus" in view.checks:
            result.stops = tab_through(page, stops=200)
    finally:
        context.remove_listener("request", log)
    return result


class Sweep:
    """Every built page, visited once per view when a test first asks for that view."""

    def __init__(self, browser, base: str, urls: list[str]):
        self.browser, self.base, self.urls = browser, base, urls
        self._done: dict[str, dict[str, Visit]] = {}

    def __call__(self, view: str) -> dict[str, Visit]:
        if view not in self._done:
            self._done[view] = visit_all(self.browser, self.base, self.urls, VIEWS[view])
        return self._done[view]
