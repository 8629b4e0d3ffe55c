"""Unit tests of sitegen.safety: active markup, snippet includes, the urgent-help box, the project's own files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import ROOT
from sitegen import safety
from sitegen.errors import SiteDataError

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


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
        # The build writes the data- attributes: one from the page would set what its printout says.
        ('[988](https://988lifeline.org/){: data-print-href="https://e.example/"}',
         "a data-print-href= attribute; the build writes the data- attributes a page needs, so take it out"),
        ('<a href="x" DATA-Edition = "1">x</a>', "a data-edition= attribute; the build writes the data- attributes a page needs, so take it out"),
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
        "The word script, an online form and the scripts folder are prose, and so is big-data-set = 3.\n"
        "An <abbr title=\"one\">abbr</abbr> is not active.\n"
    )
    safety.check_active_markup(text, "docs/uses.md")


@pytest.mark.parametrize("hidden", ["```\n\n", "```\n", "~~~\n", "```\nx\n````\n"])
def test_a_fence_markdown_does_not_close_hides_nothing(hidden):
    # No fenced-code extension here: only a closed run of backticks in one paragraph makes code.
    with pytest.raises(SiteDataError, match="a raw <script> element"):
        safety.check_active_markup(hidden + "<script>alert(1)</script>\n", "docs/uses.md")


def test_a_code_span_is_blanked_out_so_it_neither_joins_nor_hides_the_words_around_it():
    safety.check_active_markup("java`x`script: is two words around a code span.\n", "docs/uses.md")
    with pytest.raises(SiteDataError, match=r"^docs/uses\.md, line 1: an inline event handler \(onerror=\)"):
        safety.check_active_markup("<img `x`onerror=alert(1)>\n", "docs/uses.md")


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


@pytest.mark.parametrize("mention", ["suic&#105;de", "suic&#x69;dal", "self&#8209;harm", "sui\u200bcide"])
def test_a_mention_is_read_as_readers_see_it(mention):
    # An entity or an invisible character does not hide it from the rule.
    with pytest.raises(SiteDataError, match=r"^docs/x\.md, line 2: mentions suicide"):
        safety.check_urgent_help(f"Title\nAbout {mention}.\n", "docs/x.md", 1)


def test_a_hand_written_help_box_is_refused_for_the_sites_own():
    body = 'Suicidal thoughts.\n\n<section class="urgent-help"><p>Talk to your doctor.</p></section>\n'
    with pytest.raises(SiteDataError) as error:
        safety.check_urgent_help(body, "docs/uses.md", 1)
    assert str(error.value) == ("docs/uses.md, line 3: 'urgent-help' is the site's own box for getting help now, with its crisis "
                                'lines; include it with the line --8<-- "urgent-help.md" instead')
    with pytest.raises(SiteDataError, match=r"line 2: 'urgent-help' is the site's own box"):
        safety.check_urgent_help("Help.\n{: .note .urgent-help }\n", "docs/uses.md", 1)
    safety.check_urgent_help("Its urgent-help box gives US phone numbers.\n", "docs/about.md", 1)  # named in words, not made


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
        ('"_snippets/../index.md"', "_snippets/../index.md"),  # no climbing with "..", even to a page of the site
        ('"notes:v2.md"', "notes:v2.md"),  # a colon that does not start a section name is part of the file's name
        ('"a:b.md:first-step"', "a:b.md"),  # only the last ":name" is a section
        ('"ROOT/README.md"', "ROOT/README.md"),  # an absolute path: ROOT is the project's folder
    ],
)
def test_an_include_of_anything_but_the_sites_own_text_is_refused(include, named):
    include, named = include.replace("ROOT", str(ROOT)), named.replace("ROOT", str(ROOT))
    with pytest.raises(SiteDataError) as error:
        safety.check_includes(f"Text.\n\n--8<-- {include}\n", "docs/uses.md", 10, DOCS)
    assert error.value.where == "docs/uses.md, line 12"
    assert error.value.problem == (f"includes {named}, which is not a Markdown file in docs/_snippets/ or docs/ "
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


@pytest.mark.parametrize("name, content, words", [
    ("offer.html", "<script src=offer.js></script>", "is a .html file"),
    ("offer.js", "alert(1)", "is a .js file"),
    ("_snippets/note.txt", "<iframe>", "is a .txt file"),
    ("notes", "x", "is a suffix-less file"),
    ("pic.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "has a <script> element"),
    ("assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "has an event handler"),
    ("assets/page.html", "<p>x</p>", "is a .html file"),
    ("bad\nname.md", "# x\n", "control or invisible character"),
    ("bidi\u202eevil.md", "# x\n", "control or invisible character"),
])
def test_only_what_an_editor_may_publish_is_in_docs(tmp_path, name, content, words):
    root = _project(tmp_path)
    path = root / "docs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SiteDataError) as error:
        safety.check_own_files(root, ("docs",), ())
    assert words in str(error.value) and name.split("/")[-1][:3] in str(error.value)


def test_pictures_styles_scripts_and_plain_svgs_may_be_published(tmp_path):
    root = _project(tmp_path)
    for name in ("picture.png", "photo.JPG", "assets/javascripts/a.js", "assets/stylesheets/a.css", "assets/LICENSE.txt"):
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_bytes(b"x")
    (root / "docs" / "icon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><path fill="#000" d="M0 0"/>'
                                            '<use href="#a"/></svg>', encoding="utf-8")
    safety.check_own_files(root, ("docs",), ())


def test_pipes_devices_and_hard_links_are_refused(tmp_path):
    root = _project(tmp_path)
    os.mkfifo(root / "docs" / "pipe.md")
    with pytest.raises(SiteDataError, match="docs/pipe.md: is not a file or a folder"):
        safety.check_own_files(root, ("docs",), ())
    (root / "docs" / "pipe.md").unlink()
    outside = tmp_path / "secret.md"
    outside.write_text("# secret\n", encoding="utf-8")
    os.link(outside, root / "docs" / "linked.md")
    with pytest.raises(SiteDataError, match="docs/linked.md: is a hard link"):
        safety.check_own_files(root, ("docs",), ())


def test_only_markdown_snippets_can_be_included(tmp_path):
    docs = tmp_path / "docs"
    (docs / "_snippets").mkdir(parents=True)
    (docs / "_snippets" / "note.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SiteDataError, match="not a Markdown file"):
        safety.check_includes('--8<-- "note.txt"\n', "docs/uses.md", 1, docs)


@pytest.mark.parametrize("text, words", [
    ("[" * 100_000, "line 1: is 100,000 characters long"),
    ("x" + "`" * 20_000, "line 1: is 20,001 characters long"),
    ("<a " * 170_000, "characters long"),
    ("# Page\n\n" + "[" * 150 + "\n" + "[" * 150 + "\n", "line 3: the paragraph from this line holds more than 200 '['"),
    ("a:\n" + "".join(" " * i + "- x\n" for i in range(0, 100, 2)), "indented more than 40 columns"),
    ("".join("  " * i + "- x\n" for i in range(300)), "line 22: is indented more than 40 columns"),
    ("> " * 30 + "x\n", "nests quotes more than 20 deep"),
    ("<div markdown>\n" * 3000, "line 21: nests <div>"),
    ("x\n" * 600_000, "characters long; the limit is 1,000,000"),
], ids=["brackets", "backticks", "tags", "paragraph", "yaml", "lists", "quotes", "divs", "size"])
def test_text_the_parsers_would_take_minutes_over_is_refused_at_once(text, words):
    with pytest.raises(SiteDataError) as error:
        safety.check_bounds(text, "docs/uses.md")
    assert words in str(error.value) and str(error.value).startswith("docs/uses.md")


def test_ordinary_text_is_within_bounds():
    page = "# Page\n\n" + ("A sentence [@key] with a [link](../x/). " * 20 + "\n\n") * 50 + "<div markdown>\n\n- a\n    - b\n\n</div>\n"
    safety.check_bounds(page, "docs/uses.md")


def test_text_at_each_limit_is_still_within_bounds():
    # Each limit is the most allowed: text right at it passes, one more is refused.
    at_limit = {
        "line": "x" * safety.MAX_LINE,
        "quotes": "> " * safety.MAX_DEPTH + "x",
        "brackets": "[" * safety.MAX_BRACKETS + "\n" + "{" * safety.MAX_BRACKETS,  # one paragraph, both marks at the limit
        "second paragraph": "x\n\n" + "[" * safety.MAX_BRACKETS + "{" * safety.MAX_BRACKETS,  # counted afresh after a blank line
        "tabs": "\t" * (safety.MAX_INDENT // 4) + "x",  # a tab is 4 columns
        "divs": "<div>x</div>\n" * (safety.MAX_DEPTH + 5),  # each closed on its line: never nested
    }
    for name, text in at_limit.items():
        safety.check_bounds(text, "docs/uses.md")
    safety.check_bounds("x\n" * (safety.MAX_FILE // 2), "data/a.yml")


@pytest.mark.parametrize(("text", "message"), [
    ("x\n" * (safety.MAX_FILE // 2) + "x", "docs/uses.md: is 1,000,001 characters long; the limit is 1,000,000: split it into pages"),
    ("{" * (safety.MAX_BRACKETS + 1), "docs/uses.md, line 1: the paragraph from this line holds more than 200 '{'; split it, or write the brackets as &#123;"),
    ("[" * (safety.MAX_BRACKETS + 1), "docs/uses.md, line 1: the paragraph from this line holds more than 200 '['; split it, or write the brackets as &#91;"),
    ("x\n\n" + "{" * (safety.MAX_BRACKETS + 1), "docs/uses.md, line 3: the paragraph from this line holds more than 200 '{'; split it, or write the brackets as &#123;"),
], ids=["size", "braces", "brackets-in-the-first-paragraph", "braces-after-a-blank-line"])
def test_text_one_past_a_limit_is_refused_naming_the_limit(text, message):
    with pytest.raises(SiteDataError) as error:
        safety.check_bounds(text, "docs/uses.md")
    assert str(error.value) == message


def test_a_file_docs_may_not_hold_is_named_with_what_it_may_hold(tmp_path):
    root = _project(tmp_path)
    (root / "docs" / "_snippets").mkdir()
    (root / "docs" / "_snippets" / "picture.png").write_bytes(b"x")  # a picture, but snippets are only text
    with pytest.raises(SiteDataError) as error:
        safety.check_own_files(root, ("docs",), ())
    assert str(error.value) == (
        "docs/_snippets/picture.png: is a .png file, which the site does not publish from there: pages are Markdown (.md), snippets are "
        ".md files in docs/_snippets/, pictures are PNG, JPEG, GIF, WebP, AVIF or SVG, and styles and scripts belong in docs/assets/; take it out")
    (root / "docs" / "_snippets" / "picture.png").rename(root / "docs" / "picture.png")
    safety.check_own_files(root, ("docs",), ())  # beside the pages, a picture may be published


def test_a_bad_file_name_and_an_active_svg_are_named_with_what_to_do(tmp_path):
    root = _project(tmp_path)
    (root / "docs" / "bad\u200bname.md").write_text("# x\n", encoding="utf-8")
    with pytest.raises(SiteDataError) as error:
        safety.check_own_files(root, ("docs",), ())
    assert str(error.value) == "'docs/bad\\u200bname.md': has a control or invisible character in its name; rename it with letters, digits and hyphens"
    (root / "docs" / "bad\u200bname.md").unlink()
    (root / "docs" / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"\n onload="x()"></svg>', encoding="utf-8")
    with pytest.raises(SiteDataError) as error:
        safety.check_own_files(root, ("docs",), ())
    assert str(error.value) == "docs/pic.svg, line 1: has an event handler (onload on <svg>), which runs script; take it out: a picture needs none"


def test_an_svg_that_is_not_utf8_is_refused_before_its_parts_are_read(tmp_path):
    # A browser reads such a file by another encoding than the check would; sitegen.svgcheck's tests hold the rest.
    root = _project(tmp_path)
    (root / "docs" / "latin.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg">\n<title>caf\xe9</title><path d="M0 0"/></svg>')
    with pytest.raises(SiteDataError) as error:
        safety.check_own_files(root, ("docs",), ())
    assert str(error.value) == "docs/latin.svg, line 2: is not UTF-8 text (byte 0xe9); save the file as UTF-8 in your editor"
