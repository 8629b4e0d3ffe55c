"""Printouts and the handout: what a patient holds in their hand.

Pure functions first, then the built HTML, then real print-to-PDF in headless
Chromium, checked with poppler (pdfinfo, pdftotext) and rendered to PNG with
pdftoppm into test-output/print/ for people to look at.
"""

from __future__ import annotations

import re
import subprocess
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
import segno
from bs4 import BeautifulSoup

from helpers import ARTICLE_PAGES, OUTPUT, REFERENCES_PAGE, ROOT, SOURCE, soup_of
from sitegen import handout, printing
from sitegen.errors import SiteDataError
from sitegen.glossary import load_glossary
from sitegen.handout import actions_html, online_version_html, qr_svg, relative_link
from sitegen.pdfs import NOT_PRINTED, pdf_name, pin_pdf_dates
from sitegen.printing import add_print_addresses, add_print_furniture, cited_sources, page_sources, print_address, sources_block, strip_citations
from text import normalise, recorded_edits

SITE = "https://ketamine-depression.example.org/"
HANDOUT = ("handout.md", "handout/", "Ketamine and esketamine (Spravato) for depression: what to know")
ALL_PAGES = ARTICLE_PAGES + [REFERENCES_PAGE, HANDOUT]
PAPERS = ["Letter", "A4"]
PRINTS = OUTPUT / "print"


# ---------------------------------------------------------------- helpers


def qr_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (row, column) drawn by a segno SVG path, without its quiet zone.

    segno draws each row as horizontal strokes: `M4 4.5h7m2 0h3...`.
    """
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg, re.I).group(1))
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, a, b in re.findall(r"([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            for column in range(int(x), int(x + float(a))):
                dark.add((int(y), column))
            x += float(a)
    border = next(i for i in range(size) if any(r == i for r, _ in dark))  # first dark row = finder pattern
    return {(r - border, c - border) for r, c in dark}


def encodes(svg: str, url: str) -> bool:
    """Whether the SVG is the QR code of `url` at any error-correction level (what a phone would read)."""
    drawn = qr_modules(svg)
    for level in "LMQH":
        code = segno.make(url, error=level, boost_error=False, micro=False)
        expected = {(r, c) for r, row in enumerate(code.matrix) for c, bit in enumerate(row) if bit}
        if drawn == expected:
            return True
    return False


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_text_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def flat(text: str) -> str:
    """Text without any whitespace: long addresses wrap across lines on paper."""
    return re.sub(r"\s+", "", text)


def look(pdf: Path, name: str) -> None:
    """Render the PDF's pages to PNG for a person to check, as a patient would see them."""
    PRINTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(PRINTS / name)], check=True)


def print_to_pdf(browser, url: str, path: Path, paper: str) -> Path:
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(url)
    assert response.ok, url
    page.emulate_media(media="print")
    page.pdf(path=str(path), format=paper)
    context.close()
    return path


# ---------------------------------------------------------------- pure functions


@pytest.mark.unit
def test_internal_links_get_their_full_address():
    html = (
        '<p>See <a href="../interactions/">drug interactions</a>, '
        '<a href="../uses/#uses-ptsd" title="a > b">PTSD</a> and '
        '<a href="https://www.fda.gov/x">the FDA</a>.</p>'
    )
    out = add_print_addresses(html, SITE + "side-effects/")
    assert 'data-print-href="https://ketamine-depression.example.org/interactions/"' in out
    assert 'data-print-href="https://ketamine-depression.example.org/uses/#uses-ptsd"' in out
    assert 'data-print-href="https://www.fda.gov/x"' in out
    assert BeautifulSoup(out, "html.parser").get_text() == BeautifulSoup(html, "html.parser").get_text()


@pytest.mark.unit
def test_marks_jumps_and_self_describing_links_get_no_address():
    html = (
        '<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2>\n'
        '<p>Text<sup id="fnref:n"><a class="footnote-ref" href="#fn:n">1</a></sup>'
        '<sup><a href="../references/#ref-berman2000">3</a></sup> '
        '<a href="#b">jump</a> <a href="mailto:x@example.org">write</a> '
        '<a href="https://example.org/a">https://example.org/a</a> <a class="md-button" href="../pdf/x.pdf">PDF</a> <a id="anchor"></a> '
        '<a href="../uses/#cite-berman2000-1">↩</a> <a class="backlink" href="../uses/#cite-berman2000-1">What they are used for</a></p>'
    )
    assert add_print_addresses(html, SITE + "uses/") == html


@pytest.mark.unit
def test_addresses_land_in_the_right_tag_across_lines_and_entities():
    html = 'x\n<p>caf&eacute; &amp; <a\n href="../a/?q=1&amp;r=2">one</a></p>\n<p><a href="b/">two</a></p>'
    soup = BeautifulSoup(add_print_addresses(html, SITE + "page/"), "html.parser")
    assert [a["data-print-href"] for a in soup.find_all("a")] == [SITE + "a/?q=1&r=2", SITE + "page/b/"]


@pytest.mark.unit
@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x85", "\r"],
                         ids=["line-separator", "paragraph-separator", "vertical-tab", "form-feed", "file-separator", "next-line", "return"])
def test_addresses_land_in_the_right_tag_after_characters_only_splitlines_breaks_at(separator):
    # HTMLParser counts lines by "\n" alone; str.splitlines breaks at each of these too, which put the
    # offsets after it on the wrong tag (a build stopped on "start tag not where the parser said").
    html = f'<p>A line{separator}break.\n<a href="../a/">one</a>{separator}<a href="b/">two</a></p>'
    assert add_print_addresses(html, SITE + "page/") == (
        f'<p>A line{separator}break.\n<a href="../a/" data-print-href="{SITE}a/">one</a>{separator}'
        f'<a href="b/" data-print-href="{SITE}page/b/">two</a></p>')


@pytest.mark.unit
def test_cited_sources_in_number_order_once_each():
    html = (
        '<p>a<sup><a href="../references/#ref-zeta2020">12</a></sup> b<sup><a href="../references/#ref-alpha2000">3</a>,'
        '<a href="../references/#ref-zeta2020">12</a></sup> <a href="../references/#ref-beta2001">not a citation</a></p>'
    )
    assert cited_sources(html) == [("3", "alpha2000"), ("12", "zeta2020")]


@pytest.mark.unit
def test_sources_block_is_print_only_and_numbered_as_in_the_text():
    block = sources_block([("3", "alpha2000", "Alpha (2000)."), ("12", "zeta2020", "Zeta (2020).")])
    soup = BeautifulSoup(block, "html.parser")
    section = soup.select_one("section.print-only")
    assert section.has_attr("hidden")
    assert section.h2.get_text() == "Sources cited on this page"
    assert [(li["value"], li.get_text()) for li in section.select("li")] == [("3", "Alpha (2000)."), ("12", "Zeta (2020).")]
    assert [span.get_text() for span in section.select("li > span.reference")] == ["Alpha (2000).", "Zeta (2020)."]
    assert sources_block([]) == ""


@pytest.mark.unit
def test_sources_block_is_exactly_this_markup():
    # A number that is not a plain number (a malformed citation) gets no value: the list counts on.
    assert sources_block([("3", "alpha2000", "Alpha."), ("?", "zeta2020", "Zeta.")]) == (
        '\n<section class="print-only print-sources" aria-labelledby="print-sources" hidden>\n'
        '<h2 id="print-sources">Sources cited on this page</h2>\n'
        '<ol>\n<li value="3"><span class="reference">Alpha.</span></li><li><span class="reference">Zeta.</span></li>\n</ol>\n</section>\n'
    )


@pytest.mark.unit
def test_cited_sources_read_bracketed_and_odd_numbers_and_nested_marks():
    html = (
        '<p>a<sup><a href="../references/#ref-c">[12]</a></sup> b<sup><a href="../references/#ref-d">x</a></sup>'
        ' c<sup><a href="../references/#ref-e"></a></sup> d<sup><a href="references.html#ref-b">[3]</a></sup>'
        ' e<sup><sup>1</sup><a href="../references/#ref-a">2</a></sup></p>'
    )
    # Numbers in order, then what has no number, in the order met.
    assert cited_sources(html) == [("2", "a"), ("3", "b"), ("12", "c"), ("x", "d"), ("?", "e")]


@pytest.mark.unit
def test_print_addresses_follow_the_text_a_link_really_has():
    html = (
        '<a class="headerlink" href="#a">¶</a><a href="../a/">A</a>'  # a skipped mark does not end the work
        '<sup><sup>1</sup><a href="../b/">note</a></sup>'  # still inside the outer <sup> after the inner one closes
        '<a href="https://example.org/c/">example.org/c</a>'  # its text is its address, bar the scheme
        '<a href="../d/"><em>Uses</em> 1</a>'  # text in pieces
        '<a href="../e/?q=&quot;x&quot;">E</a>'
        '<a href="../f/" data-print-href="kept">F</a>'
        '<a href="../g/"/>'
    )
    out = add_print_addresses(html, SITE + "page/")
    assert [a.get("data-print-href") for a in BeautifulSoup(out, "html.parser").find_all("a")] == [
        None, SITE + "a/", None, None, SITE + "d/", SITE + 'e/?q="x"', "kept", None,
    ]
    assert '<a href="../e/?q=&quot;x&quot;" data-print-href="https://ketamine-depression.example.org/e/?q=&quot;x&quot;">' in out
    assert add_print_addresses('<p><a href="../a/"/>A</p>', SITE + "page/") == '<p><a href="../a/"/>A</p>'


@pytest.mark.unit
def test_offline_addresses_keep_their_section():
    assert print_address("uses.html#uses-ptsd", "file:///x/side-effects.html", "file:///x/") == "file:///x/uses/#uses-ptsd"
    assert print_address("./#top", SITE, SITE) == SITE + "#top"
    assert print_address("assets/a.png", SITE, SITE) == SITE + "assets/a.png"


class _Source:
    def __init__(self, html):
        self.html = html


@pytest.mark.unit
def test_a_citation_missing_from_the_bibliography_is_an_error_naming_page_and_key():
    html = '<p>x<sup><a href="../references/#ref-nobody1999">4</a></sup></p>'
    with pytest.raises(SiteDataError, match=r"docs/uses\.md: cites nobody1999, not in references.bib"):
        page_sources(html, {"other2000": _Source("Other.")}, "docs/uses.md")
    assert page_sources("<p>No citations.</p>", {}, "docs/uses.md") == ""


PAGE = (
    '<html><body><nav><a href="../uses/">Uses</a></nav><article class="md-content__inner">'
    '<p>See <a href="../uses/">uses</a>.<sup class="citation"><a href="../references/#ref-a2000">3</a></sup></p>'
    '<aside class="page-furniture"><p>Dates</p></aside></article></body></html>'
)


@pytest.mark.unit
def test_print_furniture_goes_into_the_article_only():
    out = add_print_furniture(PAGE, SITE + "side-effects/", {"a2000": _Source("Alpha.")}, "docs/side-effects.md")
    soup = BeautifulSoup(out, "html.parser")
    assert not soup.nav.a.has_attr("data-print-href")
    assert soup.article.p.a["data-print-href"] == SITE + "uses/"
    # The sources end the page's text, before the closing note and dates.
    assert [child.name for child in soup.article.find_all(recursive=False)] == ["p", "section", "aside"]
    assert soup.select_one("section.print-sources li").get_text() == "Alpha."


@pytest.mark.unit
def test_a_page_without_its_closing_note_ends_with_its_sources():
    page = PAGE.replace('<aside class="page-furniture"><p>Dates</p></aside>', "")
    out = add_print_furniture(page, SITE + "side-effects/", {"a2000": _Source("Alpha.")}, "docs/side-effects.md")
    assert out.endswith('<li value="3"><span class="reference">Alpha.</span></li>\n</ol>\n</section>\n</article></body></html>')
    assert add_print_furniture("<html><body><p>No article.</p></body></html>", SITE, {}, "x") == "<html><body><p>No article.</p></body></html>"


@pytest.mark.unit
def test_offline_pages_print_public_addresses():
    page = PAGE.replace("../uses/", "uses.html").replace("../references/", "references.html")
    out = add_print_furniture(page, SITE + "side-effects.html", {"a2000": _Source("Alpha.")}, "x", offline_site=SITE)
    soup = BeautifulSoup(out, "html.parser")
    assert soup.article.p.a["data-print-href"] == SITE + "uses/"
    assert soup.select_one("section.print-sources li")["value"] == "3"


@pytest.mark.unit
def test_strip_citations_removes_rendered_and_raw_citations_only():
    html = (
        '<p>Fast.<sup><a href="../references/#ref-a2000">1</a>, <a href="../references/#ref-b2001">2</a></sup> '
        "Slow [@c2002; @d2003]. Note<sup id=\"fnref:x\"><a class=\"footnote-ref\" href=\"#fn:x\">1</a></sup></p>"
    )
    assert strip_citations(html) == (
        '<p>Fast. Slow. Note<sup id="fnref:x"><a class="footnote-ref" href="#fn:x">1</a></sup></p>'
    )


@pytest.mark.rebuild
@pytest.mark.parametrize("url", [SITE + "handout/", "https://clinic.example.net/info/handout/"])
def test_qr_code_is_segnos_code_for_the_address(url):
    svg = qr_svg(url)
    # One module per unit, a quiet zone of four (what scanners need), sized by the stylesheet.
    assert svg.startswith('<svg role="img" aria-label="QR code for the online version of this handout" ')
    assert svg.count('role="img"') == 1 and 'class="handout-qr"' in svg and "width=" not in svg.split(">")[0]
    assert "<title>QR code: scan it to open the online version of this handout</title>" in svg
    # Medium error correction: QR version 4 (33 modules) for the site's address, version 3 (29) for the
    # shorter one, each with a quiet zone of 4 modules on every side.
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    assert size == {SITE + "handout/": 33 + 8, "https://clinic.example.net/info/handout/": 29 + 8}[url]
    assert encodes(svg, url)
    assert not encodes(svg, url.replace("handout", "handouts"))


@pytest.mark.unit
def test_handout_actions_are_exactly_this_markup():
    # The button stays hidden until the site's script shows it, so it is never dead without JavaScript.
    # A quote cannot end the attribute, in either paper size's link.
    quoted = actions_html('../pdf/a"b.pdf', '../pdf/a4"b.pdf')
    assert 'href="../pdf/a&quot;b.pdf"' in quoted and 'href="../pdf/a4&quot;b.pdf"' in quoted
    assert actions_html("../pdf/a&b.pdf", "../pdf/a4&b.pdf") == (
        '<div class="handout-actions">\n'
        '<button type="button" class="md-button md-button--primary" data-print-page hidden>Print this handout</button>\n'
        '<a class="md-button" href="../pdf/a&amp;b.pdf" type="application/pdf">Download PDF (US Letter)</a>\n'
        '<a class="md-button" href="../pdf/a4&amp;b.pdf" type="application/pdf">Download PDF (A4)</a>\n'
        "</div>"
    )


@pytest.mark.unit
def test_handout_online_version_is_exactly_this_markup():
    url = SITE + "handout/"
    # The QR code is segno's drawing, checked on its own by test_qr_code_is_segnos_code_for_the_address.
    assert online_version_html(url, "December 2, 2026", SITE + "references/?a=1&b=2") == (
        '<div class="handout-online">\n'
        f"{qr_svg(url)}\n"
        f'<p>This handout online: <a href="{url}">{url}</a><br>\n'
        f'The sources of each fact: <a href="{SITE}references/?a=1&amp;b=2">{SITE}references/?a=1&amp;b=2</a><br>\n'
        "Last updated: December 2, 2026</p>\n"
        "</div>"
    )


@pytest.mark.unit
def test_relative_link_to_the_pdf():
    # The offline copy's pages are files, not folders: handout.html sits beside pdf/.
    assert relative_link("pdf/handout.pdf", "handout.html") == "pdf/handout.pdf"
    assert relative_link("pdf/handout.pdf", "guide/handout.html") == "../pdf/handout.pdf"
    assert relative_link("pdf/handout.pdf", "handout/") == "../pdf/handout.pdf"
    assert relative_link("pdf/handout.pdf", "") == "pdf/handout.pdf"
    assert relative_link("pdf/handout.pdf", "a/b/") == "../../pdf/handout.pdf"


@pytest.mark.unit
@pytest.mark.parametrize("src, name", [("index.md", "home.pdf"), ("side-effects.md", "side-effects.pdf"), ("guide/index.md", "guide.pdf"), ("guide/a.md", "guide-a.pdf")])
def test_pdf_names(src, name):
    assert pdf_name(src) == name


@pytest.mark.unit
def test_pin_pdf_dates_keeps_the_file_the_same_length():
    pdf = b"%PDF-1.4\n<</Creator (x) /CreationDate (D:20261127075138+00'00')\n/ModDate (D:20261127075138+00'00')>>\nstartxref 9"
    pinned = pin_pdf_dates(pdf, 1796083200)  # 2026-12-01 00:00:00 UTC
    assert len(pinned) == len(pdf)
    assert pinned.count(b"(D:20261201000000+00'00')") == 2 and b"075138" not in pinned


# ---------------------------------------------------------------- the built HTML


@pytest.mark.build
@pytest.mark.parametrize("src, url, title", ALL_PAGES)
def test_every_page_has_a_print_header_with_address_and_date(site_dir, src, url, title):
    soup = soup_of(site_dir, url)
    header = soup.select_one("article .print-header")
    assert header is not None and header.has_attr("hidden")
    text = header.get_text(" ", strip=True)
    assert f"Online: {SITE}{url}" in text
    assert re.search(r"Last updated: \w+ \d{1,2}, \d{4}", text)
    # It sits above the title, so it prints at the top of the first page.
    assert header.find_next(["h1"]).get_text(strip=True).replace("¶", "") == title


@pytest.mark.build
def test_no_snippet_marker_shows_on_any_page(site_dir):
    for path in site_dir.rglob("*.html"):
        assert "8<" not in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(), path


@pytest.mark.build
def test_links_in_page_text_carry_full_addresses(site_dir):
    links = soup_of(site_dir, "side-effects/").select("article a[data-print-href]")
    assert {a["data-print-href"] for a in links} >= {SITE + "interactions/", SITE + "contraindications/"}
    nav_links = soup_of(site_dir, "side-effects/").select(".md-nav a[data-print-href], .md-footer a[data-print-href]")
    assert not nav_links


def _article_source_text() -> str:
    text = normalise(SOURCE.read_text(encoding="utf-8"))
    for before, after in recorded_edits().items():
        text = text.replace(before, after)
    return text


@pytest.mark.build
def test_handout_is_in_the_articles_own_words(site_dir):
    article = soup_of(site_dir, "handout/").select_one("article")
    for furniture in article.select(
        ".print-header, .handout-actions, .handout-online, .page-furniture, h1, h2, h3, .admonition-title, "
        ".urgent-help, .call-911, .words-to-know, table, .data-lists, .data-table__legend, .site-addition, .site-note, .headerlink, sup, script"
    ):
        furniture.decompose()
    source = _article_source_text()
    blocks = [normalise(el.get_text()) for el in article.find_all(["p", "li"]) if not el.find(["p", "li"])]
    assert len(blocks) >= 15
    not_from_article = [b for b in blocks if b and b not in source]
    assert not not_from_article, f"handout text not in the article: {not_from_article}"


@pytest.mark.rebuild
def test_handout_has_every_part(site_dir):
    soup = soup_of(site_dir, "handout/")
    article = soup.select_one("article")
    text = normalise(article.get_text(" "))
    assert soup.h1.get_text(strip=True).replace("¶", "") == HANDOUT[2]
    assert len(article.select(".admonition.summary li")) == 3  # key takeaways
    sections = ["handout-side-effects", "handout-serious-side-effects", "handout-spravato", "handout-interactions", "handout-who-not",
                "handout-next", "handout-words"]
    assert [h["id"] for h in article.select("h2[id^=handout-]")] == sections
    # The side-effects table's data (data/side-effects.yml) as the article gives it, one list per
    # medicine, after its legend: every item of each column of the side-effects page's table.
    assert "<!-- insert:" not in str(article)
    lists = article.select_one("h2#handout-side-effects").find_next(class_="data-lists")
    assert lists is not None and "data-table__legend" in lists.find_previous_sibling()["class"]
    table = soup_of(site_dir, "side-effects/").select_one("table#table-side-effects")
    for column, section in enumerate(lists.select("section"), 1):
        cells = [td for tr in table.select("tbody tr") for td in tr.select("td")[column - 1:column] if "data-table__empty" not in td.get("class", [])]
        expected = [normalise(li.get_text()) for td in cells for li in (td.select("li") or [td])]
        assert [normalise(li.get_text()) for li in section.select("li")] == expected
    serious = article.select_one("h2#handout-serious-side-effects").find_next("ul")
    assert [li.get_text(strip=True) for li in serious.select("li")] == ["Difficulty breathing", "Slow heart rate", "Seizures", "Coma"]
    assert serious.find_next(class_="call-911") and "tel:911" in str(serious.find_next(class_="call-911"))
    assert "Esketamine can interact with the following medications:" in text
    assert "You should not take esketamine if you:" in text and "Alcohol intoxication" in text
    # The crisis line is in the box itself, in words and as links, not merely somewhere on the page.
    box = article.select_one("section.urgent-help")
    assert "call or text 988 to reach the 988 Suicide & Crisis Lifeline" in normalise(box.get_text(" "))
    assert [a["href"] for a in box.select("a")] == ["tel:988", "sms:988", "https://988lifeline.org/chat/", "tel:911"]
    # The words it uses, defined on paper: those its own sentences leave undefined.
    words = [dt.get_text() for dt in article.select("dl.words-to-know dt")]
    assert "Off-label" in words and "MAOIs" not in words  # MAOIs: "MAOIs are a class of medications that treat depression."
    assert "talk to your mental healthcare provider" in text
    assert "keep a medication list and show it to your provider" in text
    online = article.select_one(".handout-online")
    assert online.select_one("svg.handout-qr") and SITE + "handout/" in online.get_text()
    # The sources are where the handout says they are: the references page, with its back-links.
    assert online.select_one(f'a[href="{SITE}references/"]') and "sources" in online.get_text()
    assert re.search(r"Last updated: \w+ \d{1,2}, \d{4}", online.get_text())
    assert encodes(str(online.svg), SITE + "handout/")


def _handout_words(site_dir) -> tuple[dict[str, str], BeautifulSoup]:
    """The handout's "Words to know" ({term: meaning as shown}) and the rest of its article."""
    article = soup_of(site_dir, "handout/").select_one("article")
    words = article.select_one("dl.words-to-know")
    listed = {normalise(dt.get_text()): normalise(dt.find_next_sibling("dd").get_text()) for dt in words.select("dt")}
    words.decompose()
    return listed, article


@pytest.mark.build
def test_every_glossary_word_the_handout_uses_is_explained_on_it(site_dir):
    """PEMAT-P item 4, medical terms are defined: on paper no tooltip shows, so each glossary word the
    handout's text uses anywhere (its lists and boxes too: a form as a whole word, case and all) is in
    its "Words to know", with its meaning and where that comes from, unless the handout already says
    the meaning in full; and the list holds nothing else."""
    terms = load_glossary(ROOT / "data/glossary.yml", "data/glossary.yml").terms
    listed, article = _handout_words(site_dir)
    words = normalise(article.get_text(" "))  # each list item and cell a word apart from the next
    text = normalise(article.get_text())  # as read: "(MAOIs)", not "( MAOIs )"
    used = {t.term: t for t in terms if any(re.search(rf"\b{re.escape(form)}\b", words) for form in t.forms)}
    assert used and listed
    for name, term in used.items():
        if name in listed:
            assert listed[name] == normalise(term.tooltip), name  # the meaning, then "(this site's own ...)" or its source
        else:
            assert normalise(term.definition) in text, f"{name} is used on the handout but not explained on it"
    assert set(listed) <= set(used), f"listed but not used: {set(listed) - set(used)}"


@pytest.mark.pdf
@pytest.mark.parametrize("paper", PAPERS)
def test_the_handouts_words_to_know_are_on_paper(site_dir, paper):
    listed, _ = _handout_words(site_dir)
    pages = pdf_text_pages(site_dir / "pdf" / pdf_name("handout.md", paper))
    running = flat(normalise(" ".join(re.sub(r"Page \d+ of \d+\s*$", "", page) for page in pages)))
    for term, meaning in listed.items():
        assert flat(term + meaning) in running, (paper, term)


@pytest.mark.build
def test_handout_controls_are_real_and_script_free(site_dir):
    soup = soup_of(site_dir, "handout/")
    button = soup.select_one("button[data-print-page]")
    assert button.get_text() == "Print this handout" and button["type"] == "button" and button.has_attr("hidden")
    assert soup.select_one(".handout-actions a.md-button")["href"] == "../pdf/handout.pdf"
    assert not [s for s in soup.select("article script, article [onclick]")]
    # The print button's script ships in the site's one bundled script.
    bundles = [s["src"] for s in soup.select("script[src]") if "/site." in s["src"]]
    assert len(bundles) == 1 and "data-print-page" in (site_dir / "handout" / bundles[0]).resolve().read_text(encoding="utf-8")


@pytest.mark.rebuild
def test_handout_follows_the_site_address(other_address_site):
    out = other_address_site
    soup = soup_of(out, "handout/")
    assert encodes(str(soup.select_one("svg.handout-qr")), "https://clinic.example.net/info/handout/")
    assert "https://clinic.example.net/info/handout/" in soup.select_one(".print-header").get_text()
    links = soup_of(out, "side-effects/").select("article a[data-print-href]")
    assert SITE not in str(links) and "https://clinic.example.net/info/interactions/" in str(links)


@pytest.mark.build
def test_cited_sources_are_listed_for_print(site_dir):
    """Each page ends with a print-only list of the entries its citation numbers point to."""
    references = soup_of(site_dir, "references/")
    entries = {li["id"]: li.select_one(".reference").get_text() for li in references.select("ol.bibliography > li")}
    numbers = {li["id"]: str(i) for i, li in enumerate(references.select("ol.bibliography > li"), 1)}
    page = soup_of(site_dir, "uses/")
    cited = {}
    for link in page.select("article sup.citation a"):
        key = "ref-" + link["href"].split("#ref-")[1]
        cited[numbers[key]] = entries[key]
    block = page.select_one("article .print-sources")
    assert block.has_attr("hidden")
    listed = {li["value"]: li.get_text() for li in block.select("li")}
    assert listed == cited and len(listed) >= 10
    assert not any("Cited on" in text for text in listed.values())
    assert not soup_of(site_dir, "privacy/").select(".print-sources")


# ---------------------------------------------------------------- printing in Chromium

browser_only = pytest.mark.browser


@pytest.mark.browser
@browser_only
@pytest.mark.parametrize("paper", PAPERS)
def test_handout_prints_on_two_pages_with_its_key_parts(browser, server, site_dir, tmp_path, paper):
    pdf = print_to_pdf(browser, server + "handout/", tmp_path / "handout.pdf", paper)
    look(pdf, f"handout-{paper}")
    assert pdf_pages(pdf) <= 2
    pages = pdf_text_pages(pdf)
    text = normalise(" ".join(pages))
    # Every heading the page has reaches paper (read from the page, so a reworded heading breaks nothing).
    headings = [normalise(h.get_text()).replace("¶", "").strip() for h in soup_of(site_dir, "handout/").select("article h1, article h2:not(#print-sources)")]
    assert len(headings) >= 7
    handout = soup_of(site_dir, "handout/")
    for item in handout.select(".data-lists li"):
        # An item's words wrap inside its column, so the other column's words may come between them.
        words = normalise(item.get_text()).split()
        assert re.search(r".{0,80}?".join(re.escape(word) for word in words), text), f"side effect {item.get_text()!r} is not on paper"
    # The label's safety facts the site added (data/changes.yml, additions), each on paper whole
    # (one may run on to the next sheet: read across the page break, without its page number).
    added = handout.select(".site-addition p:not(.site-addition__label)")
    running = flat(" ".join(re.sub(r"Page \d+ of \d+\s*$", "", normalise(page)) for page in pages))
    assert added
    for fact in added:
        assert flat(normalise(fact.get_text())) in running, fact.get_text()
    for part in headings + [
        "Key takeaways",
        "Esketamine can interact with the following medications:",
        "Get help now if you are thinking about suicide",
        "call or text 988 to reach the 988 Suicide & Crisis Lifeline",
        "Call 911 if someone has difficulty breathing",
        "dangerously slow. Call 911 if someone's breathing becomes very slow.",
        "Help works, and many people who have had these thoughts go on to feel better.",
        "does not replace advice from a healthcare professional",
    ]:
        assert flat(part) in flat(text), part
    for part in ["talk to your mental healthcare provider", "keep a medication list and show it to your provider"]:
        assert flat(part) in flat(text), part
    assert flat(SITE + "handout/") in flat(pages[0]), "address on the first page"
    assert re.search(r"Last updated: \w+ \d{1,2}, \d{4}", normalise(pages[0]))
    assert "Print this handout" not in text and "Download PDF" not in text


@pytest.mark.browser
@browser_only
def test_the_handouts_lists_and_boxes_keep_to_the_papers_width(browser, server):
    # A4's text column is the narrower one: 690 CSS px.
    context = browser.new_context(viewport={"width": 690, "height": 1000})
    page = context.new_page()
    page.goto(server + "handout/")
    page.emulate_media(media="print")
    widths = page.evaluate(
        """() => [...document.querySelectorAll('article :is(table, .data-lists, .site-addition)')].map(t =>
               t.getBoundingClientRect().right - t.closest('article').getBoundingClientRect().right)"""
    )
    context.close()
    assert widths and all(overhang <= 0.5 for overhang in widths), widths


@pytest.mark.browser
@browser_only
def test_side_effects_printout_is_clean_and_shows_addresses(browser, server, tmp_path):
    pdf = print_to_pdf(browser, server + "side-effects/", tmp_path / "side-effects.pdf", "Letter")
    look(pdf, "side-effects-Letter")
    pages = pdf_text_pages(pdf)
    text = normalise(" ".join(pages))
    # Navigation, search and footer text never print.
    for chrome in ["Search", "Skip to content", "What is ketamine?", "How they work", "What they are used for",
                   "Printable handout", "Previous", "Made with", "Table of contents", "¶"]:
        assert chrome not in text, chrome
    # Title, full address and date at the top of the first page.
    first = normalise(pages[0])
    assert first.index("Online:") < first.index("Side effects of ketamine and esketamine")
    assert flat(SITE + "side-effects/") in flat(pages[0]) and re.search(r"Last updated: \w+ \d{1,2}, \d{4}", first)
    # Each link's full address follows its text.
    assert flat(f"drug interactions ({SITE}interactions/)") in flat(text)
    assert flat(f"who may not be able to take ketamine or esketamine ({SITE}contraindications/)") in flat(text)


@pytest.mark.browser
@browser_only
@pytest.mark.parametrize("url", ["side-effects/", "handout/", "ketamine/"])
def test_printed_text_is_black_and_12pt_or_larger(browser, server, url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + url)
    page.emulate_media(media="print")
    offenders = page.evaluate(
        """() => {
          const bad = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode, el = node.parentElement;
            if (!node.textContent.trim() || !el.getClientRects().length) continue;
            if (el.closest('svg, script, style')) continue;
            const style = getComputedStyle(el);
            if (style.visibility === 'hidden') continue;
            if (parseFloat(style.fontSize) < 15.99 || style.color !== 'rgb(0, 0, 0)')
              bad.push(`${el.tagName} ${style.fontSize} ${style.color}: ${node.textContent.trim().slice(0, 40)}`);
          }
          for (const a of document.querySelectorAll('a[data-print-href]')) {
            const after = getComputedStyle(a, '::after');
            if (a.getClientRects().length && (parseFloat(after.fontSize) < 15.99 || after.color !== 'rgb(0, 0, 0)'))
              bad.push(`address after ${a.textContent}: ${after.fontSize} ${after.color}`);
          }
          return bad;
        }"""
    )
    context.close()
    assert not offenders, offenders


def assert_no_page_ends_with_a_heading(pdf: Path, html: str, name: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    headings = {normalise(h.get_text()).replace("¶", "").strip() for h in soup.select("article :is(h1, h2, h3, caption)")}
    pages = pdf_text_pages(pdf)
    # Every page checked here prints on two sheets or more; with one, no page break would be checked.
    assert len(pages) >= 2 and headings, (name, len(pages))
    for number, page in enumerate(pages[:-1], start=1):
        lines = [normalise(line) for line in page.splitlines() if line.strip() and not re.match(r"^\s*Page \d+ of \d+\s*$", line)]
        assert lines[-1] not in headings, f"{name} page {number} ends with the heading {lines[-1]!r}"


@pytest.mark.browser
@browser_only
@pytest.mark.parametrize("url", ["uses/", "side-effects/", "handout/"])
def test_no_page_ends_with_a_heading(browser, server, site_dir, tmp_path, url):
    pdf = print_to_pdf(browser, server + url, tmp_path / "page.pdf", "Letter")
    assert_no_page_ends_with_a_heading(pdf, (site_dir / url / "index.html").read_text(encoding="utf-8"), url)


@pytest.mark.browser
@browser_only
def test_handout_on_screen_has_print_button_and_pdf_that_resolves(browser, server, site_dir, screenshots, tmp_path):
    # The build printed every page's PDF, as `make build` does for the published site.
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(server + "handout/")
        button = page.get_by_role("button", name="Print this handout")
        assert button.is_visible()
        page.evaluate("window.print = () => { window.__printed = true; }")
        button.click()
        assert page.evaluate("window.__printed === true")
        link = page.get_by_role("link", name=re.compile(r"Download PDF \(US Letter\)"))
        assert link.is_visible()
        href = urljoin(page.url, link.get_attribute("href"))
        page.screenshot(path=screenshots / f"handout-{width}.png", full_page=True)
        context.close()
    # Without JavaScript the button would do nothing, so it does not show.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "handout/")
    assert page.locator("button[data-print-page]").is_hidden()
    assert page.get_by_role("link", name=re.compile(r"Download PDF \(US Letter\)")).is_visible()
    context.close()
    with urllib.request.urlopen(href) as response:
        assert response.status == 200 and response.headers["Content-Type"] == "application/pdf"
        pdf = tmp_path / "download.pdf"
        pdf.write_bytes(response.read())
    assert pdf_pages(pdf) <= 2
    assert flat(SITE + "handout/") in flat(" ".join(pdf_text_pages(pdf)))
    look(pdf, "handout-download")


@pytest.mark.pdf
def test_the_build_prints_every_page_as_a_tagged_pdf_with_its_sources(site_dir):
    names = sorted(p.name for p in (site_dir / "pdf").glob("*.pdf") if not p.name.endswith("-a4.pdf"))  # A4: tests/test_clinics.py
    expected = {"home.pdf", "handout.pdf", "references.pdf"} | {f"{url.strip('/')}.pdf" for _, url, _ in ARTICLE_PAGES if url}
    # Every page but the for-clinics page, a set of on-screen tools (sitegen.pdfs.NOT_PRINTED).
    assert expected <= set(names) and len(names) == len(list(site_dir.rglob("index.html"))) - len(NOT_PRINTED)
    for name in names:
        info = subprocess.run(["pdfinfo", str(site_dir / "pdf" / name)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), f"{name} is not tagged"
        assert re.search(r"^Page size:\s+612 x 792 pts \(letter\)", info, re.M), name
    # "Sources cited on this page" reaches paper, with the entries the page's numbers point to.
    # In reading order (no -layout): the sources print in two columns, which -layout interleaves.
    text = flat(subprocess.run(["pdftotext", str(site_dir / "pdf" / "uses.pdf"), "-"], capture_output=True, text=True, check=True).stdout)
    assert flat("Sources cited on this page") in text
    assert flat("Berman, R. M., et al. (2000). Antidepressant effects of ketamine in depressed patients.") in text
    # An outline (bookmarks) of the headings, for moving through the PDF.
    handout = (site_dir / "pdf" / "handout.pdf").read_bytes()
    assert b"/Outlines" in handout and b"/StructTreeRoot" in handout


@pytest.mark.unit
def test_node_ids_are_numbered_in_order_keeping_every_reference():
    from sitegen.pdfs import renumber_node_ids

    pdf = b"/ID (node00005278)>> /Headers [(node00005278) (node00000042)] /ID (node00000042) /ID (node00005279)"
    out = renumber_node_ids(pdf)
    assert out == b"/ID (node00000001)>> /Headers [(node00000001) (node00000002)] /ID (node00000002) /ID (node00000003)"
    assert len(out) == len(pdf)


# ---------------------------------------------------------------------------------------------
# handout: the QR code, the print button and PDF links, the online-version block


@pytest.mark.unit
def test_the_qr_code_is_a_full_size_medium_correction_code_sized_by_css():
    svg = handout.qr_svg("https://example.org/handout/")
    # Version 3 (29 modules) with a 4-module quiet zone, one unit a module: medium correction needs
    # version 3 for this address, where low correction would fit in version 2 (25 modules).
    assert svg.startswith('<svg role="img" aria-label="QR code for the online version of this handout" viewBox="0 0 37 37" class="handout-qr">'
                          "<title>QR code: scan it to open the online version of this handout</title><path ")
    assert "width=" not in svg and "height=" not in svg and svg.count("<svg ") == 1
    # A short address still gets a full QR code (21 modules), never a Micro QR, which phones' cameras do not read.
    assert 'viewBox="0 0 29 29"' in handout.qr_svg("https://a.b/")


@pytest.mark.unit
def test_the_handouts_pdfs_sit_in_the_pdf_folder():
    assert (handout.HANDOUT_PAGE, handout.PDF_PATH, handout.PDF_PATH_A4) == ("handout.md", "pdf/handout.pdf", "pdf/handout-a4.pdf")


@pytest.mark.unit
def test_the_actions_are_a_hidden_print_button_and_both_pdfs():
    assert handout.actions_html('../pdf/a"b.pdf', "../pdf/handout-a4.pdf") == (
        '<div class="handout-actions">\n'
        '<button type="button" class="md-button md-button--primary" data-print-page hidden>Print this handout</button>\n'
        '<a class="md-button" href="../pdf/a&quot;b.pdf" type="application/pdf">Download PDF (US Letter)</a>\n'
        '<a class="md-button" href="../pdf/handout-a4.pdf" type="application/pdf">Download PDF (A4)</a>\n'
        "</div>"
    )


@pytest.mark.unit
def test_the_online_version_block_gives_the_address_the_sources_and_the_date():
    qr = handout.qr_svg("https://a.b/?x=1&y=2")
    assert handout.online_version_html("https://a.b/?x=1&y=2", "May 1, 2026 <b>", "https://a.b/references/") == (
        '<div class="handout-online">\n'
        f"{qr}\n"
        '<p>This handout online: <a href="https://a.b/?x=1&amp;y=2">https://a.b/?x=1&amp;y=2</a><br>\n'
        'The sources of each fact: <a href="https://a.b/references/">https://a.b/references/</a><br>\n'
        "Last updated: May 1, 2026 &lt;b&gt;</p>\n"
        "</div>"
    )
    assert handout.online_version_html("https://a.b/", "D", "https://a.b/r/", '<p class="clinic-contact">Q</p>').startswith(
        '<p class="clinic-contact">Q</p>\n<div class="handout-online">')
    # The edition, where there is one, follows the date.
    assert "Last updated: D · Edition <b>2</b></p>" in handout.online_version_html("https://a.b/", "D", "https://a.b/r/", edition="<b>2</b>")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("target", "page", "link"),
    [("pdf/handout.pdf", "handout.html", "pdf/handout.pdf"), ("pdf/handout.pdf", "a/b.html", "../pdf/handout.pdf"),
     ("pdf/handout.pdf", "a/b/", "../../pdf/handout.pdf"), ("pdf/handout.pdf", "", "pdf/handout.pdf"), ("handout/", "handout/", ".")],
)
def test_a_relative_link_from_a_page_or_file_url(target, page, link):
    assert handout.relative_link(target, page) == link


# ---------------------------------------------------------------------------------------------
# Survivors of the complete mutation run that changed behaviour (added after it)


@pytest.mark.unit
def test_a_link_whose_text_is_its_address_with_an_entity_gets_no_printed_address():
    from sitegen.printing import add_print_addresses

    html = '<p><a href="https://x.example/?a=1&amp;b=2">https://x.example/?a=1&amp;b=2</a></p>'
    assert add_print_addresses(html, "https://example.org/page/") == html


# ---------------------------------------------------------------------------------------------
# printing: which links get a printed address, and the sources a page cites

PAGE_URL = "https://example.org/p/"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("html", "printed"),
    [
        # A line break inside a link does not end the link's text, which has letters after it.
        ('<a href="https://o.example/">&#8594;<br/>Other site</a>', '<a href="https://o.example/" data-print-href="https://o.example/">&#8594;<br/>Other site</a>'),
        # A button marked print-address still prints where it leads.
        ('<a class="md-button print-address" href="/x/">PDF</a>', '<a class="md-button print-address" href="/x/" data-print-href="https://example.org/x/">PDF</a>'),
        # An empty address leads nowhere: nothing is printed.
        ('<a href="">Empty</a> <a href>None</a>', '<a href="">Empty</a> <a href>None</a>'),
        # Only the address after its own scheme counts as "the text says it"; an address in its query does not.
        ('<a href="https://x.example/?u=https://y.example">See y.example</a>',
         '<a href="https://x.example/?u=https://y.example" data-print-href="https://x.example/?u=https://y.example">See y.example</a>'),
        # A text naming the address without its last character (a capital X) does not say where the link goes.
        ('<a href="https://o.example/BOX">See o.example/BO</a>', '<a href="https://o.example/BOX" data-print-href="https://o.example/BOX">See o.example/BO</a>'),
        # A mark without letters is skipped, and the links after it are still read; a space before > stays out.
        ('<a href="/a/">&#8617;</a> <a href="https://o.example/" >Other</a>', '<a href="/a/">&#8617;</a> <a href="https://o.example/" data-print-href="https://o.example/">Other</a>'),
    ],
)
def test_links_get_their_printed_address_unless_it_would_say_nothing_new(html, printed):
    assert printing.add_print_addresses(html, PAGE_URL) == printed


@pytest.mark.unit
def test_cited_sources_are_in_number_order_whatever_their_keys():
    html = '<sup><a href="../references/#ref-a">2</a></sup><sup><a href="../references/#ref-b">1</a></sup><sup><a href="../references/#ref-k"/></sup>'
    assert printing.cited_sources(html) == [("1", "b"), ("2", "a"), ("?", "k")]


@pytest.mark.unit
def test_every_missing_source_is_named_with_the_page():
    html = '<article><sup><a href="../references/#ref-b">2</a></sup><sup><a href="../references/#ref-a">1</a></sup></article>'
    with pytest.raises(SiteDataError) as caught:
        printing.add_print_furniture(html, PAGE_URL, {}, "docs/p.md")
    assert str(caught.value) == "docs/p.md: cites a, b, not in references.bib"


@pytest.mark.unit
def test_the_sources_block_goes_before_the_first_closing_aside_and_lists_only_what_is_before_it():
    source = SimpleNamespace(html="Entry K")
    cite = '<sup><a href="../references/#ref-k">1</a></sup>'
    aside = '<aside class="page-furniture">x</aside>'
    out = printing.add_print_furniture(f"<article>{cite}{aside}{aside}</article>", PAGE_URL, {"k": source}, "docs/p.md")
    assert out.index("Sources cited on this page") < out.index(aside) and out.count(aside) == 2
    # A citation inside the closing furniture is not one of the page's.
    page = f'<article><aside class="page-furniture">{cite}</aside></article>'
    assert printing.add_print_furniture(page, PAGE_URL, {"k": source}, "docs/p.md") == page


# ---------------------------------------------------------------------------------------------
# handout: its addresses in its links


@pytest.mark.unit
def test_the_handouts_addresses_are_escaped_inside_their_links():
    html = handout.online_version_html('https://example.org/a"b/', "May 1, 2026", 'https://example.org/"s/')
    assert '<a href="https://example.org/a&quot;b/">https://example.org/a&quot;b/</a>' in html
    assert '<a href="https://example.org/&quot;s/">https://example.org/&quot;s/</a>' in html


@pytest.mark.build
def test_a_short_list_prints_on_one_sheet(site_dir):
    """A list of six items or fewer is never split over two sheets, on either paper: the first part of
    a split list looked complete ("The different forms of ketamine include: IV, IM, ...")."""
    checked = 0
    for page in sorted(site_dir.rglob("index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        pdfs_of_page = [(page.parent / a["href"]).resolve() for a in soup.select('.page-pdf a[href$=".pdf"]')]
        lists = [lst for lst in soup.select("article :is(ul, ol)") if 1 < len(lst.find_all("li", recursive=False)) <= 6]
        for pdf in pdfs_of_page:
            sheets = [flat(text) for text in pdf_text_pages(pdf)]
            for lst in lists:
                items = [flat(li.get_text())[:20] for li in lst.find_all("li", recursive=False)]
                on = [{n for n, sheet in enumerate(sheets) if item in sheet} for item in items]
                if all(on):  # printed (lists only on screen, like the page's PDF links, are not)
                    assert set.intersection(*on), f"{pdf.name}: the list {items} is split over sheets {on}"
                    checked += 1
    assert checked > 10
