"""Content fidelity: every sentence of the article is on the site, once, word for word."""

from __future__ import annotations

import re

import pytest

from conftest import ARTICLE_PAGES, SOURCE
from text import article_text, normalise, sentences, source_parts, table_columns

PARTS = source_parts(SOURCE)


@pytest.fixture(scope="module")
def texts(site_dir) -> dict[str, str]:
    return {url: article_text((site_dir / url / "index.html").read_text(encoding="utf-8")) for _, url, _ in ARTICLE_PAGES}


def test_source_is_the_article_we_expect():
    assert PARTS["body"][0] == "Key takeaways:"
    assert len(PARTS["references"]) == 54
    assert PARTS["footnote"].startswith("Keep in mind that psilocybin")


def _body_sentences():
    # "Key takeaways:" is the summary box's title, not a sentence.
    return [s for s in sentences(PARTS["body"][1:])]


@pytest.mark.parametrize("sentence", _body_sentences())
def test_every_body_sentence_is_on_an_article_page(sentence, texts):
    assert any(sentence in text for text in texts.values()), f"missing from the site: {sentence!r}"


def test_no_long_sentence_appears_twice(texts):
    everything = "\n".join(texts.values())
    repeated = []
    for sentence in set(_body_sentences()):
        if len(sentence.split()) < 4:  # list items like "Coma" may recur inside other words
            continue
        count = len(re.findall(re.escape(sentence), everything))
        if count > 1:
            repeated.append((count, sentence))
    assert not repeated, f"sentences repeated across article pages: {repeated}"


def test_key_takeaways_are_a_summary_box_on_home(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'class="admonition summary"' in html
    assert "Key takeaways" in html


def test_footnote_is_a_real_footnote(site_dir):
    html = (site_dir / "ketamine/index.html").read_text(encoding="utf-8")
    assert 'class="footnote-ref"' in html and 'class="footnote"' in html
    footnote = normalise(PARTS["footnote"])
    assert footnote in article_text(html)


def test_every_side_effect_item_is_on_the_side_effects_page(texts):
    ketamine, esketamine = table_columns(PARTS["table"])
    assert len(ketamine) == 11 and len(esketamine) == 9
    for item in ketamine + esketamine:
        assert normalise(item) in texts["side-effects/"], item


@pytest.mark.parametrize(
    "url, items",
    [
        ("esketamine/", ["Treatment-resistant depression", "Depression with suicidal thoughts or actions"]),
        ("uses/", ["Intravenous infusion (IV)", "Oral or sublingual tablet", "Post-traumatic stress disorder (PTSD)"]),
        ("side-effects/", ["Difficulty breathing", "Slow heart rate", "Seizures", "Coma"]),
        ("contraindications/", ["Pregnant or nursing", "Schizophrenia", "Have an aneurysm or blood vessel disease"]),
    ],
)
def test_source_lists_are_real_lists(site_dir, url, items):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site_dir / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    for marker in soup.select("article li sup"):  # citation numbers are not the item's text
        marker.decompose()
    list_items = {normalise(li.get_text()) for li in soup.select("article li")}
    for item in items:
        assert item in list_items, f"{item!r} is not a list item on /{url}"


def test_urgent_help_wherever_suicide_is_mentioned(site_dir):
    for _, url, _ in ARTICLE_PAGES:
        html = (site_dir / url / "index.html").read_text(encoding="utf-8")
        if re.search(r"suicid", article_text(html).replace("Suicide & Crisis", ""), re.I):
            assert 'class="admonition urgent"' in html, f"/{url} mentions suicide without the urgent-help box"
            assert "988" in html and "911" in html
