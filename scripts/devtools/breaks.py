"""Known breaks (tests/breaks.yml), each applied to a scratch copy where the tests it names must fail.

A break is caught when every test it names passes on an unbroken copy (one control run of all the
named tests first) and fails (or errors) on the broken copy; missed when one passes there. A test
that fails without the break proves nothing, so its breaks are reported as errors. The repository
is never touched: each break gets its own copy in build/breaks/ (made like the tests' copies,
tests/helpers.py copy_project), which shares the PDF cache (keyed by inputs) and the Node tools.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from pipeline.paths import ROOT

SCRATCH = ROOT / "build" / "breaks"
LIST = ROOT / "tests" / "breaks.yml"


@dataclass(frozen=True)
class Break:
    """One entry of tests/breaks.yml (which tests/test_breaks.py checks is well-formed)."""

    id: str
    file: str  # from the repository's top
    replace: str  # text that is in the file exactly once...
    with_: str  # ...and what the break puts in its place
    tests: tuple[str, ...]  # pytest node ids; each must fail on the broken copy

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Break:
        return cls(entry["id"], entry["file"], entry["replace"], entry["with"], tuple(entry["tests"]))


class Copy(NamedTuple):
    place: Path  # the folder in build/breaks/, removed when nothing in it needs a look
    project: Path


class Run(NamedTuple):
    status: int  # pytest's exit status
    failed: set[str]  # the node ids that failed or errored
    seconds: float


class Outcome(NamedTuple):
    verdict: str  # "caught", "missed" or "error"
    still_passing: list[str]  # the named tests that passed on the broken copy
    seconds: float


def load(path: Path = LIST) -> list[Break]:
    return [Break.of(entry) for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["breaks"]]


def apply(project: Path, entry: Break) -> None:
    file = project / entry.file
    text = file.read_text(encoding="utf-8")
    if text.count(entry.replace) != 1:
        raise SystemExit(f"{entry.id}: its text is not in {entry.file} exactly once; update tests/breaks.yml")
    file.write_text(text.replace(entry.replace, entry.with_), encoding="utf-8")


def prepare(name: str, entry: Break | None = None, scratch: Path = SCRATCH) -> Copy:
    """A fresh copy in build/breaks/NAME, broken by `entry` if given."""
    from helpers import copy_project, share_tools  # the tests' own copy, so the copy is what tests see

    place = scratch / name
    if place.exists():
        shutil.rmtree(place)
    place.mkdir(parents=True)
    project = copy_project(place)
    if entry:
        apply(project, entry)
    share_tools(project, node=True)
    return Copy(place, project)


def failing(project: Path, tests: list[str] | tuple[str, ...], log: Path) -> Run:
    """Run `tests` in `project`, its output kept in `log`."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", *tests],
        cwd=project, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    seconds = time.monotonic() - started
    log.write_text(result.stdout + result.stderr, encoding="utf-8")
    return Run(result.returncode, set(re.findall(r"^(?:FAILED|ERROR) (\S+)", result.stdout, re.M)), seconds)


def named(test: str, ids: set[str]) -> bool:
    return any(f == test or f.startswith(test + "[") for f in ids)


def control(chosen: list[Break], log_dir: Path) -> Run:
    """Every test the chosen breaks name, on an unbroken copy: each must pass, or its failure proves nothing."""
    copy = prepare("control")
    tests = list(dict.fromkeys(t for entry in chosen for t in entry.tests))
    run = failing(copy.project, tests, log_dir / "control.log")
    if run.status in (0, 1):
        shutil.rmtree(copy.place)
    return run


def run(entry: Break, log_dir: Path) -> Outcome:
    """One break, on a copy of its own."""
    copy = prepare(entry.id, entry)
    status, failed, seconds = failing(copy.project, entry.tests, log_dir / f"{entry.id}.log")
    passed = [t for t in entry.tests if not named(t, failed)]
    if status not in (0, 1):  # 2 interrupted, 4 usage (a test that does not exist), 5 none collected
        return Outcome("error", passed, seconds)
    shutil.rmtree(copy.place)  # kept only when something needs a look
    return Outcome("caught" if not passed else "missed", passed, seconds)
