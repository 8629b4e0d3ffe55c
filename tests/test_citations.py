"""Unit tests of sitegen.citations: the .bib, the pybtex style, finding and numbering citations."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from markdown import Markdown

from helpers import ROOT, SOURCE
from sitegen import citations
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

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

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
  refnumber = {1},
  author  = {One, A. and others},
  year    = {2000},
  title   = {First title},
  journal = {Journal One},
}

@misc{org2001,
  refnumber = {2},
  author = {{Some Agency of Health}},
  year   = {n.d.},
  title  = {Statistics page},
}
"""

# The article's sources, by their numbers (the article's): entry n is the article's reference n.
BY_NUMBER = {source.number: source for source in SOURCES.values()}
ARTICLE_SOURCES = [(BY_NUMBER[n], line) for n, line in enumerate(ARTICLE_REFERENCES, start=1)]


# --- the real references.bib and the style ----------------------------------------------


def test_the_articles_sources_have_the_articles_numbers_and_the_rest_follow():
    assert sorted(BY_NUMBER) == list(range(1, len(SOURCES) + 1))  # every number once, none skipped
    assert len(SOURCES) >= len(ARTICLE_REFERENCES)
    for source, line in ARTICLE_SOURCES:
        assert text_of(source.html).split(" (")[0] == article_line(line).split(" (")[0], source.key
    assert [s.number for s in SOURCES.values()] == sorted(BY_NUMBER)  # the model lists them in number order


@pytest.mark.parametrize("source, line", ARTICLE_SOURCES, ids=[source.key for source, _ in ARTICLE_SOURCES])
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
    # The article's first and last sources, and one the browser tests follow: numbers that never change.
    assert SOURCES["abdallah2018"].number == 1
    assert SOURCES["berman2000"].number == 10
    assert SOURCES["zyck2022"].number == len(ARTICLE_REFERENCES)
    assert SOURCES["berman2000"].short == "Berman et al., 2000"
    assert SOURCES["kohtala2021"].short == "Kohtala, 2021"
    assert SOURCES["lemerrer2009"].short == "Le Merrer et al., 2009"
    assert SOURCES["fda2019"].short == "U.S. Food and Drug Administration, 2019"


def test_bib_invents_no_bibliographic_detail():
    text = BIB.read_text(encoding="utf-8")
    fields = set(re.findall(r"^\s+(\w+)\s*=", text, re.M))
    assert fields <= {"refnumber", "author", "year", "title", "journal", "howpublished"}, fields


def test_accents_and_escaped_characters_are_read_as_text():
    text = BIB_TEXT.replace("{One, A. and others}", "{G{\\\"o}del, K. and {\\v{S}}koda, B. and Stra{\\ss}e, C.}").replace("{Journal One}", "{Journal \\& One}")
    assert "Journal &amp; One" in parse_bibliography(text)["one2000"].html


def test_organisation_is_one_author():
    sources = parse_bibliography(BIB_TEXT)
    assert sources["org2001"].html == "Some Agency of Health. (n.d.). Statistics page."
    assert sources["one2000"].html == "One, A., et al. (2000). First title. <em>Journal One</em>."


# --- bad .bib input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, where, problem",
    [
        (("  title   = {First title},\n", "  title   = {First title}\n"), "references.bib, line 5", "a comma is missing at the end of this line"),
        (("@misc{org2001", "@misc{one2000"), "references.bib, line 9", "duplicate key 'one2000'"),
        (("  author  = {One, A. and others},\n", ""), "references.bib, line 1: entry 'one2000'", "is missing 'author'"),
        (("  year   = {n.d.},\n", ""), "references.bib, line 9: entry 'org2001'", "is missing 'year'"),
        (("  title   = {First title},\n", ""), "references.bib, line 1: entry 'one2000'", "is missing 'title'"),
        (("  year    = {2000},", "  year    = {c. 2000},"), "references.bib, line 1: entry 'one2000'", "year must be four digits or 'n.d.'"),
        (("@misc{org2001", "@book{org2001"), "references.bib, line 9: entry 'org2001'", "entry type @book is not one of"),
        (("{First title}", "{First {title%}}"), "references.bib, line 1: entry 'one2000'", "cannot be formatted: syntax error in line 1: unbalanced braces"),
        (("  title   = {First title},", "  title   = {First \\href{javascript:alert(1)}{title}},"), "references.bib, line 5: entry 'one2000'",
         "'title' holds the LaTeX command \\href, which the site does not run"),
        (("  journal = {Journal One},", "  journal = {\\url{javascript:alert(1)}},"), "references.bib, line 6: entry 'one2000'",
         "'journal' holds the LaTeX command \\url"),
        (("  journal = {Journal One},", "  journal = {\\url{x}},"), "references.bib, line 6: entry 'one2000'",  # the whole message: what to write
         "'journal' holds the LaTeX command \\url, which the site does not run (a link would not be one): write plain text; "
         "only \\& and accents like {\\\"u} are read"),
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
        ("\n@misc{k}\n", "references.bib, line 2: entry 'k': is missing 'author'"),
        ("@misc( k )\n", "references.bib, line 1: entry 'k': is missing 'author'"),
        # pybtex takes a key without its comma (BibTeX does not, but nothing is lost): the entry is still found.
        ("@misc{j, author={S, J}, year={2000}, title={T}}\n@misc{k\n year={2000}}\n", "references.bib, line 2: entry 'k': is missing 'author'"),
        # pybtex reads "@misc@{" as an entry too (a stray @ found by the property tests): named at its key.
        ("@misc{j, author={S, J}, year={2000}, title={T}}\n\n@misc@{k, year={2000}}\n", "references.bib, line 3: entry 'k': entry type @misc@ is not one of @article, @misc, @manual; did you mean @misc?"),
        # A field given twice is named where the second starts, even split over lines; "year =" inside a title is no field.
        ("\n@article{k,\n author={S, J},\n year={2000},\n title={The year = 1},\n year\n = {2}}",
         "references.bib, line 6: entry 'k': gives 'year' twice; keep one"),
    ],
)
def test_an_entry_is_found_at_its_line_however_it_is_written(text, message):
    with pytest.raises(SiteDataError) as caught:
        parse_bibliography(text)
    assert str(caught.value) == message


def test_unreadable_bib(tmp_path):
    with pytest.raises(SiteDataError, match="references.bib: cannot be read"):
        load_bibliography(tmp_path / "missing.bib")


# --- permanent numbers -------------------------------------------------------------------


def entry(key: str, number: int | None, kind: str = "article") -> str:
    """A small entry of a fixture .bib, with its refnumber line unless `number` is None."""
    numbered = f"  refnumber = {{{number}}},\n" if number is not None else ""
    return f"@{kind}{{{key},\n{numbered}  author  = {{{key.title()}, A.}},\n  year    = {{2000}},\n  title   = {{About {key}}},\n}}\n"


# Three entries in alphabetical order, numbered as an article numbered them.
THREE = "\n".join(entry(key, n) for n, key in enumerate(["alpha", "beta", "gamma"], start=1))


def numbers(text: str) -> dict[str, int]:
    return {key: source.number for key, source in parse_bibliography(text).items()}


def refusal(text: str) -> str:
    with pytest.raises(SiteDataError) as caught:
        parse_bibliography(text)
    return str(caught.value)


def test_numbers_are_the_entries_own_not_their_places():
    shuffled = "\n".join([entry("gamma", 3), entry("alpha", 1), entry("beta", 2)])
    assert numbers(shuffled) == numbers(THREE) == {"alpha": 1, "beta": 2, "gamma": 3}
    assert list(parse_bibliography(shuffled)) == ["alpha", "beta", "gamma"]  # listed in number order


def test_a_new_entry_anywhere_takes_the_next_free_number_and_no_other_changes():
    before = numbers(THREE)
    following = max(before.values()) + 1
    middle = THREE.replace("@article{beta,", entry("aardvark", following) + "\n@article{beta,")
    after = numbers(middle)
    assert {key: after[key] for key in before} == before
    assert after["aardvark"] == following
    assert list(parse_bibliography(middle))[-1] == "aardvark"  # the list reads on: the new one last


def test_a_new_entry_without_a_number_is_told_the_exact_line_to_add():
    text = THREE.replace("@article{beta,", entry("aardvark", None, "misc") + "\n@article{beta,")
    line = text.splitlines().index("@misc{aardvark,") + 1
    assert refusal(text) == (
        f"references.bib, line {line}: entry 'aardvark': has no refnumber; a new entry takes the next free number, wherever it "
        f"stands in the file, and keeps it for good: add the line `  refnumber = {{4}},` under `@misc{{aardvark,` (line {line})")
    # The line, added as told, is accepted.
    assert numbers(text.replace("@misc{aardvark,\n", "@misc{aardvark,\n  refnumber = {4},\n"))["aardvark"] == 4


def test_a_number_given_twice_is_refused_even_a_retired_ones():
    # The editor copied beta's entry for a new source and kept its number (beta may be retired: it keeps 2).
    text = THREE + "\n" + entry("delta", 2)
    line = text.splitlines().index("@article{delta,") + 2
    assert refusal(text) == (
        f"references.bib, line {line}: refnumber 2 is given to two entries, 'beta' (line 9) and 'delta' (this line): a number "
        "belongs to one entry for good, even a retired one; the new one of the two takes the next free number: refnumber = {4}")


@pytest.mark.parametrize(
    "text, message",
    [
        # A new entry that miscounted: named at its number, with the one to write.
        (THREE + "\n" + entry("delta", 5), "references.bib, line 23: entry 'delta': refnumber 5 skips 4: numbers are given in turn; "
         "if 'delta' is new, write refnumber = {4}; if an entry numbered 4 was deleted, put it back (to stop citing it, retire it "
         "in data/changes.yml: it keeps its number)"),
        (THREE + "\n" + entry("delta", 7), "references.bib, line 23: entry 'delta': refnumber 7 skips 4 to 6: numbers are given in turn; "
         "if 'delta' is new, write refnumber = {4}"),
        # An entry deleted: its number is gone from the middle.
        ("\n".join([entry("alpha", 1), entry("gamma", 3), entry("delta", 4)]), "references.bib: no entry has refnumber 2 (the numbers run from 1 to 4): "
         "numbers never change, so an entry is never deleted: put back the entry numbered 2 (to stop citing it, retire it in "
         "data/changes.yml, which keeps its number)"),
        (THREE.replace("refnumber = {2}", "refnumber = {two}"), "references.bib, line 9: entry 'beta': refnumber must be a whole number "
         "from 1 up, like {12}, got 'two'"),
        (THREE.replace("refnumber = {1}", "refnumber = {0}"), "references.bib, line 2: entry 'alpha': refnumber must be a whole number "
         "from 1 up, like {12}, got '0'"),
    ],
)
def test_a_skipped_or_malformed_number_is_refused_with_the_number_to_write(text, message):
    assert refusal(text).startswith(message), refusal(text)


def test_a_first_entry_without_a_number_is_told_to_take_one():
    assert refusal(entry("alpha", None)).endswith("add the line `  refnumber = {1},` under `@article{alpha,` (line 1)")


def test_a_list_that_does_not_start_at_one_is_refused():
    assert refusal("\n".join([entry("beta", 2), entry("gamma", 3)])).startswith(
        "references.bib: no entry has refnumber 1 (the numbers run from 1 to 3)")


def test_refnumber_is_not_bibtexs_number_field():
    # A journal's issue number, as exported by a journal's site, is no reference number.
    assert numbers(THREE.replace("  year    = {2000},\n", "  number  = {3},\n  year    = {2000},\n", 1)) == numbers(THREE)


# --- BibTeX mistakes, named where they are ------------------------------------------------

# Each common mistake in one field of the first entry of BIB_TEXT: the line named is the mistake's.
BIB_MISTAKES = [
    # A missing comma: named at the end of the line that needs it (pybtex noticed it a line later).
    ("  year    = {2000},\n", "  year    = {2000}\n", 4,
     "a comma is missing at the end of this line, after the value of 'year': fields are separated by commas (title = {The title},)"),
    # An unclosed brace, in the middle of an entry...
    ("{First title}", "{First title", 5,
     "the braces on this line do not pair up: the { that opens the value of 'title' is not closed; each { needs its }"),
    ("{First title}", "{First {title}", 5,
     "the braces on this line do not pair up: the { that opens the value of 'title' is not closed; each { needs its }"),
    # ...or on the entry's last field, where the entry's own } closes it.
    ("{Journal One}", "{Journal One", 6,
     "the braces on this line do not pair up: the { that opens the value of 'journal' is closed only by the } on line 7, "
     "which was meant to end the entry; each { needs its }"),
    # One } too many: BibTeX would end the entry there and drop the rest of it without a word.
    ("{First title}", "{First title}}", 5,
     "entry 'one2000' ends at a } on this line, and ', journal = {Journal One}, }' follows it: there is one } too many on this "
     "line, and BibTeX would drop the rest of the entry; each { needs exactly one }"),
    # The } that ends an entry left out.
    ("  journal = {Journal One},\n}\n", "  journal = {Journal One},\n", 6,
     "entry 'one2000' is not closed: its last field ends on this line; put a } on the line after it, to end the entry"),
    ("  title   = {First title}", "  title   {First title}", 5, "the field 'title' has no = after its name: write title = {...},"),
    ("  title   = {First title}", "  title:  {First title}", 5, "'title:' has a colon: a field is written with =, like title = {...},"),
    ("  title   = {First title}", "  title   = ", 5, "the field 'title' has no value after its =: write title = {...},"),
    ("{First title}", "First title}", 5, "the value of 'title' needs braces around it: write title = {First title},"),
    ("{First title}", '"First title', 5, "the value of 'title' opens with \" on this line and is not closed: end it with \" "
     "(or write it in braces, title = {...},), and check its braces pair up"),
    ("@article{one2000,", "@article{one 2000,", 1, "the key 'one 2000' has a space in it: a key is one word, like smith2020, and a comma follows it"),
    ("@article{one2000,", "article{one2000,", 1, "'article{one2000,' is outside any entry: an entry starts with @, like @article{one2000,"),
    ("@article{one2000,", "@article one2000,", 1, "@article needs { after it: write @article{key, and then the fields"),
    ("@article{one2000,", "@{one2000,", 1, "an @ starts an entry, and its type follows it: @article{key, (or @misc, @manual)"),
    ("  title   = {First title}", "  {First title}", 5,
     "'{First title},' is not a field: entry 'one2000' holds fields written title = {The title}, and ends with }"),
    ("{2000}", "{2000} 2001", 4, "'2001,' follows the value of 'year': a value is written in braces, like year = {...}, and each { needs exactly one }"),
    ("{First title}", "First title", 5, "the value of 'title' needs braces around it: write title = {First title},"),
    # A } too many on a line of its own: the entry ended there, and its last field is left outside.
    ("  journal = {Journal One},\n}", "}\n  journal = {Journal One},\n}", 7,
     "'journal = {Journal One},' is outside any entry: entry 'one2000' was closed before it (line 6); check the braces of the "
     "lines above: each { needs exactly one }"),
    # Unclosed in the file's last entry: the end of the file is reached.
    ("{Statistics page},\n}\n", "{Statistics page,\n", 13,
     "the braces on this line do not pair up: the { that opens the value of 'title' is not closed; each { needs its }"),
    ("@misc{org2001", "@comment{Unclosed\n@misc{org2001", 9, "@comment is not closed: end it with }"),
    ("@article{one2000,", "@articleone2000,", 1, "the { between @article and its key is missing: write @article{one2000,"),
    ("@article{one2000,", "@article{{one2000,", 1, "the key '{one2000' has a { in it: write @article{one2000,"),
    ("{2000}", "2000}", 4, "the value of 'year' needs braces around it: write year = {2000},"),
    ("{One, A. and others}", "One, A. and others}", 3, "the value of 'author' needs braces around it: write author = {One, A. and others},"),
    # The entry's } left out before a comment: the comment is not inside the entry.
    ("  journal = {Journal One},\n}\n", "  journal = {Journal One},\n% The next one\n", 6,
     "entry 'one2000' is not closed: its last field ends on this line; put a } on the line after it, to end the entry"),
    ("@article{one2000,", "@article{,", 1, "@article has no key: write @article{smith2020, (the first author's surname and the year)"),
    ("@misc{org2001", "% Kept by editors@example.org\n@misc{org2001", 9,
     "this comment holds an @, which BibTeX reads as the start of an entry, even after %: leave the @ out of the comment"),
    ("@misc{org2001", "A note without its %.\n@misc{org2001", 9,
     "'A note without its %.' is outside any entry: an entry starts with @ (@article{key,); a comment line starts with %"),
    ("@misc{org2001", "@mics{org2001", 9, "entry 'org2001': entry type @mics is not one of @article, @misc, @manual; did you mean @misc?"),
    ("@misc{org2001", "@misc{One2000", 9, "duplicate key 'One2000' (first on line 1; keys ignore case): give one of them another key, "
     "like smith2020b, and cite it by that key"),
    ("  year   = {n.d.},", "  year   = {n.d.},\n  year   = {2001},", 13, "entry 'org2001': gives 'year' twice; keep one"),
]


@pytest.mark.parametrize("before, after, line, message", BIB_MISTAKES, ids=[m[3][:40] for m in BIB_MISTAKES])
def test_each_common_bibtex_mistake_is_named_at_its_line_with_what_to_write(before, after, line, message):
    assert before in BIB_TEXT
    assert refusal(BIB_TEXT.replace(before, after, 1)) == f"references.bib, line {line}: {message}"


def test_what_the_reader_lets_through_and_pybtex_cannot_read_is_still_named():
    assert refusal('@mi"sc{k, refnumber={1}, author={A, B}, year={2000}, title={T}}') == (
        "references.bib, line 1: BibTeX cannot read this ('(' or '{' expected): check the braces, commas and = signs of this "
        "entry; an entry is written @article{key, then fields like title = {The title}, then }")


def test_a_repeated_number_is_named_in_an_entry_whose_key_has_no_comma():
    text = "@misc{a\n refnumber={1}, author={A, B}, year={2000}, title={T}}\n@misc{b\n refnumber={1}, author={A, B}, year={2000}, title={U}}\n"
    assert refusal(text).startswith("references.bib, line 3: refnumber 1 is given to two entries, 'a' (line 1) and 'b' (this line)")


@pytest.mark.parametrize(
    "text",
    [
        BIB_TEXT.replace("  journal = {Journal One},\n}", "  journal = {Journal One}\n}"),  # no comma after the last field
        BIB_TEXT.replace("{First title}", '"First title"'),  # a value in quotes
        BIB_TEXT.replace("{First title}", "{First\n           title}"),  # a value over two lines
        BIB_TEXT.replace("{First title}", '"First" # { title}'),  # joined with #
        BIB_TEXT.replace("{One, A. and others}", "{One, A. and others},,"),  # a comma standing alone
        "@string{jo = {Journal One}}\n% a comment\n" + BIB_TEXT.replace("{Journal One}", "jo") + "@comment{anything}\n",
        BIB_TEXT.replace("@misc{org2001,", "@misc(org2001,").replace("{Statistics page},\n}", "{Statistics page},\n)"),
        BIB_TEXT.replace("  journal = {Journal One},\n}", "  journal = {Journal One}, year = 2000}").replace("  year    = {2000},\n", ""),
        BIB_TEXT.replace("{2000}", "2000").replace("  journal = {Journal One},\n}", "  journal = {Journal One},\n},"),  # a bare number; "}," after an entry
    ],
)
def test_what_bibtex_allows_is_read_as_meant(text):
    assert [s.html for s in parse_bibliography(text).values()] == [s.html for s in parse_bibliography(BIB_TEXT).values()]


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


def test_a_retired_source_cited_is_named_at_its_line_and_the_entry_that_retires_it():
    retired = {"feder2021": "data/changes.yml, line 12"}
    assert find_citations("Claim.[@berman2000]", "docs/uses.md", 7, SOURCES, retired) == [["berman2000"]]
    with pytest.raises(SiteDataError) as caught:
        find_citations("One.\n\nClaim.[@berman2000; @feder2021]", "docs/uses.md", 7, SOURCES, retired)
    assert str(caught.value) == ("docs/uses.md, line 9: cites 'feder2021', which the entry at data/changes.yml, line 12 retires: "
                                 "cite another source here, or take 'feder2021' out of that entry's retire:")


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
    assert caught.value.where == "references.bib, line 9"
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
    assert backs[1]["aria-label"] == "Home (2): back to citation 1, place 2 of 2"
    assert all(a["aria-label"].startswith(a.get_text() + ":") for a in backs)  # the visible label, whole, in the name
    assert items[1].select_one(".cited-on a")["href"] == "../uses/#cite-org2001-1"


# ---------------------------------------------------------------------------------------------
# citations: back-links, the reference list, the reviewer's report (fixtures of tests/test_citations.py)


def test_the_reference_list_is_exactly_numbered_items_with_back_links():
    sources = citations.parse_bibliography(BIB_TEXT + "\n@misc{gone1999, refnumber = {3}, author = {Gone, G.}, year = {1999}, title = {Old}}\n")
    places = citations.index_citations(sources, [("", "Home & co", ["one2000", "one2000"]), ("uses/", "Uses", ["org2001"])],
                                       retired=frozenset({"gone1999"}))
    assert citations.render_bibliography(sources, places, "references/", frozenset({"gone1999"})) == (
        '<ol class="bibliography">\n'
        '<li id="ref-one2000"><span class="reference">One, A., et al. (2000). First title. <em>Journal One</em>.</span>'
        ' <span class="cited-on" data-search-exclude>Cited on: '
        '<a class="backlink" href="../#cite-one2000-1" aria-label="Home &amp; co (1): back to citation 1, place 1 of 2">Home &amp; co (1)</a>, '
        '<a class="backlink" href="../#cite-one2000-2" aria-label="Home &amp; co (2): back to citation 1, place 2 of 2">Home &amp; co (2)</a>'
        "</span></li>\n"
        '<li id="ref-org2001"><span class="reference">Some Agency of Health. (n.d.). Statistics page.</span>'
        ' <span class="cited-on" data-search-exclude>Cited on: '
        '<a class="backlink" href="../uses/#cite-org2001-1" aria-label="Uses: back to citation 2">Uses</a></span></li>\n'
        '<li id="ref-gone1999" class="retired"><span class="reference">Gone, G. (1999). Old.</span> '
        '<span class="cited-on">No longer cited on this site: see the record of changes.</span></li>\n'
        "</ol>"
    )
    # A source with no places (none are computed for it) is listed without "Cited on".
    assert '<li id="ref-org2001"><span class="reference">Some Agency of Health. (n.d.). Statistics page.</span></li>' in (
        citations.render_bibliography(sources, {}, "references/"))


def test_every_uncited_entry_is_named_and_a_cited_retired_one_on_its_page():
    sources = citations.parse_bibliography(BIB_TEXT)
    with pytest.raises(SiteDataError) as refused:
        citations.index_citations(sources, [], where="refs.bib")
    assert str(refused.value) == ("refs.bib, line 1: entry 'one2000' is not cited on any page (nor are org2001): cite it where a page uses it "
                                  "([@key] after the sentence), or retire it in data/changes.yml (retire: [key], why), which keeps its number")
    with pytest.raises(SiteDataError) as refused:
        citations.index_citations(sources, [("", "Home", ["org2001", "one2000"])], retired=frozenset({"org2001"}))
    assert str(refused.value) == "/: cites 'org2001', which data/changes.yml retired; cite another source, or take it out of 'retire'"
    with pytest.raises(SiteDataError) as refused:
        citations.index_citations(sources, [("uses/", "Uses", ["org2001", "one2000"])], retired=frozenset({"org2001"}))
    assert str(refused.value).startswith("uses/: cites 'org2001'")


def test_cited_keys_are_read_from_the_rendered_ids_in_order():
    assert citations.cited_keys('<sup id="cite-a-b-2"></sup><sup id="cite-one2000-1"></sup><p id="ref-x">') == ["a-b", "one2000"]
    assert citations.cite_id("one2000", 3) == "cite-one2000-3"


def test_each_claim_is_the_sentence_its_citation_follows():
    markdown = ("Ketamine helps. **It works fast.** [@one2000]\n"
                "- It can cause nausea [@one2000; @org2001] and dizziness. [@org2001]\n"
                "A bad group [@one2000, @org2001] is skipped.\n"
                "```\nCode [@one2000]\n```\n")
    assert citations.claims(markdown, 10) == [
        (10, "It works fast.", ["one2000"]),
        (11, "It can cause nausea", ["one2000", "org2001"]),
        (11, "and dizziness.", ["org2001"]),
    ]
    assert citations.claims("[@one2000] at the start.\n") == [(1, "", ["one2000"])]
    sources = citations.parse_bibliography(BIB_TEXT)
    assert citations.review_report([("docs/a.md", markdown, 10), ("docs/none.md", "No claims.\n", 1)], sources) == (
        "== docs/a.md\n"
        "line 10: It works fast.\n"
        "    [1] One, A., et al. (2000). First title. Journal One.\n"
        "line 11: It can cause nausea\n"
        "    [1] One, A., et al. (2000). First title. Journal One.\n"
        "    [2] Some Agency of Health. (n.d.). Statistics page.\n"
        "line 11: and dizziness.\n"
        "    [2] Some Agency of Health. (n.d.). Statistics page.\n"
    )


# ---------------------------------------------------------------------------------------------
# citations: the bibliography's messages and labels, the checked citations, the rendered markers

TWO_SOURCES = ("@article{zeta, refnumber={1}, author={Zeta, Ann}, year={2000}, title={T}, journal={J}}\n"
               "@article{alpha, refnumber={2}, author={Alpha, Bo and Beta, C.}, year={2001}, title={U}, journal={J}}\n")


def _bib_error(text: str, where: str = "references.bib") -> str:
    with pytest.raises(SiteDataError) as caught:
        citations.parse_bibliography(text, where)
    return str(caught.value)


def test_each_source_keeps_its_key_label_entry_author_year_and_line():
    sources = citations.parse_bibliography(
        "@misc{one, refnumber={1}, author={Smith, John}, year={2000}, title={T}, howpublished={StatPearls}}\n"
        "@manual{two, refnumber={2}, author={{Org}}, year={n.d.}, title={U}}\n"
        "@article{three, refnumber={3}, author={Smith, John and Jones, K.}, year={2001}, title={V}, journal={J}}\n"
        "@article{four, refnumber={4}, author={Smith, John and Jones, K. and Lee, M.}, year={2002}, title={W}, journal={J}}\n")
    assert list(sources.values()) == [
        # A misc entry's venue (howpublished) is printed in italics; a manual has none.
        citations.Source("one", 1, "Smith, 2000", "Smith, John. (2000). T. <em>StatPearls</em>.", "Smith", "2000", 1),
        # A manual is a drug label: it keeps its title as plain text, for the page's "label version" line.
        citations.Source("two", 2, "Org, n.d.", "Org. (n.d.). U.", "Org", "n.d.", 2, "U"),
        # Two authors or more: "et al." in the short label.
        citations.Source("three", 3, "Smith et al., 2001", "Smith, John, Jones, K. (2001). V. <em>J</em>.", "Smith", "2001", 3),
        citations.Source("four", 4, "Smith et al., 2002", "Smith, John, Jones, K., Lee, M. (2002). W. <em>J</em>.", "Smith", "2002", 4),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@article{a,\n author={Smith, John},\n year={2000}\n title={T}}\n", "x.bib, line 3: a comma is missing at the end of this line, after the value of 'year': "
         "fields are separated by commas (title = {The title},)"),
        ("@article{a, author={Smith, J, K, L}, year={2000}, title={T}, journal={J}}", "x.bib: BibTeX error: Too many commas in 'Smith, J, K, L'"),
        ("", "x.bib: has no entries"),
        ("@book{a, author={S, J}, year={2000}, title={T}}", "x.bib, line 1: entry 'a': entry type @book is not one of @article, @misc, @manual"),
        ("@article{a, author={S, J}, year={20}, title={T}}", "x.bib, line 1: entry 'a': year must be four digits or 'n.d.', got '20'"),
    ],
)
def test_a_bad_bibliography_is_refused_naming_the_file_and_what_is_wrong(text, message):
    assert _bib_error(text, "x.bib") == message


def test_a_loaded_bibliography_names_its_own_file(tmp_path):
    path = tmp_path / "other.bib"
    path.write_text("@book{a, author={S, J}, year={2000}, title={T}}\n", encoding="utf-8")
    with pytest.raises(SiteDataError) as caught:
        citations.load_bibliography(path, "data/other.bib")
    assert str(caught.value).startswith("data/other.bib, line 1: entry 'a': entry type @book")


def test_a_duplicate_key_is_named_at_its_second_entry():
    text = "\n" + TWO_SOURCES + "@article{zeta, author={Zeta, Ann}, year={2003}, title={X}, journal={J}}\n"
    # The blank first line counts: the second zeta is on line 4.
    assert _bib_error(text) == "references.bib, line 4: duplicate key 'zeta' (first on line 2; keys ignore case): give one of them another key, like smith2020b, and cite it by that key"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # A key with a colon is named whole, and found at its second entry.
        ("@article{a:b, author={S, J}, year={2000}, title={T}}\n\n@article{a:b, author={S, J}, year={2000}, title={T}}\n",
         "references.bib, line 3: duplicate key 'a:b' (first on line 1; keys ignore case): give one of them another key, like smith2020b, and cite it by that key"),
        # BibTeX keys ignore case, so Smith2000 repeats smith2000: named as the second spells it.
        ("@article{smith2000, author={S, J}, year={2000}, title={T}}\n@article{Smith2000, author={S, J}, year={2000}, title={T}}\n",
         "references.bib, line 2: duplicate key 'Smith2000' (first on line 1; keys ignore case): give one of them another key, like smith2020b, and cite it by that key"),
        # A field given twice is not a duplicate key: named by its entry and the line of the second.
        (TWO_SOURCES + "@article{k,\n author={S, J},\n year={2000},\n title={T},\n  Year = {2001}\n}\n",
         "references.bib, line 7: entry 'k': gives 'Year' twice; keep one"),
        # A bare word is an undefined @string to BibTeX; the editor meant text.
        ("@article{k,\n author={S, J},\n year={2000},\n title=Ketamine\n}\n",
         "references.bib, line 4: 'Ketamine' is a bare word, which BibTeX reads as an undefined @string; put the text in braces: {Ketamine}"),
    ],
)
def test_duplicates_and_bare_words_are_named_at_their_line(text, message):
    assert _bib_error(text) == message


@pytest.mark.parametrize(
    ("markdown", "groups"),
    [
        ("\\[@nokey] is escaped, so no citation", []),
        ("\\[@nokey] is escaped, [@alpha] is not", [["alpha"]]),
        # The backslash before a code span is not before the citation after it.
        ("\\`x`[@alpha]", [["alpha"]]),
    ],
)
def test_escaped_citations_are_skipped_and_the_rest_of_the_line_is_still_read(markdown, groups):
    sources = citations.parse_bibliography(TWO_SOURCES)
    assert citations.find_citations(markdown, "docs/p.md", 1, sources) == groups


def test_a_code_span_inside_a_citation_makes_it_malformed_as_markdown_sees_it():
    # Markdown's code span wins inside the brackets, so the group would be printed as text.
    sources = citations.parse_bibliography(TWO_SOURCES)
    with pytest.raises(SiteDataError) as caught:
        citations.find_citations("Said [@alpha `x`].", "docs/p.md", 2, sources)
    assert str(caught.value) == "docs/p.md, line 2: '[@alpha `x`]' is not written [@key] or [@key1; @key2]"
    html = Markdown(extensions=[citations.CitationExtension(sources)]).convert("Said [@alpha `x`].")
    assert html == "<p>Said [@alpha <code>x</code>].</p>"


def test_a_citation_at_the_start_of_a_line_ending_in_a_backslash_is_still_checked():
    # A backslash at the end of a line is a Markdown line break, not an escape of the line's first citation.
    sources = citations.parse_bibliography(TWO_SOURCES)
    with pytest.raises(SiteDataError) as caught:
        citations.find_citations("[@nokey] ends with a break\\", "docs/p.md", 3, sources)
    assert str(caught.value).startswith("docs/p.md, line 3: unknown citation key 'nokey'")


def test_a_citation_group_renders_as_one_superscript_of_links_in_number_order():
    sources = citations.parse_bibliography(TWO_SOURCES)  # zeta is 1, alpha is 2: their refnumbers, not the keys'
    html = Markdown(extensions=[citations.CitationExtension(sources)]).convert("Said [@alpha; @zeta].")
    assert html == (
        '<p>Said <sup class="citation">'
        '<a aria-label="Reference 1: Zeta, 2000" href="references.md#ref-zeta" id="cite-zeta-1">1</a>, '
        '<a aria-label="Reference 2: Alpha et al., 2001" href="references.md#ref-alpha" id="cite-alpha-1">2</a>'
        "</sup>.</p>"
    )


def test_every_uncited_source_is_named():
    sources = citations.parse_bibliography(TWO_SOURCES + TWO_SOURCES.replace("zeta", "gamma").replace("alpha", "delta")
                                           .replace("{1}", "{3}").replace("{2}", "{4}"))
    with pytest.raises(SiteDataError) as caught:
        citations.index_citations(sources, [])
    assert str(caught.value).startswith("references.bib, line 1: entry 'zeta' is not cited on any page (nor are alpha, gamma, delta): ")


def test_a_retired_source_first_in_the_list_does_not_end_it():
    sources = citations.parse_bibliography(TWO_SOURCES)
    places = {"alpha": [citations.Backlink("uses/", "Uses", "cite-alpha-1", 1, 1)]}
    assert citations.render_bibliography(sources, places, "references/", frozenset({"zeta"})) == (
        '<ol class="bibliography">\n'
        '<li id="ref-zeta" class="retired"><span class="reference">Zeta, Ann. (2000). T. <em>J</em>.</span> '
        '<span class="cited-on">No longer cited on this site: see the record of changes.</span></li>\n'
        '<li id="ref-alpha"><span class="reference">Alpha, Bo, Beta, C. (2001). U. <em>J</em>.</span> '
        '<span class="cited-on" data-search-exclude>Cited on: <a class="backlink" href="../uses/#cite-alpha-1" '
        'aria-label="Uses: back to citation 2">Uses</a></span></li>\n'
        "</ol>"
    )


# ---------------------------------------------------------------------------------------------
# citations: the reviewer's report (each claim beside its sources) and the citation index

REPORT_SOURCES = {
    "one2000": citations.Source("one2000", 1, "One et al., 2000", "One, A. (2000). <em>Trial</em> &amp; more.", line=3),
    "two2001": citations.Source("two2001", 2, "Two, 2001", "Two, B. (2001). Review.", line=9),
    "old1999": citations.Source("old1999", 3, "Old, 1999", "Old, C. (1999). Gone.", line=15),
}


def test_each_claim_is_the_sentence_its_citation_follows_in_lists_and_after_questions():
    body = (
        "Intro sentence. Ketamine works fast.[@one2000] It lasts **days**.[@one2000; @two2001]\n"
        "- A listed claim.[@two2001]\n"
        "```\nIn code.[@one2000]\n```\n"
        "Odd: [@ bad key] and [@one2000]\n"
        "Question? Yes![@two2001]\n"
    )
    assert citations.claims(body, 10) == [
        (10, "Ketamine works fast.", ["one2000"]),
        (10, "It lasts days.", ["one2000", "two2001"]),
        (11, "A listed claim.", ["two2001"]),
        (15, "and", ["one2000"]),
        (16, "Yes!", ["two2001"]),
    ]
    assert citations.claims("[@one2000] opens the line.\n") == [(1, "", ["one2000"])]


def test_the_reviewers_report_lists_each_pages_claims_with_the_sources_as_text():
    pages = [
        ("docs/uses.md", "Ketamine works fast.[@one2000; @two2001]\n", 7),
        ("docs/about.md", "No citations here.\n", 4),
        ("docs/side-effects.md", "\nNausea is common.[@two2001]\n", 3),
    ]
    assert citations.review_report(pages, REPORT_SOURCES) == (
        "== docs/uses.md\n"
        "line 7: Ketamine works fast.\n"
        "    [1] One, A. (2000). Trial & more.\n"
        "    [2] Two, B. (2001). Review.\n"
        "\n"
        "== docs/side-effects.md\n"
        "line 4: Nausea is common.\n"
        "    [2] Two, B. (2001). Review.\n"
    )
    assert citations.review_report([], REPORT_SOURCES) == ""


def test_the_reviewers_report_gives_the_ledgers_line_for_each_source_of_each_claim():
    pages = [("docs/uses.md", "Ketamine works fast.[@one2000; @two2001]\n", 7)]
    verdict = lambda where, claim, key: f"{where} | {claim} | {key}"  # noqa: E731
    assert citations.review_report(pages, REPORT_SOURCES, verdict).splitlines()[2:6] == [
        "    [1] One, A. (2000). Trial & more.",
        "        docs/uses.md | Ketamine works fast. | one2000",
        "    [2] Two, B. (2001). Review.",
        "        docs/uses.md | Ketamine works fast. | two2001",
    ]


def test_every_citation_of_a_source_gets_its_own_back_link_in_reading_order():
    places = citations.index_citations(
        REPORT_SOURCES, [("uses/", "Uses", ["one2000", "two2001", "one2000"]), ("", "Home", ["one2000"])], retired=frozenset({"old1999"}))
    assert places == {
        "one2000": [citations.Backlink("uses/", "Uses", "cite-one2000-1", 1, 2), citations.Backlink("uses/", "Uses", "cite-one2000-2", 2, 2),
                    citations.Backlink("", "Home", "cite-one2000-1", 1, 1)],
        "two2001": [citations.Backlink("uses/", "Uses", "cite-two2001-1", 1, 1)],
        "old1999": [],
    }
    assert citations.cited_keys('<sup id="cite-one2000-1"></sup><sup id="cite-two-part2001-12">') == ["one2000", "two-part2001"]


def test_an_uncited_or_retired_but_cited_source_is_named():
    with pytest.raises(SiteDataError) as error:
        citations.index_citations(REPORT_SOURCES, [("uses/", "Uses", ["two2001"])])
    assert str(error.value) == (
        "references.bib, line 3: entry 'one2000' is not cited on any page (nor are old1999): cite it where a page uses it "
        "([@key] after the sentence), or retire it in data/changes.yml (retire: [key], why), which keeps its number")
    with pytest.raises(SiteDataError) as error:
        citations.index_citations({"two2001": REPORT_SOURCES["two2001"], "x": citations.Source("x", 2, "X", "X.")}, [("uses/", "Uses", ["two2001"])],
                                  where="refs.bib")
    assert str(error.value).startswith("refs.bib: entry 'x' is not cited on any page: cite it")
    with pytest.raises(SiteDataError) as error:
        citations.index_citations(REPORT_SOURCES, [("", "Home", ["one2000", "two2001", "old1999"])], retired=frozenset({"old1999"}))
    assert str(error.value) == "/: cites 'old1999', which data/changes.yml retired; cite another source, or take it out of 'retire'"
