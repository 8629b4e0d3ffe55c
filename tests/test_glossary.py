"""Unit tests of sitegen.glossary: loading, checking, marking pages, the Glossary page."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SOURCE
from sitegen.errors import SiteDataError
from sitegen.glossary import load_glossary, mark_first_uses, render_glossary, unused
from text import normalise

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


def test_the_sites_glossary_loads_and_its_terms_are_the_articles():
    glossary = load_glossary(ROOT / "data/glossary.yml", "data/glossary.yml")
    article = normalise(SOURCE.read_text(encoding="utf-8"))
    for term in glossary.terms:
        for form in term.forms:
            assert form in article, f"{form!r} is not a word the article uses"
    # Definitions are the article's words, and even the site's own use only its vocabulary:
    # no word (so no drug, number or claim) from elsewhere.
    vocabulary = set(re.findall(r"[a-z0-9']+", article.lower()))
    for term in glossary.terms:
        foreign = [w for w in re.findall(r"[a-z0-9']+", normalise(term.definition).lower()) if w not in vocabulary]
        assert not foreign, f"{term.term}: words not in the article: {foreign}"
    assert glossary.terms


# ---------------------------------------------------------------------------
# Bad data


def test_malformed_yaml(tmp_path):
    message = error_of(tmp_path, GOOD.replace("    forms: [glutamate, Glutamate]", "    forms: [glutamate, Glutamate"))
    assert message == "data/glossary.yml, line 3: a '[' opened on this line is never closed: close it with ']' after its last item", message


def test_missing_definition(tmp_path):
    message = error_of(tmp_path, GOOD.replace("    definition: Post-traumatic", "    defintion: Post-traumatic"))
    assert message == "data/glossary.yml, line 6: terms[1].defintion: unknown field 'defintion' (expected one of: term, definition, forms, source)"


def test_missing_field(tmp_path):
    message = error_of(tmp_path, "terms:\n  - term: PTSD\n")
    assert message == "data/glossary.yml, line 2: terms[0]: missing field 'definition'"


def test_wrong_type(tmp_path):
    message = error_of(tmp_path, GOOD.replace("forms: [glutamate, Glutamate]", "forms: glutamate"))
    assert message == "data/glossary.yml, line 3: terms[0].forms: must be a list of forms, got text ('glutamate')"


def test_duplicate_term(tmp_path):
    message = error_of(tmp_path, GOOD + "  - term: ptsd\n    definition: Again.\n")
    assert message == "data/glossary.yml, line 7: terms[2].term: duplicate term 'ptsd' (already terms[1])"


def test_a_form_in_two_terms(tmp_path):
    message = error_of(tmp_path, GOOD + "  - term: Glutamate receptors\n    forms: [glutamate]\n    definition: Receptors.\n")
    assert message == "data/glossary.yml, line 8: terms[2].forms[0]: 'glutamate' is already a form of terms[0]"


def test_empty_glossary(tmp_path):
    assert error_of(tmp_path, "terms: []\n") == "data/glossary.yml, line 1: terms: is empty: list at least one term"


def test_html_in_a_definition(tmp_path):
    message = error_of(tmp_path, GOOD.replace("A chemical messenger", "A <b>chemical</b> messenger"))
    assert message.startswith("data/glossary.yml, line 4: terms[0].definition: contains HTML")


def test_ampersand_in_a_definition(tmp_path):
    # The theme's tooltip reads the title as HTML, so even an entity would be interpreted.
    message = error_of(tmp_path, GOOD.replace("A chemical messenger", "A chemical &amp; messenger"))
    assert message == "data/glossary.yml, line 4: terms[0].definition: contains '&': tooltips show text as HTML, so write it without < > &"
