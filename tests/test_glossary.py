"""Unit tests of sitegen.glossary: loading, checking, marking pages, the Glossary page."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, SOURCE, TWO_TERMS
from sitegen import datafile, fidelity, glossary
from sitegen.article import Article
from sitegen.errors import SiteDataError
from sitegen.glossary import check_recorded, load_glossary, mark_first_uses, render_glossary, unused, used_in
from text import normalise

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

GOOD = """\
terms:
  - term: Glutamate
    forms: [glutamate, Glutamate]
    definition: A chemical messenger that influences your mood, emotions, and the way you think.
  - term: PTSD
    definition: Post-traumatic stress disorder, an illness that’s often caused by a traumatic or stressful event.
"""


def load(tmp_path: Path, text: str):
    path = tmp_path / "glossary.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_glossary(path, "data/glossary.yml")


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(SiteDataError) as caught:
        load(tmp_path, text)
    return str(caught.value)


def render(md_text: str, glossary) -> str:
    """What a page goes through in the build: Markdown with abbr's glossary, then our pass."""
    return markdown.markdown(md_text, extensions=["abbr"], extension_configs={"abbr": {"glossary": glossary.abbreviations()}})


# ---------------------------------------------------------------------------
# Good data


def test_good_data(tmp_path):
    glossary = load(tmp_path, GOOD)
    assert [t.term for t in glossary.terms] == ["Glutamate", "PTSD"]
    assert glossary.terms[1].forms == ["PTSD"]  # the term itself by default
    assert glossary.abbreviations()["glutamate"].startswith("A chemical messenger")
    assert glossary.terms[1].line == 5


def test_first_use_on_a_page_is_a_focusable_tooltip(tmp_path):
    glossary = load(tmp_path, GOOD)
    html = render("## Can ketamine help with PTSD?\n\nGlutamate matters. So does glutamate.\n\nPTSD is an illness. PTSD again.\n\n*[HTML]: Hypertext", glossary)
    html, used = mark_first_uses(html, glossary)
    soup = BeautifulSoup(html, "html.parser")
    abbrs = soup.find_all("abbr")
    assert [(a.get_text(), a.get("tabindex")) for a in abbrs] == [("Glutamate", "0"), ("PTSD", "0")]
    assert abbrs[0]["title"] == glossary.terms[0].definition
    assert soup.h2.get_text() == "Can ketamine help with PTSD?" and soup.h2.abbr is None
    assert "So does glutamate." in soup.get_text()
    assert used == {"Glutamate", "PTSD"}


def test_a_term_used_only_in_a_heading_counts_as_used(tmp_path):
    glossary = load(tmp_path, GOOD)
    html, used = mark_first_uses(render("## What is PTSD?\n\nText.", glossary), glossary)
    assert "<abbr" not in html and used == {"PTSD"}


def test_abbreviations_that_are_not_glossary_terms_are_left_alone(tmp_path):
    glossary = load(tmp_path, GOOD)
    html, used = mark_first_uses(render("Some HTML here.\n\n*[HTML]: Hypertext Markup Language", glossary), glossary)
    assert '<abbr title="Hypertext Markup Language">HTML</abbr>' in html and used == set()


def test_quotes_in_a_definition_survive(tmp_path):
    glossary = load(tmp_path, GOOD.replace("A chemical messenger", 'A "chemical" messenger'))
    html, used = mark_first_uses(render("Glutamate.", glossary), glossary)
    assert BeautifulSoup(html, "html.parser").abbr["title"].startswith('A "chemical" messenger')
    assert used == {"Glutamate"}


def test_render_sorts_and_escapes(tmp_path):
    glossary = load(tmp_path, GOOD.replace("term: PTSD", "term: \"apathy's 'quote'\""))
    html = render_glossary(glossary)
    assert html.index("apathy") < html.index("Glutamate")  # alphabetical, whatever the case
    assert "apathy&#x27;s &#x27;quote&#x27;" in html


def test_unused_term_is_an_error_naming_its_line(tmp_path):
    glossary = load(tmp_path, GOOD)
    assert unused(glossary, {"Glutamate", "PTSD"}) is None
    error = unused(glossary, {"Glutamate"})
    assert str(error) == "data/glossary.yml, line 5: glossary term 'PTSD' appears on no page (looked for 'PTSD'; case matters): fix its forms or remove the term"


def test_the_sites_glossary_loads_and_its_article_definitions_are_the_articles():
    glossary = load_glossary(ROOT / "data/glossary.yml", "data/glossary.yml")
    article = normalise(SOURCE.read_text(encoding="utf-8"))
    # A definition in the article's words uses only the article's vocabulary: no word (so no drug,
    # number or claim) from elsewhere. The site's own may use any plain words (shown as the site's
    # own), and a reference's are held to its record by the build (check_recorded).
    vocabulary = set(re.findall(r"[a-z0-9']+", article.lower()))
    quoted = [term for term in glossary.terms if not term.ours and not term.source]
    for term in quoted:
        for form in term.forms:
            assert form in article, f"{form!r} is not a word the article uses"
        foreign = [w for w in re.findall(r"[a-z0-9']+", normalise(term.definition).lower()) if w not in vocabulary]
        assert not foreign, f"{term.term}: words not in the article: {foreign}"
    assert quoted
    for term in glossary.terms:
        assert term.mark is None if term in quoted else term.mark


# ---------------------------------------------------------------------------
# The three kinds of definition: the article's, the site's, a reference's

KINDS = """\
terms:
  - term: Glutamate
    definition: Glutamate is a chemical messenger.
  - term: Nasal spray
    forms: [nasal spray]
    source: site
    definition: A medicine sprayed into the nose, as "esketamine" is; plain words, 100% (ok).
  - term: Sedation
    forms: [sedation, Sedation]
    source: janssen2020
    section: "Spravato label, Medication Guide"
    definition: Sleepiness.
"""


ARTICLE = Article(body=((1, "Glutamate is a chemical messenger."),), side_effects=((), ()), references=(), footnote="")


def test_the_sites_own_words_may_be_any_plain_words_and_say_so(tmp_path):
    glossary = load(tmp_path, KINDS)
    ours = glossary.terms[1]
    assert ours.ours and ours.source is None and ours.mark == "this site’s own definition"
    assert ours.tooltip == 'A medicine sprayed into the nose, as "esketamine" is; plain words, 100% (ok). (this site’s own definition)'
    # Words the article never uses are the site's to choose: the article check passes them by.
    fidelity.check_glossary(ARTICLE, glossary)


def test_the_articles_words_are_still_checked_word_for_word(tmp_path):
    glossary = load(tmp_path, KINDS.replace("Glutamate is a chemical messenger.", "Glutamate is a messenger of the brain."))
    with pytest.raises(SiteDataError, match=r"^data/glossary.yml, line 2: the definition of 'Glutamate' is not the article's wording"):
        fidelity.check_glossary(ARTICLE, glossary)


def test_a_references_words_name_it_and_its_section(tmp_path):
    glossary = load(tmp_path, KINDS)
    term = glossary.terms[2]
    assert (term.ours, term.source, term.section, term.line) == (False, "janssen2020", "Spravato label, Medication Guide", 8)
    assert glossary.abbreviations()["Sedation"] == "Sleepiness. (Spravato label, Medication Guide)"
    html = render_glossary(glossary, reference_url=lambda key: f"../references/#ref-{key}")
    assert ('<dd>Sleepiness. <span class="glossary__ours glossary__source">'
            '(<a href="../references/#ref-janssen2020">Spravato label, Medication Guide</a>)</span></dd>') in html
    # Without a link (the handout's words, on paper), the section in words.
    assert "<dd>Sleepiness. <span class=\"glossary__ours glossary__source\">(Spravato label, Medication Guide)</span></dd>" in (
        render_glossary(glossary, only={"Sedation"}, css="words-to-know"))
    fidelity.check_glossary(ARTICLE, glossary)  # not the article's words: not held to them


@pytest.mark.parametrize(("before", "after", "message"), [
    ('    section: "Spravato label, Medication Guide"\n', "",
     "data/glossary.yml, line 8: terms[2]: takes its definition from the reference 'janssen2020' (for the site's own words, write "
     "'source: site'), so it needs 'section': where in it, as readers see it, like \"Spravato label, Medication Guide\""),
    ("    source: site\n", '    source: site\n    section: "Medication Guide"\n',
     "data/glossary.yml, line 7: terms[1].section: names where in a reference the definition comes from; only a definition "
     "with 'source: KEY' (a reference's citation key) has one"),
    ("source: janssen2020", "source: the Spravato label",
     "data/glossary.yml, line 10: terms[2].source: 'the Spravato label' is not a kind of definition: leave it out (the article's words), "
     "write 'site' (the site's own words) or a reference's citation key from references.bib, like janssen2020"),
    ("Sleepiness.", "Very **sleepy**.",
     "data/glossary.yml, line 12: terms[2].definition: holds '*': a definition is plain text, shown as written; write it without Markdown"),
    ("plain words, 100% (ok).", "see [the label](https://example.org).",
     "data/glossary.yml, line 7: terms[1].definition: holds '[': a definition is plain text, shown as written; write it without Markdown"),
    ("plain words, 100% (ok).", "<b>bold</b>", "data/glossary.yml, line 7: terms[1].definition: contains HTML"),
    ("plain words, 100% (ok).", "salt & pepper",
     "data/glossary.yml, line 7: terms[1].definition: contains '&': tooltips show text as HTML, so write it without < > &"),
])
def test_each_kind_is_checked_for_what_it_needs(tmp_path, before, after, message):
    assert before in KINDS
    assert error_of(tmp_path, KINDS.replace(before, after, 1)).startswith(message)


@dataclass
class Entry:  # the part of a record entry (sitegen.changes.Change) the glossary reads
    definitions: tuple
    where: str = "data/changes.yml, line 30"


def test_a_references_definition_is_on_the_record(tmp_path):
    glossary = load(tmp_path, KINDS)
    sources = {"janssen2020": object()}
    check_recorded(glossary, [Entry(()), Entry(("Sedation",))], sources)
    with pytest.raises(SiteDataError) as caught:
        check_recorded(glossary, [Entry(())], sources)
    assert str(caught.value) == (
        "data/glossary.yml, line 8: 'Sedation' takes its definition from janssen2020 (Spravato label, Medication Guide), so it goes "
        "on the record: add an entry at the top of data/changes.yml with definitions: [Sedation], why, and the pages whose text it changes")
    with pytest.raises(SiteDataError) as caught:
        check_recorded(glossary, [Entry(("Sedation",))], {})
    assert str(caught.value) == ("data/glossary.yml, line 8: source: 'janssen2020' is not an entry in references.bib; a definition "
                                 "comes from the article (no source), the site (source: site) or one of the article's own "
                                 "references, by its key")


@pytest.mark.parametrize(("name", "problem"), [
    ("Sedatoin", "is not a term of data/glossary.yml"),
    ("Nasal spray", "is not defined from a reference (source: KEY, section) in data/glossary.yml"),
    ("Glutamate", "is not defined from a reference (source: KEY, section) in data/glossary.yml"),
])
def test_the_record_names_only_definitions_from_a_reference(tmp_path, name, problem):
    with pytest.raises(SiteDataError) as caught:
        check_recorded(load(tmp_path, KINDS), [Entry(("Sedation", name))], {"janssen2020": object()})
    assert str(caught.value) == (f"data/changes.yml, line 30: definitions: '{name}' {problem}; name each term as its 'term:' reads, "
                                 "and only terms whose definition comes from a reference")


def test_a_pages_words_are_found_anywhere_in_its_text_as_whole_words_case_and_all(tmp_path):
    glossary = load(tmp_path, KINDS)
    page = ('<p>Glutamate.</p><table><tr><td>Sedation</td></tr></table>'
            '<p><abbr title="A medicine sprayed into the nose">Nasal spray</abbr>, nasal sprays</p>')
    # "Nasal spray" is not a form (case matters), "nasal sprays" is not the whole word "nasal spray".
    assert used_in(glossary, page) == {"Glutamate", "Sedation"}
    assert used_in(glossary, "<p>a nasal spray</p><!-- insert: words-to-know -->") == {"Nasal spray"}
    # A word inside a tooltip's text or a tag is not a use.
    assert used_in(glossary, '<p title="Glutamate">Sedations</p><p class="sedation">x</p>') == set()


# ---------------------------------------------------------------------------
# Bad data


def test_malformed_yaml(tmp_path):
    message = error_of(tmp_path, GOOD.replace("    forms: [glutamate, Glutamate]", "    forms: [glutamate, Glutamate"))
    assert message == "data/glossary.yml, line 3: a '[' opened on this line is never closed: close it with ']' after its last item", message


def test_missing_definition(tmp_path):
    message = error_of(tmp_path, GOOD.replace("    definition: Post-traumatic", "    defintion: Post-traumatic"))
    assert message == "data/glossary.yml, line 6: terms[1].defintion: unknown field 'defintion' (did you mean 'definition'? expected one of: term, definition, forms, source, section)"


def test_missing_field(tmp_path):
    message = error_of(tmp_path, "terms:\n  - term: PTSD\n")
    assert message == "data/glossary.yml, line 2: terms[0]: missing field 'definition'"


def test_wrong_type(tmp_path):
    message = error_of(tmp_path, GOOD.replace("forms: [glutamate, Glutamate]", "forms: glutamate"))
    assert message == "data/glossary.yml, line 3: terms[0].forms: must be a list of forms, got text ('glutamate')"


def test_duplicate_term(tmp_path):
    message = error_of(tmp_path, GOOD + "  - term: ptsd\n    definition: Again.\n")
    assert message == ("data/glossary.yml, line 7: terms[2].term: duplicate term 'ptsd': it already has an entry, terms[1] at line 5; "
                       "keep one of the two")


def test_a_duplicate_term_names_the_line_of_the_first_ones_term(tmp_path):
    # The first entry's term: line, not its first line (here its forms: come first).
    first = GOOD.replace("  - term: Glutamate\n    forms: [glutamate, Glutamate]\n", "  - forms: [glutamate, Glutamate]\n    term: Glutamate\n")
    message = error_of(tmp_path, first + "  - term: glutamate\n    forms: [glu]\n    definition: Again.\n")
    assert message.endswith("duplicate term 'glutamate': it already has an entry, terms[0] at line 3; keep one of the two")


@pytest.mark.parametrize(("field", "line"), [("source", 8), ("section", 9)])
def test_a_source_or_section_that_is_not_text_is_named_by_its_key(tmp_path, field, line):
    text = GOOD + "  - term: Sedation\n    source: janssen2020\n    section: Spravato label\n    definition: Sleepiness.\n"
    value = "janssen2020" if field == "source" else "Spravato label"
    message = error_of(tmp_path, text.replace(f"{field}: {value}", f"{field}: [a]"))
    assert message.startswith(f"data/glossary.yml, line {line}: terms[2].{field}: "), message


def test_a_form_in_two_terms(tmp_path):
    message = error_of(tmp_path, GOOD + "  - term: Glutamate receptors\n    forms: [glutamate]\n    definition: Receptors.\n")
    assert message == ("data/glossary.yml, line 8: terms[2].forms[0]: 'glutamate' is already a form of terms[0] at line 2: "
                       "a word on a page can mark one term only, so list it under one of the two")


def test_empty_glossary(tmp_path):
    assert error_of(tmp_path, "terms: []\n") == "data/glossary.yml, line 1: terms: is empty: list at least one term"


def test_html_in_a_definition(tmp_path):
    message = error_of(tmp_path, GOOD.replace("A chemical messenger", "A <b>chemical</b> messenger"))
    assert message.startswith("data/glossary.yml, line 4: terms[0].definition: contains HTML")


def test_ampersand_in_a_definition(tmp_path):
    # The theme's tooltip reads the title as HTML, so even an entity would be interpreted.
    message = error_of(tmp_path, GOOD.replace("A chemical messenger", "A chemical &amp; messenger"))
    assert message == "data/glossary.yml, line 4: terms[0].definition: contains '&': tooltips show text as HTML, so write it without < > &"


# ---------------------------------------------------------------------------------------------
# Survivors in glossary (issue 21): each test states what an editor or a clinic would see go wrong


def test_an_abbreviation_in_a_heading_that_is_no_glossary_term_is_left_as_written():
    # A page's own <abbr> (Markdown's `*[WHO]: ...`) in a heading keeps its tooltip; a term there becomes plain text.
    html = ('<h2 id="x">The <abbr title="World Health Organization">WHO</abbr> and <abbr title="A receptor.">NMDA receptor</abbr></h2>'
            '<p><abbr title="A receptor.">NMDA receptor</abbr></p>')
    assert glossary.mark_first_uses(html, TWO_TERMS) == (
        '<h2 id="x">The <abbr title="World Health Organization">WHO</abbr> and NMDA receptor</h2>'
        '<p><abbr tabindex="0" title="A receptor.">NMDA receptor</abbr></p>',
        {"NMDA receptor"},
    )


def test_a_pages_words_to_know_list_a_term_that_sorts_after_one_it_does_not_use():
    # "Dissociation" sorts first but the page does not use it; the handout must still define "NMDA receptor".
    assert glossary.render_glossary(TWO_TERMS, only={"NMDA receptor"}, css="words-to-know") == (
        '<dl class="words-to-know">\n<dt>NMDA receptor</dt>\n<dd>A receptor.</dd>\n</dl>')


def test_an_unused_term_gets_a_did_you_mean_only_for_a_close_word():
    # "dissociative" is close (a ratio of 0.83); "dissolution" (0.78) is another word, and naming it would mislead.
    prefix = ("data/glossary.yml, line 5: glossary term 'Dissociation' appears on no page (looked for 'dissociation'; "
              "case matters)")
    assert str(glossary.unused(TWO_TERMS, {"NMDA receptor"}, {"dissolution"})) == prefix + ": fix its forms or remove the term"
    assert str(glossary.unused(TWO_TERMS, {"NMDA receptor"}, {"dissociative"})) == (
        prefix + "; the pages say 'dissociative': fix its forms or remove the term")


# ---------------------------------------------------------------------------------------------
# glossary: the site's own definitions, anchors, a page's word list, "did you mean"

GLOSSARY_YML = """\
terms:
  - term: NMDA receptor
    definition: A receptor in the brain that ketamine blocks.
    forms: [NMDA receptor, NMDA receptors]
  - term: IV
    definition: Given into a vein.
    source: site
"""


def _glossary(text: str = GLOSSARY_YML) -> glossary.Glossary:
    return glossary.validate(datafile.load_text(text, "data/glossary.yml"))


def test_the_sites_own_definitions_are_marked_as_such_in_tooltip_and_list():
    terms = _glossary()
    assert terms.abbreviations() == {
        "NMDA receptor": "A receptor in the brain that ketamine blocks.",
        "NMDA receptors": "A receptor in the brain that ketamine blocks.",
        "IV": "Given into a vein. (this site’s own definition)",
    }
    assert [(t.term, t.line, t.ours) for t in terms.terms] == [("NMDA receptor", 2, False), ("IV", 5, True)]
    assert render_glossary(terms) == (
        '<dl class="glossary">\n<dt id="term-iv">IV</dt>\n'
        '<dd>Given into a vein. <span class="glossary__ours">(this site’s own definition)</span></dd>\n'
        '<dt id="term-nmda-receptor">NMDA receptor</dt>\n<dd>A receptor in the brain that ketamine blocks.</dd>\n</dl>'
    )


def test_a_pages_word_list_shows_only_its_terms_without_anchors():
    assert render_glossary(_glossary(), only={"IV"}, css="page-words") == (
        '<dl class="page-words">\n<dt>IV</dt>\n'
        '<dd>Given into a vein. <span class="glossary__ours">(this site’s own definition)</span></dd>\n</dl>'
    )
    assert render_glossary(_glossary(), only=set()) == '<dl class="glossary">\n</dl>'


def test_a_terms_anchor_is_its_name_in_lower_case_letters_digits_and_hyphens():
    assert glossary.Term("  5-HT2A (serotonin) Receptor! ", "d", [], 1).anchor == "term-5-ht2a-serotonin-receptor"
    assert _glossary().term_for("NMDA receptors").term == "NMDA receptor" and _glossary().term_for("iv") is None


def test_a_source_other_than_site_names_a_reference_and_needs_its_section():
    with pytest.raises(SiteDataError) as error:
        _glossary(GLOSSARY_YML.replace("source: site", "source: ours"))
    assert str(error.value) == ("data/glossary.yml, line 5: terms[1]: takes its definition from the reference 'ours' (for the site's own "
                                "words, write 'source: site'), so it needs 'section': where in it, as readers see it, like \"Spravato label, Medication Guide\"")
    with pytest.raises(SiteDataError, match=r"^data/glossary\.yml, line 2: terms\[0\]\.term: contains '&'"):
        _glossary(GLOSSARY_YML.replace("term: NMDA receptor", "term: NMDA & co"))
    with pytest.raises(SiteDataError, match=r"^data/glossary\.yml, line 4: terms\[0\]\.forms\[1\]: contains '>'"):
        _glossary(GLOSSARY_YML.replace("NMDA receptors]", "NMDA > receptors]"))
    # A term differing only in case is the same term.
    with pytest.raises(SiteDataError) as error:
        _glossary("terms:\n  - term: iv\n    definition: a.\n  - term: IV\n    definition: b.\n")
    assert str(error.value) == ("data/glossary.yml, line 4: terms[1].term: duplicate term 'IV': it already has an entry, "
                                  "terms[0] at line 2; keep one of the two")


def test_a_page_that_states_a_definition_in_full_needs_no_word_list_for_it():
    terms = _glossary()
    page = "<p>An <abbr>IV</abbr> drip is <em>given</em>   into a\nvein. The NMDA receptor’s role.</p>"
    assert glossary.unexplained(terms, {"IV", "NMDA receptor"}, page) == {"NMDA receptor"}
    assert glossary.unexplained(terms, {"IV"}, "<p>Given into a vein.</p>") == set()
    assert glossary.unexplained(terms, set(), "<p>Nothing.</p>") == set()
    # Curly and straight apostrophes, and case, do not matter.
    ours = glossary.validate(datafile.load_text("terms:\n  - term: X\n    definition: The body's own.\n", "g.yml"))
    assert glossary.unexplained(ours, {"X"}, "<p>THE BODY’S OWN.</p>") == set()


def test_an_unused_term_is_named_with_the_closest_word_the_pages_use():
    error = glossary.unused(_glossary(), {"NMDA receptor"}, {"vein", "Given"})
    assert str(error) == ("data/glossary.yml, line 5: glossary term 'IV' appears on no page (looked for 'IV'; case matters)"
                          ": fix its forms or remove the term")
    assert str(glossary.unused(_glossary(), {"NMDA receptor"}, {"IVs"})).endswith("; the pages say 'IVs': fix its forms or remove the term")
    error = glossary.unused(_glossary(), {"IV"}, {"NMDA receptor's", "NMDA"})
    assert str(error) == ("data/glossary.yml, line 2: glossary term 'NMDA receptor' appears on no page (looked for 'NMDA receptor', "
                          "'NMDA receptors'; case matters); the pages say 'NMDA receptor's': fix its forms or remove the term")
    assert glossary.unused(_glossary(), {"IV", "NMDA receptor"}) is None
