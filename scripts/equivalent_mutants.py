"""The equivalent mutants of `make mutation`, kept in tests/equivalent-mutants.yml and held against a run.

A mutant that survives the fast tests is either a gap in the tests (write the test that kills it) or
equivalent: it changes the text of the code but not what the code does. Each equivalent one is listed
with its reason, by its function and its change as `mutmut show NAME` prints it: the line(s) of the
code (`code`) and the same as the mutant has them (`mutant`; empty when it only removes). Never by
mutmut's number, which shifts whenever the function gains or loses a mutant. Identical changes to
identical lines of one function are one entry.

scripts/mutation holds each run against the list:
  - a mutant that is not caught and not on the list is to act on: a test to write, or an entry to add;
  - an entry no survivor matches is stale (the code changed, or a test now kills it): remove it, or
    check its reason again and update its lines.
"""

from __future__ import annotations

import ast
import difflib
from pathlib import Path
from typing import NamedTuple

import yaml

LIST = Path(__file__).resolve().parent.parent / "tests" / "equivalent-mutants.yml"
PACKAGE = "sitegen"
# mutmut's name for a method: xǁClassǁmethod (mutmut/mutation/trampoline_templates.py).
SEPARATOR = "ǁ"
# `mutmut results` statuses: a survivor may be equivalent; the others not caught are always to act on.
SURVIVED = "survived"
NOT_CAUGHT = {SURVIVED, "no tests", "suspicious", "segfault"}


class Mutant(NamedTuple):
    function: str  # from the package: "datafile.decode", "datafile.DataFile.where"
    code: str  # the line(s) the mutant changes, stripped, as the code has them
    mutant: str  # the same as the mutant has them ("" when it only removes)


class Entry(NamedTuple):
    mutant: Mutant
    reason: str


class Verdict(NamedTuple):
    equivalent: list[str]  # survivors the list explains
    to_act_on: list[tuple[str, str, Mutant | None]]  # (name, status, what it changes)
    stale: list[Entry]  # entries of the modules run that no survivor matches


def load(path: Path = LIST) -> list[Entry]:
    """The list's entries; a malformed list raises ValueError naming the group and function."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups = data.get("equivalent") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise ValueError(f"{path.name}: expected a top-level `equivalent:` list")
    entries: list[Entry] = []
    for number, group in enumerate(groups, 1):
        where = f"{path.name}, group {number}"
        if not isinstance(group, dict) or set(group) != {"reason", "mutants"}:
            raise ValueError(f"{where}: each group has exactly `reason` and `mutants`")
        if not isinstance(group["reason"], str) or not group["reason"].strip():
            raise ValueError(f"{where}: the reason is empty")
        if not isinstance(group["mutants"], dict) or not group["mutants"]:
            raise ValueError(f"{where}: `mutants` maps each function to its changes")
        for function, changes in group["mutants"].items():
            entries += [Entry(mutant, group["reason"].strip()) for mutant in _changes(f"{where}, {function}", str(function), changes)]
    seen: set[Mutant] = set()
    for entry in entries:
        if entry.mutant in seen:
            raise ValueError(f"{path.name}: {entry.mutant.function}: {entry.mutant.code!r} -> {entry.mutant.mutant!r} is listed twice")
        seen.add(entry.mutant)
    return entries


def _changes(where: str, function: str, changes) -> list[Mutant]:
    """One function's changes: a list of {code: ..., mutant: ...}."""
    if not isinstance(changes, list) or not changes:
        raise ValueError(f"{where}: give a list of changes, each with `code` and `mutant`")
    mutants = []
    for change in changes:
        if not isinstance(change, dict) or set(change) != {"code", "mutant"} or not all(isinstance(v, str) for v in change.values()):
            raise ValueError(f"{where}: each change has exactly `code` and `mutant`, both text: {change!r}")
        if not change["code"].strip():
            raise ValueError(f"{where}: `code` is empty (what line does the mutant change?)")
        mutants.append(Mutant(function, _lines(change["code"]), _lines(change["mutant"])))
    return mutants


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines())


def function_of(name: str) -> tuple[str, str]:
    """(module, function) of a mutant: `sitegen.datafile.xǁDataFileǁwhere__mutmut_3` is
    ("datafile", "DataFile.where"), `sitegen.datafile.x_decode__mutmut_1` ("datafile", "decode")."""
    module, _, mangled = name.partition("__mutmut_")[0].rpartition(".")
    module = module.removeprefix(PACKAGE + ".")
    if mangled.startswith("x" + SEPARATOR):
        return module, ".".join(mangled.split(SEPARATOR)[1:])
    return module, mangled.removeprefix("x_")


def changed_lines(source: str, names: list[str]) -> dict[str, Mutant]:
    """What each mutant in `names` changes, read from the mutated module's `source` (mutmut writes
    every mutant as a copy of its function, beside the unchanged copy, `..._mutmut_orig`)."""
    lines = source.splitlines()
    spans = {
        node.name: (node.lineno, node.end_lineno)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }

    def body(local: str, plain: str) -> list[str]:
        start, end = spans[local]
        return [line.strip().replace(local, plain) for line in lines[start - 1: end]]

    changed = {}
    for name in names:
        local = name.rpartition(".")[2]
        module, function = function_of(name)
        plain = function.rpartition(".")[2]
        before, after = body(local.partition("__mutmut_")[0] + "__mutmut_orig", plain), body(local, plain)
        removed, added = [], []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
            if op != "equal":
                removed += before[i1:i2]
                added += after[j1:j2]
        changed[name] = Mutant(f"{module}.{function}", "\n".join(removed), "\n".join(added))
    return changed


def describe(project: Path, names: list[str]) -> dict[str, Mutant]:
    """What each mutant changes, read from mutmut's mutated copies in `project`/mutants/."""
    by_module: dict[str, list[str]] = {}
    for name in names:
        by_module.setdefault(name.partition("__mutmut_")[0].rpartition(".")[0], []).append(name)
    described = {}
    for module, members in by_module.items():
        path = project / "mutants" / (module.replace(".", "/") + ".py")
        described |= changed_lines(path.read_text(encoding="utf-8"), members)
    return described


def not_caught(results: str) -> dict[str, str]:
    """The mutants `mutmut results` lists that no test caught, with their status."""
    found = {}
    for line in results.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name and status in NOT_CAUGHT:
            found[name] = status
    return found


def check(entries: list[Entry], statuses: dict[str, str], described: dict[str, Mutant], modules: set[str] | None) -> Verdict:
    """Hold a run against the list. `modules`: the modules mutated in the run (None: all), so an
    entry of a module that was not run is never called stale."""
    listed = {entry.mutant for entry in entries}
    equivalent, to_act_on, matched = [], [], set()
    for name, status in sorted(statuses.items()):
        mutant = described.get(name)
        if status == SURVIVED and mutant in listed:
            equivalent.append(name)
            matched.add(mutant)
        else:
            to_act_on.append((name, status, mutant))
    stale = [
        entry for entry in entries
        if entry.mutant not in matched and (modules is None or entry.mutant.function.partition(".")[0] in modules)
    ]
    return Verdict(equivalent, to_act_on, stale)


def review(project: Path, results: str, modules: list[str], listed: Path = LIST) -> Verdict:
    """A mutmut run in `project` (its `mutmut results`, over `modules`, none for all) held against the list."""
    statuses = not_caught(results)
    return check(load(listed), statuses, describe(project, list(statuses)), set(modules) or None)


def show(mutant: Mutant, indent: str = "    ") -> str:
    """A change as a diff: `- code` lines, then `+ mutant` lines."""
    lines = ["- " + line for line in mutant.code.splitlines()] + ["+ " + line for line in mutant.mutant.splitlines()]
    return "\n".join(indent + line for line in lines)


def report(verdict: Verdict, where: str = "tests/equivalent-mutants.yml") -> str:
    """The verdict for a person: what to act on first, then the stale entries."""
    out = [f"Equivalent, as listed in {where}: {_count(verdict.equivalent, 'survivor')}."]
    if verdict.to_act_on:
        out.append(f"\nTo act on: {_count(verdict.to_act_on, 'mutant')} not caught and not listed as equivalent "
                   f"(write a test that kills it, or add it to {where} with its reason):")
        for name, status, mutant in verdict.to_act_on:
            out.append(f"  {name} ({status})" + (f", in {mutant.function}:\n{show(mutant)}" if mutant else ""))
    if verdict.stale:
        out.append(f"\nStale: {_count(verdict.stale, 'entry', 'entries')} of {where} matching no surviving mutant "
                   "(remove each, or check its reason again and update its lines):")
        out += [f"  {entry.mutant.function}:\n{show(entry.mutant)}" for entry in verdict.stale]
    return "\n".join(out)


def _count(items: list, one: str, many: str = "") -> str:
    return f"{len(items)} {one if len(items) == 1 else many or one + 's'}"
