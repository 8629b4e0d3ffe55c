"""Comparison tables (drug columns, one row per effect or fact) from YAML in `data/`.

table_files() finds the files (every data/*.yml that holds nothing else); load_tables() reads
and validates every file before anything is rendered; render_table() turns one table into the
HTML that `<!-- insert: table NAME -->` shows. A file declares its drugs under `columns:`, as many
as it needs, and every table in it has one column for each, in that order.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from collections.abc import Collection
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from . import datafile
from .errors import SiteDataError

_SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
DATA = "data"
_DEFINES_TABLES = re.compile(r"^tables[ \t]*:", re.M)
# An empty cell says whose list is silent: "Not listed" alone reads as "this does not happen".
_EMPTY_NAMES = "article"


@dataclass
class Row:
    label: str
    cells: dict[str, list[str]]  # drug id -> items (one item: plain text; several: a list)
    where: str = ""  # file and line, for messages


@dataclass
class Group:
    heading: str | None
    rows: list[Row]


@dataclass
class Table:
    name: str
    source: str  # the data file, for messages
    caption: str
    row_heading: str
    empty: str
    columns: dict[str, str]  # drug id -> column heading, in order
    groups: list[Group]
    legend: str | None = None  # shown before the table, in every view
    rows: list[Row] = field(init=False)

    def __post_init__(self):
        self.rows = [row for group in self.groups for row in group.rows]

    def texts(self) -> list[str]:
        """Every piece of text the table shows."""
        out = [self.caption, self.row_heading, self.empty, *self.columns.values()]
        out += [self.legend] if self.legend else []
        out += [group.heading for group in self.groups if group.heading]
        for row in self.rows:
            out.append(row.label)
            out += [item for items in row.cells.values() for item in items]
        return out


# ---------------------------------------------------------------------------
# Load and validate


def table_files(root: Path, others: Collection[str]) -> list[Path]:
    """The data files that define tables, in name order: every data/*.yml but `others` (the files that
    hold something else, named from the project's root). A table file broken past recognition is
    still one, so its own error is the one an editor sees."""
    return [path for path in sorted((root / DATA).glob("*.yml")) if path.relative_to(root).as_posix() not in others]


def load_tables(paths: list[Path], root: Path) -> dict[str, Table]:
    """Every table in `paths`, by name; names must be unique across files."""
    tables: dict[str, Table] = {}
    for path in paths:
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        for table in validate(datafile.load(path, name)):
            if table.name in tables:
                raise SiteDataError(name, f"tables.{table.name}: a table of this name is already defined in {tables[table.name].source}")
            tables[table.name] = table
    return tables


def validate(doc: datafile.DataFile) -> list[Table]:
    top = doc.mapping(doc.data, (), required=("columns", "tables"))
    columns = _columns(doc, top["columns"])
    raw_tables = doc.mapping(top["tables"], ("tables",))
    if not raw_tables:
        raise doc.error(("tables",), "is empty: define at least one table")
    out = []
    for name, raw in raw_tables.items():
        path = ("tables", name)
        if not _SLUG.match(name):
            raise doc.error(path, "a table name is lower-case letters, digits and hyphens (it is used in <!-- insert: table NAME -->)")
        spec = doc.mapping(raw, path, required=("caption", "row_heading", "empty"), optional=("legend", "rows", "groups"))
        empty = doc.text(spec["empty"], path + ("empty",))
        if _EMPTY_NAMES not in empty.lower():
            raise doc.error(path + ("empty",), f"'{empty}' can be read as 'this does not happen'; say what the source article does not say, "
                            "e.g. 'Not on its list in the article'")
        if ("rows" in spec) == ("groups" in spec):
            raise doc.error(path, "needs either 'rows' or 'groups' (exactly one of them)")
        if "rows" in spec:
            groups = [Group(None, _rows(doc, spec["rows"], path + ("rows",), columns))]
        else:
            groups = []
            for i, raw_group in enumerate(doc.items(spec["groups"], path + ("groups",), "groups")):
                gpath = path + ("groups", i)
                group = doc.mapping(raw_group, gpath, required=("heading", "rows"))
                heading = doc.text(group["heading"], gpath + ("heading",))
                if re.search(r"\b(only|not|no|none|never|without)\b", heading, re.I):
                    raise doc.error(gpath + ("heading",), f"'{heading}' says or suggests that a drug lacks an effect; "
                                    "the sources only fail to mention it: group without such words, or do not group")
                groups.append(Group(heading, _rows(doc, group["rows"], gpath + ("rows",), columns)))
        table = Table(
            name=name,
            source=doc.name,
            caption=doc.text(spec["caption"], path + ("caption",)),
            row_heading=doc.text(spec["row_heading"], path + ("row_heading",)),
            empty=empty,
            columns=columns,
            groups=groups,
            legend=doc.text(spec["legend"], path + ("legend",)) if spec.get("legend") is not None else None,
        )
        _no_duplicates(doc, table, path)
        out.append(table)
    return out


def _columns(doc: datafile.DataFile, raw) -> dict[str, str]:
    columns = doc.mapping(raw, ("columns",))
    if not columns:
        raise doc.error(("columns",), "is empty: define at least one drug column")
    for key, heading in columns.items():
        if not _SLUG.match(key):
            raise doc.error(("columns", key), "a column id is lower-case letters, digits and hyphens")
        columns[key] = doc.text(heading, ("columns", key))
    return columns


def _rows(doc: datafile.DataFile, raw, path: tuple, columns: dict[str, str]) -> list[Row]:
    rows = []
    for i, raw_row in enumerate(doc.items(raw, path, "rows")):
        rpath = path + (i,)
        row = doc.mapping(raw_row, rpath, required=("label", "cells"))
        cells = doc.mapping(row["cells"], rpath + ("cells",))
        items = {}
        for drug, value in cells.items():
            cpath = rpath + ("cells", drug)
            if drug not in columns:
                raise doc.error(cpath, f"'{drug}' is not a defined drug column (defined in 'columns': {', '.join(columns)})")
            if value is None:
                continue
            if isinstance(value, list):
                items[drug] = [doc.text(item, cpath + (j,)) for j, item in enumerate(doc.items(value, cpath, "items"))]
            else:
                items[drug] = [doc.text(value, cpath)]
        if not items:
            raise doc.error(rpath + ("cells",), "no drug has any wording in this row; a row needs at least one")
        rows.append(Row(doc.text(row["label"], rpath + ("label",)), items, doc.where(rpath)))
    return rows


def _no_duplicates(doc: datafile.DataFile, table: Table, path: tuple) -> None:
    labels: dict[str, tuple] = {}
    wording: dict[tuple[str, str], tuple] = {}
    for gi, group in enumerate(table.groups):
        for ri, row in enumerate(group.rows):
            rpath = path + (("groups", gi, "rows", ri) if group.heading else ("rows", ri))
            key = row.label.casefold()
            if key in labels:
                raise doc.error(rpath + ("label",), f"duplicate row '{row.label}' (already at {datafile.dotted(labels[key])}, "
                                f"{doc.line(labels[key] + ('label',))}): keep one of the two")
            labels[key] = rpath
            for drug, items in row.cells.items():
                for item in items:
                    if (drug, item.casefold()) in wording:
                        first = wording[(drug, item.casefold())]
                        raise doc.error(rpath + ("cells", drug), f"duplicate wording '{item}' for {drug} (already at {datafile.dotted(first)}, "
                                                                 f"{doc.line(first + ('cells', drug))}): keep one of the two")
                    wording[(drug, item.casefold())] = rpath


# ---------------------------------------------------------------------------
# Render


def render_table(table: Table, added: Mapping[str, str] | None = None) -> str:
    """The table as one HTML block; every piece of text is escaped.

    Each data cell names its headers (`headers`: column, group, row), which checkers and
    screen readers follow where `scope="rowgroup"` is not understood. `data-label` is the
    column's name that a phone's card layout (tables.css) shows above the cell. (No ARIA table
    roles: HTML forbids them inside a <table>, and Chromium keeps a restyled table's roles.)
    `added` maps a cell item the site added on the record to where it comes from, shown after it.
    """
    e = html.escape
    ident = f"table-{table.name}"
    width = len(table.columns) + 1
    column_ids = {drug: f"{ident}-c{i}" for i, drug in enumerate(table.columns, 1)}  # data keys may hold spaces
    # The legend comes first, so a reader meets it before any cell, on a phone's cards and on paper too.
    out = [f'<p class="data-table__legend" id="{ident}-legend">{e(table.legend)}</p>'] if table.legend else []
    described = f' aria-describedby="{ident}-legend"' if table.legend else ""
    out += [
        # A labelled, focusable region lets keyboard users scroll a table wider than the screen.
        f'<div class="data-table" role="region" aria-labelledby="{ident}-caption"{described} tabindex="0">',
        # A class keeps mkdocs-material from wrapping and restyling the table as a Markdown table.
        f'<table id="{ident}" class="data-table__table">',
        f'<caption id="{ident}-caption">{e(table.caption)}</caption>',
        '<thead><tr>' + f'<th scope="col" id="{ident}-rows">{e(table.row_heading)}</th>'
        + "".join(f'<th scope="col" id="{column_ids[drug]}">{e(heading)}</th>' for drug, heading in table.columns.items())
        + "</tr></thead>",
    ]
    for g, group in enumerate(table.groups, 1):
        out.append('<tbody>')
        group_id = f"{ident}-g{g}" if group.heading else ""
        if group.heading:
            out.append(f'<tr class="data-table__group"><th scope="rowgroup" colspan="{width}" id="{group_id}">{e(group.heading)}</th></tr>')
        for r, row in enumerate(group.rows, 1):
            row_id = f"{ident}-g{g}-r{r}"
            cells = "".join(
                _cell(row.cells.get(drug), table.empty, " ".join(filter(None, [column_ids[drug], group_id, row_id])), table.columns[drug], added or {})
                for drug in table.columns
            )
            row_headers = f' headers="{ident}-rows {group_id}"' if group_id else f' headers="{ident}-rows"'
            out.append(f'<tr><th scope="row" id="{row_id}"{row_headers}>{e(row.label)}</th>{cells}</tr>')
        out.append("</tbody>")
    out.append("</table>")
    out.append("</div>")
    return "\n".join(out)


def render_lists(table: Table, added: Mapping[str, str] | None = None) -> str:
    """The table as it stands in the source article: one list per medicine, side by side where
    there is room. Nothing is shown for an effect a list leaves out, so nothing can read as "no"."""
    e = html.escape
    ident = f"lists-{table.name}"
    out = [f'<p class="data-table__legend" id="{ident}-legend">{e(table.legend)}</p>'] if table.legend else []
    out.append(f'<div class="data-lists" id="{ident}">')
    for i, (drug, heading) in enumerate(table.columns.items(), 1):
        items = [item for row in table.rows for item in row.cells.get(drug, [])]
        # Not a heading: generated headings would be sections other sites could link to (data/public-urls.yml).
        out.append(f'<section class="data-lists__list" aria-labelledby="{ident}-{i}"><p class="data-lists__heading" id="{ident}-{i}">{e(heading)}</p>'
                   f'<ul>{"".join(f"<li>{_item(item, added or {})}</li>" for item in items)}</ul></section>')
    out.append("</div>")
    return "\n".join(out)


def _item(item: str, added: Mapping[str, str]) -> str:
    origin = added.get(item)
    note = f' <span class="data-table__added">(added by this site, from the {html.escape(origin)})</span>' if origin else ""
    return html.escape(item) + note


def _cell(items: list[str] | None, empty: str, headers: str = "", label: str = "", added: Mapping[str, str] = MappingProxyType({})) -> str:
    attrs = f' headers="{headers}" data-label="{html.escape(label)}"' if headers else ""
    if not items:
        return f'<td class="data-table__empty"{attrs}>{html.escape(empty)}</td>'
    if len(items) == 1:
        return f"<td{attrs}>{_item(items[0], added)}</td>"
    return f"<td{attrs}><ul>" + "".join(f"<li>{_item(item, added)}</li>" for item in items) + "</ul></td>"


def unplaced(tables: dict[str, Table], placed: set[str]) -> SiteDataError | None:
    """A table defined but placed on no page is an editing mistake, like a typo in a marker."""
    missing = [t for name, t in tables.items() if name not in placed]
    if not missing:
        return None
    table = missing[0]
    return SiteDataError(table.source, f"tables.{table.name}: placed on no page; add <!-- insert: table {table.name} --> to a page or remove it")
