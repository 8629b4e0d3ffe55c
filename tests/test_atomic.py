"""The published folder is replaced in one step (sitegen/atomic.py): no kill leaves it missing or half-built."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import ROOT
from sitegen import atomic

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


def _site(folder: Path, label: str, files: int = 3) -> Path:
    folder.mkdir(parents=True)
    for i in range(files):
        (folder / f"page{i}.html").write_text(label, encoding="utf-8")
    (folder / "complete").write_text(label, encoding="utf-8")
    return folder


def _label(target: Path) -> str:
    """The one build a folder holds; fails if it is missing or mixes two."""
    labels = {p.read_text(encoding="utf-8") for p in target.iterdir()}
    assert (target / "complete").is_file() and len(labels) == 1, sorted(os.listdir(target))
    return labels.pop()


def test_a_new_folder_takes_the_place_of_the_old_and_nothing_is_left_beside_it(tmp_path):
    target = _site(tmp_path / "site", "old")
    new = atomic.staging_folder(target)
    new.rmdir()
    _site(new, "new")
    atomic.replace(new, target)
    assert _label(target) == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_first_build_renames_its_folder_into_place(tmp_path):
    new = _site(tmp_path / ".site-new-x", "new")
    atomic.replace(new, tmp_path / "site")
    assert _label(tmp_path / "site") == "new"


def test_without_the_exchange_call_two_renames_do_it(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    target = _site(tmp_path / "site", "old")
    atomic.replace(_site(tmp_path / ".site-new-x", "new"), target)
    assert _label(target) == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_build_killed_after_the_swap_leaves_the_new_site_and_a_folder_the_next_build_clears(tmp_path, monkeypatch):
    target = _site(tmp_path / "site", "old")
    new = _site(tmp_path / ".site-new-x", "new")

    def killed(*args, **kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(atomic.shutil, "rmtree", killed)
    with pytest.raises(SystemExit):
        atomic.replace(new, target)
    assert _label(target) == "new"
    monkeypatch.undo()
    atomic.clear_stale(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_kill_at_any_moment_leaves_a_complete_site(tmp_path):
    """A process swaps two builds over and over; it is killed at moments spread over its work, and the
    target always holds exactly one whole build."""
    target = tmp_path / "site"
    _site(target, "0", files=200)
    program = (
        "import sys, shutil; from pathlib import Path; sys.path.insert(0, sys.argv[1]); from sitegen import atomic\n"
        "target = Path(sys.argv[2]); n = 0\n"
        "while True:\n"
        "    n += 1; new = atomic.staging_folder(target)\n"
        "    for i in range(200): (new / f'page{i}.html').write_text(str(n))\n"
        "    (new / 'complete').write_text(str(n))\n"
        "    atomic.replace(new, target)\n"
    )
    for delay in [0.04 + 0.017 * i for i in range(10)]:
        process = subprocess.Popen([sys.executable, "-c", program, str(ROOT / "scripts"), str(target)])
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        _label(target)
        atomic.clear_stale(target)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
