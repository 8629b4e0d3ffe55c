"""Finding one's way on a phone (issue 16): guide contents, search that answers, tables a thumb can
read, a dark scheme, and a first visit without the search index. In real headless Chromium."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from helpers import ARTICLE_PAGES
from sitegen.pages import LINK_CARDS_PAGE, TOOL_PAGES, output_file
from sweep import MIN_CHARACTERS, NARROW_CELLS, VIEWS, axe_violations, built_pages, open_page
from test_search import _results, _visit

pytestmark = pytest.mark.browser

INDEX = "/search/search_index.json"
# The guide's topic pages: the article's pages after the home page, in the menu's order.
TOPICS = [url for src, url, title in ARTICLE_PAGES if src != "index.md"]


# --- Guide contents ---------------------------------------------------------------------------

def _contents(page) -> list[dict]:
    return page.locator("nav.guide-contents li a").evaluate_all(
        "links => links.map(a => ({text: a.textContent.trim(), href: new URL(a.href).pathname,"
        " current: a.getAttribute('aria-current')}))")


def test_every_topic_page_lists_the_guide_with_itself_marked(browser, server):
    for url in TOPICS:
        context, page = open_page(browser, server + url, 1280)
        items = _contents(page)
        assert [i["href"] for i in items] == ["/" + u for u in TOPICS], f"/{url}: {items}"
        assert [i["current"] for i in items] == ["page" if u == url else None for u in TOPICS], f"/{url}: {items}"
        # Right under the page's title, before its text.
        assert page.evaluate("document.querySelector('article h1').nextElementSibling.matches('nav.guide-contents')"), url
        context.close()


def test_guide_contents_are_folded_on_a_phone_and_open_with_one_tap(browser, server):
    url = TOPICS[1]
    context, page = open_page(browser, server + url, 375)
    summary = page.locator("nav.guide-contents summary")
    assert not page.locator("nav.guide-contents li").first.is_visible(), "the contents push the text down on a phone"
    summary.click()
    assert page.locator("nav.guide-contents li").first.is_visible()
    assert "page 2 of" in summary.inner_text()
    context.close()
    context, page = open_page(browser, server + url, 1280)
    assert page.locator("nav.guide-contents li").first.is_visible(), "the contents start folded on a wide screen"
    context.close()


def test_home_page_lists_the_topics_with_their_descriptions(browser, server, site_dir):
    context, page = open_page(browser, server, 375)
    items = page.locator("nav.guide-overview li").evaluate_all(
        "items => items.map(li => [new URL(li.querySelector('a').href).pathname, li.querySelector('.guide-overview__about').textContent])")
    assert [href for href, _ in items] == ["/" + u for u in TOPICS]
    for href, about in items:
        description = re.search(r'<meta name="description" content="([^"]*)"', (site_dir / href.strip("/") / "index.html").read_text(encoding="utf-8"))
        assert about == description.group(1).replace("&#39;", "'").replace("&amp;", "&"), href
    # Visible after the key takeaways, not a screen and more down a phone.
    assert page.locator("nav.guide-overview").bounding_box()["y"] < 1600
    context.close()


# --- One navigation per view (issue 34) -------------------------------------------------------

# Each outermost list on screen that links to three or more other pages of the site, with those pages.
PAGE_LISTS = """() => {
    const shown = e => e.checkVisibility({visibilityProperty: true, opacityProperty: true})
        && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0;
    const name = e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '');
    return [...document.querySelectorAll('ul, ol')].filter(l => !l.parentElement.closest('ul, ol')).map(l => ({
        where: (l.closest('nav, aside, footer, article, .md-sidebar') ? name(l.closest('nav, aside, footer, article, .md-sidebar')) + ' ' : '') + name(l),
        pages: [...new Set([...l.querySelectorAll('a[href]')].filter(shown).map(a => new URL(a.href))
            .filter(u => u.origin === location.origin && u.pathname !== location.pathname).map(u => u.pathname))],
    })).filter(l => l.pages.length >= 3);
}"""


def _page_lists(page) -> list[dict]:
    return page.evaluate(PAGE_LISTS)


def test_no_topic_page_at_1280px_shows_the_same_list_of_pages_twice(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        for url in TOPICS:
            page.goto(server + url)
            lists = _page_lists(page)
            for i, one in enumerate(lists):
                for other in lists[i + 1:]:
                    shared = set(one["pages"]) & set(other["pages"])
                    assert len(shared) < 3, f"/{url} lists {sorted(shared)} twice: in {one['where']} and {other['where']}"
            # The guide's contents are the list of pages on screen, beside the text as the menu was.
            guide = [entry for entry in lists if "guide-contents" in entry["where"]]
            assert len(guide) == 1 and set(guide[0]["pages"]) == {"/" + u for u in TOPICS if u != url}, (url, lists)
            box = page.locator("nav.guide-contents").bounding_box()
            text = page.locator("article h1").bounding_box()
            assert box["x"] + box["width"] <= text["x"] and box["y"] < text["y"] + text["height"], (url, box, text)
    finally:
        context.close()


def test_other_pages_keep_the_menu_and_a_phones_menu_is_the_same_on_every_page(browser, server):
    menu = "nav.md-nav--primary > ul > li > a.md-nav__link, nav.md-nav--primary > ul > li > label[for^=__nav]"
    seen = {}
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            for url in ("", "references/", "about/", "handout/", TOPICS[0], TOPICS[-1]):
                page.goto(server + url)
                if width == 375:
                    page.locator("label.md-header__button[for=__drawer]").click()
                    page.wait_for_timeout(300)
                items = page.locator(menu)
                visible = [items.nth(i).is_visible() for i in range(items.count())]
                seen[width, url] = items.evaluate_all("items => items.map(e => e.textContent.trim())")
                if width == 375:  # the current page's entry opens its sections in the drawer
                    visible = [v or "md-nav__link--active" in (items.nth(i).get_attribute("class") or "") for i, v in enumerate(visible)]
                topic = url in TOPICS
                assert all(visible) != (topic and width == 1280) and any(visible) != (topic and width == 1280), (width, url, visible)
        finally:
            context.close()
    labels = {tuple(v) for v in seen.values()}
    assert len(labels) == 1 and "References" in labels.pop(), seen


def test_the_table_of_contents_stays_only_where_a_page_has_more_than_a_few_sections(browser, server, site_dir):
    kept = {}
    for path in sorted(site_dir.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue  # a moved page's redirect
        sidebar = BeautifulSoup(html, "html.parser").select_one("div.md-sidebar--secondary")
        sections = len(sidebar.select("nav.md-nav--secondary > ul > li"))  # the page's h2s, as the theme lists them
        kept[path.parent.relative_to(site_dir).as_posix()] = (sections, not sidebar.has_attr("hidden"))
    assert all(shown == (count > 3) for count, shown in kept.values()), kept
    assert any(shown for _, shown in kept.values()) and not all(shown for _, shown in kept.values()), kept
    # On screen: a page with few sections shows no table of contents, one with more does.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        for url, (count, shown) in kept.items():
            if url in (".", "side-effects", "how-they-work", "about"):
                page.goto(server + ("" if url == "." else url + "/"))
                assert page.locator(".md-sidebar--secondary nav.md-nav--secondary").is_visible() == shown, url
    finally:
        context.close()


# --- A first visit without the search index ---------------------------------------------------

def test_a_first_visit_that_does_not_search_requests_no_search_index(browser, server, site_dir):
    for url in [u for u in built_pages(site_dir) if u != "404.html"][:6] + ["404.html"]:
        context, page, requested, errors = _visit(browser, server, url)
        page.mouse.wheel(0, 5000)
        page.keyboard.press("Tab")  # a keyboard reader's first step lands on the skip link, not search
        page.wait_for_load_state("networkidle")
        assert not [r for r in requested if urlsplit(r).path.endswith(INDEX)], f"/{url} loaded the search index"
        assert errors == [], errors
        context.close()


def test_opening_search_loads_the_index_once_and_finds(browser, server):
    context, page, requested, errors = _visit(browser, server, "uses/")
    page.keyboard.press("/")
    meta, links = _results(page, "spravato")
    assert "matching document" in meta and links, meta
    assert len([r for r in requested if urlsplit(r).path.endswith(INDEX)]) == 1, requested
    assert errors == []
    context.close()


def test_tapping_the_search_button_on_a_phone_searches(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(server + "side-effects/", wait_until="networkidle")
    page.locator('label.md-header__button[for="__search"]').tap()
    page.locator(".md-search__input").press_sequentially("nausea", delay=20)
    page.wait_for_selector(".md-search-result__item")
    assert "matching document" in page.locator(".md-search-result__meta").inner_text()
    context.close()


# --- Search that answers ----------------------------------------------------------------------

# What a reader types, and the page they want first.
QUESTIONS = {
    # "side effects might depend on the dose", and microdosing's "small doses": first in either order, as
    # any sentence with the word added to another page moves one past the other.
    "dose": ("/side-effects/", "/uses/"),
    "nasal spray": "/",  # the home page compares the two; esketamine/ follows
    "MAOI": "/interactions/",
    "pregnant": "/contraindications/",
    "handout": "/handout/",
    "suicidal": "/get-help/",
    "link": ("/link-cards/", "/for-clinics/"),  # the two pages for linking to this site, first in either order
    "references": "/references/",
}


def _pages(links: list[str]) -> list[str]:
    """Result links as pages, in order, each once (the theme lists a page, then its sections)."""
    pages = []
    for link in links:
        page = urlsplit(link).path
        if page not in pages:
            pages.append(page)
    return pages


@pytest.fixture(scope="module")
def answers(browser, server):
    context, page, requested, errors = _visit(browser, server, "")
    page.keyboard.press("/")
    found = {q: _results(page, q) for q in [*QUESTIONS, "print", "nausea", "berman"]}
    # How tall each result is, on a phone, for the longest list the site had ("dose" found References).
    page.set_viewport_size({"width": 375, "height": 800})
    _results(page, "ketamine")
    heights = page.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.getBoundingClientRect().height)")
    assert errors == []
    context.close()
    return found, heights


@pytest.mark.xdist_group("test_phone")  # shares this module's module-scoped fixture on one worker
@pytest.mark.parametrize("question", QUESTIONS)
def test_the_first_result_is_the_page_a_reader_wants(answers, question):
    meta, links = answers[0][question]
    wanted = QUESTIONS[question] if isinstance(QUESTIONS[question], tuple) else (QUESTIONS[question],)
    assert sorted(_pages(links)[:len(wanted)]) == sorted(wanted), f"{question!r}: {meta}, {_pages(links)}"


@pytest.mark.xdist_group("test_phone")  # shares this module's module-scoped fixture on one worker
def test_article_pages_rank_above_references_and_glossary(answers):
    for question in ("dose", "MAOI", "nausea"):
        pages = _pages(answers[0][question][1])
        lists = [p for p in pages if p in ("/references/", "/glossary/")]
        assert all(pages.index(p) > 0 for p in lists), f"{question!r}: {pages}"


@pytest.mark.xdist_group("test_phone")  # shares this module's module-scoped fixture on one worker
def test_each_reference_and_glossary_term_is_its_own_result(answers):
    meta, links = answers[0]["berman"]
    assert [urlsplit(link).fragment for link in links if "#" in link] == ["ref-berman2000"], links
    meta, links = answers[0]["MAOI"]
    assert any(link.endswith("/glossary/?h=maoi#term-maois") for link in links), links


@pytest.mark.xdist_group("test_phone")  # shares this module's module-scoped fixture on one worker
def test_print_finds_the_handout_and_the_for_clinics_page(answers):
    pages = _pages(answers[0]["print"][1])
    assert "/handout/" in pages and "/for-clinics/" in pages, pages


@pytest.mark.xdist_group("test_phone")  # shares this module's module-scoped fixture on one worker
def test_no_result_is_taller_than_a_few_lines_on_a_phone(answers):
    heights = answers[1]
    assert len(heights) > 5, heights
    # A section title (up to 3 lines), its page's title, and 3 lines of text: about 220 px at 375 px.
    assert max(heights) < 260, heights


# --- Tables and layout at 320 px --------------------------------------------------------------

@pytest.mark.parametrize("view", ["narrow"])
def test_no_sideways_scroll_and_no_narrow_table_column_at_320px(sweep, view):
    failures = []
    visits = sweep(view)
    assert VIEWS[view].width == 320 and "side-effects/" in visits
    for url, seen in visits.items():
        wide = seen.overflow["scrollWidth"] - seen.overflow["clientWidth"]
        if wide > 0:
            failures.append(f"/{url}: scrolls sideways by {wide} px")
        failures += [f"/{url}: {cell}" for cell in seen.narrow]
        # Nor does a table's own box scroll: a card shows the whole row.
        failures += [f"/{url}: table scrolls sideways" for over in seen.overflow["tables"] if over > 0]
    # The side-effects page has tables: the table checks above had something to check.
    assert visits["side-effects/"].overflow["tables"], "no .data-table on /side-effects/ at 320 px"
    assert not failures, "\n".join(failures)


def test_the_narrow_cell_check_finds_a_squeezed_table(browser, server):
    context, page = open_page(browser, server + "side-effects/", 320)
    page.add_style_tag(content="@media screen { .md-typeset .data-table table { display: table !important; }"
                       " .md-typeset .data-table tr { display: table-row !important; }"
                       " .md-typeset .data-table th, .md-typeset .data-table td { display: table-cell !important; } }")
    assert page.evaluate(NARROW_CELLS, MIN_CHARACTERS), "three columns at 320 px should be too narrow"
    context.close()


@pytest.mark.parametrize("width", [320, 375])
def test_cards_are_labelled_and_keep_the_table_for_screen_readers(browser, server, width):
    # At 320 px each cell is stacked under its column's name; from 360 px the medicines sit side by
    # side under one row of column names. Either way screen readers keep the table.
    context, page = open_page(browser, server + "side-effects/", width)
    table = page.locator("table.data-table__table").first
    cell = table.locator("td").first
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    names = table.locator("thead th").evaluate_all(  # the names shown (the header row and the name at least 2 px wide)
        "ths => ths.filter(th => th.closest('thead').getBoundingClientRect().width > 1 && th.getBoundingClientRect().width > 1).map(th => th.textContent)")
    if width == 320:
        assert "Ketamine" in label and not names, (label, names)
    else:
        assert label == "none" and names == ["Ketamine", "Esketamine (Spravato)"], (label, names)
    tree = table.aria_snapshot()
    assert tree.startswith("- table ") and "- rowheader " in tree and "- cell " in tree and "- columnheader " in tree, tree[:300]
    context.close()


PHONE = (375, 812)  # one screen of a common phone


def test_the_side_effects_compare_at_a_glance_on_a_phone(browser, server):
    """Issue 34: compact cards, the two medicines side by side in each, under the column names,
    which stay in view below the site's header while the cards scroll by."""
    context, page = open_page(browser, server + "side-effects/", *PHONE)
    rows = page.locator("table.data-table__table tbody tr").evaluate_all(
        "trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => Math.round(td.getBoundingClientRect().top)))")
    assert len(rows) >= 10 and all(len(set(tops)) == 1 and len(tops) == 2 for tops in rows), rows
    height = page.locator(".data-table").evaluate("t => t.getBoundingClientRect().height")
    assert height <= 2 * PHONE[1], f"the side-effects cards take {height:.0f} px, more than two screens"
    page.locator("table.data-table__table tbody tr").nth(8).evaluate("tr => tr.scrollIntoView()")
    page.evaluate("() => window.scrollBy(0, -200)")
    header, names = page.evaluate("""() => [document.querySelector('.md-header').getBoundingClientRect().bottom,
                                           document.querySelector('.data-table thead').getBoundingClientRect().toJSON()]""")
    assert names["top"] >= header - 0.5 and names["top"] <= header + 2 and names["height"] > 10, (header, names)
    context.close()


@pytest.mark.parametrize("width", [320, 375])
def test_the_serious_side_effects_and_911_are_one_tap_from_the_top_on_a_phone(browser, server, width):
    """Issue 34: on a phone they come after the comparison and the label's warnings, screens down;
    a link in the first screen leads to them, and after the tap the list and the 911 line show."""
    context, page = open_page(browser, server + "side-effects/", width, PHONE[1])
    link = page.locator("article a[href='#side-effects-serious']").first
    box = link.bounding_box()
    assert link.is_visible() and box["y"] + box["height"] <= PHONE[1], box
    assert box["height"] >= 24, box
    link.click()
    page.wait_for_function("() => location.hash === '#side-effects-serious'")
    seen = page.evaluate("""() => {
        const heading = document.getElementById('side-effects-serious');
        const list = heading.parentElement.querySelector('#side-effects-serious ~ ul');
        const call = heading.parentElement.querySelector('#side-effects-serious ~ .call-911');
        return [heading, list, call].map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; });
    }""")
    assert all(top >= 0 and bottom <= PHONE[1] for top, bottom in seen), seen
    context.close()


def test_side_effects_data_cells_name_their_headers(site_dir):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site_dir / "side-effects/index.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.select_one("table.data-table__table")
    ids = {th["id"]: th.get_text(" ", strip=True) for th in table.find_all("th")}
    cells = table.find_all("td")
    assert cells
    for td in cells:
        named = [ids[h] for h in td["headers"]]
        column = table.select_one("thead").find_all("th")[td.parent.find_all("td").index(td) + 1].get_text(strip=True)
        assert named[0] == column and named[-1] == td.parent.th.get_text(" ", strip=True), (td, named)
    groups = table.select("tr.data-table__group th")
    assert all(any(g["id"] in td["headers"] for td in body.find_all("td")) for g in groups for body in [g.find_parent("tbody")])


# --- Accessibility beyond axe -----------------------------------------------------------------

def test_search_form_has_a_submit_button_that_searches(browser, server):
    context, page, requested, errors = _visit(browser, server, "uses/")
    page.keyboard.press("/")
    page.locator(".md-search__input").press_sequentially("nasal spray", delay=20)
    submit = page.locator("form[name=search] button[type=submit]")
    assert submit.get_attribute("aria-label") == "Search"
    submit.click()
    page.wait_for_url("**/uses/?q=nasal+spray")
    page.wait_for_selector(".md-search-result__item")
    assert page.locator(".md-search__input").input_value() == "nasal spray"
    context.close()


def test_the_contents_toggle_is_named_on_pages_without_contents(site_dir):
    for path in sorted(site_dir.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        toggle = re.search(r'<input[^>]*id="__toc"[^>]*>', html)
        if toggle and 'for="__toc"' not in html:
            assert "aria-label=" in toggle.group(0), path


def test_keyboard_readers_open_search_and_reach_a_result(browser, server):
    context, page, requested, errors = _visit(browser, server, "ketamine/")
    page.keyboard.press("/")
    page.keyboard.type("pregnant", delay=30)
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused and "contraindications/" in focused, focused
    page.keyboard.press("Enter")
    page.wait_for_url("**/contraindications/**")
    assert errors == []
    context.close()


@pytest.mark.parametrize("view", ["phone"])
def test_hidden_permalinks_take_no_line_of_their_own_on_a_phone(sweep, view):
    failures = [f"/{url}: {h}" for url, seen in sweep(view).items() for h in seen.permalinks]
    assert not failures, "hidden permalinks on a line of their own:\n" + "\n".join(failures)


def test_citation_groups_stay_on_the_line_of_the_word_they_follow(browser, server):
    failures = []
    for url in ["", *TOPICS]:
        context, page = open_page(browser, server + url, 375)
        failures += [f"/{url}: {text}" for text in page.evaluate("""() => [...document.querySelectorAll('article sup.citation')]
            .filter(sup => {
                const before = sup.previousSibling;
                let word;
                if (before && before.nodeType === 3 && before.length) {
                    const range = document.createRange();
                    range.setStart(before, before.length - 1); range.setEnd(before, before.length);
                    word = range.getBoundingClientRect();
                } else if (before && before.nodeType === 1 && before.getClientRects().length) {
                    word = [...before.getClientRects()].pop();  // a glossary term, say
                } else return false;
                return sup.querySelector('a').getBoundingClientRect().top > word.bottom - 2;
            }).map(sup => sup.textContent)""")]
        context.close()
    assert not failures, "citations on a line of their own:\n" + "\n".join(failures)


# In each paragraph or list item that cites, every line sits one line-height below the one before
# (no citation makes its line taller), and each citation's number lies within its own line's band,
# not up beside the line above (issue 34).
CITED_LINES = r"""() => {
    const out = [];
    for (const block of document.querySelectorAll('article p, article li')) {
        if (!block.querySelector('sup.citation, sup[id^=fnref]') || !block.checkVisibility()) continue;
        if ([...block.children].some(c => !getComputedStyle(c).display.startsWith('inline'))) continue;
        const style = getComputedStyle(block);
        const height = parseFloat(style.lineHeight), size = parseFloat(style.fontSize);
        const boxes = [];
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (!n.nodeValue.trim() || n.parentElement.closest('sup') || parseFloat(getComputedStyle(n.parentElement).fontSize) !== size) continue;
            const range = document.createRange();
            range.selectNodeContents(n);
            for (const r of range.getClientRects()) if (r.width > 0) boxes.push([r.top, r.bottom]);
        }
        boxes.sort((a, b) => a[0] - b[0]);
        const lines = boxes.filter((box, i) => i === 0 || box[0] - boxes[i - 1][0] > 1);
        const where = block.textContent.trim().slice(0, 40);
        lines.slice(1).forEach(([top], i) => {
            const gap = top - lines[i][0];
            if (Math.abs(gap - height) > 1) out.push(`"${where}": line ${i + 2} starts ${gap.toFixed(1)} px below line ${i + 1}, not ${height} px`);
        });
        for (const a of block.querySelectorAll('sup a')) {
            const r = a.getBoundingClientRect(), s = getComputedStyle(a);
            const top = r.top + parseFloat(s.paddingTop), bottom = r.bottom - parseFloat(s.paddingBottom);
            const own = lines.some(([t, b]) => top >= t - (height - (b - t)) / 2 - 0.5 && bottom <= b + 0.5);
            if (!own) out.push(`"${where}": [${a.textContent}] is drawn outside the band of every line (${top.toFixed(1)} to ${bottom.toFixed(1)})`);
        }
    }
    return out;
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_lines_around_citations_are_no_taller_than_the_others(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    failures, blocks = [], 0
    try:
        for url in ["", *TOPICS]:
            page.goto(server + url)
            failures += [f"/{url} at {width} px: {problem}" for problem in page.evaluate(CITED_LINES)]
            blocks += page.locator("article p:has(sup.citation)").count()
    finally:
        context.close()
    assert blocks > 20, blocks  # the check measured the site's cited paragraphs
    assert not failures, "\n".join(failures)


def test_the_key_takeaways_box_carries_a_list_icon_not_the_pencil(browser, server):
    context, page = open_page(browser, server, 1280)
    icons = page.evaluate("""() => {
        const mask = sel => getComputedStyle(document.querySelector(sel), '::before').maskImage;
        const note = document.createElement('div');
        note.className = 'admonition note';
        note.innerHTML = '<p class="admonition-title">Note</p>';
        document.querySelector('article').append(note);
        return {summary: mask('article .summary > .admonition-title'), note: mask('article .note > .admonition-title'),
                title: document.querySelector('article .summary > .admonition-title').textContent.trim()};
    }""")
    context.close()
    assert icons["title"] == "Key takeaways" and icons["summary"].startswith("url(") and icons["summary"] != icons["note"], icons
    # A bulleted list: three square bullets, each beside a line.
    assert "M3 5h3v3H3zm5 .5h13v2H8z" in icons["summary"].replace("%20", " "), icons["summary"][:200]


def test_a_group_reads_as_one_bracketed_list_and_a_footnote_as_a_note(browser, server):
    context, page = open_page(browser, server + "ketamine/", 1280)
    drawn = page.evaluate("""() => { const sup = [...document.querySelectorAll('sup.citation')].find(s => s.querySelectorAll('a').length > 1)
        || document.querySelector('sup.citation');
        const links = [...sup.querySelectorAll('a')];
        return [getComputedStyle(links[0], '::before').content, getComputedStyle(links.at(-1), '::after').content,
                getComputedStyle(document.querySelector('sup[id^=fnref] a'), '::before').content]; }""")
    assert drawn[0].startswith('"["') and drawn[1].startswith('"]"') and "note" in drawn[2], drawn
    context.close()


# --- Urgent help one tap away (issue 31) -------------------------------------------------------

HELP = "header .md-header__help"
# Where "Get help now" is, and whether a tap at its centre lands on it (nothing covers it).
HELP_ON_SCREEN = """selector => {
    const link = document.querySelector(selector);
    if (!link) return null;
    const box = link.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    return {left: box.left, top: box.top, right: box.right, bottom: box.bottom, width: box.width, height: box.height,
            hit: !!hit && link.contains(hit), text: link.textContent.trim(), href: new URL(link.href).pathname,
            scrollY: Math.round(scrollY), scrollable: document.documentElement.scrollHeight - innerHeight};
}"""


def _help_problems(page, where: str) -> list[str]:
    seen = page.evaluate(HELP_ON_SCREEN, HELP)
    if seen is None:
        return [f"{where}: no \"Get help now\" in the header"]
    size = page.viewport_size
    problems = []
    if seen["text"] != "Get help now" or seen["href"] != "/get-help/":
        problems.append(f"{where}: {seen['text']!r} to {seen['href']}")
    if not (seen["top"] >= 0 and seen["left"] >= 0 and seen["bottom"] <= size["height"] and seen["right"] <= size["width"]):
        problems.append(f"{where}: off screen at {seen}")
    elif not seen["hit"]:
        problems.append(f"{where}: covered at its centre ({seen})")
    if seen["width"] < 24 or seen["height"] < 24:
        problems.append(f"{where}: {seen['width']:.0f} x {seen['height']:.0f} px, under 24 x 24")
    return problems


def test_get_help_now_is_on_screen_and_tappable_at_every_scroll_position_of_every_page(browser, server, site_dir):
    context = browser.new_context(viewport={"width": 375, "height": 812}, has_touch=True, is_mobile=True)
    page = context.new_page()
    problems, long_pages, urls = [], [], built_pages(site_dir)
    for url in urls:
        page.goto(server + url, wait_until="load")
        problems += _help_problems(page, f"/{url} at the top")
        for where, share in (("halfway down", 0.5), ("at the bottom", 1)):
            page.evaluate("share => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * share)", share)
            page.wait_for_timeout(50)  # the header's title swaps as the page's heading scrolls away
            problems += _help_problems(page, f"/{url} {where}")
        if page.evaluate("scrollY") > 2 * 812:
            long_pages.append(url)
    # Scrolling meant something: most pages are more than two screens long on a phone.
    assert len(long_pages) > len(urls) / 2, long_pages
    # One real tap, at the bottom of a long page, opens the help page.
    page.goto(server + "side-effects/")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.locator(HELP).tap()
    page.wait_for_url("**/get-help/")
    context.close()
    assert not problems, "\n".join(problems)


def test_get_help_now_is_in_the_header_on_a_wide_screen_reached_early_by_keyboard_and_not_printed(browser, server):
    for width, height in ((1280, 800), (375, 812)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(server + "handout/")
        page.evaluate("window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) / 2)")
        problems = _help_problems(page, f"/handout/ at {width} px, halfway down")
        assert not problems, problems
        # The site's name stays whole beside it: on a phone its short name (test_the_phone_header_shows_the_whole_short_name).
        page.evaluate("window.scrollTo(0, 0)")
        name = page.locator(".md-header__topic:first-child .site-name:visible")
        assert name.inner_text().strip() == ("Ketamine and esketamine for depression" if width > 375 else "Ketamine and esketamine")
        assert name.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight"), f"the site's name is cut at {width} px"
        # Keyboard: after the skip link (and the logo on a wide screen), before search and the page.
        for presses in range(1, 6):
            page.keyboard.press("Tab")
            if page.evaluate("selector => document.activeElement.matches(selector)", HELP):
                break
        else:
            raise AssertionError(f"Tab did not reach \"Get help now\" at {width} px")
        assert presses <= 3, presses
        # Paper: no header, so no button.
        page.emulate_media(media="print")
        assert not page.locator(HELP).is_visible()
        context.close()


# Every corner of the name's text, one pixel in, hits the name itself: nothing clips or covers it.
WHOLE_NAME = r"""selector => {
    const name = document.querySelector(selector);
    const style = getComputedStyle(name);
    const range = document.createRange();
    range.selectNodeContents(name);
    const lines = [...range.getClientRects()].filter(r => r.width > 0);
    const header = document.querySelector('.md-header').getBoundingClientRect();
    const help = document.querySelector('.md-header__help').getBoundingClientRect();
    const problems = [];
    for (const r of lines) {
        for (const [x, y] of [[r.left + 1, r.top + 1], [r.right - 1, r.top + 1], [r.left + 1, r.bottom - 1], [r.right - 1, r.bottom - 1]]) {
            const hit = document.elementFromPoint(x, y);
            if (!hit || !name.contains(hit)) problems.push(`(${Math.round(x)}, ${Math.round(y)}) shows ${hit ? hit.className : 'nothing'}`);
        }
        if (r.top < header.top || r.bottom > header.bottom) problems.push('a line outside the header');
        if (r.right > help.left) problems.push('a line under "Get help now"');
    }
    return {text: name.innerText.replace(/\s+/g, ' ').trim(), lines: lines.length, size: parseFloat(style.fontSize), problems,
            cut: name.scrollWidth > name.clientWidth || name.scrollHeight > name.clientHeight};
}"""


@pytest.mark.parametrize("width", [320, 375])
def test_the_phone_header_shows_the_whole_short_name(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 812})
    page = context.new_page()
    try:
        for url in ("", "side-effects/", "404.html"):
            page.goto(server + url)
            shown = page.evaluate(WHOLE_NAME, ".md-header__topic:first-child .site-name--short")
            assert shown["text"] == "Ketamine and esketamine", (url, shown)
            assert not shown["problems"] and not shown["cut"] and shown["lines"] <= 2 and shown["size"] >= 12, (url, width, shown)
            assert page.locator(".md-header__topic:first-child .site-name--wide").is_hidden()
    finally:
        context.close()


def test_a_wide_header_shows_the_mark_and_the_whole_name(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(server + "side-effects/")
        shown = page.evaluate(WHOLE_NAME, ".md-header__topic:first-child .site-name--wide")
        assert shown["text"] == "Ketamine and esketamine for depression" and shown["lines"] == 1, shown
        assert not shown["problems"] and not shown["cut"], shown
        mark = page.locator("header a.md-logo svg.site-mark").bounding_box()
        assert mark["width"] >= 20 and mark["height"] >= 20, mark
    finally:
        context.close()


# --- Dark scheme ------------------------------------------------------------------------------
# Light at both widths: tests/test_accessibility.py (Chromium's default scheme is light).

@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_axe_finds_nothing_in_the_dark_scheme(sweep, view):
    failures = []
    for url, seen in sweep(view).items():
        assert seen.light_background == "rgb(255, 255, 255)" and seen.dark_background != seen.light_background, f"/{url} is not dark"
        failures += [f"/{url} at {VIEWS[view].width} px: {v}" for v in seen.dark_axe]
    assert not failures, "axe-core violations in the dark scheme:\n" + "\n".join(failures)


def test_axe_finds_nothing_in_the_dark_scheme_with_search_open(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 900}, color_scheme="dark", bypass_csp=True)
    page = context.new_page()
    page.goto(server + "ketamine/", wait_until="networkidle")
    page.keyboard.press("/")
    page.locator(".md-search__input").press_sequentially("ketamine", delay=20)
    page.wait_for_selector(".md-search-result__item")
    failures = axe_violations(page)
    context.close()
    assert not failures, failures


# The open glossary tooltip: its box, edge, ground and text colours, and where the text's column starts.
TOOLTIP = """() => {
    const tip = document.querySelector('.md-tooltip2--active[role=tooltip] > .md-tooltip2__inner');
    if (!tip) return null;
    const s = getComputedStyle(tip), r = tip.getBoundingClientRect();
    return {left: r.left, right: r.right, border: s.borderTopColor, width: parseFloat(s.borderTopWidth), ground: s.backgroundColor,
            text: s.color, page: getComputedStyle(document.body).backgroundColor, column: document.querySelector('article').getBoundingClientRect().left};
}"""


def _rgb(colour: str, under: tuple[float, float, float] = (255, 255, 255)) -> tuple[float, float, float]:
    parts = [float(p) for p in re.findall(r"[\d.]+", colour)]
    alpha = parts[3] if len(parts) > 3 else 1
    return tuple(c * alpha + u * (1 - alpha) for c, u in zip(parts[:3], under))


def _contrast(a, b) -> float:
    def luminance(rgb):
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_glossary_tooltips_have_a_visible_edge_and_open_over_the_text_not_the_menu(browser, server, scheme):
    problems, seen = [], 0
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        try:
            for url in ("how-they-work/", "handout/", ""):
                page.goto(server + url)
                terms = page.locator("article abbr")
                # The term furthest left, whose tooltip would spill furthest over the menu's column.
                lefts = terms.evaluate_all("terms => terms.map(t => t.getBoundingClientRect().left)")
                term = terms.nth(lefts.index(min(lefts)))
                term.scroll_into_view_if_needed()
                term.hover()
                page.wait_for_selector(".md-tooltip2--active[role=tooltip]")
                page.wait_for_timeout(300)  # the theme fades it in
                tip = page.evaluate(TOOLTIP)
                seen += 1
                page_ground = _rgb(tip["page"])
                ground = _rgb(tip["ground"], page_ground)
                edge = _contrast(_rgb(tip["border"], ground), page_ground)
                text = _contrast(_rgb(tip["text"], ground), ground)
                where = f"/{url} at {width} px, {scheme}"
                if tip["width"] < 1 or edge < 3:
                    problems.append(f"{where}: the tooltip's edge is {tip['width']} px at {edge:.2f}:1 against the page")
                if text < 4.5:
                    problems.append(f"{where}: the tooltip's text is {text:.2f}:1")
                if tip["left"] < (tip["column"] - 0.5 if width == 1280 else 0):
                    problems.append(f"{where}: the tooltip starts at {tip['left']:.0f} px, left of the text's column at {tip['column']:.0f} px")
                if tip["right"] > width:
                    problems.append(f"{where}: the tooltip ends off screen at {tip['right']:.0f} px")
                page.mouse.move(0, 0)
        finally:
            context.close()
    assert seen == 6 and not problems, "\n".join(problems)


def test_print_is_light_in_the_dark_scheme(browser, server):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(server + "side-effects/")
    page.emulate_media(media="print", color_scheme="dark")
    colours = page.evaluate("[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('article p')).color]")
    context.close()
    assert colours[0] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)") and colours[1] in ("rgb(0, 0, 0)", "rgba(0, 0, 0, 0.87)"), colours


# --- The lighter first visit's pieces, tested directly ------------------------------------------

def test_trimming_drops_only_rules_no_page_can_match():
    from sitegen import trimcss

    css = (".used{a:1}.unused{b:2}.used .unused,.used>p{c:3}a:not(.unused){d:4}"
           "@media screen{.unused{e:5}}@media print{.used{f:6}}@keyframes x{0%{g:7}}[data-x]{h:8}")
    used = trimcss.used_words(['<p class="used other">'], ['el.classList.add("scripted")'])
    assert {"used", "other", "scripted", "classList"} <= used
    assert trimcss.trim(css, used) == (".used{a:1}.used>p{c:3}a:not(.unused){d:4}"
                                       "@media print{.used{f:6}}@keyframes x{0%{g:7}}[data-x]{h:8}")


def test_parts_the_script_builds_count_only_where_a_page_carries_their_trigger():
    from sitegen import trimcss

    config = '<script id="__config" type="application/json">{"features": ["content.code.copy"], "version": null}</script>'
    plain = trimcss.unscripted(['<div class="admonition note">', config])
    # The page has a note and turns on code copying: those stay; tabs, versions, highlighting go.
    assert not {"note", "md-code__button", "md-code__nav"} & plain
    assert {"tabbed-labels", "md-version__list", "highlight", "tip", "md-annotation"} <= plain
    # A version set in the page's settings brings the version menu's classes back.
    versioned = config.replace('"version": null', '"version": {"provider": "mike"}')
    assert not {"md-version", "md-version__list"} & trimcss.unscripted([versioned])
    css = ".tabbed-labels{a:1}.note{b:2}.md-code__button{c:3}"
    used = trimcss.used_words(['<div class="admonition note">', config], ["tabbed-labels note md-code__button"])
    assert trimcss.trim(css, used - plain) == ".note{b:2}.md-code__button{c:3}"


def test_custom_properties_nothing_reads_are_dropped():
    from sitegen import trimcss

    css = (":root{--read:1;--unread:url(\"data:image/svg+xml;charset=utf-8,<svg/>\");--chain:2;--only-chain:var(--chain)}"
           ".a{color:var(--read)}@media screen{.b{--lonely:3}}.c{--site:4;--script:5;x:1}")
    site_css = [".d{color:var(--site)}"]
    scripts = ['el.style.setProperty("--script", "1")']
    assert trimcss.drop_unused_properties(css, site_css, scripts) == (
        ":root{--read:1}.a{color:var(--read)}.c{--site:4;--script:5;x:1}"
    )


def test_whitespace_with_a_line_break_becomes_one_line_break_outside_verbatim_elements():
    from sitegen import themefix

    html = (
        '<nav>\n    \n      <a href="x"\n         class="y">Home</a>\n\n  <span>a</span>  <span>b</span>\n</nav>\n'
        "<pre><code>line 1\n\n    indented</code></pre>\n   <textarea>\n  kept\n</textarea>\n"
        "<script>var a = 1\n\n   var b = 2</script>\n  <p>one\n     two</p>"
    )
    assert themefix.collapse_whitespace(html) == (
        '<nav>\n<a href="x"\n         class="y">Home</a>\n<span>a</span>  <span>b</span>\n</nav>\n'
        "<pre><code>line 1\n\n    indented</code></pre>\n<textarea>\n  kept\n</textarea>\n"
        "<script>var a = 1\n\n   var b = 2</script>\n<p>one\ntwo</p>"
    )


def test_published_pages_carry_no_blank_lines_and_their_code_as_written(site_dir):
    for page in [site_dir / output_file(src) for src in TOOL_PAGES]:
        outside = re.sub(r"<(pre|script)\b.*?</\1>", "<verbatim>", page.read_text(encoding="utf-8"), flags=re.S)
        assert "\n\n" not in outside and not re.search(r"\n[ \t]", outside), page
    # The link cards' code keeps its indentation: a clinic pastes exactly what it sees.
    assert "\n  &lt;p&gt;&lt;a href=" in (site_dir / output_file(LINK_CARDS_PAGE)).read_text(encoding="utf-8")


def test_the_trimmed_stylesheet_keeps_what_pages_and_scripts_use(site_dir):
    css = next((site_dir / "assets/stylesheets").glob("main.*.min.css")).read_text(encoding="utf-8")
    # Kept: the admonition the home page uses and its icon, tooltips, search results, tables.
    for kept in (".md-typeset .admonition", "--md-admonition-icon--note:", ".md-tooltip2", ".md-search-result__more",
                 ".md-typeset__table", "--md-primary-fg-color:"):
        assert kept in css, kept
    # Gone: parts no page has (highlighted code, tabs, versions, other admonition types) and their icons.
    for gone in (".highlight", ".tabbed-labels", ".md-version", ".md-typeset .tip", "--md-admonition-icon--bug:",
                 "--md-code-hl-color:", "--md-version-icon:"):
        assert gone not in css, gone


def test_the_published_theme_stylesheet_is_trimmed_and_linked(site_dir):
    names = [p.name for p in (site_dir / "assets/stylesheets").glob("main.*.min.css")]
    assert len(names) == 1 and names[0] != "main.57a0d79d.min.css", names  # the theme's own name is gone
    assert not list((site_dir / "assets/stylesheets").glob("main.*.map"))
    assert names[0] in (site_dir / "uses/index.html").read_text(encoding="utf-8")
    css = (site_dir / "assets/stylesheets" / names[0]).read_text(encoding="utf-8")
    assert ".md-search-result__item" in css and ".md-typeset .tabbed-set" not in css and ".md-typeset .critic" not in css


def test_search_index_refinement_splits_lists_and_weights_pages():
    from sitegen import search

    index = {"config": {}, "docs": [
        {"location": "uses/", "title": "Uses", "text": "<p>Ketamine <sup>3</sup> helps.</p><ul><li>A</li></ul>"},
        {"location": "references/", "title": "References", "text": "<p>Intro.</p><ol><li>Berman</li></ol>"},
        {"location": "about/", "title": "About", "text": "<p>Us.</p>"},
        {"location": "for-clinics/", "title": "For clinics", "text": "<p>Link.</p>"},
    ]}
    out = search.refine(index, first={"uses/"}, title_only=[("handout/", "Printable handout", "Two pages.")],
                        lists=[search.ListPage("references/", [search.Entry("ref-berman2000", "10. Berman et al., 2000", "Berman, R. (2000).")])],
                        also={"uses/": "extra"}, tasks=frozenset({"for-clinics/"}))
    docs = {d["location"]: d for d in out["docs"]}
    # In blocks, the words it is also found by with the first: the theme shows only matching blocks.
    assert docs["uses/"]["text"] == "<p>Ketamine helps. extra</p><p>A</p>" and "boost" not in docs["uses/"]
    assert docs["references/"]["text"] == "<p>Intro.</p>" and docs["references/"]["boost"] == search.SITE_PAGE
    assert docs["references/#ref-berman2000"]["boost"] == search.LIST_ENTRY
    assert docs["about/"]["boost"] == search.SITE_PAGE == 0.3
    assert docs["for-clinics/"]["boost"] == search.TASK_PAGE == 0.6  # tasks rank above other site pages
    assert docs["handout/"]["title"] == "Printable handout" and "boost" not in docs["handout/"]  # found only by its name
