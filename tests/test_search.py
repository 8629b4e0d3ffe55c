"""Search: the engine loads when a reader first searches, and finds what the theme's own worker finds."""

from __future__ import annotations

import json
import re

import pytest

from helpers import watch


THEME_WORKER = re.compile(r"/workers/search\.[0-9a-f]+\.min\.js$")
STAND_IN = re.compile(r"/workers/search-on-demand\.[0-9a-f]+\.min\.js$")
QUERIES = ["ketamine", "blood pressure", "sprav", "psilocybin", "988", "xyzzy"]


def _config(html: str) -> dict:
    return json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S).group(1))


@pytest.mark.build
def test_pages_name_the_stand_in_and_the_theme_worker_behind_it(site_dir):
    for path in (site_dir / "index.html", site_dir / "uses/index.html"):
        stand_in, _, engine = _config(path.read_text(encoding="utf-8"))["search"].partition("#")
        assert STAND_IN.search(stand_in), f"{path}: search worker is {stand_in}"
        assert (path.parent / stand_in).resolve().is_file(), stand_in
        assert (path.parent / stand_in).resolve().with_name(engine).is_file(), f"{engine} is not beside the stand-in"


@pytest.mark.build
def test_index_leaves_out_back_links_and_the_change_list(site_dir):
    docs = json.loads((site_dir / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    text = {doc["location"]: doc["text"] for doc in docs}
    assert not [loc for loc, t in text.items() if loc.startswith("references/") and "Cited on" in t]
    assert "Abdallah, C.\u00a0G., et al. (2018)" in text["references/#ref-abdallah2018"], "the sources themselves stay searchable"
    changes = " ".join(t for loc, t in text.items() if loc.startswith("changes/"))
    assert changes and "Pages:" not in changes and "Why:" not in changes, "the list of changes is in the index"
    assert "newest first" in text["changes/"], "the page's introduction stays searchable"


def _visit(browser, server, url, theme_worker_from=None):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))  # on the context: worker requests too
    if theme_worker_from:  # a built site: serve the theme's worker where the stand-in is asked for
        engine = next((theme_worker_from / "assets/javascripts/workers").glob("search.*.min.js"))
        context.route(STAND_IN, lambda route: route.fulfill(body=engine.read_bytes(), content_type="text/javascript"))
    page = context.new_page()
    errors = watch(page)
    # The load event first: on a loaded machine network idle alone can come before the page's
    # scripts are even asked for, and a first-visit check would then miss what they request.
    page.goto(server + url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return context, page, requested, errors


def _results(page, query: str) -> tuple[str, list[str]]:
    box = page.locator(".md-search__input")
    box.fill("")
    box.press_sequentially(query, delay=20)  # the theme listens for key events, not for fill()
    page.wait_for_function(
        "q => document.querySelector('.md-search__input').value === q"
        " && !/Initializing/.test(document.querySelector('.md-search-result__meta').textContent)",
        arg=query,
    )
    page.wait_for_timeout(400)
    meta = page.locator(".md-search-result__meta").inner_text()
    links = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return meta, [re.sub(r"^https?://[^/]+", "", href) for href in links]


@pytest.mark.browser
def test_a_first_visit_does_not_load_the_search_engine_until_the_reader_searches(browser, server, screenshots):
    context, page, requested, errors = _visit(browser, server, "side-effects/")
    assert any(STAND_IN.search(r) for r in requested), requested
    assert not any(r.endswith("/search/search_index.json") for r in requested), "the index loaded before search opened"
    assert not any(THEME_WORKER.search(r) for r in requested), "the theme's search worker loaded on a plain visit"

    page.keyboard.press("/")
    page.wait_for_function("() => document.querySelector('.md-search-result__meta').textContent.includes('Type to start searching')")  # a function: a bare expression is eval'd, which the CSP forbids
    assert any(r.endswith("/search/search_index.json") for r in requested), "opening search loads the index"
    assert not any(THEME_WORKER.search(r) for r in requested), "opening search is not yet searching"

    meta, links = _results(page, "psilocybin")
    page.screenshot(path=screenshots / "search-on-demand.png")
    assert meta == "1 matching document", meta
    assert any(link.startswith("/ketamine/") for link in links), links  # the psilocybin footnote
    assert [r for r in requested if THEME_WORKER.search(r)], "results came without the theme's worker"
    assert errors == []
    context.close()


@pytest.mark.browser
def test_results_are_the_theme_workers_results(browser, server, site_dir):
    found = {}
    for theme in (False, True):
        context, page, requested, errors = _visit(browser, server, "", theme_worker_from=site_dir if theme else None)
        page.keyboard.press("/")
        found[theme] = [_results(page, q) for q in QUERIES]
        assert errors == []
        context.close()
    assert found[False] == found[True]
    assert all(links for meta, links in found[False][:-1]), found[False]  # each real word finds pages
    assert found[False][-1] == ("No matching documents", [])


@pytest.mark.browser
def test_a_search_link_with_a_query_shows_results(browser, server):
    context, page, requested, errors = _visit(browser, server, "?q=nasal+spray")
    page.wait_for_selector(".md-search-result__item")
    assert page.locator(".md-search__input").input_value() == "nasal spray"
    assert "matching document" in page.locator(".md-search-result__meta").inner_text()
    assert errors == []
    context.close()


@pytest.mark.browser
def test_search_recovers_when_the_engine_fails_to_load_once(browser, server):
    context, page, requested, errors = _visit(browser, server, "")
    aborted: list[str] = []

    def fail_once(route):
        if aborted:
            route.continue_()
        else:
            aborted.append(route.request.url)
            route.abort()

    context.route(THEME_WORKER, fail_once)
    page.keyboard.press("/")
    page.keyboard.type("ketamine", delay=20)
    page.wait_for_timeout(800)
    assert aborted, "the test did not get to fail the engine's download"
    meta, links = _results(page, "spravato")
    assert "matching document" in meta and links, meta
    context.close()


def _index(site_dir) -> dict[str, str]:
    docs = json.loads((site_dir / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    return {doc["location"]: doc["text"] for doc in docs}


@pytest.mark.build
def test_tables_are_indexed_as_rows_a_reader_can_read(site_dir):
    # Issue 34: the theme ran a table's cells together ("Side effectKetamineEsketamine (Spravato) AnxietyAnxiety or fear").
    text = _index(site_dir)
    common = text["side-effects/#side-effects-common"]
    assert "<p>High blood pressure: Ketamine: High blood pressure; Esketamine (Spravato): High blood pressure.</p>" in common, common
    assert "<p>Blurred vision: Ketamine: Blurred vision; Esketamine (Spravato): Not on its list in the article.</p>" in common
    run_together = [loc for loc, t in text.items() if re.search(r"effectKetamine|AnxietyAnxiety|TopicKetamine", t)]
    assert not run_together, run_together


@pytest.mark.build
def test_the_for_clinics_lists_of_addresses_cards_and_pdfs_are_not_indexed(site_dir):
    # They repeat every other page's title, description and address: search found /for-clinics/ for "nasal spray".
    clinics = " ".join(t for loc, t in _index(site_dir).items() if loc.startswith("for-clinics/"))
    for repeated in ("&lt;a", "nasal spray", "Copy link", " PDF of "):
        assert repeated not in clinics, repeated
    # No other page's address (the feed's and the index's, named in the page's own words, may stand).
    others = [p.parent.name for p in site_dir.glob("*/index.html") if p.parent.name not in ("for-clinics", "changes")]
    assert others and not [name for name in others if f"/{name}/" in clinics], clinics[:500]
    assert "Please link to these pages rather than copying their text." in clinics, "the page's own words stay searchable"


def _snippets(page) -> list[dict]:
    """Each shown result's visible text blocks, in order, with their highlighted words and whether each is in view."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__article > p:not(.md-search-result__terms)')]
            .filter(p => p.getClientRects().length)
            .map(p => { const box = p.getBoundingClientRect();
                        return {text: p.innerText, marks: [...p.querySelectorAll('mark')].map(m => {
                            const r = m.getBoundingClientRect();
                            return [m.textContent, r.bottom <= box.bottom + 0.5 && r.top >= box.top - 0.5]; })}; })"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_the_first_snippet_for_blood_pressure_says_it_highlighted(browser, server, width):
    context, page, requested, errors = _visit(browser, server, "")
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate("() => document.querySelector('.md-search__input').focus()")
    meta, links = _results(page, "blood pressure")
    first = _snippets(page)[0]
    assert "blood pressure" in first["text"].casefold(), first
    shown = {word.strip(":;,.").casefold() for word, in_view in first["marks"] if in_view}
    assert {"blood", "pressure"} <= shown, first
    assert errors == []
    context.close()


@pytest.mark.browser
def test_nasal_spray_finds_the_pages_that_say_it_first(browser, server):
    context, page, requested, errors = _visit(browser, server, "")
    page.keyboard.press("/")
    meta, links = _results(page, "nasal spray")
    pages = []
    for link in links:
        path = link.split("?")[0].split("#")[0]
        if path not in pages:
            pages.append(path)
    # Not the for-clinics page (its link cards said it); a source whose title says it, after every page that does.
    assert "/for-clinics/" not in pages and pages[:3] == ["/", "/esketamine/", "/uses/"], pages
    assert pages[3:] in ([], ["/references/"]), pages
    assert errors == []
    context.close()
