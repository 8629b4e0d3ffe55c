"""Unit tests of sitegen.article: the source article's parts, and edits to its words."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from helpers import SMALL_ARTICLE
from sitegen import article
from sitegen.errors import SiteDataError

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# article: the source article's parts, and edits to its words


def test_normalise_makes_typography_free_and_keeps_words():
    assert article.normalise("It’s “old” ‘x’ — a – b\xa0c  d\n\te ''q''  ") == "It's \"old\" 'x' - a - b c d e \"q\""
    assert article.sentences_of("One. Two!  Three? four e.g.five") == ["One.", "Two!", "Three?", "four e.g.five"]
    assert article.sentences_of("  ") == []


def test_the_article_is_split_into_body_side_effects_references_and_footnote():
    parsed = article.parse(SMALL_ARTICLE)
    assert parsed.body == (
        (1, "Ketamine, an overview"),
        (2, "It's \"old\" - and new. Second sentence! Third?"),
        (5, "Takeaway here."),
    )
    assert parsed.side_effects == (("Nausea", "Dizziness"), ("Dissociation", "Sedation"))
    assert parsed.references == (
        article.Reference("Abdallah", "2018", 7, "Abdallah, C. G., et al. (2018). A title. Journal."),
        article.Reference("National Center for Drug Abuse Statistics", "n.d.", 8,
                          "National Center for Drug Abuse Statistics. (n.d.). Stats. Web."),
    )
    assert parsed.footnote == "*Footnote text. Second footnote sentence."
    assert parsed.footnote_line == 9
    assert parsed.sentences() == [
        (1, "Ketamine, an overview"), (2, "It's \"old\" - and new."), (2, "Second sentence!"), (2, "Third?"),
        (5, "Takeaway here."), (9, "*Footnote text."), (9, "Second footnote sentence."),
    ]
    assert parsed.text() == ("Ketamine, an overview It's \"old\" - and new. Second sentence! Third? Takeaway here. "
                             "Nausea Dizziness Dissociation Sedation *Footnote text. Second footnote sentence.")


def test_an_article_without_references_has_its_footnote_at_line_0():
    assert article.Article((), ((), ()), (), "").footnote_line == 0


@pytest.mark.parametrize(
    ("fragment", "found"),
    [
        ("Second sentence!", True),
        ("second sentence", True),  # a capital at the start may differ
        ("It’s “old” — and", True),  # typography is free
        ("Takeaway here.", True),
        ("Nausea Dizziness", True),
        ("*Footnote text", True),
        ("Second Sentence", False),  # only the first letter may differ
        ("Key takeaways:", False),  # the summary title is not the article's words
        ("A title. Journal.", False),  # nor is the reference list
        ("", False),
        (".", False),
        ("Takeaway here and there", False),
    ],
)
def test_the_article_contains_only_its_own_words(fragment, found):
    assert article.parse(SMALL_ARTICLE).contains(fragment) is found


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("One\n\nTwo\n", "data/source/ketamine-esketamine-article.txt: is not the article: too few lines"),
        ("One\nTwo\nThree\n", "data/source/ketamine-esketamine-article.txt: needs exactly one side-effects line (items marked • and the two columns split by |), found 0"),
        ("• a | • b\n• c | • d\nAbdallah, C. (2018). T.\nF\n", "data/source/ketamine-esketamine-article.txt: needs exactly one side-effects line (items marked • and the two columns split by |), found 2"),
        ("• a only\nx | y\nAbdallah, C. (2018). T.\nF\n", "data/source/ketamine-esketamine-article.txt: needs exactly one side-effects line (items marked • and the two columns split by |), found 0"),
        ("Abdallah, C. (2018). T.\n• a | • b\nBody\nF\n", "data/source/ketamine-esketamine-article.txt: has no reference list after the side-effects line"),
        ("Intro\n• a | • b | • c\nAbdallah, C. (2018). T.\nF\n", "data/source/ketamine-esketamine-article.txt, line 2: the side-effects line needs two columns split by |, found 3"),
        ("Intro\n• a |  \nAbdallah, C. (2018). T.\nF\n", "data/source/ketamine-esketamine-article.txt, line 2: the side-effects line needs two columns split by |, found 1"),
        ("Intro\n• a | • b\nAbdallah, C. (2018). T.\n\n" + "Not a reference at all, and longer than sixty characters in total here.\nF\n",
         "data/source/ketamine-esketamine-article.txt, line 5: is not a reference (Author, I. (Year). Title.): "
         "'Not a reference at all, and longer than sixty characters in '"),
    ],
)
def test_a_source_that_is_not_the_article_is_refused_saying_what_is_missing(raw, message):
    with pytest.raises(SiteDataError) as refused:
        article.parse(raw, drugs=2)
    assert str(refused.value) == message


def test_the_smallest_article_has_a_body_line_the_side_effects_a_reference_and_a_footnote():
    parsed = article.parse("• a | • b\nAbdallah, C. (2018). T.\nFoot.\n", where="x.txt")
    assert (parsed.body, parsed.side_effects, parsed.footnote) == ((), (("a",), ("b",)), "Foot.")
    assert parsed.references == (article.Reference("Abdallah", "2018", 2, "Abdallah, C. (2018). T."),)
    with pytest.raises(SiteDataError, match=r"^x\.txt: is not the article"):
        article.parse("• a | • b\nFoot.\n", where="x.txt")


def _edit(replace, with_):
    return SimpleNamespace(replace=replace, with_=with_, where="data/changes.yml, line 9")


def test_edits_replace_the_articles_words_in_order():
    raw = "It’s  “old”.\nSecond line here.\n"
    assert article.apply_edits(raw, []) == "It's \"old\".\nSecond line here."
    assert article.apply_edits(raw, [_edit("It's \"old\"", "It is new"), _edit("It is new.", "Done.")]) == "Done.\nSecond line here."
    # The words are compared normalised (trimmed), so the spaces around them stay.
    assert article.apply_edits(raw, [_edit(" line", "")]) == "It's \"old\".\nSecond  here."
    assert article.apply_edits(raw, [_edit("line ", None)]) == "It's \"old\".\nSecond  here."
    assert article.apply_edits(raw, [_edit("here", "“there”")]) == "It's \"old\".\nSecond line \"there\"."


@pytest.mark.parametrize(
    ("replace", "problem"),
    [
        ("not there", "replace: 'not there' is not in the article (or was already changed by an earlier edit)"),
        ("e", "replace: 'e' is in the article 4 times; quote more of it"),
        ("x" * 90, "replace: '" + "x" * 80 + "' is not in the article (or was already changed by an earlier edit)"),
    ],
)
def test_an_edit_must_find_its_words_exactly_once(replace, problem):
    with pytest.raises(SiteDataError) as refused:
        article.apply_edits("One line.\nThe other.\n", [_edit(replace, "y")])
    assert str(refused.value) == "data/changes.yml, line 9: " + problem


# ---------------------------------------------------------------------------------------------
# article: survivors of its mutation run (issue 21)


def test_the_article_contains_a_fragment_only_with_its_last_letter():
    # Only a final full stop may differ: a page that turns "Schedule III" into "Schedule IX"
    # (or any word into a longer one) is not quoting the article.
    parsed = article.parse("Ketamine is a Schedule III drug.\n• Nausea | • Dissociation\nAbdallah, C. (2018). T.\nFoot.\n")
    assert parsed.contains("Ketamine is a Schedule III drug.") is True
    assert parsed.contains("Ketamine is a Schedule I") is True  # a fragment may stop mid-word
    assert parsed.contains("Ketamine is a Schedule IX") is False
    assert parsed.contains("Ketamine is a Schedule IIIX.") is False


def test_a_side_effect_with_a_year_in_brackets_is_not_taken_for_a_reference():
    # The references start after the side-effects line, even when that line reads like one.
    parsed = article.parse("Intro.\n• Cystitis (2018) • Nausea | • Dissociation\nAbdallah, C. (2018). T.\nFoot.\n")
    assert parsed.side_effects == (("Cystitis (2018)", "Nausea"), ("Dissociation",))
    assert parsed.references == (article.Reference("Abdallah", "2018", 3, "Abdallah, C. (2018). T."),)
    assert parsed.body == ((1, "Intro."),)
