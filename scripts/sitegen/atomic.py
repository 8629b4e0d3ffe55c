"""Replacing the published folder in one step, so no moment (a crash, a kill) leaves it missing or half-built.

On Linux, renameat2(RENAME_EXCHANGE) swaps two folders atomically: the target holds either the whole
old site or the whole new one. Where the call is missing (another OS, an old kernel or filesystem),
two renames do it, with a moment in between when the target does not exist. A build killed at any
point leaves only staging folders named `.<target>-new-*`, cleared by the next build.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Swap folders `a` and `b` in one step; False if the system cannot (then nothing changed)."""
    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def staging_folder(target: Path) -> Path:
    """A new empty folder beside `target` (same filesystem, so the swap is a rename)."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))


def clear_stale(target: Path) -> None:
    """Remove staging folders that killed builds left beside `target`."""
    for folder in target.parent.glob(f".{target.name}-new-*"):
        shutil.rmtree(folder, ignore_errors=True)


def replace(new: Path, target: Path) -> None:
    """Put folder `new` in place of `target`; on any error `target` is as it was."""
    if not target.exists():
        new.rename(target)
        return
    if exchange(new, target):
        shutil.rmtree(new)  # `new` now holds the old site
        return
    old = new.with_name(new.name + "-old")
    target.rename(old)
    try:
        new.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old)
