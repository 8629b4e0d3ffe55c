"""Unit tests of generators the built-site tests reach but the fast tier did not (issue 21).

Each test states a rule an editor or reader relies on and calls the generator directly, with
the expected values written down. `scripts/mutation` runs this module in its fast tier.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT
from sitegen import safety
from sitegen.errors import SiteDataError

# ---------------------------------------------------------------------------------------------
# safety: active markup, snippet includes, the urgent-help box, the project's own files


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Text <SCRIPT src=x.js></script>", "a raw <script> element; pages hold text, and the site's scripts and styles are files named in mkdocs.yml"),
        ("< iframe src=https://example.com>", "a raw <iframe> element; pages hold text, and the site's scripts and styles are files named in mkdocs.yml"),
        ("<style>p{}</style>", "a raw <style> element; pages hold text, and the site's scripts and styles are files named in mkdocs.yml"),
        ('<img src=x ONERROR = "alert(1)">', "an inline event handler (onerror=); pages hold text, not code"),
        ("[Open](JavaScript :alert(1))", "a javascript: link; link to a page or an address instead"),
    ],
)
def test_active_markup_is_refused_naming_the_page_line_and_what_it_is(line, problem):
    text = "# Title\n\nSome prose.\n\n" + line + "\n"
    with pytest.raises(SiteDataError) as error:
        safety.check_active_markup(text, "docs/uses.md", first_line=3)
    # The page's fifth line, counted from line 3 (after its front matter).
    assert error.value.where == "docs/uses.md, line 7"
    assert error.value.problem == problem


def test_active_markup_shown_as_code_or_said_in_words_is_allowed():
    text = (
        "A `<script>` element, ``<a onclick=x>`` and `javascript:` in code spans are text.\n"
        "```html\n<script>alert(1)</script>\n<a href=\"javascript:x\" onclick=\"y\">\n```\n"
        "The word script, an online form and the scripts folder are prose.\n"
        "An <abbr title=\"one\">abbr</abbr> is not active.\n"
    )
    safety.check_active_markup(text, "docs/uses.md")


def test_active_markup_counts_lines_from_line_one_by_default():
    with pytest.raises(SiteDataError) as error:
        safety.check_active_markup("One\n<form action=x>", "docs/handout.md")
    assert str(error.value) == ("docs/handout.md, line 2: a raw <form> element; pages hold text, "
                                "and the site's scripts and styles are files named in mkdocs.yml")


def test_a_page_that_mentions_suicide_without_the_box_is_refused_naming_page_and_line():
    body = "Intro.\n\nSome people have suicidal thoughts.\n\nMore.\n"
    with pytest.raises(SiteDataError) as error:
        safety.check_urgent_help(body, "docs/uses.md", 4)
    assert error.value.where == "docs/uses.md, line 6"
    assert error.value.problem == ('mentions suicide or self-harm but has no urgent-help box; add the line '
                                   '--8<-- "urgent-help.md" after the paragraph, with blank lines around it')


@pytest.mark.parametrize("mention", ["Self-harm", "self harm", "SUICIDE"])
def test_every_spelling_of_the_mention_needs_the_box(mention):
    with pytest.raises(SiteDataError, match=r"^docs/x\.md, line 2: mentions suicide"):
        safety.check_urgent_help(f"Title\nAbout {mention}.\n", "docs/x.md", 1)


def test_the_box_on_its_own_line_satisfies_the_rule():
    body = 'Some people have suicidal thoughts.\n\n  --8<-- "urgent-help.md"  \n'
    safety.check_urgent_help(body, "docs/uses.md", 1, ["a table about suicide"])


def test_the_box_inside_a_code_example_does_not_count():
    body = 'Suicidal thoughts.\n\n```\n--8<-- "urgent-help.md"\n```\n'
    with pytest.raises(SiteDataError, match=r"^docs/uses\.md, line 1: mentions suicide"):
        safety.check_urgent_help(body, "docs/uses.md", 1)


def test_a_mention_inside_a_code_example_needs_no_box():
    safety.check_urgent_help("Text.\n\n```\nsuicide\n```\n", "docs/uses.md", 1)


def test_a_shown_table_that_mentions_suicide_needs_the_box_too():
    with pytest.raises(SiteDataError) as error:
        safety.check_urgent_help("A table follows.\n", "docs/side-effects.md", 1, ["Nausea", "Thoughts of self-harm"])
    assert error.value.where == "docs/side-effects.md"
    assert error.value.problem == 'shows a table that mentions suicide but has no urgent-help box; add the line --8<-- "urgent-help.md"'
    safety.check_urgent_help("A table follows.\n", "docs/side-effects.md", 1, ["Nausea", "Headache"])


DOCS = ROOT / "docs"


@pytest.mark.parametrize("line", ['--8<-- "urgent-help.md"', '  -8<- "call-911.md"', '--8<-- "contraindications.md:first-step"'])
def test_a_page_may_include_a_snippet_or_a_marked_section_of_a_page(line):
    safety.check_includes(f"Text.\n\n{line}\n", "docs/uses.md", 1, DOCS)


@pytest.mark.parametrize(
    ("include", "named"),
    [
        ('"missing.md"', "missing.md"),
        ('"missing.md:section"', "missing.md"),
        ('"../mkdocs.yml"', "../mkdocs.yml"),
        ('"_snippets/../../README.md"', "_snippets/../../README.md"),
        ('"ROOT/README.md"', "ROOT/README.md"),  # an absolute path: ROOT is the project's folder
    ],
)
def test_an_include_of_anything_but_the_sites_own_text_is_refused(include, named):
    include, named = include.replace("ROOT", str(ROOT)), named.replace("ROOT", str(ROOT))
    with pytest.raises(SiteDataError) as error:
        safety.check_includes(f"Text.\n\n--8<-- {include}\n", "docs/uses.md", 10, DOCS)
    assert error.value.where == "docs/uses.md, line 12"
    assert error.value.problem == (f"includes {named}, which is not a file in docs/_snippets/ or docs/ "
                                   "(only the site's own text can be included)")


def test_an_include_shown_in_a_code_example_or_inside_a_sentence_is_not_read():
    text = 'See --8<-- "missing.md" in a sentence.\n```\n--8<-- "missing.md"\n```\n'
    safety.check_includes(text, "docs/uses.md", 1, DOCS)


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs" / "assets").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return root


def test_the_projects_own_files_pass(tmp_path):
    safety.check_own_files(_project(tmp_path), ("docs",), ("mkdocs.yml",))


def test_a_symbolic_link_among_the_files_read_is_refused(tmp_path):
    root = _project(tmp_path)
    (root / "references.bib").symlink_to(tmp_path / "elsewhere.bib")
    with pytest.raises(SiteDataError) as error:
        safety.check_own_files(root, ("docs",), ("mkdocs.yml", "references.bib"))
    assert str(error.value) == "references.bib: is a symbolic link; the build reads only the project's own files"


def test_a_symbolic_link_deep_in_a_folder_is_refused_naming_it_and_its_target(tmp_path):
    root = _project(tmp_path)
    (root / "docs" / "assets" / "secret.txt").symlink_to("/etc/hostname")
    with pytest.raises(SiteDataError) as error:
        safety.check_own_files(root, ("docs",), ())
    assert error.value.where == "docs/assets/secret.txt"
    assert error.value.problem == ("is a symbolic link (to /etc/hostname); the build publishes only the project's own files: "
                                   "replace it with the file itself")


def test_a_folder_that_is_a_link_or_outside_the_project_is_refused(tmp_path):
    root = _project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "overrides").symlink_to(outside)
    message = "is a symbolic link or outside the project; the build reads only the project's own files"
    with pytest.raises(SiteDataError) as error:
        safety.check_own_files(root, ("overrides",), ())
    assert (error.value.where, error.value.problem) == ("overrides", message)
    with pytest.raises(SiteDataError) as error:
        safety.check_own_files(root, ("../outside",), ())
    assert (error.value.where, error.value.problem) == ("../outside", message)


def test_the_project_is_found_through_a_link_to_it(tmp_path):
    """The project's root may itself be reached by a link (a checkout in a linked folder)."""
    root = _project(tmp_path)
    alias = tmp_path / "alias"
    alias.symlink_to(root)
    assert os.path.realpath(alias) == str(root)
    safety.check_own_files(alias, ("docs",), ("mkdocs.yml",))
