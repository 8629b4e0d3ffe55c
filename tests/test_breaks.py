"""The list of known breaks (tests/breaks.yml) is well-formed, so `make breaks` tests what it says.

Cheap and static: running the breaks builds the site once per break (`make breaks`, not `make test`).
"""

from __future__ import annotations

import ast
import re

import pytest
import yaml

from helpers import ROOT

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

BREAKS = yaml.safe_load((ROOT / "tests/breaks.yml").read_text(encoding="utf-8"))["breaks"]
FIELDS = {"id", "file", "replace", "with", "promise", "tests"}


def test_the_list_holds_the_eighteen_breaks_once_each():
    ids = [b["id"] for b in BREAKS]
    assert len(ids) >= 18 and len(set(ids)) == len(ids), ids
    # The four the issue found missed, by name: they must stay on the list.
    assert {"handout-table-skipped", "print-sources-invisible", "clock-in-headers", "real-data-rejected"} <= set(ids)


@pytest.mark.parametrize("entry", BREAKS, ids=[b["id"] for b in BREAKS])
def test_each_break_applies_once_and_changes_something(entry):
    assert set(entry) == FIELDS, sorted(set(entry) ^ FIELDS)
    assert re.fullmatch(r"[a-z0-9-]+", entry["id"])
    assert entry["promise"].strip() and entry["tests"]
    text = (ROOT / entry["file"]).read_text(encoding="utf-8")
    assert text.count(entry["replace"]) == 1, f"{entry['id']}: its text is in {entry['file']} {text.count(entry['replace'])} times, not once"
    assert entry["with"] != entry["replace"]


def _test_functions(module: str) -> set[str]:
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


@pytest.mark.parametrize("entry", BREAKS, ids=[b["id"] for b in BREAKS])
def test_each_named_test_exists(entry):
    for node in entry["tests"]:
        match = re.fullmatch(r"(tests/test_\w+\.py)::(test_\w+)(?:\[([^\]\s]+)\])?", node)
        assert match, f"{entry['id']}: {node!r} is not a node id tests/test_x.py::test_name[param]"
        module, function, param = match.groups()
        assert (ROOT / module).is_file(), node
        assert function in _test_functions(module), f"{entry['id']}: no {function} in {module}"
        if param:  # a parametrized case: its id is written in the module (a list of names, widths or ids)
            source = (ROOT / module).read_text(encoding="utf-8")
            assert re.search(rf"""["']{re.escape(param)}["']|\b{re.escape(param)}\b""", source), f"{entry['id']}: no case {param!r} in {module}"
