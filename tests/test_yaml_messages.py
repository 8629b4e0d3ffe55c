"""A YAML mistake is named at the line an editor has to change, in plain words, with what to write.

Each common mistake is made on a small fixture shaped like the site's data (rows of side effects,
entries of the record, a page's front matter), never on the live files; one is made on a copy's
data/side-effects.yml and built with `make build`, as an editor would.
"""

from __future__ import annotations

import re

import pytest

from helpers import copy_project, edit, line_of, make
from sitegen import datafile
from sitegen.errors import SiteDataError
from sitegen.pages import parse_page

ROWS = """\
rows:
  - label: Dizziness
    cells:
      ketamine: Dizziness
      esketamine: Dizziness or vertigo
  - label: Nausea
    cells:
      ketamine: Nausea
      esketamine: Nausea
"""

ENTRY = """\
changes:
  - date: 2026-12-01
    pages: [/side-effects/]
    what: We reworded a cell.
"""


def _message(text: str, name: str = "data/side-effects.yml") -> str:
    with pytest.raises(SiteDataError) as caught:
        datafile.load_text(text, name)
    return str(caught.value)


def _broken(text: str, before: str, after: str) -> str:
    assert text.count(before) == 1, before
    return text.replace(before, after)


# (mistake, text, the line to change, the message after "file, line N: ")
MISTAKES = [
    # The key has no colon, and lines are indented under it: YAML only notices on the next line.
    ("missing colon, lines under it", _broken(ROWS, "  - label: Dizziness", "  - label Dizziness"), 2,
     "a key on this line has no colon after it (`- label Dizziness`): write `name: value`, here `label: Dizziness`"),
    ("missing colon, a key without a value", _broken(ROWS, "    cells:\n      ketamine: Dizziness", "    cells\n      ketamine: Dizziness"), 3,
     "a key on this line has no colon after it (`cells`): write `name: value`, here `cells:`"),
    # The key has no colon and the next line is its neighbour: YAML notices on the next line too.
    ("missing colon, a line like its neighbours", _broken(ROWS, "      ketamine: Dizziness", "      ketamine Dizziness"), 4,
     "a key on this line has no colon after it (`ketamine Dizziness`): write `name: value`, here `ketamine: Dizziness`"),
    ("missing colon, after a line with a value", _broken(ROWS, "      esketamine: Dizziness", "      esketamine Dizziness"), 5,
     "a key on this line has no colon after it (`esketamine Dizziness or vertigo`): write `name: value`, here `esketamine: Dizziness or vertigo`; "
     "or, if the line continues the text of line 4, indent it further than `ketamine:`"),
    ("missing colon, the file's last line", _broken(ENTRY, "    what: We", "    what We"), 4,
     "a key on this line has no colon after it (`what We reworded a cell.`): write `name: value`, here `what: We reworded a cell.`"),
    ("no space after the colon", _broken(ROWS, "      ketamine: Dizziness", "      ketamine:Dizziness"), 4,
     "this line needs a space after the colon (`ketamine:Dizziness`): write `ketamine: Dizziness`"),
    # A long sentence broken onto a second line at the key's own indentation.
    ("a wrapped line not indented", _broken(ENTRY, "    what: We reworded a cell.", "    what: We reworded\n    a cell."), 5,
     "a key on this line has no colon after it (`a cell.`): write `name: value`; "
     "or, if the line continues the text of line 4, indent it further than `what:`"),
    ("a colon inside a value", _broken(ENTRY, "We reworded a cell.", "Note: we reworded a cell."), 4,
     "the value holds a colon and a space (`what: Note: we reworded a cell.`), which YAML reads as another key: "
     'put the whole value in quotes, `what: "Note: we reworded a cell."`'),
    ("indented too far", _broken(ROWS, "      esketamine: Dizziness", "       esketamine: Dizziness"), 5,
     "the indentation of this line does not line up with the lines above: YAML reads it as more of the text on line 4; "
     "indent it exactly as far as the key it goes with (spaces, two per level)"),
    ("indented too little", _broken(ROWS, "      esketamine: Dizziness", "     esketamine: Dizziness"), 5,
     "the indentation of this line (5 spaces) does not line up with the lines above it (6 or 4 or 2 or 0): "
     "indent it exactly as far as the lines it goes with (spaces, two per level)"),
    ("a tab for indentation", _broken(ROWS, "      esketamine: Dizziness", "\t  esketamine: Dizziness"), 5,
     "this line is indented with a tab character, and YAML accepts only spaces: "
     "indent it with spaces, two per level, lined up with the lines it goes with"),
    ("a tab after a colon", _broken(ENTRY, "what: We", "what:\tWe"), 4,
     "this line has a tab character after `what:`, and YAML accepts only spaces there: replace the tab with one space"),
    ("a quote never closed", _broken(ENTRY, "what: We reworded a cell.", 'what: "We reworded a cell.'), 4,
     'a quote (") opened on this line is never closed: end the value with the same quote mark (")'),
    # Closed by a quote further down, which YAML takes for this one's end.
    ("a quote closed only on a later line", _broken(ENTRY, "what: We reworded a cell.", "what: 'We reworded a cell.\n    why: 'Clearer'"), 4,
     "a quote (') opened on this line is not closed on it: YAML reads on to the next quote mark, on line 5, "
     "and cannot make sense of what follows; end the value with a closing quote (')"),
    ("an apostrophe inside single quotes", _broken(ENTRY, "what: We reworded a cell.", "what: 'We didn't reword a cell.'"), 4,
     "text follows the closing quote (`what: 'We didn't reword a cell.'`): a value that starts with a quote mark must end with it. "
     "Put the whole value in double quotes; in single quotes, write an apostrophe twice ('don''t')"),
    ("text after a closing quote", _broken(ENTRY, "what: We reworded a cell.", 'what: "Blurred vision" is reworded.'), 4,
     'text follows the closing quote (`what: "Blurred vision" is reworded.`): a value that starts with a quote mark must end with it. '
     "Put the whole value in double quotes; in single quotes, write an apostrophe twice ('don''t')"),
    ("a new item without its dash", ROWS + "  label: Vomiting\n    cells:\n      ketamine: Vomiting\n", ROWS.count("\n") + 1,
     "`label: Vomiting` is lined up with the list items above it (lines that start with '- ') but does not start with '- ' itself: "
     "if it starts a new item, write '- ' before it; if it belongs to the item above, indent it as far as that item's text"),
    # After a list of one item, the dash on that item may be the mistake.
    ("a key after a list of one", ENTRY + "  why: Clearer.\n", 5,
     "`why: Clearer.` is lined up with the list item on line 2 (which starts with '- ') but does not start with '- ' itself: "
     "if line 2 should not be a list item, delete its '- '; if this line starts a new item, write '- ' before it"),
    # Lines indented by one space too many, which YAML accepts until a line lines up with neither them nor their key.
    ("an odd indentation further up", _broken(ROWS, "      ketamine: Nausea\n", "       ketamine: Nausea\n"), 8,
     "the indentation of this line (7 spaces) is uneven, so the lines after it cannot line up with it: "
     "indent it exactly as far as the lines it goes with (spaces, two per level)"),
    ("an odd indentation on the line above", _broken(ROWS, "      ketamine: Dizziness", "     ketamine: Dizziness"), 4,
     "the indentation of this line (5 spaces) is uneven, so the lines after it cannot line up with it: "
     "indent it exactly as far as the lines it goes with (spaces, two per level)"),
    ("a stray dash", _broken(ROWS, "      esketamine: Dizziness", "      - esketamine: Dizziness"), 5,
     "this line starts a list item ('- ') among `name: value` lines (`- esketamine: Dizziness or vertigo`): "
     "if it is one more `name: value`, delete the '- '; if it is an item of a list under the key above, indent it further than that key"),
    ("two dashes", _broken(ENTRY, "  - date:", "  - - date:"), 2,
     "this line starts with two dashes (`- - date: 2026-12-01`): a list item takes one '- '; delete the other"),
    ("no space after a colon, before quotes", _broken(ENTRY, "what: We reworded a cell.", 'what:\'Seven sections: "Side effects", "More"\''), 4,
     "this line needs a space after the colon (`what:'Seven sections: \"Side effects\", \"More\"'`): "
     "write `what: 'Seven sections: \"Side effects\", \"More\"'`"),
    ("a list never closed", _broken(ENTRY, "pages: [/side-effects/]", "pages: [/side-effects/"), 3,
     "a '[' opened on this line is never closed: close it with ']' after its last item"),
    ("a list never closed, at the end", "forms: [nasal spray, spray\n", 1,
     "a '[' opened on this line is never closed: close it with ']' after its last item"),
    ("a missing comma between { }", "cells: {ketamine: Nausea esketamine: Nausea}\n", 1,
     "the items between '{' and '}' need a comma between each two, as in `{first: 1, second: 2}`"),
    ("a doubled comma", "forms: [spray, , sprays]\n", 1,
     "this line has a comma with nothing before it between [ and ]: delete the extra comma"),
    ("entries under an empty {}", "pages: {}\nmoved: {}\n  /old/: /side-effects/\n", 2,
     "ends in '{}' (an empty value), so the indented lines under it cannot belong to it: delete the '{}'"),
    ("a value that starts with [ and goes on", _broken(ENTRY, "what: We", "what: [Update] We"), 4,
     "text follows a closing bracket (`what: [Update] We reworded a cell.`): a value that starts with [ or { is read as a list; "
     "put the whole value in quotes"),
    ("a value that starts with @", _broken(ENTRY, "what: We reworded a cell.", "what: @clinic reworded a cell."), 4,
     "the value begins with '@', which YAML keeps for itself (`what: @clinic reworded a cell.`): "
     'put the whole value in quotes, as in `what: "@clinic reworded a cell."`'),
    ("a value that starts with *", _broken(ENTRY, "what: We reworded a cell.", "what: *Reworded* a cell."), 4,
     "the value begins with '*', which YAML keeps for itself (`what: *Reworded* a cell.`): "
     'put the whole value in quotes, as in `what: "*Reworded* a cell."`'),
    ("a value that starts with a dash", _broken(ENTRY, "what: We reworded a cell.", "what: - reworded a cell"), 4,
     "the value begins with '- ', which YAML keeps for itself (`what: - reworded a cell`): "
     'put the whole value in quotes, as in `what: "- reworded a cell"`'),
    ("a second document", ROWS + "---\nmore: 1\n", ROWS.count("\n") + 1, "this line, `---`, starts a second document in YAML: delete it"),
    ("a key given twice", _broken(ENTRY, "    what: We reworded a cell.", "    what: We reworded a cell.\n    what: Again."), 5,
     "changes[0].what: duplicate key 'what' (first given on line 4); keep one of them"),
    ("an invisible control character", _broken(ENTRY, "a cell.", "a cell.\x07"), 4,
     "this line holds an invisible control character (#x0007), which a data file cannot hold: "
     "delete it (if your editor does not show it, retype the line)"),
]
MISTAKE_IDS = [m[0] for m in MISTAKES]


@pytest.mark.unit
@pytest.mark.parametrize(("text", "line", "message"), [m[1:] for m in MISTAKES], ids=MISTAKE_IDS)
def test_each_common_mistake_is_named_at_its_line_with_what_to_do(text, line, message):
    assert _message(text) == f"data/side-effects.yml, line {line}: {message}"


@pytest.mark.unit
@pytest.mark.parametrize("text", [m[1] for m in MISTAKES], ids=MISTAKE_IDS)
def test_no_message_speaks_the_parsers_language(text):
    message = _message(text)
    for jargon in ("mapping values", "block end", "<block", "scanning", "simple key", "column", "token", "stream"):
        assert jargon not in message, message


@pytest.mark.unit
def test_a_front_matter_mistake_is_named_at_the_pages_own_line():
    page = "---\ntitle: Side effects\ndescription What to expect.\nlast_updated: 2026-11-27\nnext_review: 2027-11-27\n---\n\n# Side effects\n"
    with pytest.raises(SiteDataError) as caught:
        parse_page("side-effects.md", page)
    assert str(caught.value) == (
        "docs/side-effects.md, line 3: a key on this line has no colon after it (`description What to expect.`): "
        "write `name: value`, here `description: What to expect.`; or, if the line continues the text of line 2, "
        "indent it further than `title:`"
    )


@pytest.mark.unit
def test_a_mistake_with_no_common_cause_keeps_yamls_words_and_says_where_to_look():
    assert _message('"what": Note: x\n') == (
        'data/side-effects.yml, line 1: this line has a colon YAML cannot place (`"what": Note: x`): '
        "check the line for a missing line break, or put the value in quotes"
    )
    assert _message("what: !e!x y\n") == (
        "data/side-effects.yml, line 1: YAML cannot read this line (found undefined tag handle '!e!', at column 7): "
        "check this line and the one above it for a missing colon, uneven indentation, or an unclosed quote or bracket"
    )


@pytest.mark.unit
def test_a_mistake_yaml_gives_no_place_for_is_still_explained():
    # A Python-made error without a place (PyYAML always gives one for a file it read).
    import yaml

    from sitegen import yamlerrors

    line, message = yamlerrors.explain(yaml.YAMLError("broken"), "a: 1\n")
    assert line is None and message.startswith("YAML cannot read it (broken): check it for a missing colon")


@pytest.mark.rebuild
def test_a_missing_colon_stops_make_build_at_its_line(tmp_path):
    # The report: a colon left out of data/side-effects.yml, found by `make build` a line later.
    project = copy_project(tmp_path)
    data = project / "data/side-effects.yml"
    label = re.search(r"^ +- label: (.+)$", data.read_text(encoding="utf-8"), re.M).group(1)
    edit(project, "data/side-effects.yml", f"- label: {label}\n", f"- label {label}\n")
    result = make(project, "build")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    line = line_of(data, f"- label {label}")
    assert (
        f"data/side-effects.yml, line {line}: a key on this line has no colon after it (`- label {label}`): "
        f"write `name: value`, here `label: {label}`"
    ) in output, output
    assert not (project / "site").exists(), "a failed build wrote a site"
