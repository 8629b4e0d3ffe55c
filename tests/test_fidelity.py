"""The content rules, on fixtures of their own: a small article, tables, glossary and references.

The build applies these rules to the real site (tests/test_editing.py walks an editor through
them); here each rule is shown to pass what it should and to stop what it should, with a message
that says what to do.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from helpers import ARTICLE, BIB, DISSOCIATION, REMEDY, SMALL_ARTICLE, refusal_message
from sitegen import article, fidelity
from sitegen.citations import parse_bibliography
from sitegen.errors import SiteDataError
from sitegen.glossary import Glossary, Term
from sitegen.tables import Row, Table

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

SOURCE = article.parse(ARTICLE)


def test_the_article_is_read_into_its_parts():
    assert [text for _, text in SOURCE.body] == [
        "Ketamine was created for anesthesia. It's sometimes used off-label.",
        "Glutamate: Ketamine affects glutamate. Glutamate is a chemical messenger.",
        "It may also help suicidal thoughts go away.",
    ]
    assert SOURCE.side_effects == (("Anxiety or fear", "Nausea, vomiting"), ("Anxiety", "Pain when peeing"))
    assert [(r.author, r.year, r.line) for r in SOURCE.references] == [("Abdallah", "2018", 6), ("National Center for Drug Abuse Statistics", "n.d.", 7)]
    assert SOURCE.footnote == "Keep in mind that psilocybin is legal in some states."
    assert [s for _, s in SOURCE.sentences()][:3] == ["Ketamine was created for anesthesia.", "It's sometimes used off-label.", "Glutamate: Ketamine affects glutamate."]
    # A fragment counts wherever it stands; its first letter's case and typography are free.
    assert SOURCE.contains("glutamate is a chemical messenger.") and SOURCE.contains("It’s sometimes used")
    assert SOURCE.contains("created for anesthesia") and SOURCE.contains("Pain when peeing")
    assert not SOURCE.contains("Ketamine cures") and not SOURCE.contains("")


def edit(replace, with_):
    return SimpleNamespace(replace=replace, with_=with_, where="data/changes.yml, line 9")


def test_recorded_edits_change_the_baseline():
    edited = article.parse(article.apply_edits(ARTICLE, [edit("created for anesthesia", "first made for anesthesia"), edit(" It may also help suicidal thoughts go away.", "")]))
    sentences = [s for _, s in edited.sentences()]
    assert "Ketamine was first made for anesthesia." in sentences and "It may also help suicidal thoughts go away." not in sentences


@pytest.mark.parametrize(
    "replace, problem",
    [("Ketamine cures", "is not in the article (or was already changed by an earlier edit)"), ("Glutamate", "is in the article 2 times; quote more of it")],
)
def test_an_edit_must_find_its_words_exactly_once(replace, problem):
    with pytest.raises(SiteDataError) as caught:
        article.apply_edits(ARTICLE, [edit(replace, "x")])
    assert str(caught.value).startswith("data/changes.yml, line 9: replace: '") and problem in str(caught.value)


def table(rows) -> dict:
    return {"side-effects": Table("side-effects", "data/side-effects.yml", "Side effects", "Side effect", "Not listed in the sources",
                                  {"ketamine": "Ketamine", "esketamine": "Esketamine"}, [SimpleNamespace(heading=None, rows=rows)])}


GOOD_ROWS = [
    Row("Anxiety", {"ketamine": ["Anxiety or fear"], "esketamine": ["Anxiety"]}, "data/side-effects.yml, line 5"),
    Row("Nausea", {"ketamine": ["Nausea, vomiting"]}, "data/side-effects.yml, line 9"),
    Row("Pain when peeing", {"esketamine": ["Pain when peeing"]}, "data/side-effects.yml, line 12"),
]


def test_the_side_effects_table_is_the_articles_list():
    fidelity.check_tables(SOURCE, table(GOOD_ROWS))


@pytest.mark.parametrize(
    "rows, message",
    [
        (GOOD_ROWS[:2] + [Row("Headache", {"esketamine": ["Headache"]}, "data/side-effects.yml, line 12")],
         "data/side-effects.yml, line 12: tables.side-effects, row 'Headache', esketamine: 'Headache' is not the article's wording; write the article's words, or change them on the record"),
        (GOOD_ROWS[:2], "data/side-effects.yml: tables.side-effects: the article lists 'Pain when peeing' for Esketamine, but no cell says it"),
        (GOOD_ROWS + [Row("Fear", {"esketamine": ["Anxiety"]}, "x")], "data/side-effects.yml: tables.side-effects: 'Anxiety' is not in the article's list for Esketamine"),
    ],
)
def test_a_table_that_says_more_or_less_than_the_article_is_named(rows, message):
    with pytest.raises(SiteDataError) as caught:
        fidelity.check_tables(SOURCE, table(rows))
    assert str(caught.value).startswith(message), str(caught.value)


@pytest.mark.parametrize(
    "rows, message",
    [
        ([GOOD_ROWS[1], GOOD_ROWS[0], GOOD_ROWS[2]],
         "data/side-effects.yml, line 5: tables.side-effects, row 'Anxiety': the rows are in alphabetical order (the table ranks no side "
         "effect above another), so it goes first, above the row 'Nausea': move its lines (from `- label:` to its last cell) there"),
        ([GOOD_ROWS[0], GOOD_ROWS[2], GOOD_ROWS[1]], "data/side-effects.yml, line 9: tables.side-effects, row 'Nausea': |so it goes below the row 'Anxiety'"),
        # A row put first, where an editor might: that row moves, not every other.
        ([GOOD_ROWS[2], GOOD_ROWS[0], GOOD_ROWS[1]], "data/side-effects.yml, line 12: tables.side-effects, row 'Pain when peeing': |"
         "so it goes below the row 'Nausea'"),
    ],
)
def test_the_side_effects_rows_are_in_alphabetical_order(rows, message):
    start, _, end = message.partition("|")
    with pytest.raises(SiteDataError) as caught:
        fidelity.check_tables(SOURCE, table(rows))
    assert str(caught.value).startswith(start) and end in str(caught.value), str(caught.value)


def _out_of_order(labels: list[str]) -> str:
    """The message for side-effects rows with these labels, in this order ('' when they pass)."""
    rows = [Row(label, {}, f"data/side-effects.yml, line {i}") for i, label in enumerate(labels, 1)]
    try:
        fidelity._check_one_alphabetical_list(table(rows)["side-effects"])
    except SiteDataError as error:
        return str(error).partition("so it goes ")[2].partition(":")[0]
    return ""


def test_rows_whose_labels_differ_only_in_case_are_in_order_either_way():
    assert _out_of_order(["Anxiety", "Nausea", "nausea", "Rash"]) == ""
    # The one row to move is named, and placed after the row its label ties with.
    assert _out_of_order(["Nausea", "Rash", "nausea"]) == "below the row 'Nausea'"
    assert _out_of_order(["Nausea", "Anxiety", "nausea"]) == "first, above the row 'Nausea'"


def test_the_side_effects_table_is_one_list_without_groups():
    grouped = {"side-effects": Table("side-effects", "data/side-effects.yml", "Side effects", "Side effect", "Not listed in the sources",
                                     {"ketamine": "Ketamine", "esketamine": "Esketamine"},
                                     [SimpleNamespace(heading="Ketamine only", rows=GOOD_ROWS[1:2]), SimpleNamespace(heading=None, rows=[GOOD_ROWS[0], GOOD_ROWS[2]])])}
    with pytest.raises(SiteDataError, match=r"^data/side-effects.yml, line 9: tables.side-effects: the group 'Ketamine only' sorts side effects"):
        fidelity.check_tables(SOURCE, grouped)


def test_a_cell_may_quote_the_start_of_an_addition_ending_its_own_sentence_there():
    rows = [Row("Anxiety", {"ketamine": ["Anxiety or fear", "Glutamate rose."], "esketamine": ["Anxiety"]}, "data/side-effects.yml, line 5")]
    other = {"other": Table("other", "data/other.yml", "Other", "Topic", "Not said", {"ketamine": "Ketamine", "esketamine": "Esketamine"},
                            [SimpleNamespace(heading=None, rows=rows)])}  # not the side-effects list, which is the article's list exactly
    quoted = fidelity.check_tables(SOURCE, other, {"Glutamate rose, then fell.": "Paper, Results"})
    assert quoted == {"Glutamate rose.": "Paper, Results"}


def test_a_cell_that_shares_only_the_start_of_an_additions_words_is_not_that_addition():
    rows = [Row("Factor X", {"ketamine": ["Factor X."]}, "data/other.yml, line 5")]
    other = {"other": Table("other", "data/other.yml", "Other", "Topic", "Not said", {"ketamine": "Ketamine"},
                            [SimpleNamespace(heading=None, rows=rows)])}
    with pytest.raises(SiteDataError, match=r"^data/other.yml, line 5: tables.other, row 'Factor X', ketamine: 'Factor X.' is not"):
        fidelity.check_tables(SOURCE, other, {"Factor V rose.": "Paper, Results"})


def test_an_empty_group_is_named_at_its_table_file_with_what_to_do():
    grouped = {"side-effects": Table("side-effects", "data/side-effects.yml", "Side effects", "Side effect", "Not listed in the sources",
                                     {"ketamine": "Ketamine", "esketamine": "Esketamine"},
                                     [SimpleNamespace(heading="Empty", rows=[]), SimpleNamespace(heading=None, rows=GOOD_ROWS)])}
    with pytest.raises(SiteDataError) as caught:
        fidelity.check_tables(SOURCE, grouped)
    assert str(caught.value) == ("data/side-effects.yml: tables.side-effects: the group 'Empty' sorts side effects into kinds the article "
                                 "does not; list every row under `rows:`, with no groups")


def test_glossary_definitions_quote_the_article_or_say_they_are_the_sites():
    quoted = Term("Glutamate", "Glutamate is a chemical messenger.", ["glutamate"], 3)
    ours = Term("Off-label", "Used for a condition it is not approved for.", ["off-label"], 7, ours=True)
    fidelity.check_glossary(SOURCE, Glossary("data/glossary.yml", [quoted, ours]))
    unmarked = Term("Off-label", "Used for a condition it is not approved for.", ["off-label"], 7)
    with pytest.raises(SiteDataError) as caught:
        fidelity.check_glossary(SOURCE, Glossary("data/glossary.yml", [quoted, unmarked]))
    assert str(caught.value).startswith("data/glossary.yml, line 7: the definition of 'Off-label' is not the article's wording")
    assert "or mark it 'source: site'" in str(caught.value)


NEW = "@misc{new2027, refnumber = {3}, author = {New, A.}, year = {2027}, title = {A new source}}\n"


def test_references_are_the_articles_list_plus_recorded_additions():
    fidelity.check_references(SOURCE, parse_bibliography(BIB), set(), set(), {})
    fidelity.check_references(SOURCE, parse_bibliography(BIB + NEW), {"new2027"}, set(), {"new2027": "data/changes.yml, line 4"})


@pytest.mark.parametrize(
    "bib, added, message",
    [
        (BIB + NEW, set(), "references.bib, line 3: entry 'new2027': New (2027) is not in the article's reference list; if you are adding a source, record it in data/changes.yml (add: [new2027], why)"),
        (BIB.split("\n")[1].replace("{2}", "{1}"), set(), "references.bib: the article's reference 'Abdallah, C. G., et al. (2018). The effects of ketamine."),
        (BIB, {"abdallah2018"}, "data/changes.yml, line 4: 'abdallah2018' is in the article's own reference list (line 6); it needs no 'add'"),
        (BIB, {"nosuch"}, "data/changes.yml, line 4: 'nosuch' is not an entry in references.bib"),
    ],
)
def test_a_reference_list_that_differs_from_the_article_is_named(bib, added, message):
    with pytest.raises(SiteDataError) as caught:
        fidelity.check_references(SOURCE, parse_bibliography(bib), added, set(), {key: "data/changes.yml, line 4" for key in added})
    assert str(caught.value).startswith(message), str(caught.value)


def test_two_sources_of_one_author_and_year_are_matched_by_number_wherever_they_stand():
    # The article's references 1 and 2 are both Abdallah (2018): entry number 1 is the first, whatever its key or place.
    two = article.parse(ARTICLE.replace("Neuropsychopharmacology.\n", "Neuropsychopharmacology.\nAbdallah, C. G., et al. (2018). A second paper. J.\n"))
    first, second, ncdas = (
        "@article{zeta2018, refnumber = {1}, author = {Abdallah, C. G. and others}, year = {2018}, title = {The effects of ketamine}}\n",
        "@article{alpha2018, refnumber = {2}, author = {Abdallah, C. G. and others}, year = {2018}, title = {A second paper}}\n",
        BIB.splitlines(True)[1].replace("{2}", "{3}"))
    fidelity.check_references(two, parse_bibliography(first + second + ncdas), set(), set(), {})
    fidelity.check_references(two, parse_bibliography(second + first + ncdas), set(), set(), {})


def test_an_article_without_references_needs_no_entries():
    fidelity.check_references(SimpleNamespace(references=()), {}, set(), set(), {})


NEWER = "@misc{newer2028, refnumber = {4}, author = {Newer, B.}, year = {2028}, title = {A newer source}}\n"
# Each record entry that adds sources, the oldest first, as the build passes them.
ADDED = [("data/changes.yml, line 20", ("new2027",)), ("data/changes.yml, line 4", ("newer2028",))]
WHERE = {"new2027": "data/changes.yml, line 20", "newer2028": "data/changes.yml, line 4"}


def test_numbers_are_the_articles_then_the_additions_in_the_order_they_were_added():
    # Wherever the entries stand in the file: the newest first, the article's between.
    fidelity.check_references(SOURCE, parse_bibliography(NEWER + BIB + NEW), {"new2027", "newer2028"}, set(), WHERE, ADDED)


@pytest.mark.parametrize(
    "bib, message",
    [
        # The article's two sources swapped: each keeps the article's number.
        (BIB.replace("{1}", "{x}").replace("{2}", "{1}").replace("{x}", "{2}"),
         "references.bib, line 1: entry 'abdallah2018': has refnumber 2, but it is the article's reference 1 (data/source/ketamine-esketamine-article.txt, line 6), "
         "and the article's sources keep the article's numbers: write refnumber = {1}. Numbers never change: a new entry takes "
         "the next free one (3), wherever it stands"),
        # A new source put among the article's, the numbers after it moved up to make room: no gap, and still refused.
        (BIB.replace("{2}", "{3}").replace("@misc{ncdas", NEW.replace("{3}", "{2}") + "@misc{ncdas"),
         "references.bib, line 3: entry 'ncdas': has refnumber 3, but it is the article's reference 2 (data/source/ketamine-esketamine-article.txt, line 7), "
         "and the article's sources keep the article's numbers: write refnumber = {2}. Numbers never change: a new entry takes "
         "the next free one (4), wherever it stands"),
    ],
)
def test_an_article_source_that_lost_its_number_is_named_with_the_number_to_write(bib, message):
    with pytest.raises(SiteDataError) as caught:
        fidelity.check_references(SOURCE, parse_bibliography(bib), {"new2027"} & set(parse_bibliography(bib)), set(), WHERE, ADDED[:1])
    assert str(caught.value) == message


def test_additions_keep_the_order_they_were_added_in():
    swapped = BIB + NEW.replace("{3}", "{4}") + NEWER.replace("{4}", "{3}")
    with pytest.raises(SiteDataError) as caught:
        fidelity.check_references(SOURCE, parse_bibliography(swapped), {"new2027", "newer2028"}, set(), WHERE, ADDED)
    assert str(caught.value) == (
        "references.bib, line 4: entry 'newer2028': has refnumber 3, but 'new2027', added before it (data/changes.yml, line 20), "
        "has 4: numbers are given in the order sources are added, and never change; give each its number back (a new entry "
        "takes the next free one, 5)")
    # Sources added in one entry of the record may come in any order.
    fidelity.check_references(SOURCE, parse_bibliography(BIB + NEWER + NEW), {"new2027", "newer2028"}, set(), WHERE,
                              [("data/changes.yml, line 4", ("newer2028", "new2027"))])


def test_a_source_added_again_by_a_later_record_entry_keeps_its_one_number():
    fidelity.check_references(SOURCE, parse_bibliography(BIB + NEW), {"new2027"}, set(), WHERE,
                              [ADDED[0], ("data/changes.yml, line 4", ("new2027",))])


def test_a_retired_number_is_never_given_again():
    # The retired entry stays in references.bib with its number: giving that number to a new entry repeats it.
    with pytest.raises(SiteDataError) as caught:
        parse_bibliography(BIB + NEW.replace("{3}", "{2}"))
    assert str(caught.value).startswith("references.bib, line 3: refnumber 2 is given to two entries, 'ncdas' (line 2) and 'new2027' (this line)")
    # The retired entry deleted and its number given to the new one: the record's retire asks for it back.
    reused = BIB.splitlines()[0] + "\n" + NEW.replace("{3}", "{2}")
    with pytest.raises(SiteDataError) as caught:
        fidelity.check_references(SOURCE, parse_bibliography(reused), {"new2027"}, {"ncdas"}, WHERE | {"ncdas": "data/changes.yml, line 8"}, ADDED[:1])
    assert str(caught.value) == ("data/changes.yml, line 8: 'ncdas' is not an entry in references.bib; a retired source stays "
                                 "in references.bib and keeps its number, which is never given again: put its entry back")


PAGE = """<article>
<h1>Title</h1>
<p>Ketamine was created for anesthesia.<sup class="citation"><a href="#">1</a></sup> It’s sometimes used <abbr title="x">off-label</abbr>.</p>
<ul><li><strong>Glutamate:</strong> Ketamine affects glutamate. Glutamate is a chemical messenger.</li></ul>
<section class="urgent-help"><p>Call or text 988.</p></section>
<p class="site-note">See also: other pages.</p>
<div class="data-table"><table><caption>Side effects</caption><tr><td>Anxiety</td></tr></table></div>
<p>It may also help suicidal thoughts go away.</p>
<div class="footnote"><ol><li><p>Keep in mind that psilocybin is legal in some states.&nbsp;<a class="footnote-backref" href="#">↩</a></p></li></ol></div>
</article>"""


def test_page_prose_is_read_without_furniture():
    assert fidelity.page_sentences(PAGE) == [
        "Ketamine was created for anesthesia.", "It's sometimes used off-label.", "Glutamate: Ketamine affects glutamate.",
        "Glutamate is a chemical messenger.", "It may also help suicidal thoughts go away.", "Keep in mind that psilocybin is legal in some states.",
    ]


def page(html, kind="article"):
    return fidelity.BuiltPage("docs/x.md", kind, html, "# Title\n\nKetamine was created for anesthesia. It’s sometimes used off-label. It cures all.\n", 7)


def test_pages_that_hold_the_article_pass():
    fidelity.check_pages(SOURCE, [page(PAGE)])
    fidelity.check_pages(SOURCE, [page(PAGE), page("<p>It may also help suicidal thoughts go away.</p>", "extract")])


@pytest.mark.parametrize(
    "pages, message",
    [
        ([page(PAGE.replace("off-label</abbr>.", "off-label</abbr>. It cures all."))], "docs/x.md, line 9: 'It cures all.' is not the article's wording"),
        ([page(PAGE.replace("created for", "made for"))], "docs/x.md: 'Ketamine was made for anesthesia.' is not the article's wording; the article says 'Ketamine was created for anesthesia.'"),
        ([page(PAGE.replace("<p>It may also help suicidal thoughts go away.</p>", ""))], "data/source/ketamine-esketamine-article.txt, line 5: the article's sentence 'It may also help suicidal thoughts go away.' is on no page; put it back, or record its removal"),
        ([page(PAGE), page("<p>It may also help suicidal thoughts go away.</p>")], "data/source/ketamine-esketamine-article.txt, line 5: the article's sentence 'It may also help suicidal thoughts go away.' is on the article pages 2 times"),
        ([page(PAGE), page("<p>Something new.</p>", "extract")], "docs/x.md: 'Something new.' is not the article's wording"),
    ],
)
def test_pages_that_say_more_or_less_than_the_article_are_named(pages, message):
    with pytest.raises(SiteDataError) as caught:
        fidelity.check_pages(SOURCE, pages)
    assert str(caught.value).startswith(message), str(caught.value)


def test_of_two_missing_sentences_on_one_line_the_first_is_named():
    # Both sentences of one source line gone: the message names the first as the article reads,
    # whatever order Python's string hashing gives a set (it changes with every process).
    without = PAGE.replace('<p>Ketamine was created for anesthesia.<sup class="citation"><a href="#">1</a></sup> It’s sometimes used <abbr title="x">off-label</abbr>.</p>', "")
    assert without != PAGE
    with pytest.raises(SiteDataError) as caught:
        fidelity.check_pages(SOURCE, [page(without)])
    assert "the article's sentence 'Ketamine was created for anesthesia.' is on no page" in str(caught.value), str(caught.value)


def test_reading_level_is_measured_on_prose_only():
    from sitegen.readability import measure

    short = "<p>The cat sat. The dog ran. We all went home.</p>"
    long = ("<p>Pharmacological interventions necessitate comprehensive multidisciplinary evaluation. "
            "Contraindications encompass uncontrolled hypertension and aneurysmal vascular disease. "
            "Administration requires continuous observation by appropriately credentialed professionals.</p>")
    plain, hard = measure(short), measure(long)
    assert plain["sentences"] == 3 and plain["words_per_sentence"] == 3.3
    assert plain["grade"] < 3 < 12 < hard["grade"]
    # Furniture (a site note) is not the article's prose, so it does not count.
    assert measure(short + '<p class="site-note">One. Two. Three. Four.</p>')["sentences"] == 3
    assert measure("<p>Too short. Only two.</p>") is None


# ---------------------------------------------------------------------------------------------
# fidelity: the site says what the source article says (fixtures of tests/test_fidelity.py)


def test_a_cell_that_is_not_the_articles_wording_is_named_with_the_remedy():
    rows = [Row("Anxiety", {"ketamine": ["Anxiety or fear"], "esketamine": ["Anxiety", "Worry"]}, "data/side-effects.yml, line 5")]
    assert refusal_message(fidelity.check_tables, SOURCE, table(rows)) == (
        "data/side-effects.yml, line 5: tables.side-effects, row 'Anxiety', esketamine: 'Worry' is not the article's wording; "
        + REMEDY + "see data/source/ketamine-esketamine-article.txt for the article's text")


def test_the_side_effects_list_is_checked_drug_by_drug_with_exact_messages():
    curly = [Row("Anxiety", {"ketamine": ["Anxiety or fear"], "esketamine": ["Anxiety"]}, "w"),
             Row("Nausea", {"ketamine": ["Nausea,  vomiting"]}, "w"), Row("Pain", {"esketamine": ["Pain when peeing"]}, "w")]
    fidelity.check_tables(SOURCE, table(curly))  # compared normalised
    assert refusal_message(fidelity.check_tables, SOURCE, table(GOOD_ROWS[1:])) == (
        "data/side-effects.yml: tables.side-effects: the article lists 'Anxiety or fear' for Ketamine, but no cell says it; "
        "add it to a row, or record its removal in data/changes.yml (edits, why)")
    twice = GOOD_ROWS + [Row("Again", {"ketamine": ["Nausea, vomiting"]}, "w")]
    assert refusal_message(fidelity.check_tables, SOURCE, table(twice)) == (
        "data/side-effects.yml: tables.side-effects: 'Nausea, vomiting' is not in the article's list for Ketamine; "
        "cells hold the list's items word for word, one item a cell")


def test_tables_other_than_side_effects_need_only_the_articles_wording():
    import dataclasses

    other = dataclasses.replace(table(GOOD_ROWS[:1])["side-effects"], name="uses")
    fidelity.check_tables(SOURCE, {"uses": other})


def test_a_glossary_definition_is_checked_sentence_by_sentence():
    term = Term("Glutamate", "Glutamate is a chemical messenger. It is made up.", ["glutamate"], 3)
    assert refusal_message(fidelity.check_glossary, SOURCE, Glossary("data/glossary.yml", [term])) == (
        "data/glossary.yml, line 3: the definition of 'Glutamate' is not the article's wording ('It is made up.'); quote the article, "
        "or mark it 'source: site' so the Glossary shows it as this site's own definition (and /about/ says so), "
        "or 'source: KEY' and 'section' for one of the article's references' words, on the record")


NCDAS = "@misc{ncdas, refnumber = {1}, author = {{National Center for Drug Abuse Statistics}}, year = {n.d.}, title = {Drug abuse statistics}}\n"


def test_each_reference_of_the_article_has_exactly_one_entry():
    duplicate = BIB + NCDAS.replace("ncdas", "ncdas2").replace("{1}", "{3}")
    assert refusal_message(fidelity.check_references, SOURCE, parse_bibliography(duplicate), set(), set(), {}) == (
        "references.bib, line 3: entry 'ncdas2': the article lists National Center for Drug Abuse Statistics (n.d.) once, "
        "and entry 'ncdas' is it already")
    assert refusal_message(fidelity.check_references, SOURCE, parse_bibliography(NCDAS), set(), set(), {}) == (
        "references.bib: the article's reference 'Abdallah, C. G., et al. (2018). The effects of ketamine. Neuropsychoph...' "
        "(data/source/ketamine-esketamine-article.txt, line 6) has no entry; add it")
    # A retired key must be an entry too; an entry's author may be the start of the article's.
    assert refusal_message(fidelity.check_references, SOURCE, parse_bibliography(BIB), set(), {"gone"}, {"gone": "data/changes.yml, line 8"}) == (
        "data/changes.yml, line 8: 'gone' is not an entry in references.bib; a retired source stays in references.bib and keeps "
        "its number, which is never given again: put its entry back")
    fidelity.check_references(SOURCE, parse_bibliography(BIB.replace("{{National Center for Drug Abuse Statistics}}", "{{National Center}}")),
                              set(), {"ncdas"}, {"ncdas": "w"})
    wrong_year = BIB.replace("year = {2018}", "year = {2019}")
    assert refusal_message(fidelity.check_references, SOURCE, parse_bibliography(wrong_year), set(), set(), {}) == (
        "references.bib, line 1: entry 'abdallah2018': Abdallah (2019) is not in the article's reference list; "
        "if you are adding a source, record it in data/changes.yml (add: [abdallah2018], why)")


def test_page_prose_is_tidied_where_inline_tags_meet_punctuation():
    html = ("<p><b>A</b> . <b>B</b> , c <i>d</i> : e <i>f</i> ; g <i>h</i> ? ( i <i>j</i> ) <i>k</i> !</p>"
            "<dl><dd>Defined here.</dd></dl><table><tr><th>Head cell.</th><td>Data cell.</td></tr></table>"
            "<blockquote>Quoted.</blockquote><ul><li><p>Inner paragraph.</p></li></ul>"
            "<div>Not a block.</div><p class=\"print-only\">Printed only.</p><p><span class=\"headerlink\">¶</span>Kept.</p>")
    assert fidelity.page_sentences(html) == [
        "A.", "B, c d: e f; g h?", "(i j) k!", "Defined here.", "Head cell.", "Data cell.", "Quoted.", "Inner paragraph.", "Kept.",
    ]


def test_a_page_sentence_not_in_the_article_is_located_on_its_markdown_line():
    body = "# Title\n\nIntro.\nIt cures   all, and more.\n"
    html = PAGE.replace("off-label</abbr>.", "off-label</abbr>. It cures all, and more.")
    assert refusal_message(fidelity.check_pages, SOURCE, [fidelity.BuiltPage("docs/x.md", "article", html, body, 3)]) == (
        "docs/x.md, line 6: 'It cures all, and more.' is not the article's wording: " + REMEDY + "or move our own note into a box (class site-note)")
    # Not found in the Markdown: no line; no close match: no hint.
    assert refusal_message(fidelity.check_pages, SOURCE, [fidelity.BuiltPage("docs/x.md", "article", html, "", 3)]).startswith(
        "docs/x.md: 'It cures all, and more.' is not the article's wording: write")


def test_only_article_pages_count_and_short_sentences_may_repeat():
    # The handout (an extract) may hold any sentence again, and a sentence of under four words may recur.
    fidelity.check_pages(SOURCE, [page(PAGE), page(PAGE, "extract")])
    small = article.parse(SMALL_ARTICLE)
    whole = ("<p>Ketamine, an overview</p><p>It’s “old” — and new. Second sentence! Third?</p><p>Takeaway here.</p>"
             "<p>*Footnote text. Second footnote sentence.</p>")
    fidelity.check_pages(small, [fidelity.BuiltPage("a", "article", whole, "", 1), fidelity.BuiltPage("b", "article", "<p>Second footnote sentence. Ketamine, an overview</p>", "", 1)])
    assert refusal_message(fidelity.check_pages, SOURCE, [page(PAGE), page("<p>It's sometimes used off-label.</p>")]) == (
        "data/source/ketamine-esketamine-article.txt, line 2: the article's sentence 'It's sometimes used off-label.' is on the article pages 2 times; "
        "keep it once (the handout may repeat it)")
    without = PAGE.replace("<p>It may also help suicidal thoughts go away.</p>", "")
    assert refusal_message(fidelity.check_pages, SOURCE, [page(without), page(PAGE, "extract")]) == (
        "data/source/ketamine-esketamine-article.txt, line 5: the article's sentence 'It may also help suicidal thoughts go away.' is on no page; put it back, "
        "or record its removal in data/changes.yml (edits: replace: the sentence, with: nothing; why)")
    assert refusal_message(fidelity.check_pages, SOURCE, [page(PAGE), page("<p>Glutamate is a chemical messenger.</p>")]) == (
        "data/source/ketamine-esketamine-article.txt, line 3: the article's sentence 'Glutamate is a chemical messenger.' is on the article pages 2 times; "
        "keep it once (the handout may repeat it)")


# ---------------------------------------------------------------------------------------------
# Survivors of the complete mutation run that changed behaviour (added after it)


def test_the_first_missing_sentence_named_is_the_first_in_the_article():
    without = PAGE.replace("Ketamine was created for anesthesia.", "").replace("<p>It may also help suicidal thoughts go away.</p>", "")
    assert refusal_message(fidelity.check_pages, SOURCE, [page(without)]).startswith(
        "data/source/ketamine-esketamine-article.txt, line 2: the article's sentence 'Ketamine was created for anesthesia.' is on no page")


# ---------------------------------------------------------------------------------------------
# Survivors in fidelity (issue 21): each test states what an editor or a clinic would see go wrong


def test_a_glossary_definition_after_one_of_the_sites_own_is_still_checked():
    # The site's own definition is skipped, not the end of the check: the unmarked one after it is not the article's.
    unmarked = Term("Off-label", "Used for a condition it is not approved for.", ["off-label"], 7)
    assert refusal_message(fidelity.check_glossary, SOURCE, Glossary("data/glossary.yml", [DISSOCIATION, unmarked])).startswith(
        "data/glossary.yml, line 7: the definition of 'Off-label' is not the article's wording ('Used for a condition it is not approved for.')")


def test_references_after_a_recorded_addition_are_still_matched_to_the_article():
    # A recorded addition first in references.bib: the article's entries after it still count, and an unknown one is named.
    fidelity.check_references(SOURCE, parse_bibliography(NEW + BIB), {"new2027"}, set(), {"new2027": "data/changes.yml, line 4"})
    other = "@misc{other2030, refnumber = {4}, author = {Other, B.}, year = {2030}, title = {Another source}}\n"
    assert refusal_message(fidelity.check_references, SOURCE, parse_bibliography(NEW + BIB + other), {"new2027"}, set(),
                    {"new2027": "data/changes.yml, line 4"}) == (
        "references.bib, line 4: entry 'other2030': Other (2030) is not in the article's reference list; "
        "if you are adding a source, record it in data/changes.yml (add: [other2030], why)")


def test_a_sentence_wrapped_right_after_its_40th_character_is_located_on_its_first_line():
    # "Ketamine is sometimes sold on the street" is 40 characters: the line holding them is the one named.
    body = "# Title\n\nIntro.\nKetamine is sometimes sold on the street\nas a powder.\n"
    html = PAGE.replace("off-label</abbr>.", "off-label</abbr>. Ketamine is sometimes sold on the street as a powder.")
    assert refusal_message(fidelity.check_pages, SOURCE, [fidelity.BuiltPage("docs/x.md", "article", html, body, 3)]).startswith(
        "docs/x.md, line 6: 'Ketamine is sometimes sold on the street as a powder.' is not the article's wording")
