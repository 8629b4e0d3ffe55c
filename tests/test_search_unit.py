"""Unit tests of sitegen.search: the theme's index reshaped so the article's pages answer first.
tests/test_search.py searches the built site in a browser."""

from __future__ import annotations

import warnings

import pytest

from sitegen import search

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# search: quotes in texts and titles, the rank of the page of tasks


def test_search_texts_and_titles_keep_their_quotes_as_written():
    from sitegen import search

    index = {"docs": [{"location": "a/", "title": "A", "text": "<p>Say \"hi\" & 'bye'</p>"},
                      {"location": "r/", "title": "R", "text": "<p>Intro</p><ol><li>x</li></ol>"}]}
    out = search.refine(index, first={"a/", "r/"}, lists=[search.ListPage("r/", [search.Entry("k", 'One "q"', "It's")])],
                        title_only=[("h/", 'The "handout"', "Bob's page")])
    assert out["docs"] == [
        {"location": "a/", "title": "A", "text": "<p>Say \"hi\" &amp; 'bye'</p>"},
        {"location": "r/", "title": "R", "text": "<p>Intro</p>"},
        {"location": "r/#k", "title": 'One "q"', "text": "<p>It's</p>", "boost": search.LIST_ENTRY},
        {"location": "h/", "title": 'The "handout"', "text": "<p>Bob's page</p>"},
    ]


def test_a_page_of_tasks_ranks_between_the_article_and_the_other_site_pages():
    from sitegen import search

    index = {"docs": [{"location": loc, "title": "T", "text": ""} for loc in ("uses/", "for-clinics/", "about/")]}
    out = search.refine(index, first={"uses/"}, lists=[], title_only=[], tasks=frozenset({"for-clinics/"}))
    assert [d.get("boost") for d in out["docs"]] == [None, search.TASK_PAGE, search.SITE_PAGE]
    assert (search.TASK_PAGE, search.SITE_PAGE) == (0.6, 0.3)


# ---------------------------------------------------------------------------------------------
# search: the theme's index reshaped so the article's pages answer first


def test_an_index_text_is_its_words_without_tags_or_citation_numbers():
    assert search.plain("<p>Ketamine<sup>3, 4</sup> helps\n\t<em>fast</em> &amp; well.</p><p>C.\u00a0G.</p>") == "Ketamine helps fast & well. C.\u00a0G."


def test_the_index_ranks_article_pages_first_splits_lists_and_finds_left_out_pages_by_name():
    index = {"config": {"lang": ["en"]}, "docs": [
        {"location": "", "title": "Home", "text": "<p>Welcome.</p>"},
        {"location": "uses/#uses-ptsd", "title": "PTSD", "text": "<p>Some <b>help</b>.</p>"},
        {"location": "references/", "title": "References", "text": "<p>Intro.</p>\n<p>More.</p><ol><li>Berman</li></ol>"},
        {"location": "glossary/", "title": "Glossary", "text": "<dl><dt>IV</dt></dl>"},
        {"location": "handout/", "title": "Handout", "text": "<p>Found.</p>"},
    ]}
    out = search.refine(
        index, first={"", "uses/"},
        lists=[search.ListPage("references/", [search.Entry("ref-a", "1. A & B, 2000", "A <b> (2000).")]), search.ListPage("glossary/", [])],
        title_only=[("handout/", "Handout", "Not again."), ("clinics/", "For clinics & <staff>", "Links.")],
        also={"": "ketamine esketamine"},
    )
    assert out == {"config": {"lang": ["en"]}, "docs": [
        {"location": "", "title": "Home", "text": "<p>Welcome. ketamine esketamine</p>"},
        {"location": "uses/#uses-ptsd", "title": "PTSD", "text": "<p>Some help .</p>"},
        {"location": "references/", "title": "References", "text": "<p>Intro.</p><p>More.</p>", "boost": 0.3},
        {"location": "references/#ref-a", "title": "1. A &amp; B, 2000", "text": "<p>A &lt;b&gt; (2000).</p>", "boost": 0.0001},
        {"location": "glossary/", "title": "Glossary", "text": "", "boost": 0.3},
        {"location": "handout/", "title": "Handout", "text": "<p>Found.</p>", "boost": 0.3},
        {"location": "clinics/", "title": "For clinics &amp; &lt;staff&gt;", "text": "<p>Links.</p>"},  # found only by name: full weight
    ]}
    assert index["docs"][0]["text"] == "<p>Welcome.</p>"  # the theme's index is not changed in place
    assert search.refine({"docs": []}, first=set(), lists=[], title_only=[]) == {"docs": []}


def test_an_index_text_is_in_blocks_a_preview_can_show_alone():
    # The theme's worker shows only the blocks holding a match: a sentence, a list of short items
    # as one block (a lone "Coma" says little), a list of sentences item by item, loose text too.
    html = ("<p>More serious side effects can occur. These include:</p><ul><li>Difficulty breathing</li><li>Coma</li></ul>"
            "<p>Dr. C. G. Smith et al. (2000) said “Go.” Then e.g. this. HTML. It ends?</p>"
            "<ul><li>Stimulants, such as methylphenidate. They raise blood pressure.</li><li>Short</li></ul> loose words")
    assert search.blocks(html) == [
        "More serious side effects can occur.", "These include:", "Difficulty breathing; Coma",
        "Dr. C. G. Smith et al. (2000) said “Go.”", "Then e.g. this.", "HTML.", "It ends?",
        "Stimulants, such as methylphenidate.", "They raise blood pressure.", "Short", "loose words",
    ]
    assert search.blocks("") == [] and search.blocks("<ul><li><ul><li>a</li></ul></li><li>b</li></ul>") == ["a; b"]


def test_the_search_plugin_reads_tables_as_rows_and_skips_what_repeats_other_pages():
    table = ('<p>Intro.</p><div class="data-table"><table><caption>Two lists</caption><thead><tr><th>Side effect</th><th>Ketamine</th>'
             '<th>Esketamine &amp; co</th></tr></thead><tbody><tr class="data-table__group"><th colspan="3">Group</th></tr>'
             '<tr><th>Anxiety</th><td>Anxiety or fear</td><td><ul><li>A</li><li>B</li></ul></td></tr></tbody></table></div>')
    assert search.index_view(table) == ('<p>Intro.</p><div class="data-table"><p>Two lists</p><p>Group</p>'
                                        '<p>Anxiety: Ketamine: Anxiety or fear; Esketamine &amp; co: A, B.</p></div>')
    clinics = ('<p>Choose.</p><ul class="link-picker"><li>https://x.example/</li></ul><div class="link-cards"><pre>&lt;a&gt;</pre></div>'
               '<ul class="pdf-list"><li>Uses</li></ul><a class="pdf-link" href="a.pdf">A4 PDF<span class="visually-hidden"> of Uses</span></a>'
               '<p>Text<a class="footnote-backref" href="#r">↩</a></p>')
    assert search.index_view(clinics) == '<p>Choose.</p><a class="pdf-link" href="a.pdf">A4 PDF</a><p>Text</p>'
    page = "<p>Nothing to change &amp; no table.</p>"
    assert search.index_view(page) is page


def test_loose_text_and_numbered_lists_are_blocks_too():
    # Text before any tag keeps its first letter; an <ol> is a list like a <ul>.
    assert search.blocks("Loose words. More here") == ["Loose words.", "More here"]
    assert search.blocks("<p>Steps:</p><ol><li>Sit</li><li>Wait</li></ol><p>Done.</p>") == ["Steps:", "Sit; Wait", "Done."]


def test_a_list_of_items_at_the_short_limit_is_one_block():
    short = " ".join(["word"] * search.SHORT_ITEM)
    longer = short + " more"
    assert search.blocks(f"<ul><li>{short}</li><li>{short}</li></ul>") == [f"{short}; {short}"]
    assert search.blocks(f"<ul><li>{longer}</li><li>{short}</li></ul>") == [longer, short]


def test_words_found_with_a_page_join_its_first_block_only():
    index = {"docs": [{"location": "", "title": "Home", "text": "<p>One. Two. Three.</p>"}]}
    out = search.refine(index, first={""}, lists=[], title_only=[], also={"": "extra"})
    assert out["docs"][0]["text"] == "<p>One. extra</p><p>Two.</p><p>Three.</p>"


def test_an_entry_or_a_left_out_page_without_words_has_no_empty_paragraph():
    index = {"docs": [{"location": "r/", "title": "R", "text": "<p>Intro.</p>"}]}
    out = search.refine(index, first={"r/"}, lists=[search.ListPage("r/", [search.Entry("k", "Key", "")])],
                        title_only=[("h/", "Handout", "")])
    assert [d["text"] for d in out["docs"]] == ["<p>Intro.</p>", "", ""]


def _rows(table_html: str) -> str:
    """The paragraphs index_view makes of one table."""
    return search.index_view(table_html)


def test_a_table_without_head_or_body_sections_reads_its_first_row_as_the_headings():
    table = "<table><tr><th>Topic</th><th>Ketamine</th></tr><tr><td>Dose</td><td>Low</td></tr><tr><td>Route</td><td>IV</td></tr></table>"
    assert _rows(table) == "<p>Dose: Ketamine: Low.</p><p>Route: Ketamine: IV.</p>"


def test_a_table_whose_headings_are_td_cells_or_hold_markup_names_each_column_once():
    table = ("<table><thead><tr><td>Topic</td><td><b>Ketamine</b> <i>IV</i></td></tr></thead>"
             "<tbody><tr><td>Dose</td><td>Low</td></tr></tbody></table>")
    assert _rows(table) == "<p>Dose: Ketamine IV: Low.</p>"


def test_a_second_heading_row_is_not_read_as_a_row_of_the_table():
    table = ("<table><thead><tr><th>Topic</th><th>Drug</th></tr><tr><th>Sub</th><th>Detail</th></tr></thead>"
             "<tbody><tr><td>Dose</td><td>Low</td></tr></tbody></table>")
    assert _rows(table) == "<p>Dose: Drug: Low.</p>"


def test_cells_without_a_heading_are_read_alone():
    # A column whose heading is empty, and cells past the last heading, give their text without a name.
    table = ("<table><thead><tr><th>Topic</th><th></th><th><b>B</b></th></tr></thead>"
             "<tbody><tr><td>Dose</td><td>one</td><td>two</td><td>three</td></tr></tbody></table>")
    assert _rows(table) == "<p>Dose: one; B: two; three.</p>"


def test_a_table_with_no_rows_gives_its_caption_alone():
    assert _rows("<table><caption>Empty</caption></table>") == "<p>Empty</p>"


def test_cell_text_keeps_words_apart_and_quotes_as_written():
    table = ("<table><thead><tr><th>Topic</th><th>Drug</th></tr></thead><tbody>"
             "<tr><td>Risk\n</td><td><ul><li>\n Very <b>high</b>\n</li><li> Low </li></ul></td></tr>"
             "<tr><td> Said </td><td> It's <em>\"fine\"</em> </td></tr></tbody></table>")
    assert _rows(table) == "<p>Risk: Drug: Very high, Low.</p><p>Said: Drug: It's \"fine\".</p>"


def test_index_view_names_its_parser():
    # Left to guess, BeautifulSoup warns in the build's output and would take lxml where installed,
    # which wraps the page in <html><body>.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert search.index_view("<p>A</p><table><tr><th>T</th><th>U</th></tr><tr><td>a</td><td>b</td></tr></table>") == "<p>A</p><p>a: U: b.</p>"
