"""Unit tests of sitegen.guide: the contents at the top of each topic page, and the home page's overview."""

from __future__ import annotations

import pytest

from types import SimpleNamespace as Page

from sitegen import guide
from sitegen.site import NavItem

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# Survivors in guide (issue 21): each test states what an editor or a clinic would see go wrong


def test_the_home_page_lists_each_topic_as_its_own_item():
    # Nothing between the items: a stray text node would show up in the home page's list.
    topics = [(guide.Topic("ketamine.md", "What is ketamine?", "A drug & an anaesthetic."), "ketamine/"),
              (guide.Topic("uses.md", "Uses <and> limits", "What it treats."), "uses/")]
    assert guide.render_overview(topics) == (
        '<nav class="guide-overview" aria-labelledby="guide-overview-title" data-search-exclude>'
        '<p class="guide-overview__title" id="guide-overview-title">In this guide</p>'
        '<ol class="guide-overview__list"><li><a href="ketamine/">What is ketamine?</a>'
        '<span class="guide-overview__about">A drug &amp; an anaesthetic.</span></li>'
        '<li><a href="uses/">Uses &lt;and&gt; limits</a><span class="guide-overview__about">What it treats.</span></li></ol></nav>'
    )


def test_the_contents_go_after_the_page_title_not_after_a_later_h1():
    # An editor's second `# heading` is an h1 too; the contents still belong under the title.
    page = "<h1>Title</h1><p>Intro</p><h1>Second</h1><p>More</p>"
    assert guide.after_title(page, "[X]") == "<h1>Title</h1>[X]<p>Intro</p><h1>Second</h1><p>More</p>"


# ---------------------------------------------------------------------------------------------
# guide: the contents at the top of each topic page, and the home page's overview

KETAMINE = guide.Topic("ketamine.md", "What is ketamine?", "A drug & an anaesthetic.")


USES_TOPIC = guide.Topic("uses.md", "Uses <and> limits", "What it treats.")


def test_the_guides_topics_are_the_article_pages_in_menu_order_without_home_or_about_pages():
    nav = [NavItem("Home", "index.md"), NavItem("What is ketamine?", "ketamine.md"), NavItem("Glossary", "glossary.md"),
           NavItem("Uses", "uses.md"), NavItem("About", "about.md", "About this site")]
    pages = {"index.md": Page(description="Home.", source="article"), "ketamine.md": Page(description="K.", source="article"),
             "glossary.md": Page(description="G.", source=None), "uses.md": Page(description="U.", source="article"),
             "about.md": Page(description="A.", source="article")}
    assert guide.topics(nav, pages) == [guide.Topic("ketamine.md", "What is ketamine?", "K."), guide.Topic("uses.md", "Uses", "U.")]


def test_a_topic_pages_contents_number_it_and_mark_it_current():
    assert guide.render_contents([(KETAMINE, "../ketamine/"), (USES_TOPIC, "./?a=1&b=2")], "uses.md") == (
        '<nav class="guide-contents" aria-label="Guide contents" data-search-exclude>'
        '<details><summary>Contents <span class="guide-contents__where">(page 2 of 2)</span></summary>'
        '<ol class="guide-contents__list"><li><a href="../ketamine/">What is ketamine?</a></li>'
        '<li><a href="./?a=1&amp;b=2" aria-current="page">Uses &lt;and&gt; limits</a></li></ol></details></nav>'
    )
    assert "(page 1 of 2)" in guide.render_contents([(KETAMINE, "./"), (USES_TOPIC, "../uses/")], "ketamine.md")


def test_the_home_page_lists_each_topic_with_its_description():
    assert guide.render_overview([(KETAMINE, "ketamine/")]) == (
        '<nav class="guide-overview" aria-labelledby="guide-overview-title" data-search-exclude>'
        '<p class="guide-overview__title" id="guide-overview-title">In this guide</p>'
        '<ol class="guide-overview__list"><li><a href="ketamine/">What is ketamine?</a>'
        '<span class="guide-overview__about">A drug &amp; an anaesthetic.</span></li></ol></nav>'
    )


def test_the_contents_go_after_the_title_and_the_overview_before_the_first_section():
    page = "<h1>T</h1><p>Takeaways</p><h2 id='a'>A</h2><h2>B</h2>"
    assert guide.after_title(page, "[X]") == "<h1>T</h1>[X]<p>Takeaways</p><h2 id='a'>A</h2><h2>B</h2>"
    assert guide.after_title("<p>No title</p>", "[X]") == "<p>No title</p>"
    assert guide.before_first_section(page, "[X]") == "<h1>T</h1><p>Takeaways</p>[X]<h2 id='a'>A</h2><h2>B</h2>"
    assert guide.before_first_section("<h1>T</h1><h2>B</h2>", "[X]") == "<h1>T</h1>[X]<h2>B</h2>"
    # Without a section, after the title; an <h2x> or <header> is not a section.
    assert guide.before_first_section("<header></header><h1>T</h1><h2x>", "[X]") == "<header></header><h1>T</h1>[X]<h2x>"
