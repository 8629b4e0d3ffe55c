"""Unit tests of generators the built-site tests reach but the fast tier did not (issue 21).

Each test states a rule an editor or reader relies on and calls the generator directly, with
the expected values written down. `scripts/mutation` runs this module in its fast tier.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from types import SimpleNamespace as Page

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from helpers import ROOT, copy_project, edit, line_of
from sitegen import assets, card, citations, contact, datafile, glossary, guide, markers, pdfs, safety, search, site, social
from sitegen.glossary import render_glossary
from sitegen.site import NavItem
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
    ("pic.svg", '<svg><script>alert(1)</script></svg>', "an SVG with a script"),
    ("pic.svg", '<svg onload="alert(1)"></svg>', "an SVG with a script"),
    ("pic.svg", '<svg><image href="https://evil.example/x.png"/></svg>', "outside reference"),
    ("pic.svg", '<svg><style>@import url(https://evil.example/x.css);</style></svg>', "outside reference"),
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


# ---------------------------------------------------------------------------------------------
# card: the link-preview image (1200x630), drawn with Pillow

NAVY, WHITE, RULE = (11, 74, 99), (255, 255, 255), (143, 195, 214)  # #0b4a63, #ffffff, #8fc3d6
LONG_TITLE = " ".join(["esketamine"] * 14)


def _image(title="Uses", site="Site name", url="https://x.example/") -> Image.Image:
    return Image.open(io.BytesIO(card.render_card(title, site, url))).convert("RGB")


def _text_rows(image: Image.Image) -> list[tuple[int, int]]:
    """(first, last) row of each band of light pixels (text and rule), top to bottom."""
    light = image.convert("L").point(lambda v: 255 if v > 150 else 0)
    rows = [y for y in range(image.height) if light.crop((0, y, image.width, y + 1)).getbbox()]
    bands = [[rows[0], rows[0]]]
    for y in rows[1:]:
        if y == bands[-1][1] + 1:
            bands[-1][1] = y
        else:
            bands.append([y, y])
    return [tuple(b) for b in bands]


def test_card_is_white_text_on_the_sites_colour_with_a_light_rule_under_the_site_name():
    image = _image()
    assert image.getpixel((0, 0)) == NAVY and image.getpixel((1199, 629)) == NAVY
    # The rule: 160 px from the left margin (80), 6 px high, 62 px below the top margin.
    assert [image.getpixel((x, 145)) for x in (79, 80, 240, 241)] == [NAVY, RULE, RULE, NAVY]
    assert image.getpixel((160, 141)) == NAVY and image.getpixel((160, 142)) == RULE and image.getpixel((160, 149)) == NAVY
    assert WHITE in {image.getpixel((x, y)) for x in range(80, 260) for y in range(200, 280)}


def test_card_lays_out_site_name_rule_title_and_address_top_to_bottom_within_the_margins():
    image = _image()
    (name, rule, title, address) = _text_rows(image)
    assert 80 <= name[0] and name[1] < 142  # the site name, at the top margin
    assert rule == (142, 148)
    assert 190 <= title[0] and title[1] <= 480  # the title, between the rule and the address
    assert 516 <= address[0] and address[1] < 630 - 70  # the address, above the bottom margin
    # Both are drawn at 34 px, readable in a chat's thumbnail (not Pillow's tiny fallback font).
    assert name[1] - name[0] >= 20 and address[1] - address[0] >= 25
    left, _, right, _ = image.convert("L").point(lambda v: 255 if v > 150 else 0).getbbox()
    assert 80 <= left < 90 and right < 400


def test_a_short_title_is_drawn_large_and_a_long_one_wraps_smaller_within_its_space():
    short = _text_rows(_image("Uses"))[2]
    assert short[1] - short[0] >= 50  # one line at 84 px
    bands = _text_rows(_image(LONG_TITLE))
    titles = bands[2:-1]
    assert len(titles) == 4  # four lines at 48 px
    assert all(25 <= last - first < 50 for first, last in titles)
    assert 190 <= titles[0][0] and titles[-1][1] <= 480
    right = _image(LONG_TITLE).convert("L").point(lambda v: 255 if v > 150 else 0).getbbox()[2]
    assert 1000 < right <= 1200 - 80  # the lines fill the width, within the right margin


def test_the_largest_size_that_fits_is_chosen_down_to_40_px():
    font, lines = card._fit("Uses", 1040, 300)
    assert (font.size, lines) == (84, ["Uses"])
    font, lines = card._fit(LONG_TITLE, 1040, 300)
    assert (font.size, len(lines)) == (48, 4)
    # A title too long for any size is drawn at the smallest, 40 px, rather than not at all.
    font, lines = card._fit(" ".join(["esketamine"] * 60), 1040, 300)
    assert font.size == 40 and " ".join(lines) == " ".join(["esketamine"] * 60)


def test_titles_wrap_between_words_filling_each_line():
    font = card._font(40)
    assert card._wrap("a bb ccc", font, 10_000) == ["a bb ccc"]
    assert card._wrap("aaaa bbbb", font, 1) == ["aaaa", "bbbb"]  # a word wider than the line stays whole
    exact = font.getlength("aaaa bbbb")
    assert card._wrap("aaaa  bbbb cc", font, exact) == ["aaaa bbbb", "cc"]  # a line exactly as wide fits
    assert card._wrap("", font, 100) == []


def test_the_card_shows_the_address_without_scheme_or_final_slash():
    same = card.render_card("Uses", "Site", "https://x.example/info/")
    assert card.render_card("Uses", "Site", "http://x.example/info") == same
    assert card.render_card("Uses", "Site", "https://x.example/other/") != same
    assert card.render_card("Uses", "Site", "https://y.example/info/") != same
    assert card.render_card("Uses", "Other site", "https://x.example/info/") != same
    assert card.render_card("Uses", "Site", "https://x.example/info/") == same  # the same page, the same image


def test_without_freetype_the_build_stops_rather_than_draw_unreadable_previews(monkeypatch):
    monkeypatch.setattr(card.ImageFont, "load_default", lambda size=None: ImageFont.ImageFont())
    with pytest.raises(SiteDataError) as error:
        card.render_card("Uses", "Site", "https://x.example/")
    assert str(error.value) == "requirements.lock: pillow: Pillow was built without FreeType; install the pinned wheel"


def _drawn(site_name: str, title_size: int, title_lines: list[tuple[int, str]], address: str) -> Image.Image:
    """The card as its design says, drawn straight with Pillow's own font: white text on the site's colour."""
    image = Image.new("RGB", (1200, 630), NAVY)
    draw = ImageDraw.Draw(image)
    draw.text((80, 80), site_name, font=ImageFont.load_default(size=34), fill=WHITE)
    draw.rectangle((80, 142, 240, 148), fill=RULE)
    for y, line in title_lines:
        draw.text((80, y), line, font=ImageFont.load_default(size=title_size), fill=WHITE)
    draw.text((80, 516), address, font=ImageFont.load_default(size=34), fill=WHITE)
    return image


FOUR = " ".join(["esketamine"] * 4)


@pytest.mark.parametrize(
    ("title", "site_url", "size", "lines", "address"),
    [
        ("Uses", "https://x.example/", 84, [(190, "Uses")], "x.example"),
        # Four lines at 48 px, each 1.25 x 48 = 60 px below the last; a capital at the end of the
        # address is the site's own spelling and stays (only the final slash goes).
        (LONG_TITLE, "https://clinic.example.net/info/RX/", 48, [(190, FOUR), (250, FOUR), (310, FOUR), (370, "esketamine esketamine")],
         "clinic.example.net/info/RX"),
    ],
)
def test_the_card_draws_name_title_and_address_at_their_sizes_and_places(title, site_url, size, lines, address):
    # Every size and place is a design choice: 34 px stays readable in a chat's thumbnail, the title
    # starts 190 px down and wraps within 1040 px, and the address sits 80 + 34 px above the bottom.
    drawn = Image.open(io.BytesIO(card.render_card(title, "Site name", site_url))).convert("RGB")
    assert ImageChops.difference(drawn, _drawn("Site name", size, lines, address)).getbbox() is None


def test_a_title_exactly_as_tall_or_as_wide_as_its_space_fits_at_that_size():
    # The largest size that fits is chosen, and "fits" includes touching the edge: one line at 84 px is
    # 1.25 x 84 = 105 px tall, four at 48 px are 4 x 60 = 240 px.
    assert [(font.size, lines) for font, lines in [card._fit("Uses", 1040, 105), card._fit("Uses", 1040, 104)]] == [
        (84, ["Uses"]), (80, ["Uses"])]
    font, lines = card._fit(LONG_TITLE, 1040, 240)
    assert (font.size, len(lines)) == (48, 4)
    exact = ImageFont.load_default(size=84).getlength("Uses")
    assert [font.size for font, _ in [card._fit("Uses", exact, 105), card._fit("Uses", exact - 1, 105)]] == [84, 80]


def test_the_preview_png_is_compressed_as_tightly_as_pillow_can():
    # Chat apps and search engines fetch the preview on every share: the smaller file arrives sooner.
    png = card.render_card("Uses", "Site name", "https://x.example/")
    pixels = Image.open(io.BytesIO(png))
    plain, optimized = io.BytesIO(), io.BytesIO()
    pixels.save(plain, format="PNG")
    pixels.save(optimized, format="PNG", optimize=True)
    assert len(png) == len(optimized.getvalue()) < len(plain.getvalue())


# ---------------------------------------------------------------------------------------------
# datafile: every problem in an editor's YAML is named with its file and line


def _load(text: str, first_line: int = 1) -> datafile.DataFile:
    return datafile.load_text(text, "data/x.yml", first_line)


def _refusal(text: str, first_line: int = 1) -> str:
    with pytest.raises(SiteDataError) as error:
        _load(text, first_line)
    return str(error.value)


def test_data_keeps_the_line_of_every_key_and_item():
    data = _load("# a comment\nrows:\n  - name: a\n    cells:\n      k: 1\n  - name: b\nflag: true\nnone:\nwhen: 2026-01-02\n")
    assert data.data == {"rows": [{"name": "a", "cells": {"k": 1}}, {"name": "b"}], "flag": True, "none": None,
                         "when": dt.date(2026, 1, 2)}
    assert data.lines == {(): 2, ("rows",): 2, ("rows", 0): 3, ("rows", 0, "name"): 3, ("rows", 0, "cells"): 4,
                          ("rows", 0, "cells", "k"): 5, ("rows", 1): 6, ("rows", 1, "name"): 6, ("flag",): 7,
                          ("none",): 8, ("when",): 9}
    assert data.where(("rows", 1, "name")) == "data/x.yml, line 6"
    assert data.where(("rows", 0, "cells", "missing", 3)) == "data/x.yml, line 4"  # the nearest line known
    assert datafile.DataFile("data/x.yml", {}, {}).where(("a",)) == "data/x.yml"
    # Front matter starts on the page's second line: every line is counted from there.
    assert datafile.load_text("title: T\nlist:\n  - x\n", "docs/x.md", 2).lines == {(): 2, ("title",): 2, ("list",): 3, ("list", 0): 4}


def test_errors_name_the_nearest_line_and_the_dotted_path():
    data = _load("rows:\n  - cells:\n      ketamine: x\n")
    error = data.error(("rows", 0, "cells", "ketamine"), "must be text")
    assert (error.where, error.problem) == ("data/x.yml, line 3", "rows[0].cells.ketamine: must be text")
    assert str(data.error((), "is wrong")) == "data/x.yml, line 1: is wrong"
    assert datafile.dotted((0, "a", 1, "b")) == "[0].a[1].b"


@pytest.mark.parametrize(
    ("value", "described"),
    [(None, "nothing"), (True, "a yes/no value (true)"), (False, "a yes/no value (false)"), (3, "a number (3)"),
     (2.5, "a number (2.5)"), ({}, "a mapping"), ([], "a list"), ("x", "text ('x')"),
     (dt.date(2026, 1, 2), "a date (2026-01-02)")],
)
def test_a_wrong_value_is_described_in_an_editors_words(value, described):
    assert datafile.describe(value) == described


def test_the_typed_getters_name_the_key_and_what_was_wanted():
    data = _load("a: 1\n")
    assert data.mapping({"name": "x"}, ("t",), required=("name",), optional=("note",)) == {"name": "x"}
    assert data.mapping({"any": 1}, ("t",)) == {"any": 1}  # no field list: any field
    problems = []
    for call in (
        lambda: data.mapping([], ("a",)),
        lambda: data.mapping({"nmae": "x"}, ("a",), required=("name",), optional=("note",)),
        lambda: data.mapping({"note": "x"}, ("a",), required=("name",), optional=("note",)),
        lambda: data.items("x", ("a",), "rows"),
        lambda: data.items([], ("a",), "rows"),
        lambda: data.items([], ("a",), "glossary"),
        lambda: data.text(3, ("a",)),
        lambda: data.text("  \n ", ("a",)),
        lambda: data.text("Take <b>care</b> with it", ("a",)),
        lambda: data.text("See <!-- hidden -->", ("a",)),
    ):
        with pytest.raises(SiteDataError) as error:
            call()
        problems.append(str(error.value))
    assert problems == [
        "data/x.yml, line 1: a: must be a mapping of fields, got a list",
        "data/x.yml, line 1: a.nmae: unknown field 'nmae' (expected one of: name, note)",
        "data/x.yml, line 1: a: missing field 'name'",
        "data/x.yml, line 1: a: must be a list of rows, got text ('x')",
        "data/x.yml, line 1: a: is empty: list at least one row",
        "data/x.yml, line 1: a: is empty: list at least one glossary",
        "data/x.yml, line 1: a: must be text, got a number (3) (put it in quotes if it is meant as text)",
        "data/x.yml, line 1: a: must not be empty",
        "data/x.yml, line 1: a: contains HTML ('<b>care</b> '...): write plain text, it is shown exactly as written",
        "data/x.yml, line 1: a: contains HTML ('<!-- hidden '...): write plain text, it is shown exactly as written",
    ]
    assert data.items(["r"], ("a",), "rows") == ["r"]
    # Text is one line with single spaces; a lone "<" (as in "< 18") is not markup.
    assert data.text("  Under\n  < 18 years,   or > 65 ", ("a",)) == "Under < 18 years, or > 65"


def test_files_are_read_as_utf8_and_a_bad_byte_is_named_by_line():
    assert datafile.decode("\ufeffa: ü\n".encode(), "data/x.yml") == "a: ü\n"  # a byte-order mark is dropped
    with pytest.raises(SiteDataError) as error:
        datafile.decode(b"a: 1\nb: 2\nc: caf\xe9\n", "data/x.yml")
    assert str(error.value) == "data/x.yml, line 3: is not UTF-8 text (byte 0xe9); save the file as UTF-8 in your editor"


def test_a_file_too_large_or_unreadable_is_named(tmp_path):
    big = tmp_path / "big.yml"
    big.write_bytes(b"a" * (3 * 1024 + 1))
    assert datafile.read_text(big, "data/big.yml", max_bytes=3 * 1024 + 1) == "a" * (3 * 1024 + 1)
    with pytest.raises(SiteDataError) as error:
        datafile.read_text(big, "data/big.yml", max_bytes=3 * 1024)
    assert str(error.value) == "data/big.yml: is 3 KiB, over the 3 KiB a file of this kind may have"
    assert datafile.MAX_BYTES == 512 * 1024
    with pytest.raises(SiteDataError) as error:
        datafile.read_text(tmp_path / "missing.yml", "data/missing.yml")
    assert str(error.value) == "data/missing.yml: cannot be read: No such file or directory"
    (tmp_path / "ok.yml").write_text("a: 1\n", encoding="utf-8")
    loaded = datafile.load(tmp_path / "ok.yml", "data/ok.yml")
    assert (loaded.name, loaded.data) == ("data/ok.yml", {"a": 1})


def test_yaml_mistakes_are_named_by_line_with_a_hint():
    assert _refusal("a: 1\nb: &x 2\nc: *x\n") == "data/x.yml, line 2: uses a YAML anchor or alias (& or *); write each value out in full"
    assert _refusal("a: 1\nc: *x\n", 5).startswith("data/x.yml, line 6: uses a YAML anchor or alias")
    assert _refusal("") == "data/x.yml: is empty"
    assert _refusal("a: 1\na: 2\n") == "data/x.yml, line 2: a: duplicate key 'a' (first given on line 1); keep one of them"
    assert _refusal("? [a]\n: 1\n") == "data/x.yml, line 1: top level: a key must be a plain word"
    assert _refusal("m:\n  ? [a]\n  : 1\n") == "data/x.yml, line 2: m: a key must be a plain word"
    # An explicit tag would make text into another kind of value, or crash PyYAML's constructors.
    assert _refusal("a: 1\nb: !!bool maybe\n") == "data/x.yml, line 2: uses the YAML tag '!!bool'; write the value without it (in quotes if it is text)"
    assert _refusal("when: !!timestamp x\n").startswith("data/x.yml, line 1: uses the YAML tag '!!timestamp';")
    assert _refusal("a: !!binary aGk=\n").startswith("data/x.yml, line 1: uses the YAML tag '!!binary';")
    assert _refusal("- !custom x\n", 2).startswith("data/x.yml, line 2: uses the YAML tag '!custom';")
    assert _refusal("when: 2026-02-30\n") == "data/x.yml, line 1: when: '2026-02-30' is not a real date (day is out of range for month)"
    assert _refusal("a: [1, 2\nb: 3\n") == "data/x.yml, line 1: a '[' opened on this line is never closed: close it with ']' after its last item"
    assert _refusal("moved: {}\n  /old/: /new/\n") == (
        "data/x.yml, line 1: ends in '{}' (an empty value), so the indented lines under it cannot belong to it: delete the '{}'")
    # Counted from the page's second line (front matter).
    assert _refusal("a: [1, 2\nb: 3\n", 2) == "data/x.yml, line 2: a '[' opened on this line is never closed: close it with ']' after its last item"
    assert _refusal("a: 'x\n") == "data/x.yml, line 1: a quote (') opened on this line is never closed: end the value with the same quote mark (')"
    assert _refusal("a: 1\nb: 'x\n", 5) == "data/x.yml, line 6: a quote (') opened on this line is never closed: end the value with the same quote mark (')"


# ---------------------------------------------------------------------------------------------
# glossary: the site's own definitions, anchors, a page's word list, "did you mean"

GLOSSARY_YML = """\
terms:
  - term: NMDA receptor
    definition: A receptor in the brain that ketamine blocks.
    forms: [NMDA receptor, NMDA receptors]
  - term: IV
    definition: Given into a vein.
    source: site
"""


def _glossary(text: str = GLOSSARY_YML) -> glossary.Glossary:
    return glossary.validate(datafile.load_text(text, "data/glossary.yml"))


def test_the_sites_own_definitions_are_marked_as_such_in_tooltip_and_list():
    terms = _glossary()
    assert terms.abbreviations() == {
        "NMDA receptor": "A receptor in the brain that ketamine blocks.",
        "NMDA receptors": "A receptor in the brain that ketamine blocks.",
        "IV": "Given into a vein. (this site’s own definition)",
    }
    assert [(t.term, t.line, t.ours) for t in terms.terms] == [("NMDA receptor", 2, False), ("IV", 5, True)]
    assert render_glossary(terms) == (
        '<dl class="glossary">\n<dt id="term-iv">IV</dt>\n'
        '<dd>Given into a vein. <span class="glossary__ours">(this site’s own definition)</span></dd>\n'
        '<dt id="term-nmda-receptor">NMDA receptor</dt>\n<dd>A receptor in the brain that ketamine blocks.</dd>\n</dl>'
    )


def test_a_pages_word_list_shows_only_its_terms_without_anchors():
    assert render_glossary(_glossary(), only={"IV"}, css="page-words") == (
        '<dl class="page-words">\n<dt>IV</dt>\n'
        '<dd>Given into a vein. <span class="glossary__ours">(this site’s own definition)</span></dd>\n</dl>'
    )
    assert render_glossary(_glossary(), only=set()) == '<dl class="glossary">\n</dl>'


def test_a_terms_anchor_is_its_name_in_lower_case_letters_digits_and_hyphens():
    assert glossary.Term("  5-HT2A (serotonin) Receptor! ", "d", [], 1).anchor == "term-5-ht2a-serotonin-receptor"
    assert _glossary().term_for("NMDA receptors").term == "NMDA receptor" and _glossary().term_for("iv") is None


def test_a_source_other_than_site_names_a_reference_and_needs_its_section():
    with pytest.raises(SiteDataError) as error:
        _glossary(GLOSSARY_YML.replace("source: site", "source: ours"))
    assert str(error.value) == ("data/glossary.yml, line 5: terms[1]: takes its definition from the reference 'ours' (for the site's own "
                                "words, write 'source: site'), so it needs 'section': where in it, as readers see it, like \"Spravato label, Medication Guide\"")
    with pytest.raises(SiteDataError, match=r"^data/glossary\.yml, line 2: terms\[0\]\.term: contains '&'"):
        _glossary(GLOSSARY_YML.replace("term: NMDA receptor", "term: NMDA & co"))
    with pytest.raises(SiteDataError, match=r"^data/glossary\.yml, line 4: terms\[0\]\.forms\[1\]: contains '>'"):
        _glossary(GLOSSARY_YML.replace("NMDA receptors]", "NMDA > receptors]"))
    # A term differing only in case is the same term.
    with pytest.raises(SiteDataError) as error:
        _glossary("terms:\n  - term: iv\n    definition: a.\n  - term: IV\n    definition: b.\n")
    assert str(error.value) == "data/glossary.yml, line 4: terms[1].term: duplicate term 'IV' (already terms[0])"


def test_a_page_that_states_a_definition_in_full_needs_no_word_list_for_it():
    terms = _glossary()
    page = "<p>An <abbr>IV</abbr> drip is <em>given</em>   into a\nvein. The NMDA receptor’s role.</p>"
    assert glossary.unexplained(terms, {"IV", "NMDA receptor"}, page) == {"NMDA receptor"}
    assert glossary.unexplained(terms, {"IV"}, "<p>Given into a vein.</p>") == set()
    assert glossary.unexplained(terms, set(), "<p>Nothing.</p>") == set()
    # Curly and straight apostrophes, and case, do not matter.
    ours = glossary.validate(datafile.load_text("terms:\n  - term: X\n    definition: The body's own.\n", "g.yml"))
    assert glossary.unexplained(ours, {"X"}, "<p>THE BODY’S OWN.</p>") == set()


def test_an_unused_term_is_named_with_the_closest_word_the_pages_use():
    error = glossary.unused(_glossary(), {"NMDA receptor"}, {"vein", "Given"})
    assert str(error) == ("data/glossary.yml, line 5: glossary term 'IV' appears on no page (looked for 'IV'; case matters)"
                          ": fix its forms or remove the term")
    assert str(glossary.unused(_glossary(), {"NMDA receptor"}, {"IVs"})).endswith("; the pages say 'IVs': fix its forms or remove the term")
    error = glossary.unused(_glossary(), {"IV"}, {"NMDA receptor's", "NMDA"})
    assert str(error) == ("data/glossary.yml, line 2: glossary term 'NMDA receptor' appears on no page (looked for 'NMDA receptor', "
                          "'NMDA receptors'; case matters); the pages say 'NMDA receptor's': fix its forms or remove the term")
    assert glossary.unused(_glossary(), {"IV", "NMDA receptor"}) is None


# ---------------------------------------------------------------------------------------------
# citations: the reviewer's report (each claim beside its sources) and the citation index

SOURCES = {
    "one2000": citations.Source("one2000", 1, "One et al., 2000", "One, A. (2000). <em>Trial</em> &amp; more.", line=3),
    "two2001": citations.Source("two2001", 2, "Two, 2001", "Two, B. (2001). Review.", line=9),
    "old1999": citations.Source("old1999", 3, "Old, 1999", "Old, C. (1999). Gone.", line=15),
}


def test_each_claim_is_the_sentence_its_citation_follows():
    body = (
        "Intro sentence. Ketamine works fast.[@one2000] It lasts **days**.[@one2000; @two2001]\n"
        "- A listed claim.[@two2001]\n"
        "```\nIn code.[@one2000]\n```\n"
        "Odd: [@ bad key] and [@one2000]\n"
        "Question? Yes![@two2001]\n"
    )
    assert citations.claims(body, 10) == [
        (10, "Ketamine works fast.", ["one2000"]),
        (10, "It lasts days.", ["one2000", "two2001"]),
        (11, "A listed claim.", ["two2001"]),
        (15, "and", ["one2000"]),
        (16, "Yes!", ["two2001"]),
    ]
    assert citations.claims("[@one2000] opens the line.\n") == [(1, "", ["one2000"])]


def test_the_reviewers_report_lists_each_pages_claims_with_the_sources_as_text():
    pages = [
        ("docs/uses.md", "Ketamine works fast.[@one2000; @two2001]\n", 7),
        ("docs/about.md", "No citations here.\n", 4),
        ("docs/side-effects.md", "\nNausea is common.[@two2001]\n", 3),
    ]
    assert citations.review_report(pages, SOURCES) == (
        "== docs/uses.md\n"
        "line 7: Ketamine works fast.\n"
        "    [1] One, A. (2000). Trial & more.\n"
        "    [2] Two, B. (2001). Review.\n"
        "\n"
        "== docs/side-effects.md\n"
        "line 4: Nausea is common.\n"
        "    [2] Two, B. (2001). Review.\n"
    )
    assert citations.review_report([], SOURCES) == ""


def test_every_citation_of_a_source_gets_its_own_back_link_in_reading_order():
    places = citations.index_citations(
        SOURCES, [("uses/", "Uses", ["one2000", "two2001", "one2000"]), ("", "Home", ["one2000"])], retired=frozenset({"old1999"}))
    assert places == {
        "one2000": [citations.Backlink("uses/", "Uses", "cite-one2000-1", 1, 2), citations.Backlink("uses/", "Uses", "cite-one2000-2", 2, 2),
                    citations.Backlink("", "Home", "cite-one2000-1", 1, 1)],
        "two2001": [citations.Backlink("uses/", "Uses", "cite-two2001-1", 1, 1)],
        "old1999": [],
    }
    assert citations.cited_keys('<sup id="cite-one2000-1"></sup><sup id="cite-two-part2001-12">') == ["one2000", "two-part2001"]


def test_an_uncited_or_retired_but_cited_source_is_named():
    with pytest.raises(SiteDataError) as error:
        citations.index_citations(SOURCES, [("uses/", "Uses", ["two2001"])])
    assert str(error.value) == (
        "references.bib, line 3: entry 'one2000' is not cited on any page (nor are old1999): cite it where a page uses it "
        "([@key] after the sentence), or retire it in data/changes.yml (retire: [key], why), which keeps its number")
    with pytest.raises(SiteDataError) as error:
        citations.index_citations({"two2001": SOURCES["two2001"], "x": citations.Source("x", 2, "X", "X.")}, [("uses/", "Uses", ["two2001"])],
                                  where="refs.bib")
    assert str(error.value).startswith("refs.bib: entry 'x' is not cited on any page: cite it")
    with pytest.raises(SiteDataError) as error:
        citations.index_citations(SOURCES, [("", "Home", ["one2000", "two2001", "old1999"])], retired=frozenset({"old1999"}))
    assert str(error.value) == "/: cites 'old1999', which data/changes.yml retired; cite another source, or take it out of 'retire'"


# ---------------------------------------------------------------------------------------------
# pdfs: every page on Letter and A4, under stable names, printed the same way every time


@pytest.mark.parametrize(
    ("src", "paper", "path"),
    [("index.md", "A4", "pdf/home-a4.pdf"), ("side-effects.md", "A4", "pdf/side-effects-a4.pdf"), ("uses.md", "Letter", "pdf/uses.pdf"),
     ("guide/index.md", "A4", "pdf/guide-a4.pdf"), ("reindex.md", "Letter", "pdf/reindex.pdf"), ("a/b/c.md", "Letter", "pdf/a-b-c.pdf")],
)
def test_each_page_has_a_pdf_per_paper_under_a_stable_name(src, paper, path):
    assert pdfs.pdf_path(src, paper) == path


def test_pdfs_are_printed_tagged_with_an_outline_on_the_paper_asked_for():
    assert pdfs.print_options("A4") == {"format": "A4", "print_background": False, "prefer_css_page_size": False, "tagged": True, "outline": True}
    assert pdfs.print_options("Letter")["format"] == "Letter"
    # The options and how a page is fitted to the paper: change either and every PDF is printed again.
    assert pdfs.PRINT_SETTINGS.startswith("[('outline', True), ('prefer_css_page_size', False), ('print_background', False), ('tagged', True)]")
    assert pdfs.PRINT_SETTINGS.endswith(pdfs.FIT_RULE + "0.15")


def test_a_page_is_fitted_in_the_loosest_layout_with_the_fewest_sheets_and_a_last_sheet_worth_printing():
    L = pdfs.Layout
    # Fewer sheets win; among as many, the first (loosest) whose last sheet carries 15% of text or more.
    assert pdfs.fitted([L("none", 2, 0.04), L("print-tight", 1, 0.5), L("print-tighter", 1, 0.4)]).name == "print-tight"
    assert pdfs.fitted([L("print-roomy", 2, 0.3), L("none", 2, 0.2)]).name == "print-roomy"
    assert pdfs.fitted([L("none", 2, 0.14), L("print-tight", 2, 0.09), L("print-tighter", 2, 0.18)]).name == "print-tighter"
    # None carries enough: the fullest last sheet. One sheet is always enough.
    assert pdfs.fitted([L("none", 3, 0.05), L("print-tight", 3, 0.1), L("print-tighter", 3, 0.08)]).name == "print-tight"
    assert pdfs.fitted([L("none", 1, 0.02)]).name == "none"
    assert pdfs.MIN_SHARE == 0.15


def test_the_layouts_a_stylesheet_offers_are_read_in_order_with_the_browsers_own_among_them():
    assert pdfs.fit_order(" none print-tight  print-tighter ") == ["none", "print-tight", "print-tighter"]
    assert pdfs.fit_order("print-roomy none") == ["print-roomy", "none"]
    assert pdfs.fit_order("") == ["none"] and pdfs.fit_order("print-tight") == ["none", "print-tight"]
    assert pdfs.fit_order('"x" Bad_name ok') == ["none", "ok"]  # only names a class can have


def test_a_pdfs_sheets_are_its_page_objects_not_its_page_tree():
    assert pdfs.page_count(b"<</Type /Pages /Count 2>> <</Type /Page /Parent 1 0 R>> <</Type/Page>> <</Type /PageLabel>>") == 2


def test_pages_not_printed_are_the_for_clinics_tools_only():
    assert not pdfs.printed("for-clinics.md") and pdfs.printed("handout.md") and pdfs.printed("index.md")


def test_a_pages_date_is_midnight_utc_and_pinned_into_both_pdf_dates():
    assert pdfs.epoch_of(dt.date(2026, 12, 1)) == 1796083200
    pdf = (b"<</CreationDate (D:20261127075138Z)/ModDate (D:20261127075138-05'00')"
           b"/X (D:20261127075138+00'00')/ModDate (D:2026112707513+00'00')>>")
    pinned = pdfs.pin_pdf_dates(pdf, 1796083200)
    # A date of another length, or under another name, is left alone: offsets in the file must not move.
    assert pinned == (b"<</CreationDate (D:20261127075138Z)/ModDate (D:20261201000000+00'00')"
                      b"/X (D:20261127075138+00'00')/ModDate (D:2026112707513+00'00')>>")


def test_structure_ids_are_renumbered_in_order_keeping_each_reference():
    pdf = b"(node00005278) (node00000012) (node00005278) (node123) (node00000099)"
    assert pdfs.renumber_node_ids(pdf) == b"(node00000001) (node00000002) (node00000001) (node123) (node00000003)"
    twice = b"/CreationDate (D:20261127075138+00'00') (node00000042)"
    assert pdfs.reproducible(twice, 1796083200) == b"/CreationDate (D:20261201000000+00'00') (node00000001)"


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


# ---------------------------------------------------------------------------------------------
# assets, contact, social: the bundled stylesheet, the contact address, the preview's address


def test_a_comment_whose_removal_would_open_another_is_refused():
    # In "1px//**/*2" taking out "/**/" joins "/" and "*" into "/*": the bundle would hide every rule after it.
    with pytest.raises(SiteDataError) as error:
        assets.bundle_css([("docs/assets/stylesheets/x.css", ".a{width:calc(1px//**/*2)}\n.b{}\n")])
    assert str(error.value) == "docs/assets/stylesheets/x.css: a /* comment is not closed"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (42, "must be an email address in quotes or empty, got 42"),
        (["x@example.org"], "must be an email address in quotes or empty, got ['x@example.org']"),
        ("  not an address ", "'not an address' is not a plain email address like name@example.org"),
        ("x@example.org<script>", "'x@example.org<script>' is not a plain email address like name@example.org"),
    ],
)
def test_a_bad_contact_address_is_refused_saying_what_to_write(value, message):
    # The editor reads this message when the build stops: it shows what was given and what is wanted.
    with pytest.raises(SiteDataError) as error:
        contact.check_email(value)
    assert (error.value.where, error.value.problem) == ("mkdocs.yml: extra.contact_email", message)


def test_the_preview_image_keeps_a_site_address_ending_in_a_capital_letter():
    # Only the final slash is dropped before /assets/: a path the site's owner spelled /RX/ stays /RX/.
    shared = social.page_social(site_name="S", site_url="https://clinic.example.net/info/RX/", url="uses/",
                                canonical="https://clinic.example.net/info/RX/uses/", title="T", description="D",
                                language="en", last_updated=dt.date(2026, 1, 2))
    assert shared["image"] == "https://clinic.example.net/info/RX/assets/social/uses.png"


# ---------------------------------------------------------------------------------------------
# site: what load_site names when a page, a data file or the project's layout is wrong (on a copy)

SETTINGS = site.check_settings("Site name", "https://x.example/")
# A page of the editor's: its body (after the title and a blank line) starts at line 10 of the file.
TEST_PAGE = ("---\ntitle: A test page\ndescription: A page a test wrote.\nlast_updated: 2026-11-27\n"
             "next_review: 2027-11-27\n---\n\n# A test page\n\n")
TOO_LARGE = "Text.\n" * 100_000  # 600,000 bytes: 585 KiB


def _refusal_of(project: Path) -> str:
    with pytest.raises(SiteDataError) as error:
        site.load_site(project, SETTINGS)
    return str(error.value)


def _with_page(tmp_path: Path, body: str) -> Path:
    project = copy_project(tmp_path)
    (project / "docs" / "zz-test.md").write_text(TEST_PAGE + body, encoding="utf-8")
    return project


def test_headings_without_ids_are_listed_one_per_line_with_their_lines(tmp_path):
    project = _with_page(tmp_path, "## One\n\nText.\n\n### Two\n")
    assert _refusal_of(project) == (
        "docs/zz-test.md: every h2/h3 needs an explicit id, so links to it survive rewording:\n"
        "  docs/zz-test.md, line 10: '## One' has no explicit id; write it as '## One {#an-id}'\n"
        "  docs/zz-test.md, line 14: '### Two' has no explicit id; write it as '### Two {#an-id}'"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Text.\n\n<script>alert(1)</script>\n",
         "docs/zz-test.md, line 12: a raw <script> element; pages hold text, and the site's scripts and styles are files named in mkdocs.yml"),
        ("Text.\n\n<!-- insert: nonsense -->\n",
         f"docs/zz-test.md, line 12: unknown marker 'nonsense' (known: {', '.join(markers.REGISTRY)})"),
        ("Text.\n\nA claim [@qq].\n",  # like no key an editor might add, so no "did you mean"
         "docs/zz-test.md, line 12: unknown citation key 'qq' (not in references.bib); "
         "the keys are the names after @article{ in references.bib"),
    ],
    ids=["script", "marker", "citation"],
)
def test_a_problem_in_a_pages_text_is_named_by_its_file_and_line(tmp_path, body, message):
    # The line counts the front matter too, so it is the line the editor's editor shows.
    assert _refusal_of(_with_page(tmp_path, body)) == message


@pytest.mark.parametrize("path", ["docs/zz-test.md", "docs/_snippets/zz-test.md", "data/source/ketamine-esketamine-article.txt"])
def test_a_page_snippet_or_the_article_too_large_to_read_is_named(tmp_path, path):
    project = copy_project(tmp_path)
    (project / path).write_text(TOO_LARGE, encoding="utf-8")
    assert _refusal_of(project) == f"{path}: is 585 KiB, over the 512 KiB a file of this kind may have"


def test_mkdocs_yml_as_a_symbolic_link_is_refused(tmp_path):
    # The settings must be the project's own file, not one a link brings in from elsewhere.
    project = copy_project(tmp_path)
    (project / "mkdocs.yml").rename(tmp_path / "mkdocs.yml")
    (project / "mkdocs.yml").symlink_to(tmp_path / "mkdocs.yml")
    assert _refusal_of(project) == "mkdocs.yml: is a symbolic link; the build reads only the project's own files"


def test_a_recorded_addition_of_a_source_not_in_the_bibliography_is_named_at_its_entry(tmp_path):
    project = copy_project(tmp_path)
    # Dated after every entry (newest first), whatever the record holds when the test runs.
    edit(project, "data/changes.yml", "changes:\n",
         "changes:\n  - add: [nosuchsource2099]\n    date: 2099-12-31\n    pages: [/uses/]\n    what: We added a source.\n    why: A newer study.\n\n")
    line = line_of(project / "data/changes.yml", "- add: [nosuchsource2099]")  # the entry the editor wrote
    assert _refusal_of(project) == f"data/changes.yml, line {line}: 'nosuchsource2099' is not an entry in references.bib"


def test_renaming_the_references_page_is_refused_as_citations_link_to_it(tmp_path):
    # Moved with a redirect, as data/public-urls.yml asks, it is still gone from docs/references.md.
    project = copy_project(tmp_path)
    (project / "docs/references.md").rename(project / "docs/sources.md")
    edit(project, "data/public-urls.yml", "  /references/: []\n", "  /sources/: []\n")
    edit(project, "data/public-urls.yml", "  # /old-address/: /new-address/\n", "  # /old-address/: /new-address/\n  /references/: /sources/\n")
    assert _refusal_of(project) == "docs/references.md: needs the line <!-- insert: bibliography -->: every citation links to the list it makes"


# ---------------------------------------------------------------------------------------------
# clinic, pdfs, article: survivors of their mutation run (issue 21)

import time  # noqa: E402

from sitegen import article, clinic  # noqa: E402


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (["555 0104"], "must be text in quotes, or empty; got ['555 0104']"),
        (True, "must be text in quotes, or empty; got True"),
        ("555\n0104", "must be one line of plain text (no line breaks or control characters)"),
    ],
)
def test_a_phone_that_is_not_one_line_of_text_is_refused_naming_the_phone_setting(value, problem):
    # The editor is told which setting to fix (the phone, not the name or the address), not shown a crash.
    with pytest.raises(SiteDataError) as refused:
        clinic.check_phone(value)
    assert str(refused.value) == f"mkdocs.yml: extra.clinic.phone (or CLINIC_PHONE): {problem}"


def test_a_pages_pdf_is_the_us_letter_one_unless_a4_is_asked_for():
    # The handout links its PDF by the default paper: the plain name other sites already link to.
    assert pdfs.pdf_path("handout.md") == "pdf/handout.pdf"
    assert pdfs.pdf_path("guide/index.md") == "pdf/guide.pdf"


@pytest.fixture
def far_time_zone():
    """The build machine's clock set to UTC+14 (a POSIX TZ string: no time-zone database needed)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "<+14>-14"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_pdf_dates_are_midnight_utc_whatever_the_build_machines_time_zone(far_time_zone):
    # The same page built in Auckland or in a UTC container must give the same PDF bytes,
    # and the date stamped "+00'00'" must really be UTC.
    assert time.strftime("%H", time.localtime(0)) == "14"  # the zone is in force
    assert pdfs.epoch_of(dt.date(2026, 12, 1)) == 1796083200
    pdf = b"/CreationDate (D:20261127075138+00'00')/ModDate (D:20261127075138Z)"
    assert pdfs.pin_pdf_dates(pdf, 1796083200) == b"/CreationDate (D:20261201000000+00'00')/ModDate (D:20261127075138Z)"


def test_the_article_contains_a_fragment_only_with_its_last_letter():
    # Only a final full stop may differ: a page that turns "Schedule III" into "Schedule IX"
    # (or any word into a longer one) is not quoting the article.
    parsed = article.parse("Ketamine is a Schedule III drug.\n• Nausea | • Dissociation\nAbdallah, C. (2018). T.\nFoot.\n")
    assert parsed.contains("Ketamine is a Schedule III drug.") is True
    assert parsed.contains("Ketamine is a Schedule I") is True  # a fragment may stop mid-word
    assert parsed.contains("Ketamine is a Schedule IX") is False
    assert parsed.contains("Ketamine is a Schedule IIIX.") is False


def test_a_side_effect_with_a_year_in_brackets_is_not_taken_for_a_reference():
    # The references start after the side-effects line, even when that line reads like one.
    parsed = article.parse("Intro.\n• Cystitis (2018) • Nausea | • Dissociation\nAbdallah, C. (2018). T.\nFoot.\n")
    assert parsed.side_effects == (("Cystitis (2018)", "Nausea"), ("Dissociation",))
    assert parsed.references == (article.Reference("Abdallah", "2018", 3, "Abdallah, C. (2018). T."),)
    assert parsed.body == ((1, "Intro."),)
