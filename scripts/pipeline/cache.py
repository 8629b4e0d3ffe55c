"""PDFs, preview images and .gz copies kept between builds (build/cache/), each under a hash of all its inputs.

An entry is never stale: change any input and the key changes. The folder is safe to delete, and
builds running at once (pytest -n) may share it: each entry is written whole, then renamed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path


def digest(*parts: bytes | str | int) -> str:
    """One key for all `parts`, in order."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:32]


def cached(path: Path, make: Callable[[], bytes]) -> bytes:
    """The bytes kept at `path`, or `make()`'s, kept there for next time."""
    if path.is_file():
        return path.read_bytes()
    data = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # builds in parallel (pytest -n) share the cache
    tmp.write_bytes(data)
    tmp.replace(path)
    return data
