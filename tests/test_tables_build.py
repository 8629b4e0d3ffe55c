"""Generated tables and glossary in the built site: editing data, bad data, and a real browser."""

from __future__ import annotations

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import ROOT, build_fails, copy_project, edit, line_of, model_of, soup_of
from sitegen.errors import SiteDataError

WIDTHS = {"phone": 375, "desktop": 1280}


# ---------------------------------------------------------------------------
# The built pages


@pytest.mark.build
def test_tables_are_accessible_html(site_dir):
    for url, ids in [("side-effects/", ["table-side-effects"]), ("", ["table-at-a-glance"])]:
        soup = soup_of(site_dir, url)
        assert "<!-- insert:" not in str(soup.article)
        for ident in ids:
            table = soup.select_one(f"article table#{ident}")
            assert table.caption and table.caption.get_text(strip=True)
            assert table.select("thead th") and all(th.get("scope") == "col" for th in table.select("thead th"))
            assert table.select("tbody tr"), f"#{ident} has no rows"
            for tr in table.select("tbody tr"):
                first = tr.find(["th", "td"])
                assert first.name == "th" and first.get("scope") in ("row", "rowgroup"), tr
            region = table.parent
            assert "data-table" in region["class"] and region["role"] == "region"
            assert region["aria-labelledby"] == table.caption["id"]


@pytest.mark.build
def test_side_effects_are_one_alphabetical_list_that_claims_no_contrast(site_dir):
    """The article lists each drug's effects; it never says a drug lacks one. So no row groups
    ("ketamine only"), no "No", an empty cell says whose list is silent, and a legend before the
    table says that an effect missing from one list can still happen."""
    table = soup_of(site_dir, "side-effects/").select_one("table#table-side-effects")
    assert not table.select("th[scope=rowgroup]") and len(table.select("tbody")) == 1
    labels = [tr.find("th").get_text(strip=True) for tr in table.select("tbody tr")]
    assert len(labels) > 10 and labels == sorted(labels, key=str.casefold)
    empty = table.select("tbody td.data-table__empty")
    assert empty, "the table should show where one medicine's list leaves an effect out"
    assert all("article" in td.get_text() for td in empty), "an empty cell names whose list is silent"
    assert ">No<" not in str(table) and "only" not in table.get_text(" ").casefold()
    legend = table.parent.find_previous_sibling()
    assert "data-table__legend" in legend["class"] and "can still happen" in legend.get_text(), legend
    assert table.parent["aria-describedby"] == legend["id"]
    caption = table.caption.get_text(" ", strip=True).casefold()
    assert "common" not in caption and "article" in caption


@pytest.mark.build
def test_at_a_glance_is_on_home_after_key_takeaways(site_dir):
    article = soup_of(site_dir, "").article
    table = article.select_one("table#table-at-a-glance")
    blocks = [el for el in article.find_all(["div", "h2"]) if "summary" in el.get("class", []) or "data-table" in el.get("class", [])]
    assert [b["class"][0] for b in blocks] == ["admonition", "data-table"] and table in blocks[1].descendants
    assert table.find_parent("div").find_previous_sibling("h2") is not None  # a heading of its own, after the key takeaways
    cells = [" ".join(td.get_text(" ").split()) for td in table.select("td")]
    for row in model_of(ROOT).tables["at-a-glance"].rows:  # every item of the data, in a cell
        for item in (item for items in row.cells.values() for item in items):
            assert any(" ".join(item.split()) in cell for cell in cells), item
    assert all("article" in td.get_text() for td in article.select("table#table-at-a-glance td.data-table__empty"))


@pytest.mark.build
def test_glossary_page_lists_every_term(site_dir):
    data = yaml.safe_load((ROOT / "data/glossary.yml").read_text(encoding="utf-8"))
    soup = soup_of(site_dir, "glossary/")
    terms = [dt.get_text(strip=True) for dt in soup.select("article dl.glossary dt")]
    assert sorted(terms, key=str.casefold) == terms
    assert set(terms) == {entry["term"] for entry in data["terms"]}
    assert soup.select_one("article abbr") is None


@pytest.mark.build
def test_each_term_has_one_focusable_tooltip_per_page(site_dir):
    seen = set()
    for path in site_dir.rglob("index.html"):
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").article
        if article is None:
            continue
        abbrs = article.select("abbr")
        assert all(a.get("tabindex") == "0" and a.get("title") for a in abbrs), path
        titles = [a["title"] for a in abbrs]
        assert len(titles) == len(set(titles)), f"{path}: a term has two tooltips"
        assert not article.select("h1 abbr, h2 abbr, h3 abbr"), path
        seen.update(a.get_text() for a in abbrs)
    assert {"Glutamate", "PTSD", "off-label", "Schedule III", "MAOIs"} <= seen


# ---------------------------------------------------------------------------
# Editing data in a copy of the project


@pytest.mark.unit
def test_a_row_added_to_the_data_is_refused_until_it_is_the_articles_words(tmp_path):
    """The refusals an editor meets adding a row; the whole task, recorded and built, is tests/test_editing.py's."""
    project = copy_project(tmp_path)
    data = project / "data/side-effects.yml"
    text = data.read_text(encoding="utf-8").replace(
        "      - label: Anxiety\n",
        "      - label: Test row added by the build test\n        cells:\n          esketamine: Wording & <care> from the test\n      - label: Anxiety\n",
    )
    data.write_text(text, encoding="utf-8")
    # "<care>" looks like an HTML tag, which the data check refuses.
    with pytest.raises(SiteDataError) as refused:
        model_of(project)
    assert f"data/side-effects.yml, line {line_of(data, '<care>')}" in str(refused.value) and "contains HTML" in str(refused.value), str(refused.value)

    data.write_text(text.replace("<care>", "care"), encoding="utf-8")
    with pytest.raises(SiteDataError) as refused:  # not the article's wording, and nothing on the record says why
        model_of(project)
    message = str(refused.value)
    assert f"data/side-effects.yml, line {line_of(data, 'Test row added')}" in message, message
    assert "'Wording & care from the test' is not the article's wording" in message and "data/changes.yml" in message, message


@pytest.mark.unit
@pytest.mark.parametrize(
    "change, where, message",
    [
        (("docs/side-effects.md", "<!-- insert: table side-effects -->", "<!-- insert: table side-efects -->"), "docs/side-effects.md, line {side-efects}", "needs one of: at-a-glance, side-effects; got 'side-efects'"),
        (("docs/side-effects.md", "<!-- insert: table side-effects -->", "<!-- insert: table side-effects -->\n\n<!-- insert: table side-effects -->"), "docs/side-effects.md, line {side-effects}", "is on this page twice"),
        (("data/side-effects.yml", "    row_heading: Side effect\n", "    row_heading: [Side effect\n"), "data/side-effects.yml, line", "a '[' opened on this line is never closed"),
        (("data/at-a-glance.yml", "          esketamine: nasal spray\n", "          esketamne: nasal spray\n"), "data/at-a-glance.yml, line", "'esketamne' is not a defined drug column"),
        (("docs/index.md", "<!-- insert: table at-a-glance -->", ""), "data/at-a-glance.yml", "placed on no page"),
    ],
)
def test_bad_data_is_refused_before_anything_is_built(tmp_path, change, where, message):
    project = copy_project(tmp_path)
    edit(project, *change)
    if "{" in where:  # the line the edit put the marker on (the second, for a duplicate)
        name = where[where.index("{") + 1:-1]
        lines = [n for n, line in enumerate((project / change[0]).read_text(encoding="utf-8").splitlines(), 1) if f"table {name} " in line]
        where = where[:where.index("{")] + str(lines[-1])
    with pytest.raises(SiteDataError) as caught:
        model_of(project)
    assert str(caught.value).startswith(where) and message in str(caught.value), str(caught.value)


@pytest.mark.rebuild
def test_a_glossary_term_no_page_uses_stops_the_build(tmp_path):
    project = copy_project(tmp_path)
    edit(project, "data/glossary.yml", "  - term: IM\n", "  - term: Zygote\n    definition: Not on any page.\n    source: site\n  - term: IM\n")
    out = tmp_path / "out"
    message = build_fails(project, out)
    assert f"data/glossary.yml, line {line_of(project / 'data/glossary.yml', 'Zygote')}" in message, message
    assert "glossary term 'Zygote' appears on no page" in message, message
    assert not out.exists(), "a failed build published pages"


# ---------------------------------------------------------------------------
# In a real browser


def _layout(page):
    return page.evaluate(
        """() => {
        const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width, height: r.height}; };
        return {
          pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
          viewport: document.documentElement.clientWidth,
          tables: [...document.querySelectorAll('article .data-table')].map(region => ({
            region: box(region),
            scrollWidth: region.scrollWidth,
            clientWidth: region.clientWidth,
            overflowX: getComputedStyle(region).overflowX,
          })),
        };
    }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("name", WIDTHS)
def test_side_effects_tables_fit_phone_and_desktop(browser, server, screenshots, name):
    context = browser.new_context(viewport={"width": WIDTHS[name], "height": 900})
    page = context.new_page()
    page.goto(server + "side-effects/")
    layout = _layout(page)
    assert not layout["pageScrolls"], "the page itself scrolls sideways"
    assert len(layout["tables"]) == 1
    for table in layout["tables"]:
        assert table["region"]["width"] > 0 and table["region"]["height"] > 0
        assert 0 <= table["region"]["left"] and table["region"]["right"] <= layout["viewport"]
        if table["scrollWidth"] > table["clientWidth"]:
            assert table["overflowX"] in ("auto", "scroll"), "a wide table is clipped instead of scrolling"
    # Every column heading can be brought into view inside its table box.
    headings = page.locator("article .data-table thead th").all()
    assert len(headings) == 3, headings  # side effect, ketamine, esketamine
    for th in headings:
        th.scroll_into_view_if_needed()
        inside = th.evaluate(
            "th => { const r = th.getBoundingClientRect(), c = th.closest('.data-table').getBoundingClientRect();"
            " return r.width > 0 && r.left >= c.left - 1 && r.right <= c.right + 1; }"
        )
        assert inside, th.inner_text()
    page.evaluate("window.scrollTo(0, 0)")  # so the sticky header sits at the top of the full-page shot
    page.screenshot(path=screenshots / f"side-effects-tables-{name}.png", full_page=True)
    context.close()


@pytest.mark.browser
def test_home_at_a_glance_fits_a_phone(browser, server, screenshots):
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.goto(server)
    layout = _layout(page)
    assert not layout["pageScrolls"]
    assert page.locator("#table-at-a-glance").is_visible()
    page.screenshot(path=screenshots / "home-at-a-glance-phone.png", full_page=True)
    context.close()


def _tooltip_of(page, term):
    # The open tooltip is the one the term points to (a link's tooltip may still be fading out).
    page.wait_for_function("el => el.getAttribute('aria-describedby')", arg=term.element_handle(), timeout=3000)
    tooltip = page.locator(f"[id='{term.get_attribute('aria-describedby')}']")
    tooltip.wait_for(state="visible", timeout=3000)
    assert tooltip.get_attribute("role") == "tooltip"
    return tooltip


@pytest.mark.browser
@pytest.mark.parametrize("name", WIDTHS)
def test_glossary_term_opens_with_the_keyboard(browser, server, screenshots, name):
    context = browser.new_context(viewport={"width": WIDTHS[name], "height": 900})
    page = context.new_page()
    page.goto(server + "side-effects/")
    term = page.locator("article abbr").first
    definition = term.get_attribute("title")
    assert term.inner_text() == "off-label"
    for _ in range(200):  # Tab through the page as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "ABBR":
            break
    assert page.evaluate("document.activeElement.textContent") == "off-label"
    tooltip = _tooltip_of(page, term)
    assert tooltip.inner_text().strip() == definition
    box = tooltip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[name], "tooltip runs off the screen"
    page.screenshot(path=screenshots / f"glossary-tooltip-{name}.png")
    # WCAG 1.4.13: Escape dismisses it without moving focus.
    page.keyboard.press("Escape")
    tooltip.wait_for(state="hidden", timeout=3000)
    assert page.evaluate("document.activeElement.textContent") == "off-label"
    context.close()


@pytest.mark.browser
def test_glossary_term_opens_with_a_tap(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(server + "how-they-work/")
    term = page.locator("article abbr").first
    definition = term.get_attribute("title")  # material moves the title into the tooltip while it shows
    term.tap()
    assert _tooltip_of(page, term).inner_text().strip() == definition
    context.close()


@pytest.mark.browser
def test_printed_rows_do_not_break_across_pages(page, server):
    page.goto(server + "side-effects/")
    page.emulate_media(media="print")
    styles = page.evaluate(
        "() => [...document.querySelectorAll('.data-table tr')].map(tr => getComputedStyle(tr).breakInside)"
    )
    assert styles and set(styles) == {"avoid"}
    overflow = page.evaluate("getComputedStyle(document.querySelector('.data-table')).overflowX")
    assert overflow == "visible", "a printed table must not be cut at the paper's edge"


@pytest.mark.build
def test_the_sites_own_glossary_meanings_are_marked_as_such(site_dir):
    data = yaml.safe_load((ROOT / "data/glossary.yml").read_text(encoding="utf-8"))
    ours = {entry["term"] for entry in data["terms"] if entry.get("source") == "site"}
    assert ours, "the glossary marks no meaning as the site's own"
    marked = {dd.find_previous_sibling("dt").get_text(strip=True) for dd in soup_of(site_dir, "glossary/").select("article dl.glossary dd")
              if "(this site’s own definition)" in dd.get_text()}
    assert marked == ours


@pytest.mark.browser
@pytest.mark.parametrize("media", ["screen", "print"])
def test_the_legend_is_read_before_the_first_card_on_a_phone(browser, server, media):
    # On a phone the table becomes cards; a reader meets "can still happen" before any empty cell.
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(server + "side-effects/")
    page.emulate_media(media=media)
    found = page.evaluate(
        """() => {
            const legend = document.querySelector('article .data-table__legend');
            const first = document.querySelector('article .data-table tbody tr');
            const empty = document.querySelector('article .data-table td.data-table__empty');
            const box = e => e.getBoundingClientRect();
            return {legend: legend && box(legend).height > 0 && getComputedStyle(legend).visibility === 'visible',
                    text: legend && legend.innerText, before: legend && box(legend).bottom <= box(first).top,
                    emptyBelow: !empty || box(legend).bottom <= box(empty).top};
        }"""
    )
    context.close()
    assert found["legend"] and found["before"] and found["emptyBelow"], found
    assert "can still happen" in found["text"], found
