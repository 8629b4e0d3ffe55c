"""The built site's citations and reference list: every link resolves both ways; bad input stops the build."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from sitegen.citations import load_bibliography
from sitegen.errors import SiteDataError
from helpers import ARTICLE_PAGES, REFERENCES_PAGE, ROOT, SOURCE, build_fails, build_site, copy_project, edit, model_of, record, soup_of
from text import source_parts

# The bibliography as the build reads it: keys in number order (an entry's place in the file does not count).
SOURCES = load_bibliography(ROOT / "references.bib")
BIB_KEYS = sorted(SOURCES, key=lambda key: SOURCES[key].number)
REFS_URL = REFERENCES_PAGE[1]


def resolve(site_dir: Path, from_url: str, href: str) -> tuple[str, str]:
    """(page URL, fragment) that `href` on page `from_url` points at, as a browser resolves it."""
    target = urlparse(urljoin("http://site/" + from_url, href))
    assert target.netloc == "site", href
    page = target.path.lstrip("/")
    assert (site_dir / page / "index.html").is_file(), f"{href} on /{from_url} goes to a missing page"
    return page, target.fragment


@pytest.fixture(scope="module")
def references(site_dir):
    return soup_of(site_dir, REFS_URL)


@pytest.fixture(scope="module")
def markers(site_dir):
    """Every citation link on the article pages: (page URL, <a>)."""
    return [(url, a) for _, url, _ in ARTICLE_PAGES for a in soup_of(site_dir, url).select("article sup.citation a")]


@pytest.mark.build
@pytest.mark.xdist_group("test_citations_build")  # shares this module's module-scoped fixture on one worker
def test_reference_list_is_every_entry_in_number_order_the_articles_first(references):
    items = references.select("article ol.bibliography > li")
    assert [li["id"] for li in items] == [f"ref-{key}" for key in BIB_KEYS]
    assert [SOURCES[key].number for key in BIB_KEYS] == list(range(1, len(SOURCES) + 1))  # the list's numbers are the entries'
    surnames = [line.split(",")[0].split(" (")[0].split(".")[0] for line in source_parts(SOURCE)["references"]]
    assert len(items) >= len(surnames)
    for li, surname in zip(items, surnames):  # the article's list, in its order, has its numbers
        assert li.select_one(".reference").get_text().startswith(surname.split(" ")[0]), (li["id"], surname)
    assert references.select_one("#ref-berman2000 .reference em").get_text() == "Biological Psychiatry"
    assert "<!-- insert:" not in str(references)


@pytest.mark.build
@pytest.mark.xdist_group("test_citations_build")  # shares this module's module-scoped fixture on one worker
def test_every_marker_links_to_its_numbered_entry(site_dir, references, markers):
    items = references.select("ol.bibliography > li")
    position = {li["id"]: n for n, li in enumerate(items, start=1)}
    assert markers, "no citation markers on the article pages"
    for url, a in markers:
        page, fragment = resolve(site_dir, url, a["href"])
        assert page == REFS_URL and fragment in position, a
        assert a.get_text() == str(position[fragment]), f"/{url}: marker {a.get_text()} links to entry {position[fragment]}"
        assert a.get_text() == str(SOURCES[fragment.removeprefix("ref-")].number), a
        assert a["aria-label"].startswith(f"Reference {a.get_text()}: ")
        assert a.find_parent("sup"), a


@pytest.mark.build
@pytest.mark.xdist_group("test_citations_build")  # shares this module's module-scoped fixture on one worker
def test_every_source_is_cited_and_every_citation_has_a_back_link(site_dir, references, markers):
    cited = {(url, a["id"]) for url, a in markers}
    assert len(cited) == len(markers), "citation ids repeat on a page"
    back, soups = set(), {}  # a page is parsed once, not once for each back-link to it
    retired = {key for change in yaml.safe_load((ROOT / "data/changes.yml").read_text(encoding="utf-8"))["changes"] for key in change.get("retire") or []}
    assert {li["id"] for li in references.select("ol.bibliography > li.retired")} == {f"ref-{key}" for key in retired}
    cited_entries = references.select("ol.bibliography > li:not(.retired)")
    assert len(cited_entries) == len(set(SOURCES) - retired) > 0, "the reference list is not the cited entries of references.bib"
    for li in cited_entries:
        links = li.select(".cited-on a")
        assert links, f"{li['id']} has no back-link"
        for a in links:
            page, fragment = resolve(site_dir, REFS_URL, a["href"])
            if page not in soups:
                soups[page] = soup_of(site_dir, page)
            target = soups[page].find(id=fragment)
            assert target is not None, f"back-link {a['href']} from {li['id']} resolves to nothing"
            # ...and the place it returns to cites this very entry.
            assert resolve(site_dir, page, target["href"]) == (REFS_URL, li["id"])
            back.add((page, fragment))
    assert back == cited
    assert {a["href"].split("#ref-")[1] for _, a in markers} == set(BIB_KEYS) - retired


@pytest.mark.build
def test_example_claims_cite_the_right_sources(site_dir):
    def keys_after(url, words):
        soup = soup_of(site_dir, url)
        node = next(p for p in soup.select("article p, article li") if words in p.get_text())
        return {a["href"].split("#ref-")[1] for a in node.select("sup.citation a")}

    assert "berman2000" in keys_after("uses/", "first human trial")
    assert "feder2021" in keys_after("uses/", "chronic PTSD responded")
    assert "krupitsky2007" in keys_after("uses/", "single treatment")
    assert "dea2018" in keys_after("ketamine/", "Schedule III")


@pytest.mark.build
def test_no_marker_inside_code(site_dir):
    # Every built page: the article pages show no code, the for-clinics page shows its snippets as code.
    # (A citation written in code staying text is test_citation_in_code_is_left_as_text_in_the_build.)
    code = [(path, el) for path in site_dir.rglob("*.html") for el in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select("article code, article pre")]
    assert code, "no page shows code: this check would prove nothing"
    assert not [path for path, el in code if el.select("sup.citation")]


# --- bad input stops the build ---------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "path, before, after, message",
    [
        ("docs/uses.md", "[@berman2000]", "[@berman2000; @nosuch1999]", "docs/uses.md, line {line}: unknown citation key 'nosuch1999'"),
        ("docs/uses.md", "[@berman2000]", "[@bermann2000]", "did you mean 'berman2000'?"),
        # Named at the line that needs the comma, not where the parser noticed it.
        ("references.bib", "  year    = {2000},\n  title   = {Antidepressant", "  year    = {2000}\n  title   = {Antidepressant",
         "references.bib, line {line}: a comma is missing at the end of this line, after the value of 'year'"),
        ("references.bib", "  title   = {Antidepressant effects of ketamine in depressed patients}", "  title   = {Antidepressant effects of {ketamine in depressed patients}",
         "references.bib, line {line}: the braces on this line do not pair up: the { that opens the value of 'title' is not closed"),
        # A new entry without its number, and one that copied another's: the number to write is named.
        ("references.bib", "@article{berman2000,\n", "@article{newsource2099,\n  author = {New, A.},\n  year = {2099},\n  title = {T},\n}\n\n@article{berman2000,\n",
         "references.bib, line {line}: entry 'newsource2099': has no refnumber; a new entry takes the next free number, wherever it stands in the file, "
         f"and keeps it for good: add the line `  refnumber = {{{len(SOURCES) + 1}}},` under `@article{{newsource2099,`"),
        ("references.bib", "@article{berman2000,\n", "@article{newsource2099,\n  refnumber = {1},\n  author = {New, A.},\n  year = {2099},\n  title = {T},\n}\n\n@article{berman2000,\n",
         "refnumber 1 is given to two entries, 'abdallah2018' (line"),
        ("references.bib", "@article{feder2021,", "@article{berman2000,", "duplicate key 'berman2000'"),
        ("references.bib", "  author  = {Berman, R. M. and others},\n", "", "entry 'berman2000': is missing 'author'"),
        ("references.bib", "  year    = {2000},\n", "", "entry 'berman2000': is missing 'year'"),
        ("docs/references.md", "<!-- insert: bibliography -->", "", "docs/references.md: needs the line <!-- insert: bibliography -->"),
    ],
)
def test_bad_citation_input_is_refused_before_anything_is_built(tmp_path, path, before, after, message):
    project = copy_project(tmp_path)
    edit(project, path, before, after)
    # The line the error must name: where the edit starts.
    text = (project / path).read_text(encoding="utf-8")
    message = message.replace("{line}", str(text[: text.index(after)].count("\n") + 1 if after else 0))
    with pytest.raises(SiteDataError) as caught:
        model_of(project)
    assert message in str(caught.value), str(caught.value)


@pytest.mark.rebuild
@pytest.mark.parametrize(
    "before, after, message",
    [
        ("[@orhurhu2022]", "", None),  # still cited elsewhere: fine
        ("[@ncdas]", "", "entry 'ncdas' is not cited on any page"),
        ("[@ncdas]", "`[@ncdas]`", "entry 'ncdas' is not cited on any page"),
    ],
)
def test_an_uncited_source_stops_the_build(tmp_path, before, after, message):
    project = copy_project(tmp_path)
    edit(project, "docs/index.md" if before == "[@orhurhu2022]" else "docs/uses.md", before, after)
    out = tmp_path / "out"
    if message is None:
        # Still cited elsewhere, so no source is left uncited: the ledger drops its entry, the record says why.
        ledger = (project / "data/reviews/citations.yml").read_text(encoding="utf-8")
        entry = re.search(r"^- page: docs/index\.md\n  sentence: It’s also used illegally[^\n]*\n  key: orhurhu2022\n(?:  .*\n)*", ledger, re.M)
        (project / "data/reviews/citations.yml").write_text(ledger.replace(entry.group(0), ""), encoding="utf-8")
        record(project, ["/", "/references/"], "A test removes one citation of a source cited elsewhere.")
        build_site(project, out)
        return
    assert message in build_fails(project, out)
    assert not out.exists(), "a failed build published pages"


@pytest.mark.rebuild
def test_citation_in_code_is_left_as_text_in_the_build(tmp_path):
    project = copy_project(tmp_path)
    # On a page of the site's own words: an article page may say only what the article says.
    edit(project, "docs/about.md", "## Reporting an error", "To cite a source, write `[@ncdas]` after the sentence.\n\n## Reporting an error")
    record(project, ["/about/"], "A test shows how to cite a source.")
    out = tmp_path / "out"
    build_site(project, out)
    code = [c for c in soup_of(out, "about/").select("article code") if "@ncdas" in c.get_text()]
    assert [c.get_text() for c in code] == ["[@ncdas]"]
    refs = soup_of(out, REFS_URL).select("#ref-ncdas .cited-on a")
    assert len(refs) == 1


@pytest.mark.rebuild
def test_a_citation_markdown_does_not_render_stops_the_build(tmp_path):
    """A citation the model counted but Markdown did not render would lose its back-link: refuse it."""
    project = copy_project(tmp_path)
    # Indented four spaces after a blank line: an indented code block to Markdown, prose to the model's scan.
    edit(project, "docs/uses.md", "Ketamine’s quick antidepressant", "Example:\n\n    Cited.[@berman2000]\n\nKetamine’s quick antidepressant")
    assert "docs/uses.md: the citations rendered differ from those written in the page" in build_fails(project, tmp_path / "out")


# --- in a browser: claim -> source -> claim ----------------------------------------------------


@pytest.mark.browser
def test_follow_a_citation_and_its_back_link(page, server, screenshots):
    page.goto(server + "uses/")
    marker = page.locator("#cite-berman2000-1")
    box = marker.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box  # WCAG 2.2 target size
    sizes = page.evaluate("""() => [document.querySelector('#cite-berman2000-1'), document.querySelector('article p')]
        .map(el => parseFloat(getComputedStyle(el).fontSize))""")
    assert sizes[0] < sizes[1], sizes  # the number stays visually small
    marker.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "citations-uses-marker.png")
    marker.click()
    page.wait_for_url("**/references/#ref-berman2000")
    entry = page.locator("#ref-berman2000")
    assert entry.is_visible() and "Antidepressant effects of ketamine" in entry.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == "ref-berman2000"
    assert entry.bounding_box()["y"] >= 0  # scrolled to, not hidden above the viewport
    page.screenshot(path=screenshots / "citations-references-target.png")
    entry.get_by_role("link", name=re.compile("What they are used for.*: back to citation 10")).click()
    page.wait_for_url("**/uses/#cite-berman2000-1")
    back = page.locator("#cite-berman2000-1")
    assert page.evaluate("document.querySelector(':target').id") == "cite-berman2000-1"
    box = back.bounding_box()
    assert 0 <= box["y"] <= page.viewport_size["height"], box


@pytest.mark.browser
def test_markers_do_not_open_up_lines_and_work_by_keyboard(page, server):
    page.goto(server + "uses/")
    # A marker that opened up its line would make the paragraph taller than n lines.
    paragraphs = page.evaluate("""() => [...document.querySelectorAll('article p')]
        .filter(p => p.querySelector('sup.citation'))
        .map(p => [p.getBoundingClientRect().height, parseFloat(getComputedStyle(p).lineHeight)])""")
    assert paragraphs
    for height, line in paragraphs:
        assert abs(height / line - round(height / line)) < 0.05, (height, line)
    page.focus("#cite-berman2000-1")
    page.keyboard.press("Enter")
    page.wait_for_url("**/references/#ref-berman2000")


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_every_marker_is_a_24px_target_next_to_its_words(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for _, url, _ in ARTICLE_PAGES:
        page.goto(server + url)
        boxes = page.evaluate("""() => [...document.querySelectorAll('sup.citation a')].map(a => {
            const r = a.getBoundingClientRect(), rects = a.getClientRects();
            // the word before the marker ends on the same line as the marker starts
            const range = document.createRange();
            const prev = a.closest('sup').previousSibling;
            let sameLine = true;
            if (prev && prev.nodeType === 3 && prev.length) {
                range.setStart(prev, prev.length - 1); range.setEnd(prev, prev.length);
                sameLine = Math.abs(range.getBoundingClientRect().bottom - a.closest('sup').getBoundingClientRect().bottom) < 20;
            }
            return {id: a.id, w: r.width, h: r.height, pieces: rects.length, sameLine};
        })""")
        assert boxes, f"/{url} has no citation markers: nothing would be checked"  # every article page cites
        for box in boxes:
            assert box["w"] >= 24 and box["h"] >= 24 and box["pieces"] == 1, (url, width, box)
            assert box["sameLine"], (url, width, box)
    context.close()


@pytest.mark.rebuild
def test_a_label_title_with_markup_stays_text_under_every_page_that_cites_it(tmp_path):
    """A drug label's title is named under each page that cites it ("Newest source cited: ... the 2020
    version"); markup in it is shown as written there too, as in the reference list."""
    project = copy_project(tmp_path)
    hostile = 'Spravato <img src="https://tracker.example/p.png"> & <a href="https://evil.example/">us</a>'
    bib = (project / "references.bib").read_text(encoding="utf-8")
    for key in [k for k, s in load_bibliography(project / "references.bib").items() if s.label]:
        title = re.search(r"@\w+\{" + key + r",.*?\n  title\s*=\s*\{(.*?)\},\n", bib, re.S).group(1)
        edit(project, "references.bib", "{" + title + "}", "{" + hostile + " " + title + "}")
    record(project, ["/references/"], "A test gives a source's title markup.")
    out = tmp_path / "out"
    build_site(project, out)
    shown = 0
    for _, page, _ in ARTICLE_PAGES:
        evidence = soup_of(out, page).select_one(".page-evidence")
        if evidence and "version" in evidence.get_text():
            assert not evidence.select("img, a"), page
            assert hostile in evidence.get_text(), page
            shown += 1
    assert shown
