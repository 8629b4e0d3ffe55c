"""Content fidelity: every sentence of the article is on the site, once, word for word."""

from __future__ import annotations

import hashlib
import re

import pytest

from helpers import ARTICLE_PAGES, ROOT, SHARED_SOURCE, SOURCE, SOURCE_COPY
from text import article_text, normalise, sentences, source_parts

PARTS = source_parts(SOURCE)
RECORD = ROOT / "data/changes.yml"


@pytest.fixture(scope="module")
def texts(site_dir) -> dict[str, str]:
    return {url: article_text((site_dir / url / "index.html").read_text(encoding="utf-8")) for _, url, _ in ARTICLE_PAGES}


# The article as it was given to the project. Its words change only on the record
# (data/changes.yml), never in the copy the build reads.
ARTICLE_SHA256 = "b85e6ef0cc24d665f4f57ce519a6ec6dd29b4d7d37181ab7ea6537c0dfc6550d"


@pytest.mark.unit
def test_the_repository_copy_is_the_article_as_given():
    assert hashlib.sha256(SOURCE_COPY.read_bytes()).hexdigest() == ARTICLE_SHA256, (
        f"{SOURCE_COPY} was edited: restore it, and record the change in data/changes.yml instead"
    )
    if SHARED_SOURCE.exists():  # where the shared original is present, it must still be that article
        assert SHARED_SOURCE.read_bytes() == SOURCE_COPY.read_bytes()


@pytest.mark.unit
def test_source_is_the_article_we_expect():
    assert PARTS["body"][0] == "Key takeaways:"
    assert len(PARTS["references"]) == 54
    assert PARTS["footnote"].startswith("Keep in mind that psilocybin")


def _body_sentences():
    # "Key takeaways:" is the summary box's title, not a sentence.
    return [s for s in sentences(PARTS["body"][1:])]


@pytest.mark.build
@pytest.mark.xdist_group("test_content")  # shares this module's module-scoped fixture on one worker
@pytest.mark.parametrize("sentence", _body_sentences())
def test_every_body_sentence_is_on_an_article_page(sentence, texts):
    assert any(sentence in text for text in texts.values()), f"missing from the site: {sentence!r}"


@pytest.mark.build
@pytest.mark.xdist_group("test_content")  # shares this module's module-scoped fixture on one worker
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


@pytest.mark.build
def test_key_takeaways_are_a_summary_box_on_home(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'class="admonition summary"' in html
    assert "Key takeaways" in html


@pytest.mark.build
def test_footnote_is_a_real_footnote(site_dir):
    html = (site_dir / "ketamine/index.html").read_text(encoding="utf-8")
    assert 'class="footnote-ref"' in html and 'class="footnote"' in html
    footnote = normalise(PARTS["footnote"])
    assert footnote in article_text(html)


def _column(site_dir, url: str, table_id: str, heading: str) -> list[str]:
    """The items of one drug column of a generated table (group heading rows and empty cells skipped)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site_dir / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.select_one(f"article table#{table_id}")
    assert table is not None, f"no table #{table_id} on /{url}"
    headings = [normalise(th.get_text()) for th in table.select("thead th")]
    col = headings.index(heading)
    items = []
    for tr in table.select("tbody tr"):
        row = tr.find_all(["th", "td"], recursive=False)
        if len(row) == len(headings) and "data-table__empty" not in row[col].get("class", []):
            items += [normalise(li.get_text()) for li in row[col].select("li")] or [normalise(row[col].get_text())]
    return items


def _serious_items() -> list[str]:
    # The list lines that follow "...These include:" up to the next sentence.
    body = PARTS["body"]
    start = next(i for i, line in enumerate(body) if line.startswith("More serious ketamine side effects"))
    items = []
    for line in body[start + 1 :]:
        if line.endswith("."):
            break
        items.append(normalise(line))
    return items


@pytest.mark.build
def test_every_side_effect_item_is_a_cell_of_the_side_effects_table(site_dir):
    # Each item of the article's list, as the record of changes leaves it, is in its drug's
    # column, word for word and once; every other cell of that column is an empty one.
    from sitegen import article, changes, tables
    from sitegen import site as site_model

    edited = article.parse(article.apply_edits(SOURCE.read_text(encoding="utf-8"), changes.edits(changes.load_record(RECORD))))
    drugs = tables.load_tables(tables.table_files(ROOT, site_model.NOT_TABLES), ROOT)["side-effects"].columns  # the drugs as the data names them
    for heading, items in zip(drugs.values(), edited.side_effects, strict=True):
        listed = _column(site_dir, "side-effects/", "table-side-effects", heading)
        assert sorted(listed) == sorted(normalise(item) for item in items), heading


@pytest.mark.build
def test_serious_side_effects_are_the_articles_list_with_when_to_call_911(site_dir):
    from bs4 import BeautifulSoup

    serious = _serious_items()
    assert serious == ["Difficulty breathing", "Slow heart rate", "Seizures", "Coma"]
    soup = BeautifulSoup((site_dir / "side-effects/index.html").read_text(encoding="utf-8"), "html.parser")
    heading = soup.select_one("h2#side-effects-serious")
    items = heading.find_next("ul").select("li")
    assert [normalise(li.get_text()) for li in items] == serious
    action = heading.find_next(class_="call-911")
    assert action and action.find_previous("ul") is heading.find_next("ul")
    assert normalise(action.get_text()) == "Call 911 if someone has difficulty breathing, has a seizure, or cannot be woken up."
    assert action.select_one('a[href="tel:911"]')
    # No "Not listed" column for esketamine: the article lists these for ketamine only.
    assert not soup.select("table#table-serious-side-effects")


@pytest.mark.build
def test_interactions_say_when_to_call_911_beside_dangerously_slow_breathing(site_dir):
    from bs4 import BeautifulSoup

    for url in ("interactions/", "handout/"):
        soup = BeautifulSoup((site_dir / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        item = next(li for li in soup.select("article li") if "your breathing could become dangerously slow" in li.get_text())
        action = item.select_one(".call-911")
        # In the item itself, no stronger or weaker than it: slow breathing, nothing the item does not say.
        assert action and normalise(action.get_text()) == "Call 911 if someone's breathing becomes very slow.", f"/{url}: {item}"
        assert action.select_one('a[href="tel:911"]')
        # The list stays a tight list: the line joins the item rather than splitting it into paragraphs.
        assert not item.find_parent("ul").select("li > p"), f"/{url}"


@pytest.mark.build
@pytest.mark.parametrize(
    "url, items",
    [
        ("esketamine/", ["Treatment-resistant depression", "Depression with suicidal thoughts or actions"]),
        ("uses/", ["Intravenous infusion (IV)", "Oral or sublingual tablet", "Post-traumatic stress disorder (PTSD)"]),
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


URGENT_HELP_TEXT = (
    "Get help now if you are thinking about suicide In the US, call or text 988 to reach the 988 Suicide & Crisis Lifeline, "
    "at any time, day or night. It is free and confidential, and someone is there to listen and help. "
    "Help works, and many people who have had these thoughts go on to feel better. "
    "Call 988 Text 988 Chat at 988lifeline.org If you or someone else is in immediate danger, call 911 ."
)


@pytest.mark.build
def test_urgent_help_wherever_suicide_is_mentioned(site_dir):
    checked = 0
    for _, url, _ in ARTICLE_PAGES:
        html = (site_dir / url / "index.html").read_text(encoding="utf-8")
        if not re.search(r"suicid", article_text(html), re.I):
            continue
        checked += 1
        from bs4 import BeautifulSoup

        box = BeautifulSoup(html, "html.parser").select_one("article section.urgent-help")
        assert box is not None, f"/{url} mentions suicide without the urgent-help box"
        title = box.find(id=box["aria-labelledby"])
        assert normalise(title.get_text()) == "Get help now if you are thinking about suicide"
        # The chat button opens the Lifeline's chat itself, not its home page.
        assert [a["href"] for a in box.select("a")] == ["tel:988", "sms:988", "https://988lifeline.org/chat/", "tel:911"]
        # The help itself, in the box's own words: the number to call or text, and when to call 911.
        assert normalise(box.get_text(" ")) == URGENT_HELP_TEXT, f"/{url}"
    assert checked  # the home page, at least, mentions suicide
