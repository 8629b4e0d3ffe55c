"""Facts the site adds from the article's own references (data/changes.yml, additions)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, TINY_NAV, tiny_settings, tiny_site
from sitegen import additions, changes, datafile, markers
from sitegen import site as site_model
from sitegen.errors import SiteDataError

ENTRY = """changes:
  - date: 2026-01-02
    pages: [/extra/]
    what: We added a fact from a source.
    why: The source says it.
    additions:
      - id: a-fact
        source: abdallah2018
        section: Paper, Results
        text: Glutamate rose & fell.
"""


def _record(text: str):
    return changes.validate(datafile.load_text(text, "data/changes.yml"))


@pytest.mark.unit
def test_an_addition_id_used_twice_is_named_at_its_second_use():
    twice = ENTRY + "      - id: a-fact\n        source: abdallah2018\n        section: Paper, Methods\n        text: Again.\n"
    with pytest.raises(SiteDataError) as refused:
        changes.additions(_record(twice))
    assert str(refused.value) == ("data/changes.yml, line 11: id 'a-fact' is already used at data/changes.yml, line 7; "
                                  "give each addition its own id")


@pytest.mark.unit
def test_an_addition_is_read_with_where_it_comes_from():
    (change,) = _record(ENTRY)
    assert change.additions == (changes.Addition("a-fact", "Glutamate rose & fell.", "abdallah2018", "Paper, Results", "data/changes.yml, line 7"),)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("        source: abdallah2018\n", "", "data/changes.yml, line 7: changes[0].additions[0]: missing field 'source'"),
        ("        section: Paper, Results\n", "", "data/changes.yml, line 7: changes[0].additions[0]: missing field 'section'"),
        ("    why: The source says it.\n", "", "data/changes.yml, line 2: changes[0]: adds facts to the site, so it needs 'why': the reason, in a sentence"),
        ("id: a-fact", "id: A fact", "data/changes.yml, line 7: changes[0].additions[0].id: 'A fact' is not an id"),
        ("rose & fell.", "rose [see](javascript:x).", "data/changes.yml, line 10: changes[0].additions[0].text: holds '[': an addition is "
         "plain text, shown as written, with its citation added after it; write it without Markdown or HTML"),
        ("id: a-fact", "id: [a]", "data/changes.yml, line 7: changes[0].additions[0].id: must be text, got a list"),
        ("source: abdallah2018", "source: [a]", "data/changes.yml, line 8: changes[0].additions[0].source: must be text, got a list"),
        ("section: Paper, Results", "section: [a]", "data/changes.yml, line 9: changes[0].additions[0].section: must be text, got a list"),
        (ENTRY[ENTRY.index("    additions:"):], "    additions: x\n", "data/changes.yml, line 6: changes[0].additions: must be a list of additions, got text ('x')"),
        ("rose & fell.", "rose <b>high</b>.", "data/changes.yml, line 10: changes[0].additions[0].text: contains HTML"),
    ],
)
def test_a_bad_addition_is_refused_naming_its_line(before, after, message):
    with pytest.raises(SiteDataError) as refused:
        _record(ENTRY.replace(before, after))
    assert str(refused.value).startswith(message), str(refused.value)


@pytest.mark.unit
def test_the_box_is_one_line_escaped_labelled_and_cited():
    (change,) = _record(ENTRY)
    box = additions.render(change.additions[0])
    assert "\n" not in box
    assert box == ('<div class="site-addition" role="note" markdown="1"><p class="site-addition__label">Added by this site, from the Paper, Results</p>'
                   '<p markdown="span">Glutamate rose &amp; fell.[@abdallah2018]</p></div>')
    page = "Intro.\n\n<!-- insert: addition a-fact -->\n\nEnd.\n"
    expanded = _expand(page, change)
    assert expanded.splitlines()[2] == box and expanded.count("\n") == page.count("\n")
    # An unknown id is the site model's error first (find_markers), and is never silently dropped.
    with pytest.raises(SiteDataError) as refused:
        _expand(page + "\n<!-- insert: addition other -->\n", change)
    assert str(refused.value) == "docs/x.md, line 7: <!-- insert: addition other --> cannot be filled: nothing is named 'other'"


@pytest.mark.unit
def test_the_box_keeps_the_facts_quotes_as_written():
    # Only &, < and > are escaped: the page's checks and Markdown's typography read "it's" and "quoted" words as the editor wrote them.
    fact = changes.Addition("a-fact", 'It\'s "fast" & <safe>.', "key2020", "Label", "data/changes.yml, line 7")
    assert '<p markdown="span">It\'s "fast" &amp; &lt;safe&gt;.[@key2020]</p>' in additions.render(fact)


@pytest.mark.unit
def test_a_hand_written_box_is_refused_saying_how_to_add_the_fact():
    with pytest.raises(SiteDataError) as refused:
        additions.check_hand_written('Intro.\n\n<div class="site-addition">Our own fact.</div>\n', "docs/extra.md", 10)
    assert str(refused.value) == (
        "docs/extra.md, line 12: 'site-addition' is the record's box for an addition; add the fact to data/changes.yml "
        "(additions: id, text, source, section) and place it with <!-- insert: addition ID -->")


def _expand(page: str, change) -> str:
    """The page as the site model and MkDocs read it: its additions' boxes in place (sitegen.markers)."""
    return markers.expand(page, markers.MarkdownContext({"a-fact": change.additions[0]}), "docs/x.md", 1)


def _tiny_with_addition(tmp_path, page_text="More.\n\n<!-- insert: addition a-fact -->\n"):
    root = tiny_site(tmp_path)
    text = (root / "data/changes.yml").read_text(encoding="utf-8")
    (root / "data/changes.yml").write_text(ENTRY + text.removeprefix("changes:\n"), encoding="utf-8")
    extra = (root / "docs/extra.md").read_text(encoding="utf-8")
    extra = extra.replace("last_updated: 2026-01-01", "last_updated: 2026-01-02").replace("More.\n", page_text)
    (root / "docs/extra.md").write_text(extra, encoding="utf-8")
    return root


@pytest.mark.unit
def test_a_placed_addition_is_part_of_the_page_the_model_reads(tmp_path):
    loaded = site_model.load_site(_tiny_with_addition(tmp_path), tiny_settings(), TINY_NAV)
    assert loaded.citations["extra.md"] == (("abdallah2018",),)
    assert "Glutamate rose &amp; fell.[@abdallah2018]" in loaded.pages["extra.md"].body


@pytest.mark.unit
@pytest.mark.parametrize(
    ("page_text", "message"),
    [
        ("More.\n", "data/changes.yml, line 7: addition 'a-fact' is placed on no page; add <!-- insert: addition a-fact --> "
                     "to the page it belongs on, or remove it"),
        ("More.\n\n<!-- insert: addition nosuch -->\n", "docs/extra.md, line 12: <!-- insert: addition NAME --> needs one of: a-fact; got 'nosuch'"),
        ('More.\n\n<div class="site-addition">Our own fact.</div>\n', "docs/extra.md, line 12: 'site-addition' is the record's box for an addition"),
    ],
)
def test_an_addition_placed_wrongly_is_refused(tmp_path, page_text, message):
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(_tiny_with_addition(tmp_path, page_text), tiny_settings(), TINY_NAV)
    assert str(refused.value).startswith(message), str(refused.value)


@pytest.mark.unit
def test_a_page_showing_an_addition_must_be_named_by_its_entry(tmp_path):
    root = _tiny_with_addition(tmp_path)
    index = (root / "docs/index.md").read_text(encoding="utf-8")
    (root / "docs/index.md").write_text(index + "\n<!-- insert: addition a-fact -->\n", encoding="utf-8")
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(root, tiny_settings(), TINY_NAV)
    assert str(refused.value).startswith("data/changes.yml, line 2: pages: docs/index.md shows addition 'a-fact', so this entry must name /")


# --- The built site


def _record_additions() -> dict:
    return changes.additions(changes.load_record(ROOT / "data/changes.yml"))


@pytest.mark.build
def test_every_placed_addition_shows_its_recorded_words_labelled_and_cited(site_dir):
    placed = 0
    for page in sorted((ROOT / "docs").glob("*.md")):
        ids = re.findall(r"^<!-- insert: addition ([a-z0-9-]+) -->$", page.read_text(encoding="utf-8"), re.M)
        if not ids:
            continue
        url = "" if page.stem == "index" else page.stem + "/"
        soup = BeautifulSoup((site_dir / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        boxes = soup.select("article div.site-addition[role=note]")
        assert len(boxes) == len(ids), url
        for ident, box in zip(ids, boxes):
            addition = _record_additions()[ident]
            label = box.select_one(".site-addition__label").get_text()
            assert label.startswith("Added by this site") and addition.section in label
            text = box.select("p")[1]
            assert " ".join(text.get_text().split()).startswith(" ".join(addition.text.split()))
            cites_on_page = page.read_text(encoding="utf-8").count("[@") > 0 and "citations: omit" not in page.read_text(encoding="utf-8")
            assert bool(text.select("sup.citation")) == cites_on_page, url
            placed += 1
    assert placed


@pytest.mark.build
def test_no_page_says_an_effect_is_missing_from_the_sources(site_dir):
    # "Not listed in the sources" reads as "this does not happen"; empty cells name the article's list.
    for page in site_dir.rglob("*.html"):
        text = " ".join(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())
        for phrase in ("Not listed in the sources", "Not stated in the sources"):
            assert phrase not in text, f"{page.relative_to(site_dir)}: {phrase!r}"


@pytest.mark.unit
def test_the_record_shows_each_addition_with_its_section_and_source():
    (change,) = _record(ENTRY)
    source = type("S", (), {"html": "Abdallah, C. G. (2018). <em>Paper</em>."})()
    out = changes.render((change,), {"/extra/": ("Extra", "../extra/")}, {"abdallah2018": source})
    assert ('<p class="change__edit change__addition">Added by this site, from the Paper, Results: <q>Glutamate rose &amp; fell.</q> '
            'Source: Abdallah, C. G. (2018). <em>Paper</em>.</p>') in out


@pytest.mark.unit
def test_a_marker_shown_in_code_stays_an_example():
    (change,) = _record(ENTRY)
    page = "Write it so:\n\n```\n<!-- insert: addition a-fact -->\n```\n\n<!-- insert: addition a-fact -->\r\nEnd.\n"
    expanded = _expand(page, change)
    assert expanded.splitlines()[3] == "<!-- insert: addition a-fact -->"
    assert expanded.splitlines()[6] == additions.render(change.additions[0]) and "\r\nEnd.\n" in expanded


# --- Definitions the glossary takes from a reference: on the record as additions are

DEFINED = """changes:
  - date: 2026-01-02
    pages: [/glossary/]
    what: The Glossary explains a word in its source's words.
    why: The article uses the word without saying what it means.
    definitions: [Glutamate]
"""


@pytest.mark.unit
def test_an_entry_names_the_definitions_it_took_from_a_reference():
    (change,) = _record(DEFINED)
    assert change.definitions == ("Glutamate",) and _record(ENTRY)[0].definitions == ()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("    why: The article uses the word without saying what it means.\n", "",
         "data/changes.yml, line 2: changes[0]: adds definitions from a reference to the glossary, so it needs 'why': the reason, in a sentence"),
        ("definitions: [Glutamate]", "definitions: Glutamate",
         "data/changes.yml, line 6: changes[0].definitions: must be a list of glossary terms, like [Dissociation], got text ('Glutamate')"),
    ],
)
def test_a_bad_definitions_list_is_refused_naming_its_line(before, after, message):
    with pytest.raises(SiteDataError) as refused:
        _record(DEFINED.replace(before, after))
    assert str(refused.value) == message


@pytest.mark.unit
def test_the_record_shows_each_definition_with_its_term_section_and_source():
    from sitegen import glossary

    (change,) = _record(DEFINED)
    terms = glossary.validate(datafile.load_text(
        'terms:\n  - term: Glutamate\n    source: abdallah2018\n    section: "Paper, Methods"\n    definition: A \"messenger\" of more.\n',
        "data/glossary.yml"))
    source = type("S", (), {"html": "Abdallah, C. G. (2018). <em>Paper</em>."})()
    out = changes.render((change,), {"/glossary/": ("Glossary", "../glossary/")}, {"abdallah2018": source}, terms)
    assert ('<p class="change__edit change__addition">Added to the Glossary by this site, from the Paper, Methods: Glutamate, '
            '<q>A &quot;messenger&quot; of more.</q> Source: Abdallah, C. G. (2018). <em>Paper</em>.</p>') in out


GLOSSARY_FROM_A_REFERENCE = ('terms:\n  - term: Glutamate\n    source: abdallah2018\n    section: "Paper, Methods"\n'
                             "    definition: Words the paper uses, not the article.\n")


@pytest.mark.unit
def test_a_definition_from_a_reference_loads_once_it_is_on_the_record(tmp_path):
    root = tiny_site(tmp_path)
    (root / "data/glossary.yml").write_text(GLOSSARY_FROM_A_REFERENCE, encoding="utf-8")
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(root, tiny_settings(), TINY_NAV)
    assert str(refused.value).startswith("data/glossary.yml, line 2: 'Glutamate' takes its definition from abdallah2018 (Paper, Methods), "
                                         "so it goes on the record")
    record = (root / "data/changes.yml").read_text(encoding="utf-8")
    (root / "data/changes.yml").write_text(record + "    definitions: [Glutamate]\n", encoding="utf-8")
    (term,) = site_model.load_site(root, tiny_settings(), TINY_NAV).glossary.terms
    assert (term.source, term.section, term.ours) == ("abdallah2018", "Paper, Methods", False)
    # The key must be one of references.bib's.
    (root / "data/glossary.yml").write_text(GLOSSARY_FROM_A_REFERENCE.replace("abdallah2018", "nosuch2020"), encoding="utf-8")
    with pytest.raises(SiteDataError, match=r"^data/glossary.yml, line 2: source: 'nosuch2020' is not an entry in references.bib"):
        site_model.load_site(root, tiny_settings(), TINY_NAV)


# --- The built site: each such definition says where it comes from, and the record lists it


@pytest.mark.build
def test_the_glossary_and_the_record_show_where_a_references_definition_comes_from(site_dir):
    from sitegen.glossary import load_glossary

    terms = [t for t in load_glossary(ROOT / "data/glossary.yml", "data/glossary.yml").terms if t.source]
    glossary_page = BeautifulSoup((site_dir / "glossary/index.html").read_text(encoding="utf-8"), "html.parser")
    record_page = " ".join(BeautifulSoup((site_dir / "changes/index.html").read_text(encoding="utf-8"), "html.parser").get_text(" ").split())
    for term in terms:
        dd = glossary_page.select_one(f"#{term.anchor} + dd")
        assert " ".join(dd.get_text().split()) == f"{term.definition} ({term.section})"
        assert dd.select_one("a")["href"] == f"../references/#ref-{term.source}"
        assert f"Added to the Glossary by this site, from the {term.section}: {term.term}, {term.definition}" in record_page


# --- Rewording an addition: a newer entry's addition `replaces` an older one, whose entry keeps its words

NEWER = """changes:
  - date: 2026-01-03
    pages: [/extra/]
    what: We reworded a fact from a source.
    why: The source says more.
    additions:
      - id: a-fact-2
        replaces: a-fact
        source: abdallah2018
        section: Paper, Discussion
        text: Glutamate rose, then fell.
"""


@pytest.mark.unit
def test_a_reworded_addition_is_named_by_its_replacement_and_the_record_shows_both_wordings():
    record = _record(NEWER + ENTRY.removeprefix("changes:\n"))
    added = changes.additions(record)
    assert set(added) == {"a-fact", "a-fact-2"} and changes.replaced(added) == {"a-fact": added["a-fact-2"]}
    source = type("S", (), {"html": "Abdallah (2018)."})()
    out = changes.render(record, {"/extra/": ("Extra", "../extra/")}, {"abdallah2018": source})
    newer, older = out.split('<li class="change"')[1:]
    assert ('Reworded by this site, from the Paper, Discussion: the box that said <q>Glutamate rose &amp; fell.</q> now says '
            "<q>Glutamate rose, then fell.</q> Source: Abdallah (2018).") in newer
    assert "Added by this site, from the Paper, Results: <q>Glutamate rose &amp; fell.</q>" in older  # the older entry keeps its words


@pytest.mark.unit
@pytest.mark.parametrize(
    ("record", "message"),
    [
        # Only an older entry's addition can be reworded: the record is newest first.
        (NEWER.replace("        replaces: a-fact\n", "") + ENTRY.removeprefix("changes:\n").replace("      - id: a-fact\n", "      - id: a-fact\n        replaces: a-fact-2\n"),
         "data/changes.yml, line 16: replaces: 'a-fact-2' is not an addition of an older entry; name the id of the box this one rewords"),
        (NEWER.replace("replaces: a-fact", "replaces: nosuch") + ENTRY.removeprefix("changes:\n"),
         "data/changes.yml, line 7: replaces: 'nosuch' is not an addition of an older entry"),
        (NEWER + NEWER.removeprefix("changes:\n").replace("a-fact-2", "a-fact-3") + ENTRY.removeprefix("changes:\n"),
         "data/changes.yml, line 17: replaces: 'a-fact' is already reworded by 'a-fact-2' at data/changes.yml, line 7; "
         "reword that one instead (replaces: a-fact-2)"),
        # Nor one of its own entry's: that entry would say both wordings at once.
        (ENTRY.replace("        text: Glutamate rose & fell.\n", "        text: Glutamate rose & fell.\n      - id: a-fact-2\n        replaces: a-fact\n"
                       "        source: abdallah2018\n        section: Paper\n        text: Again.\n"),
         "data/changes.yml, line 11: replaces: 'a-fact' is not an addition of an older entry"),
        (NEWER.replace("replaces: a-fact", "replaces: [a-fact]") + ENTRY.removeprefix("changes:\n"),
         "data/changes.yml, line 8: changes[0].additions[0].replaces: must be text, got a list"),
    ],
)
def test_a_rewording_that_names_no_older_addition_is_refused_at_its_line(record, message):
    with pytest.raises(SiteDataError) as refused:
        changes.additions(_record(record))
    assert str(refused.value).startswith(message), str(refused.value)


@pytest.mark.unit
def test_pages_show_the_rewording_and_never_the_words_it_replaced(tmp_path):
    root = _tiny_with_addition(tmp_path, "More.\n\n<!-- insert: addition a-fact-2 -->\n")
    edit_record = (root / "data/changes.yml").read_text(encoding="utf-8")
    (root / "data/changes.yml").write_text(NEWER + edit_record.removeprefix("changes:\n"), encoding="utf-8")
    extra = root / "docs/extra.md"
    extra.write_text(extra.read_text(encoding="utf-8").replace("last_updated: 2026-01-02", "last_updated: 2026-01-03"), encoding="utf-8")
    loaded = site_model.load_site(root, tiny_settings(), TINY_NAV)  # the reworded one is on no page, and need not be
    assert "Glutamate rose, then fell.[@abdallah2018]" in loaded.pages["extra.md"].body
    extra.write_text(extra.read_text(encoding="utf-8").replace("addition a-fact-2", "addition a-fact"), encoding="utf-8")
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(root, tiny_settings(), TINY_NAV)
    assert str(refused.value) == ("docs/extra.md, line 12: addition 'a-fact' was reworded as 'a-fact-2' (data/changes.yml, line 7): "
                                  "write <!-- insert: addition a-fact-2 --> instead")
