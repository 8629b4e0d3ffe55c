"""The menu's reading order (sitegen/menu.py), in pure calls: how mkdocs.yml's `nav:` lines are read, the
messages when a line is not there to name, and where a new page goes. The build's use of it, and the
rule with a full menu, are in tests/test_site.py."""

from __future__ import annotations

import pytest

from sitegen import menu
from sitegen.errors import SiteDataError

pytestmark = pytest.mark.unit

RULE = ("the menu starts with the guide (Home and every page with `source: article`), then References, then Glossary, "
        "then every other page")
SOURCES = {"index.md": "article", "two.md": "article", "handout.md": "extract"}


def _top(order: list[str]) -> list[tuple[str, str, str | None]]:
    return [(src.removesuffix(".md").title(), src, SOURCES.get(src)) for src in order]


def _refused(call, *args, **kwargs) -> str:
    with pytest.raises(SiteDataError) as refused:
        call(*args, **kwargs)
    return str(refused.value)


def test_nav_lines_reads_the_whole_nav_however_it_is_indented_and_commented():
    text = ("site_name: x\n"
            "nav:\n"
            " - Home: index.md\n"  # one space of indentation is still inside nav:
            "# The guide's pages end here.\n"  # a comment at the left margin does not end nav:
            " - X-rays: X-rays.md\n"
            "extra:\n"  # the next top-level key does
            " - Other: other.md\n")
    assert menu.nav_lines(text) == {
        "index.md": menu.Line(3, "- Home: index.md", " "),
        "X-rays.md": menu.Line(5, "- X-rays: X-rays.md", " "),
    }


def test_nav_lines_reads_file_names_in_quotes_and_labels_with_a_colon():
    text = ('nav:\n'
            '  - Home: "index.md"\n'
            "  - 'Side effects: what to expect': 'side-effects.md'\n"
            '  - "Odd": "odd.md\n')  # an unclosed quote is not an entry
    assert menu.nav_lines(text) == {
        "index.md": menu.Line(2, '- Home: "index.md"', "  "),
        "side-effects.md": menu.Line(3, "- 'Side effects: what to expect': 'side-effects.md'", "  "),
    }


def test_a_page_too_early_with_no_line_in_the_config_is_named_by_nav_and_by_the_entry_to_follow():
    assert _refused(menu.check_order, _top(["index.md", "new.md", "two.md"])) == (
        f"mkdocs.yml: nav: nav: 'New' (new.md) is not one of the guide's pages (its front matter has no `source: article`), "
        f"but {RULE}: move this line below the entry for two.md")


def test_a_guide_page_too_late_with_no_line_in_the_config_is_named_by_nav_and_by_the_entry_to_precede():
    config = "nav:\n  - Home: index.md\n"  # the config has lines, but none for the pages named
    assert _refused(menu.check_order, _top(["index.md", "new.md", "handout.md", "two.md"]), config, where="site.yml") == (
        f"site.yml: nav: nav: 'Two' (two.md) is one of the guide's pages (source: article), "
        f"but {RULE}: move this line above the entry for new.md")


def test_a_guide_page_in_a_section_with_no_line_in_the_config_is_named_by_nav():
    assert _refused(menu.check_nested, [("About", "about.md")]) == (
        "mkdocs.yml: nav: nav: 'About' (about.md) is one of the guide's pages (source: article), so it is at the top level "
        "of the menu, with the guide's other pages: move its line out of the section, among them")


def test_a_new_page_needs_a_page_entry_in_nav_to_follow():
    with pytest.raises(SiteDataError) as refused:
        menu.place_for_new_page("site_name: x\nnav:\n  - Section:\nextra: {}\n", {}.get)
    assert (refused.value.where, refused.value.problem) == (
        "mkdocs.yml: nav", "has no page entries (`  - Label: page.md`) to put the new page after")


def test_with_no_guide_page_a_new_page_goes_after_the_last_top_level_entry():
    text = "nav:\n  - A: a.md\n  - B: b.md\n  - Section:\n      - D: d.md\n  - C: c.md\n  - More:\n      - E: e.md\n"
    assert menu.place_for_new_page(text, {}.get) == menu.Line(6, "- C: c.md", "  ")
