"""Unit tests of sitegen.citations: the .bib, the pybtex style, finding and numbering citations."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from markdown import Markdown

from conftest import ROOT, SOURCE
from sitegen.citations import (
    Backlink,
    CitationExtension,
    cited_keys,
    find_citations,
    index_citations,
    load_bibliography,
    parse_bibliography,
    parse_keys,
    relative_url,
    render_bibliography,
)
from sitegen.errors import SiteDataError
from text import source_parts

BIB = ROOT / "references.bib"
SOURCES = load_bibliography(BIB)
ARTICLE_REFERENCES = source_parts(SOURCE)["references"]

# Where the article's own reference lines stray from its pattern; the site prints the pattern.
ARTICLE_QUIRKS = [
    ("et al (", "et al. ("),  # Schoevers
    ("(1998) ", "(1998). "),  # Bowdle
    ("(1965), ", "(1965). "),  # Domino
    ("(2022) ", "(2022). "),  # Du, Polito, Rosenbaum
    ("(2018) ", "(2018). "),  # Jones
    ("Orhurhu V. J.", "Orhurhu, V. J."),
    ("Rosenbaum S. B.", "Rosenbaum, S. B."),
    ("effects?.", "effects?"),  # Luckenbaugh
    ("Pomising", "Promising"),  # Tuck: the typo fixed in the .bib
]


def text_of(entry_html: str) -> str:
    return BeautifulSoup(entry_html, "html.parser").get_text().replace("\xa0", " ")


def article_line(line: str) -> str:
    for before, after in ARTICLE_QUIRKS:
        line = line.replace(before, after)
    return line


BIB_TEXT = """@article{one2000,
  author  = {One, A. and others},
  year    = {2000},
  title   = {First title},
  journal = {Journal One},
}

@misc{org2001,
  author = {{Some Agency of Health}},
  year   = {n.d.},
  title  = {Statistics page},
}
"""


# --- the real references.bib and the style ----------------------------------------------


def test_all_54_sources_in_the_articles_order():
    assert len(SOURCES) == 54 == len(ARTICLE_REFERENCES)
    assert [s.number for s in SOURCES.values()] == list(range(1, 55))
    for source, line in zip(SOURCES.values(), ARTICLE_REFERENCES):
        assert text_of(source.html).split(" (")[0] == article_line(line).split(" (")[0], source.key


@pytest.mark.parametrize("source, line", list(zip(SOURCES.values(), ARTICLE_REFERENCES)), ids=list(SOURCES))
def test_every_entry_reads_as_the_article_prints_it(source, line):
    assert text_of(source.html) == article_line(line)


@pytest.mark.parametrize(
    "key, html",
    [
        ("berman2000", "Berman, R.&nbsp;M., et al. (2000). Antidepressant effects of ketamine in depressed patients. <em>Biological Psychiatry</em>."),
        ("buckner2013", "Buckner, R.&nbsp;L. (2013). The brain's default network: Origins and implications for the study of psychosis. <em>Dialogues in Clinical Neuroscience</em>."),
        ("glandpharma2023", "Gland Pharma Limited. (2023). Ketamine hydrochloride [package insert]."),
        ("ncdas", "National Center for Drug Abuse Statistics. (n.d.). Drug abuse statistics."),
        ("domino1965", "Domino, E., et al. (1965). Pharmacologic effects of CI-581, a new dissociative anesthetic, in man. <em>Clinical Pharmacology &amp; Therapeutics</em>."),
        ("jelen2020", "Jelen, L.&nbsp;A., et al. (2020). Ketamine: A tale of two enantiomers."),
        ("rosenbaum2022", "Rosenbaum, S.&nbsp;B., et al. (2022). Ketamine. <em>StatPearls</em>."),
    ],
)
def test_formatted_entries(key, html):
    assert SOURCES[key].html == html


def test_numbers_and_short_labels():
    assert SOURCES["abdallah2018"].number == 1
    assert SOURCES["berman2000"].number == 10
    assert SOURCES["zyck2022"].number == 54
    assert SOURCES["berman2000"].short == "Berman et al., 2000"
    assert SOURCES["kohtala2021"].short == "Kohtala, 2021"
    assert SOURCES["lemerrer2009"].short == "Le Merrer et al., 2009"
    assert SOURCES["fda2019"].short == "U.S. Food and Drug Administration, 2019"


def test_bib_invents_no_bibliographic_detail():
    text = BIB.read_text(encoding="utf-8")
    fields = set(re.findall(r"^\s+(\w+)\s*=", text, re.M))
    assert fields <= {"author", "year", "title", "journal", "howpublished"}, fields


def test_organisation_is_one_author():
    sources = parse_bibliography(BIB_TEXT)
    assert sources["org2001"].html == "Some Agency of Health. (n.d.). Statistics page."
    assert sources["one2000"].html == "One, A., et al. (2000). First title. <em>Journal One</em>."


# --- bad .bib input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, where, problem",
    [
        (("  title   = {First title},\n", "  title   = {First title}\n"), "references.bib line 5", "BibTeX syntax error"),
        (("@misc{org2001", "@misc{one2000"), "references.bib line 8", "duplicate key 'one2000'"),
        (("  author  = {One, A. and others},\n", ""), "references.bib line 1: entry 'one2000'", "is missing 'author'"),
        (("  year   = {n.d.},\n", ""), "references.bib line 8: entry 'org2001'", "is missing 'year'"),
        (("  title   = {First title},\n", ""), "references.bib line 1: entry 'one2000'", "is missing 'title'"),
        (("  year    = {2000},", "  year    = {c. 2000},"), "references.bib line 1: entry 'one2000'", "year must be four digits or 'n.d.'"),
        (("@misc{org2001", "@book{org2001"), "references.bib line 8: entry 'org2001'", "entry type @book is not one of"),
        (("{First title}", "{First {title%}}"), "references.bib line 1: entry 'one2000'", "cannot be formatted: syntax error in line 1: unbalanced braces"),
    ],
)
def test_bad_bib_names_file_line_key_and_problem(change, where, problem):
    with pytest.raises(SiteDataError) as caught:
        parse_bibliography(BIB_TEXT.replace(*change))
    assert caught.value.where == where
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    "text, message",
    [
        # An entry with no fields at all (BibTeX allows it) is found at its line, whichever bracket closes it.
        ("\n@misc{k}\n", "references.bib line 2: entry 'k': is missing 'author'"),
        ("@misc( k )\n", "references.bib line 1: entry 'k': is missing 'author'"),
        # pybtex takes a key without its comma: the entry is still found (and here has no author).
        ("@misc{j, author={S, J}, year={2000}, title={T}}\n@misc{k\n year={2000}}\n", "references.bib line 2: entry 'k': is missing 'author'"),
        # pybtex reads "@misc@{" as an entry too (a stray @ found by the property tests): named at its key.
        ("@misc{j, author={S, J}, year={2000}, title={T}}\n\n@misc@{k, year={2000}}\n", "references.bib line 3: entry 'k': entry type @misc@ is not one of @article, @misc, @manual"),
        # A field given twice is named where the second starts, even split over lines; "year =" inside a title is no field.
        ("\n@article{k,\n author={S, J},\n year={2000},\n title={The year = 1},\n year\n = {2}}",
         "references.bib line 6: entry 'k': gives 'year' twice; keep one"),
    ],
)
def test_an_entry_is_found_at_its_line_however_it_is_written(text, message):
    with pytest.raises(SiteDataError) as caught:
        parse_bibliography(text)
    assert str(caught.value) == message


def test_unreadable_bib(tmp_path):
    with pytest.raises(SiteDataError, match="references.bib: cannot be read"):
        load_bibliography(tmp_path / "missing.bib")


# --- finding and rendering citations -----------------------------------------------------


def convert(text: str, sources=None) -> tuple[BeautifulSoup, list]:
    """The HTML Markdown makes of `text`, and the keys cited in it as rendered."""
    html = Markdown(extensions=["fenced_code", CitationExtension(sources or SOURCES)]).convert(text)
    return BeautifulSoup(html, "html.parser"), cited_keys(html)


def test_parse_keys():
    assert parse_keys("@berman2000") == ["berman2000"]
    assert parse_keys("@berman2000; @feder2021") == ["berman2000", "feder2021"]
    for bad in ["@berman2000, @feder2021", "@ berman2000", "@berman2000; feder2021", "@"]:
        with pytest.raises(SiteDataError, match="is not written"):
            parse_keys(bad)


def test_marker_is_a_superscript_link_with_a_name():
    soup, groups = convert("Symptoms improved.[@berman2000]")
    sup = soup.select_one("sup.citation")
    link = sup.a
    assert link["href"] == "references.md#ref-berman2000"
    assert link["id"] == "cite-berman2000-1"
    assert link.get_text() == "10"
    assert link["aria-label"] == "Reference 10: Berman et al., 2000"
    assert groups == ["berman2000"]
    assert soup.p.get_text() == "Symptoms improved.10"


def test_several_keys_ascending_and_each_citation_its_own_id():
    soup, groups = convert("A.[@feder2021; @berman2000] B.[@berman2000]")
    links = soup.select("sup.citation a")
    assert [a.get_text() for a in links] == ["10", "19", "10"]
    assert [a["id"] for a in links] == ["cite-berman2000-1", "cite-feder2021-1", "cite-berman2000-2"]
    assert soup.select("sup.citation")[0].get_text() == "10, 19"
    assert groups == ["berman2000", "feder2021", "berman2000"]


@pytest.mark.parametrize(
    "text",
    [
        "Write `[@berman2000]` to cite.",
        "```\n[@berman2000]\n```",
        "Example:\n\n    [@berman2000]\n",
        r"Escaped \[@berman2000] stays.",
        "An unknown key in code: `[@nosuch1999]`.",
    ],
)
def test_citation_in_code_is_left_as_text(text):
    soup, groups = convert(text)
    assert groups == []
    assert not soup.select("sup")
    assert re.search(r"\[@(berman2000|nosuch1999)\]", soup.get_text())


def test_unknown_keys_and_malformed_citations_leave_text_for_the_model_to_report():
    # The site model checks every citation before MkDocs runs (find_citations); the
    # extension itself never stops a conversion halfway.
    soup, groups = convert("Claim.[@nosuch1999] Other.[@berman2000, @feder2021]")
    assert groups == [] and "[@nosuch1999]" in soup.get_text()


PAGE = "Intro.[@berman2000]\n\n```md\nCite like [@nosuch1999].\n```\n\nA `[@nosuch1999]` span. B.[@feder2021; @berman2000]\n"


def test_find_citations_reads_the_page_as_markdown_does():
    assert find_citations(PAGE, "docs/uses.md", 7, SOURCES) == [["berman2000"], ["feder2021", "berman2000"]]
    assert find_citations(r"Escaped \[@nosuch1999] stays.", "docs/uses.md", 1, SOURCES) == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("One.\n\nClaim.[@nosuch1999]", "docs/uses.md, line 9: unknown citation key 'nosuch1999' (not in references.bib); the keys are"),
        ("Claim.[@berman200]", "docs/uses.md, line 7: unknown citation key 'berman200' (not in references.bib); did you mean 'berman2000'?"),
        ("Claim.[@berman2000, @feder2021]", "docs/uses.md, line 7: '[@berman2000, @feder2021]' is not written [@key] or [@key1; @key2]"),
    ],
)
def test_find_citations_names_the_line(text, message):
    with pytest.raises(SiteDataError) as caught:
        find_citations(text, "docs/uses.md", 7, SOURCES)
    assert str(caught.value).startswith(message), str(caught.value)


# --- numbering, back-links, the list ------------------------------------------------------


def small_sources():
    return parse_bibliography(BIB_TEXT)


def test_index_lists_every_place_in_reading_order():
    pages = [
        ("", "Home", ["one2000", "org2001", "one2000"]),
        ("uses/", "Uses", ["org2001"]),
    ]
    places = index_citations(small_sources(), pages)
    assert places["one2000"] == [Backlink("", "Home", "cite-one2000-1", 1, 2), Backlink("", "Home", "cite-one2000-2", 2, 2)]
    assert places["org2001"] == [Backlink("", "Home", "cite-org2001-1", 1, 1), Backlink("uses/", "Uses", "cite-org2001-1", 1, 1)]


def test_an_uncited_entry_stops_the_build():
    with pytest.raises(SiteDataError) as caught:
        index_citations(small_sources(), [("", "Home", ["one2000"])])
    assert caught.value.where == "references.bib line 8"
    assert caught.value.problem.startswith("entry 'org2001' is not cited on any page: cite it where a page uses it ([@key] after the sentence), "
                                           "or retire it in data/changes.yml (retire: [key], why)")


def test_a_retired_entry_keeps_its_number_and_may_not_be_cited():
    places = index_citations(small_sources(), [("", "Home", ["one2000"])], retired=frozenset({"org2001"}))
    assert places["org2001"] == []
    html = render_bibliography(small_sources(), places, "references/", frozenset({"org2001"}), "../changes/")
    soup = BeautifulSoup(html, "html.parser")
    retired = soup.select_one("li#ref-org2001.retired")
    assert [li["id"] for li in soup.select("ol > li")] == ["ref-one2000", "ref-org2001"]  # its number stays 2
    assert "No longer cited on this site" in retired.get_text() and retired.select_one('a[href="../changes/"]')
    with pytest.raises(SiteDataError, match="cites 'one2000', which data/changes.yml retired"):
        index_citations(small_sources(), [("", "Home", ["one2000", "org2001"])], retired=frozenset({"one2000"}))


@pytest.mark.parametrize(
    "from_url, to_url, expected",
    [
        ("references/", "uses/", "../uses/"),
        ("references/", "", "../"),
        ("references.html", "uses.html", "uses.html"),
        ("guide/references/", "uses/", "../../uses/"),
    ],
)
def test_relative_url(from_url, to_url, expected):
    assert relative_url(from_url, to_url) == expected


def test_bibliography_is_a_numbered_list_with_back_links():
    sources = small_sources()
    places = index_citations(sources, [("", "Home", ["one2000", "one2000"]), ("uses/", "Uses", ["org2001"])])
    soup = BeautifulSoup(render_bibliography(sources, places, "references/"), "html.parser")
    items = soup.select("ol.bibliography > li")
    assert [li["id"] for li in items] == ["ref-one2000", "ref-org2001"]
    assert items[0].select_one(".reference em").get_text() == "Journal One"
    backs = items[0].select(".cited-on a")
    assert [(a["href"], a.get_text()) for a in backs] == [("../#cite-one2000-1", "Home (1)"), ("../#cite-one2000-2", "Home (2)")]
    assert backs[1]["aria-label"] == "Back to citation 1 on the page: Home (place 2 of 2)"
    assert items[1].select_one(".cited-on a")["href"] == "../uses/#cite-org2001-1"
