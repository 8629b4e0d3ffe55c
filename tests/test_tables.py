"""Unit tests of sitegen.tables (and the YAML reading in sitegen.datafile): good and bad data."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT
from sitegen import datafile, tables
from sitegen.errors import SiteDataError
from sitegen.tables import load_tables, render_table, unplaced

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

GOOD = """\
columns:
  ketamine: Ketamine
  esketamine: Esketamine (Spravato)
tables:
  demo:
    caption: A demo table
    row_heading: Side effect
    empty: Not on its list in the article
    groups:
      - heading: How you feel
        rows:
          - label: Anxiety
            cells:
              ketamine: Anxiety or fear
              esketamine: Anxiety
      - heading: What you see
        rows:
          - label: Blurred vision
            cells:
              ketamine: Blurred vision
  flat:
    caption: A flat table
    row_heading: Topic
    empty: The source article does not say
    rows:
      - label: How it is given
        cells:
          ketamine: [IV infusion, IM injection]
          esketamine: nasal spray
"""


def load(tmp_path: Path, text: str, name: str = "t.yml"):
    path = tmp_path / "data" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_tables([path], tmp_path)


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(SiteDataError) as caught:
        load(tmp_path, text)
    return str(caught.value)


# ---------------------------------------------------------------------------
# Good data


def test_good_data_loads_in_order(tmp_path):
    tables = load(tmp_path, GOOD)
    assert list(tables) == ["demo", "flat"]
    demo = tables["demo"]
    assert [g.heading for g in demo.groups] == ["How you feel", "What you see"]
    assert [r.label for r in demo.rows] == ["Anxiety", "Blurred vision"]
    assert demo.rows[1].cells == {"ketamine": ["Blurred vision"]}
    assert tables["flat"].rows[0].cells["ketamine"] == ["IV infusion", "IM injection"]
    assert demo.source == "data/t.yml"


def test_render_is_an_accessible_table(tmp_path):
    soup = BeautifulSoup(render_table(load(tmp_path, GOOD)["demo"]), "html.parser")
    region = soup.select_one("div.data-table")
    table = region.table
    assert region["role"] == "region" and region["tabindex"] == "0"
    assert region["aria-labelledby"] == table.caption["id"] == "table-demo-caption"
    assert table.caption.get_text() == "A demo table"
    assert [(th["scope"], th.get_text()) for th in table.thead.find_all("th")] == [
        ("col", "Side effect"), ("col", "Ketamine"), ("col", "Esketamine (Spravato)"),
    ]
    bodies = table.find_all("tbody")
    assert [b.th["scope"] for b in bodies] == ["rowgroup", "rowgroup"]
    assert bodies[0].th["colspan"] == "3"
    rows = [[c.name + ":" + c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.select("tr:not(.data-table__group)")][1:]
    assert rows == [
        ["th:Anxiety", "td:Anxiety or fear", "td:Anxiety"],
        ["th:Blurred vision", "td:Blurred vision", "td:Not on its list in the article"],
    ]
    assert all(th["scope"] == "row" for th in table.select("tbody tr:not(.data-table__group) th"))


def test_a_list_cell_renders_as_a_list(tmp_path):
    soup = BeautifulSoup(render_table(load(tmp_path, GOOD)["flat"]), "html.parser")
    assert [li.get_text() for li in soup.select("td li")] == ["IV infusion", "IM injection"]
    assert soup.select("tbody th[scope=rowgroup]") == []


def test_text_is_escaped_and_markdown_is_not_interpreted(tmp_path):
    text = GOOD.replace("ketamine: Blurred vision", 'ketamine: "Tom & Jerry < 18 **bold** [link](https://example.org) `code` --8<-- x"')
    html = render_table(load(tmp_path, text)["demo"])
    assert "Tom &amp; Jerry &lt; 18 **bold** [link](https://example.org) `code` --8&lt;-- x" in html
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select("strong, a, code")


def test_a_table_placed_on_no_page_is_named(tmp_path):
    # Which tables a page places is read from its markers by the site model (tests/test_site_model.py).
    tables = load(tmp_path, GOOD)
    assert str(unplaced(tables, {"demo"})) == (
        "data/t.yml: tables.flat: placed on no page; add <!-- insert: table flat --> to a page or remove it"
    )
    assert unplaced(tables, {"demo", "flat"}) is None


def test_the_sites_data_loads():
    # Which tables there are is the editors' business; that the files load and that no table
    # claims an absence is the project's (the build checks their words against the article).
    tables = load_tables([ROOT / "data/side-effects.yml", ROOT / "data/at-a-glance.yml"], ROOT)
    assert tables
    assert all("article" in table.empty for table in tables.values())


def test_a_group_heading_that_claims_an_absence_is_refused(tmp_path):
    message = error_of(tmp_path, GOOD.replace("heading: What you see", "heading: Listed for ketamine only"))
    assert message.startswith("data/t.yml, line 16: tables.demo.groups[1].heading: 'Listed for ketamine only' says or suggests that a drug lacks an effect")


# ---------------------------------------------------------------------------
# Bad data: each names the file, the line and the key, and says what is wrong


def test_malformed_yaml_names_file_and_line(tmp_path):
    message = error_of(tmp_path, GOOD.replace("    caption: A demo table\n", "    caption: [A demo table\n"))
    assert message == "data/t.yml, line 6: a '[' opened on this line is never closed: close it with ']' after its last item"


def test_missing_field(tmp_path):
    message = error_of(tmp_path, GOOD.replace("    caption: A demo table\n", ""))
    assert message == "data/t.yml, line 5: tables.demo: missing field 'caption'"


def test_misspelled_field(tmp_path):
    message = error_of(tmp_path, GOOD.replace("          - label: Blurred vision", "          - lable: Blurred vision"))
    assert message == "data/t.yml, line 18: tables.demo.groups[1].rows[0].lable: unknown field 'lable' (did you mean 'label'? expected one of: label, cells)"


def test_wrong_type(tmp_path):
    message = error_of(tmp_path, GOOD.replace("label: Anxiety", "label: 42"))
    assert message == "data/t.yml, line 12: tables.demo.groups[0].rows[0].label: must be text, got a number (42) (put it in quotes if it is meant as text)"


def test_unquoted_no_is_a_wrong_type_not_text(tmp_path):
    message = error_of(tmp_path, GOOD.replace("esketamine: Anxiety\n", "esketamine: No\n"))
    assert message.startswith("data/t.yml, line 15: tables.demo.groups[0].rows[0].cells.esketamine: must be text, got a yes/no value (false)")


def test_duplicate_row(tmp_path):
    message = error_of(tmp_path, GOOD.replace("          - label: Blurred vision", "          - label: anxiety"))
    assert message == ("data/t.yml, line 18: tables.demo.groups[1].rows[0].label: duplicate row 'anxiety' (already at tables.demo.groups[0].rows[0], "
                       "line 12): keep one of the two")


def test_duplicate_wording_in_a_column(tmp_path):
    message = error_of(tmp_path, GOOD.replace("ketamine: Blurred vision", "ketamine: Anxiety or fear"))
    assert message == ("data/t.yml, line 20: tables.demo.groups[1].rows[0].cells.ketamine: duplicate wording 'Anxiety or fear' for ketamine "
                       "(already at tables.demo.groups[0].rows[0], line 14): keep one of the two")


def test_duplicate_key(tmp_path):
    message = error_of(tmp_path, GOOD.replace("              esketamine: Anxiety\n", "              esketamine: Anxiety\n              esketamine: Fear\n"))
    assert message == "data/t.yml, line 16: tables.demo.groups[0].rows[0].cells.esketamine: duplicate key 'esketamine' (first given on line 15); keep one of them"


def test_empty_table(tmp_path):
    text = GOOD.replace(GOOD[GOOD.index("    rows:\n      - label: How"):], "    rows: []\n")
    message = error_of(tmp_path, text)
    assert message == "data/t.yml, line 25: tables.flat.rows: is empty: list at least one row"


def test_empty_file(tmp_path):
    assert error_of(tmp_path, "# nothing yet\n") == "data/t.yml: is empty"


def test_undefined_drug_column(tmp_path):
    message = error_of(tmp_path, GOOD.replace("          esketamine: nasal spray", "          esketamne: nasal spray"))
    assert message == "data/t.yml, line 29: tables.flat.rows[0].cells.esketamne: 'esketamne' is not a defined drug column (defined in 'columns': ketamine, esketamine)"


def test_html_in_a_cell_is_refused(tmp_path):
    message = error_of(tmp_path, GOOD.replace("esketamine: nasal spray", 'esketamine: "nasal <script>alert(1)</script> spray"'))
    assert message.startswith("data/t.yml, line 29: tables.flat.rows[0].cells.esketamine: contains HTML ('<script>aler'...)")


def test_an_empty_text_that_claims_absence_is_refused(tmp_path):
    message = error_of(tmp_path, GOOD.replace("empty: The source article does not say", 'empty: "No"'))
    assert message == ("data/t.yml, line 24: tables.flat.empty: 'No' can be read as 'this does not happen'; say what the source article "
                       "does not say, e.g. 'Not on its list in the article'")


def test_a_row_with_no_wording(tmp_path):
    message = error_of(tmp_path, GOOD.replace("              ketamine: Blurred vision", "              ketamine:"))
    assert message == "data/t.yml, line 19: tables.demo.groups[1].rows[0].cells: no drug has any wording in this row; a row needs at least one"


def test_rows_and_groups_together(tmp_path):
    message = error_of(tmp_path, GOOD.replace("    groups:\n", "    rows: []\n    groups:\n"))
    assert message == "data/t.yml, line 5: tables.demo: needs either 'rows' or 'groups' (exactly one of them)"


def test_same_table_name_in_two_files(tmp_path):
    for name in ("a.yml", "b.yml"):
        (tmp_path / "data").mkdir(exist_ok=True)
        (tmp_path / "data" / name).write_text(GOOD, encoding="utf-8")
    with pytest.raises(SiteDataError) as caught:
        load_tables([tmp_path / "data/a.yml", tmp_path / "data/b.yml"], tmp_path)
    assert str(caught.value) == "data/b.yml: tables.demo: a table of this name is already defined in data/a.yml"


def test_missing_file_is_named(tmp_path):
    with pytest.raises(SiteDataError, match=re.escape("data/none.yml: cannot be read")):
        load_tables([tmp_path / "data/none.yml"], tmp_path)


# ---------------------------------------------------------------------------
# As many drugs as the data names: three here (the site has two)

THREE = """\
columns:
  ketamine: Ketamine
  esketamine: Esketamine
  arketamine: Arketamine
tables:
  side-effects:
    caption: Side effects on three lists
    row_heading: Side effect
    empty: Not on its list in the article
    rows:
      - label: Anxiety
        cells:
          ketamine: Anxiety or fear
          arketamine: Unease
      - label: Nausea
        cells:
          esketamine: Nausea
          arketamine: [Nausea, Vomiting]
"""
THREE_ARTICLE = (
    "Ketamine was created for anesthesia.\n"
    "• Anxiety or fear | • Nausea | • Unease • Nausea • Vomiting |\n"
    "Abdallah, C. G., et al. (2018). The effects of ketamine. Neuropsychopharmacology.\n"
    "A footnote.\n"
)


def test_a_table_has_one_column_for_each_drug_the_data_names(tmp_path):
    table = load(tmp_path, THREE)["side-effects"]
    assert list(table.columns) == ["ketamine", "esketamine", "arketamine"]
    soup = BeautifulSoup(render_table(table), "html.parser")
    assert [th.get_text() for th in soup.select("thead th")] == ["Side effect", "Ketamine", "Esketamine", "Arketamine"]
    rows = [[td.get_text(" ") for td in tr.select("td")] for tr in soup.select("tbody tr")]
    assert rows == [["Anxiety or fear", "Not on its list in the article", "Unease"],
                    ["Not on its list in the article", "Nausea", "Nausea Vomiting"]]
    assert [td["data-label"] for td in soup.select("tbody tr")[1].select("td")] == ["Ketamine", "Esketamine", "Arketamine"]
    assert soup.select_one("tbody td:nth-of-type(3)")["headers"] == ["table-side-effects-c3", "table-side-effects-g1-r1"]


def test_the_lists_view_has_one_list_for_each_drug(tmp_path):
    from sitegen.tables import render_lists

    soup = BeautifulSoup(render_lists(load(tmp_path, THREE)["side-effects"]), "html.parser")
    assert [(p.get_text(), [li.get_text() for li in p.find_next("ul").select("li")]) for p in soup.select(".data-lists__heading")] == [
        ("Ketamine", ["Anxiety or fear"]), ("Esketamine", ["Nausea"]), ("Arketamine", ["Unease", "Nausea", "Vomiting"]),
    ]


def test_three_drugs_are_held_against_the_articles_three_lists(tmp_path):
    from sitegen import article, fidelity

    tables = load(tmp_path, THREE)
    source = article.parse(THREE_ARTICLE)
    assert source.side_effects == (("Anxiety or fear",), ("Nausea",), ("Unease", "Nausea", "Vomiting"))
    assert article.parse(THREE_ARTICLE, drugs=3) == source
    fidelity.check_tables(source, tables)
    # A list the table leaves out is named with its drug, whichever column it is.
    short = load(tmp_path, THREE.replace("          arketamine: [Nausea, Vomiting]\n", "          arketamine: [Nausea]\n"))
    with pytest.raises(SiteDataError, match=r"^data/t\.yml: tables\.side-effects: the article lists 'Vomiting' for Arketamine, but no cell says it"):
        fidelity.check_tables(source, short)
    # A table with a drug more or fewer than the article's line is refused, not read in part.
    two = load(tmp_path, THREE.replace("  arketamine: Arketamine\n", "").replace("          arketamine: Unease\n", "")
               .replace("          arketamine: [Nausea, Vomiting]\n", ""))
    with pytest.raises(SiteDataError) as refused:
        fidelity.check_tables(source, two)
    assert str(refused.value) == ("data/t.yml: tables.side-effects has 2 drug columns (Ketamine, Esketamine), but the article's "
                                  "side-effects line has 3 lists, one a drug: give the table one column for each list, in the line's order")
    with pytest.raises(SiteDataError, match=r"line 2: the side-effects line needs two columns split by \|, found 3$"):
        article.parse(THREE_ARTICLE, drugs=2)
    with pytest.raises(SiteDataError, match=r"needs exactly one side-effects line \(items marked • and its lists split by \|\), found 0$"):
        article.parse(THREE_ARTICLE.replace("|", ""))


def test_table_files_are_the_data_files_that_hold_nothing_else(tmp_path):
    from sitegen.tables import table_files

    data = tmp_path / "data"
    data.mkdir()
    for name, text in {"b.yml": THREE, "a.yml": GOOD, "glossary.yml": "terms: []\n", "c.yaml": THREE,
                       "broken.yml": "caption: x\nrows:\n  - effect: [unclosed\n"}.items():
        (data / name).write_text(text, encoding="utf-8")
    # A broken table file is still read, so its own YAML error is what the editor sees.
    assert [p.name for p in table_files(tmp_path, {"data/glossary.yml"})] == ["a.yml", "b.yml", "broken.yml"]


# ---------------------------------------------------------------------------------------------
# tables: validation and the rendered table

TWO_DRUGS = {"ketamine": "Ketamine", "esketamine": "Esketamine & co"}


def test_a_table_without_a_legend_points_to_none():
    table = tables.Table("demo", "data/t.yml", "Cap", "Effect", "Not on its list in the article", TWO_DRUGS,
                         [tables.Group(None, [tables.Row("Sleep", {"esketamine": ["Sleepy"]})])])
    html = tables.render_table(table, {})
    assert '<div class="data-table" role="region" aria-labelledby="table-demo-caption" tabindex="0">' in html
    assert "legend" not in html


def test_a_duplicate_row_names_the_line_of_the_first_ones_label(tmp_path):
    first = GOOD.replace("          - label: Anxiety\n            cells:\n", "          - cells:\n", 1).replace(
        "              esketamine: Anxiety\n", "              esketamine: Anxiety\n            label: Anxiety\n", 1)
    message = error_of(tmp_path, first.replace("          - label: Blurred vision", "          - label: anxiety"))
    assert message.endswith("duplicate row 'anxiety' (already at tables.demo.groups[0].rows[0], line 15): keep one of the two"), message


def test_a_grouped_table_renders_every_header_link_exactly():
    table = tables.Table("demo", "data/t.yml", "Cap <1>", "Effect", "Not on its list in the article", TWO_DRUGS,
                         [tables.Group("Feel & see", [tables.Row("Anxiety", {"ketamine": ["Fear"], "esketamine": ["A", "B & C"]})]),
                          tables.Group(None, [tables.Row("Sleep", {"esketamine": ["Sleepy"]})])], legend="Note & more")
    assert tables.render_table(table, {"Sleepy": "Label <5>"}) == "\n".join([
        '<p class="data-table__legend" id="table-demo-legend">Note &amp; more</p>',
        '<div class="data-table" role="region" aria-labelledby="table-demo-caption" aria-describedby="table-demo-legend" tabindex="0">',
        '<table id="table-demo" class="data-table__table">',
        '<caption id="table-demo-caption">Cap &lt;1&gt;</caption>',
        '<thead><tr><th scope="col" id="table-demo-rows">Effect</th><th scope="col" id="table-demo-c1">Ketamine</th>'
        '<th scope="col" id="table-demo-c2">Esketamine &amp; co</th></tr></thead>',
        "<tbody>",
        '<tr class="data-table__group"><th scope="rowgroup" colspan="3" id="table-demo-g1">Feel &amp; see</th></tr>',
        '<tr><th scope="row" id="table-demo-g1-r1" headers="table-demo-rows table-demo-g1">Anxiety</th>'
        '<td headers="table-demo-c1 table-demo-g1 table-demo-g1-r1" data-label="Ketamine">Fear</td>'
        '<td headers="table-demo-c2 table-demo-g1 table-demo-g1-r1" data-label="Esketamine &amp; co"><ul><li>A</li><li>B &amp; C</li></ul></td></tr>',
        "</tbody>",
        "<tbody>",
        '<tr><th scope="row" id="table-demo-g2-r1" headers="table-demo-rows">Sleep</th>'
        '<td class="data-table__empty" headers="table-demo-c1 table-demo-g2-r1" data-label="Ketamine">Not on its list in the article</td>'
        '<td headers="table-demo-c2 table-demo-g2-r1" data-label="Esketamine &amp; co">Sleepy'
        ' <span class="data-table__added">(added by this site, from the Label &lt;5&gt;)</span></td></tr>',
        "</tbody>",
        "</table>",
        "</div>",
    ])
    assert table.texts() == ["Cap <1>", "Effect", "Not on its list in the article", "Ketamine", "Esketamine & co", "Note & more", "Feel & see",
                             "Anxiety", "Fear", "A", "B & C", "Sleep", "Sleepy"]


def test_a_table_as_lists_shows_each_medicines_items_and_no_empty_cell():
    table = tables.Table("demo", "data/t.yml", "Cap", "Effect", "Not on its list in the article", TWO_DRUGS,
                         [tables.Group(None, [tables.Row("Anxiety", {"ketamine": ["Fear <x>"], "esketamine": ["A", "B"]}),
                                              tables.Row("Sleep", {"esketamine": ["Sleepy"]})])], legend="Read <me>")
    assert tables.render_lists(table, {"Sleepy": "Label"}) == "\n".join([
        '<p class="data-table__legend" id="lists-demo-legend">Read &lt;me&gt;</p>',
        '<div class="data-lists" id="lists-demo">',
        '<section class="data-lists__list" aria-labelledby="lists-demo-1"><p class="data-lists__heading" id="lists-demo-1">Ketamine</p><ul><li>Fear &lt;x&gt;</li></ul></section>',
        '<section class="data-lists__list" aria-labelledby="lists-demo-2"><p class="data-lists__heading" id="lists-demo-2">Esketamine &amp; co</p>'
        '<ul><li>A</li><li>B</li><li>Sleepy <span class="data-table__added">(added by this site, from the Label)</span></li></ul></section>',
        "</div>",
    ])


def test_a_cell_without_headers_has_no_attributes():
    assert tables._cell(None, "None & all") == '<td class="data-table__empty">None &amp; all</td>'
    assert tables._cell([], "E") == '<td class="data-table__empty">E</td>'
    assert tables._cell(["x<"], "E") == "<td>x&lt;</td>"


def _tables(text: str):
    return tables.validate(datafile.load_text(text, "data/t.yml"))


TABLE_HEAD = "columns:\n  ketamine: Ketamine\n  esketamine: Esketamine\ntables:\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: {}\ntables:\n  t: {}\n", "data/t.yml, line 1: columns: is empty: define at least one drug column"),
        ("columns:\n  Ketamine: K\ntables:\n  t: {}\n", "data/t.yml, line 2: columns.Ketamine: a column id is lower-case letters, digits and hyphens"),
        (TABLE_HEAD.replace("tables:\n", "tables: {}\n"), "data/t.yml, line 4: tables: is empty: define at least one table"),
        (TABLE_HEAD + "  Demo:\n    caption: C\n", "data/t.yml, line 5: tables.Demo: a table name is lower-case letters, digits and hyphens (it is used in <!-- insert: table NAME -->)"),
        (TABLE_HEAD + "  1d:\n    caption: C\n", "data/t.yml, line 5: tables.1d: a table name is lower-case letters, digits and hyphens (it is used in <!-- insert: table NAME -->)"),
        (TABLE_HEAD + "  t:\n    caption: C\n    row_heading: R\n    empty: N/A\n    rows: []\n",
         "data/t.yml, line 8: tables.t.empty: 'N/A' can be read as 'this does not happen'; say what the source article does not say, "
         "e.g. 'Not on its list in the article'"),
        (TABLE_HEAD + "  t:\n    caption: C\n    row_heading: R\n    empty: E article\n",
         "data/t.yml, line 5: tables.t: needs either 'rows' or 'groups' (exactly one of them)"),
        (TABLE_HEAD + "  t:\n    caption: C\n    row_heading: R\n    empty: E article\n    groups:\n      - heading: Without a doubt\n        rows: []\n",
         "data/t.yml, line 10: tables.t.groups[0].heading: 'Without a doubt' says or suggests that a drug lacks an effect; "
         "the sources only fail to mention it: group without such words, or do not group"),
    ],
)
def test_a_bad_table_file_is_refused_with_the_exact_reason(text, message):
    with pytest.raises(SiteDataError) as refused:
        _tables(text)
    assert str(refused.value) == message


def test_a_table_file_keeps_its_groups_rows_and_legend():
    loaded = _tables(TABLE_HEAD + "  t-2:\n    caption: C\n    row_heading: R\n    empty: E article\n    legend: A note.\n    groups:\n"
                     "      - heading: Nothing-free feelings\n        rows:\n          - label: L\n            cells:\n"
                     "              ketamine:\n              esketamine: [a, b]\n")
    assert loaded == [tables.Table("t-2", "data/t.yml", "C", "R", "E article", {"ketamine": "Ketamine", "esketamine": "Esketamine"},
                                   [tables.Group("Nothing-free feelings", [tables.Row("L", {"esketamine": ["a", "b"]}, "data/t.yml, line 13")])],
                                   "A note.")]


def test_a_table_outside_the_root_is_named_by_its_path(tmp_path):
    path = tmp_path / "t.yml"
    path.write_text(TABLE_HEAD + "  t:\n    caption: C\n    row_heading: R\n    empty: E article\n    rows:\n      - label: L\n        cells:\n          ketamine: k\n",
                    encoding="utf-8")
    assert tables.load_tables([path], tmp_path / "elsewhere")["t"].source == str(path)
    assert tables.load_tables([path], tmp_path)["t"].source == "t.yml"


# ---------------------------------------------------------------------------------------------
# tables: every wrong value is named by its place in the file

TABLE = """\
columns:
  ket: Ketamine
tables:
  demo:
    caption: C
    row_heading: R
    empty: Not on its list in the article
    rows:
      - label: L
        cells:
          ket: x
"""


GROUPED = TABLE.replace("    rows:\n      - label: L\n        cells:\n          ket: x\n", "    groups: GROUPS\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns:\n  ket: Ketamine\ntables: [demo]\n", "t.yml, line 3: tables: must be a mapping of fields, got a list"),
        ("columns: [ket]\ntables: {}\n", "t.yml, line 1: columns: must be a mapping of fields, got a list"),
        (TABLE.replace("ket: Ketamine", "ket: 1"), "t.yml, line 2: columns.ket: must be text, got a number (1)"),
        (TABLE.replace("caption: C", "caption: 1"), "t.yml, line 5: tables.demo.caption: must be text, got a number (1)"),
        (TABLE.replace("row_heading: R", "row_heading: 1"), "t.yml, line 6: tables.demo.row_heading: must be text, got a number (1)"),
        (TABLE.replace("empty: Not on its list in the article", "empty: 1"), "t.yml, line 7: tables.demo.empty: must be text, got a number (1)"),
        (TABLE.replace("    rows:", "    legend: 1\n    rows:"), "t.yml, line 8: tables.demo.legend: must be text, got a number (1)"),
        (TABLE.replace("cells:\n          ket: x", "cells: [x]"), "t.yml, line 10: tables.demo.rows[0].cells: must be a mapping of fields, got a list"),
        (TABLE.replace("ket: x", "ket: []"), "t.yml, line 11: tables.demo.rows[0].cells.ket: is empty: list at least one item"),
        (TABLE.replace("ket: x", "ket: [1]"), "t.yml, line 11: tables.demo.rows[0].cells.ket[0]: must be text, got a number (1)"),
        (TABLE.replace("ket: x", "ket: x\n      - label: l\n        cells:\n          ket: y"),
         "t.yml, line 12: tables.demo.rows[1].label: duplicate row 'l' (already at tables.demo.rows[0], line 9): keep one of the two"),
        (GROUPED.replace("GROUPS", "[]"), "t.yml, line 8: tables.demo.groups: is empty: list at least one group"),
        (GROUPED.replace("GROUPS", "\n      - rows: []"), "t.yml, line 9: tables.demo.groups[0]: missing field 'heading'"),
        (GROUPED.replace("GROUPS", "\n      - heading: 1\n        rows: []"), "t.yml, line 9: tables.demo.groups[0].heading: must be text, got a number (1)"),
    ],
)
def test_a_wrong_table_value_is_named_by_file_line_and_key(text, message):
    with pytest.raises(SiteDataError) as caught:
        tables.validate(datafile.load_text(text, "t.yml"))
    assert str(caught.value).startswith(message)
