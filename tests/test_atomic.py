"""The published folder is replaced in one step (sitegen/atomic.py): no kill leaves it missing or half-built."""

from __future__ import annotations

import ctypes
import errno
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


# --- The one-step swap itself, and what happens where it is missing --------------------------------------


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    a, b = _site(tmp_path / "a", "new"), _site(tmp_path / "b", "old")
    assert atomic.exchange(a, b) is True
    assert _label(a) == "old" and _label(b) == "new"


def test_exchange_reports_a_missing_folder_by_its_error_and_name(tmp_path):
    with pytest.raises(FileNotFoundError) as caught:
        atomic.exchange(tmp_path / "a", tmp_path / "site")
    assert str(caught.value) == f"[Errno {errno.ENOENT}] {os.strerror(errno.ENOENT)}: '{tmp_path / 'site'}'"


class _System:
    """A C library whose renameat2 fails with `code`, recording what it was asked."""

    def __init__(self, code: int):
        self.code, self.calls = code, []

    def renameat2(self, *args):
        self.calls.append(args)
        ctypes.set_errno(self.code)
        return -1


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV, None])
def test_exchange_says_so_where_the_system_cannot_swap(tmp_path, monkeypatch, code):
    system = _System(code) if code else object()  # None: a C library without the call
    monkeypatch.setattr(atomic.ctypes, "CDLL", lambda name, use_errno: system)
    assert atomic.exchange(tmp_path / "a", tmp_path / "b") is False


def test_exchange_says_so_where_no_c_library_loads(tmp_path, monkeypatch):
    def missing(name, use_errno):
        raise OSError("no libc")

    monkeypatch.setattr(atomic.ctypes, "CDLL", missing)
    assert atomic.exchange(tmp_path / "a", tmp_path / "b") is False


def test_exchange_asks_for_the_swap_of_the_two_paths(tmp_path, monkeypatch):
    system = _System(errno.EINVAL)
    monkeypatch.setattr(atomic.ctypes, "CDLL", lambda name, use_errno: system)
    atomic.exchange(tmp_path / "a", tmp_path / "b")
    # Relative to the working folder (AT_FDCWD), and RENAME_EXCHANGE: not a plain rename that would replace b.
    assert system.calls == [(-100, os.fsencode(tmp_path / "a"), -100, os.fsencode(tmp_path / "b"), 2)]


def test_a_failed_second_rename_puts_the_old_site_back(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    target = _site(tmp_path / "site", "old")
    with pytest.raises(OSError):
        atomic.replace(tmp_path / ".site-new-gone", target)
    assert _label(target) == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_staging_folder_is_empty_and_beside_its_target_where_the_next_build_clears_it(tmp_path):
    target = _site(tmp_path / "site", "old")
    other = _site(tmp_path / ".other-new-x", "other")
    new = atomic.staging_folder(target)
    assert new.parent == tmp_path and new.name.startswith(".site-new-") and list(new.iterdir()) == []
    atomic.clear_stale(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other-new-x", "site"] and _label(other) == "other"


def test_a_leftover_that_cannot_be_cleared_does_not_stop_the_build(tmp_path):
    target = _site(tmp_path / "site", "old")
    (tmp_path / ".site-new-x").write_text("not a folder", encoding="utf-8")
    atomic.clear_stale(target)
    assert _label(target) == "old"
