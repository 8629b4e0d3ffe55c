"""Unit tests of sitegen.search: the theme's index reshaped so the article's pages answer first.
tests/test_search.py searches the built site in a browser."""

from __future__ import annotations

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
