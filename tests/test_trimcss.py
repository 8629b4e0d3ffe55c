"""Unit tests of sitegen.trimcss: the theme's stylesheet without the rules no page can match."""

from __future__ import annotations

import pytest

from sitegen import trimcss

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# trimcss: the theme's stylesheet without the rules no page can match


def test_used_words_are_the_classes_of_the_pages_and_every_word_of_the_scripts():
    pages = ['<p class="one  two">x</p><div id="three" title="four">', '<span class="five">']
    scripts = ['el.classList.add("md-search-result__item"); x-y', "var _z = 1"]
    assert trimcss.used_words(pages, scripts) == {
        "one", "two", "five",  # class attributes, split on any space; ids and other attributes are not classes
        "el", "classList", "add", "md-search-result__item", "x-y", "var", "_z", "1",  # every word of a script
    }
    assert trimcss.used_words([], []) == set()


@pytest.mark.parametrize(
    ("css", "used", "kept"),
    [
        # A rule goes only when every selector names an unused class; the used selectors of a list stay.
        (".a,.b{x:1}", {"a"}, ".a{x:1}"),
        (".a,.b{x:1}", {"b"}, ".b{x:1}"),
        (".a,.b{x:1}", set(), ""),
        (".a .b{x:1}", {"a"}, ""),
        (".a .b{x:1}", {"a", "b"}, ".a .b{x:1}"),
        # Selectors with no class at all are always kept.
        ("p{x:1}a:hover{y:2}", set(), "p{x:1}a:hover{y:2}"),
        ("{x:1}.b{y:2}", set(), "{x:1}"),
        # Classes inside functional pseudo-classes, nested too, do not count against a selector.
        ("p:not(.a){x:1}", set(), "p:not(.a){x:1}"),
        ("p:is(.a,:not(.b)).c{x:1}", {"c"}, "p:is(.a,:not(.b)).c{x:1}"),
        ("p:is(.a,:not(.b)).c{x:1}", set(), ""),
        (":where(.a) .c,.d{x:1}", {"d"}, ".d{x:1}"),
        # A comma inside brackets or parentheses does not split the selector list.
        ('a[title="x,.y"]{x:1}', set(), 'a[title="x,.y"]{x:1}'),
        ("p:is(.a,.b){x:1}", set(), "p:is(.a,.b){x:1}"),
        # A dot inside an attribute selector is not a class.
        ('a[href$=".pdf"]{x:1}', set(), 'a[href$=".pdf"]{x:1}'),
        # Class names may start with a hyphen or an underscore and hold hyphens.
        (".-a{x:1}._b{y:2}.c-d{z:3}", {"-a", "_b", "c-d"}, ".-a{x:1}._b{y:2}.c-d{z:3}"),
        (".-a{x:1}._b{y:2}.c-d{z:3}", {"a", "b", "c"}, ""),
        # Both kept selectors of a list stay, joined as written.
        (".a,.b{x:1}", {"a", "b"}, ".a,.b{x:1}"),
        # Capital letters are no brackets, and nested functions close one level at a time.
        (".Xa,.b{x:1}", {"b"}, ".b{x:1}"),
        ("p:is(:not(.a),.b),.c{x:1}", {"c"}, "p:is(:not(.a),.b),.c{x:1}"),
        # An attribute selector is removed, not replaced, before the classes are read.
        (".c[data-x]{x:1}", {"c"}, ".c[data-x]{x:1}"),
    ],
)
def test_a_rule_is_dropped_only_when_every_selector_names_an_unused_class(css, used, kept):
    assert trimcss.trim(css, used) == kept


def test_media_and_supports_are_trimmed_inside_and_dropped_when_empty():
    css = "@media screen{.a{x:1}.b{y:2}}@supports (display:grid){.b{z:3}}@media print{.b{w:4}}"
    assert trimcss.trim(css, {"a"}) == "@media screen{.a{x:1}}"
    assert trimcss.trim(css, {"b"}) == "@media screen{.b{y:2}}@supports (display:grid){.b{z:3}}@media print{.b{w:4}}"
    # Nested: an emptied inner block empties the outer one too.
    assert trimcss.trim("@media screen{@supports (x:y){.b{z:3}}}.a{x:1}", {"a"}) == ".a{x:1}"
    assert trimcss.trim("@media screen{@supports (x:y){.b{z:3}}}", {"b"}) == "@media screen{@supports (x:y){.b{z:3}}}"
    # A block of nothing but white space counts as empty.
    assert trimcss.trim("@media print{ .b{z:3} }", {"a"}) == ""
    # The prelude is kept as written, spaces included.
    assert trimcss.trim("@media (min-width: 10em) { .a{x:1} }", {"a"}) == "@media (min-width: 10em) { .a{x:1} }"


def test_other_at_rules_and_statements_are_kept_whole():
    css = '@charset "utf-8";@import url(x.css);@font-face{font-family:.b;src:url(x.woff)}@keyframes k{0%{opacity:0}to{opacity:1}}.b{x:1}'
    assert trimcss.trim(css, set()) == '@charset "utf-8";@import url(x.css);@font-face{font-family:.b;src:url(x.woff)}@keyframes k{0%{opacity:0}to{opacity:1}}'
    # A statement after a dropped rule is still recognised as one.
    assert trimcss.trim('.b{x:1} @import "y.css";.a{y:2}', {"a"}) == ' @import "y.css";.a{y:2}'
    # A statement is found from where the reader is, not from the start or the end of the sheet.
    assert trimcss.trim('.b{x:1;y:2} @import "y.css";.a{y:2}', {"a"}) == ' @import "y.css";.a{y:2}'
    assert trimcss.trim('.b{x:1} @import "y.css";.c{y:2}', {"a"}) == ' @import "y.css";'
    assert trimcss.trim('@import "x.css";.a{x:1;y:2}', set()) == '@import "x.css";'
    # An at-rule whose prelude has a dot (a layer name) is still kept whole.
    assert trimcss.trim("@layer theme.base{p{x:1}}", set()) == "@layer theme.base{p{x:1}}"
    # Semicolons inside a rule's body are not statements.
    assert trimcss.trim(".b{x:1;y:2}.a{z:3;w:4}", {"a"}) == ".a{z:3;w:4}"


def test_text_after_the_last_rule_is_kept():
    assert trimcss.trim(".a{x:1}/* end */\n", {"a"}) == ".a{x:1}/* end */\n"
    assert trimcss.trim(".b{x:1}\n", set()) == "\n"
    assert trimcss.trim("", set()) == ""


def test_braces_in_strings_and_escapes_do_not_end_a_block():
    css = '.a::before{content:"}{"}.b{x:1}' + ".a::after{content:'\\'}'}" + '.c{content:"\\"}"}'
    assert trimcss.trim(css, {"a"}) == '.a::before{content:"}{"}' + ".a::after{content:'\\'}'}"
    assert trimcss.trim(css, {"c"}) == '.c{content:"\\"}"}'
    # An escaped backslash does not escape the closing quote; a capital letter is no quote.
    assert trimcss.trim('.a{content:"\\\\"}.b{x:1}', {"a"}) == '.a{content:"\\\\"}'
    assert trimcss.trim(".a{font-family:Xyz}.b{x:1}", {"a"}) == ".a{font-family:Xyz}"
    # A quote of the other kind inside a string does not end it.
    assert trimcss.trim(".a{content:\"'}\"}.b{x:1}", {"a"}) == ".a{content:\"'}\"}"


@pytest.mark.parametrize("css", [".a{x:1", ".a{x:{1}", '.a{content:"}"', "@media print{.a{x:1}"])
def test_an_unbalanced_stylesheet_is_refused(css):
    with pytest.raises(ValueError, match="^unbalanced braces in the stylesheet$"):
        trimcss.trim(css, {"a"})


def test_fingerprint_names_the_content():
    # sha256(".a{b:1}") begins f6053fb6.
    assert trimcss.fingerprint("main.57a0d79d.min.css", ".a{b:1}") == "main.f6053fb6.min.css"
    assert trimcss.fingerprint("assets/main.57a0d79d.min.css", ".a{b:1}") == "assets/main.f6053fb6.min.css"
    # Only a fingerprint at the end of a minified stylesheet's name is replaced.
    assert trimcss.fingerprint("main.css", ".a{b:1}") == "main.css"
    assert trimcss.fingerprint("main.57a0d79d.min.css.map", ".a{b:1}") == "main.57a0d79d.min.css.map"
    assert trimcss.fingerprint("main.57A0D79D.min.css", ".a{b:1}") == "main.57A0D79D.min.css"


# ---------------------------------------------------------------------------------------------
# trimcss: the parts the theme's script builds, unread custom properties

SCRIPTED_CLASSES = {
    "highlight", "highlighttable", "hll", "filename", "linenos", "linenodiv",
    "tabbed-set", "tabbed-labels", "tabbed-labels--linked", "tabbed-button", "tabbed-control",
    "md-annotation", "md-annotation__index", "md-annotation-list",
    "md-code__nav", "md-code__button", "md-code__button--active", "md-code__content",
    "md-source__fact", "md-source__facts", "md-source__repository--active",
    "md-version", "md-version__alias", "md-version__current", "md-version__item", "md-version__link", "md-version__list",
    "md-tag", "md-tag-icon", "md-tags",
    "note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger",
    "bug", "example", "quote", "keys", "result", "inline", "mermaid", "md-status",
}


def _config(settings: str) -> str:
    return f'<script id="__config" type="application/json">{settings}</script>'


def test_with_no_trigger_on_any_page_every_scripted_part_is_off():
    assert trimcss.unscripted([]) == SCRIPTED_CLASSES
    assert trimcss.unscripted(["<p>Plain</p>", _config('{"features": null, "version": null, "tags": [], "extra": {}, "x": ""}')]) == SCRIPTED_CLASSES


@pytest.mark.parametrize(
    ("pages", "on"),
    [
        (['<div class="highlight">'], {"highlight", "highlighttable", "hll", "filename", "linenos", "linenodiv"}),
        (["<p>", '<div class="tabbed-set tabbed-alternate">'], {"tabbed-set", "tabbed-labels", "tabbed-labels--linked", "tabbed-button", "tabbed-control"}),
        ([_config('{"features": ["content.code.annotate"]}')], {"md-annotation", "md-annotation__index", "md-annotation-list"}),
        ([_config('{"features": ["content.code.select"]}')], {"md-code__nav", "md-code__button", "md-code__button--active", "md-code__content"}),
        ([_config('{"version": {"provider": "mike"}}')], {"md-version", "md-version__alias", "md-version__current", "md-version__item",
                                                          "md-version__link", "md-version__list"}),
        (['<div class="admonition warning">'], {"warning"}),
        ([_config('{"md-status": 1}')], {"md-status"}),
    ],
)
def test_a_trigger_on_any_page_keeps_its_parts_classes(pages, on):
    assert trimcss.unscripted(pages) == SCRIPTED_CLASSES - on


def test_custom_properties_go_only_when_nothing_reads_them():
    css = ":root{--kept:1;--gone:2;x:var(--kept)}.a{--b:3}@media print{.c{--d:4}}@supports (x:y){.e{--f:5}}.g{y:1}"
    assert trimcss.drop_unused_properties(css, [], []) == ":root{--kept:1;x:var(--kept)}.g{y:1}"
    # Read by a var() in another stylesheet, or named anywhere in a script: kept.
    assert trimcss.drop_unused_properties(css, [".z{w:var( --b)}"], ['set("--d")']) == (
        ":root{--kept:1;x:var(--kept)}.a{--b:3}@media print{.c{--d:4}}.g{y:1}")
    # Declared (not read) in another stylesheet, or part of a longer word in a script: not read.
    assert trimcss.drop_unused_properties(".a{--b:1}", [".z{--b:2}"], ["x--b", "--bb"]) == ""
    # A property read only by one that goes, goes too; nothing to drop leaves the sheet as it is.
    assert trimcss.drop_unused_properties(":root{--a:var(--b);--b:1}.x{y:1}", [], []) == ".x{y:1}"
    assert trimcss.drop_unused_properties(".x{y:1}", [], []) == ".x{y:1}"


def test_a_dropped_declaration_keeps_its_neighbours_whole():
    css = '.a{--icon:url("data:image/svg+xml;charset=utf-8,<svg/>");color:red;--b : 2}'
    assert trimcss.drop_unused_properties(css, [], []) == ".a{color:red}"


# ---------------------------------------------------------------------------------------------
# Survivors of the complete mutation run that changed behaviour (added after it)


def test_a_statement_after_a_rule_is_found_from_the_end_of_that_rule():
    # The first semicolon of the sheet is inside the rule before: the statement is still found.
    assert trimcss.trim('.b{x:1;y:2} @import "y.css";.c{y:2}', {"a"}) == ' @import "y.css";'


# ---------------------------------------------------------------------------------------------
# Survivors in trimcss (issue 21): each test states what an editor or a clinic would see go wrong


def test_an_empty_version_setting_keeps_the_version_menus_styles_out():
    # "" is no setting, like null: no version menu is built, so its rules go from the stylesheet.
    assert trimcss.unscripted([_config('{"version": ""}')]) == SCRIPTED_CLASSES
