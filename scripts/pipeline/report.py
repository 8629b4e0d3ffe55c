"""What a build tells its caller: a Report of what it did, or BuildFailed saying why it stopped."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from sitegen.errors import SiteDataError


class BuildFailed(Exception):
    """The build stopped; the message says why (file, line and problem where known)."""


@contextlib.contextmanager
def as_build_failure() -> Iterator[None]:
    """A SiteDataError (bad input, with its file and line) raised inside stops the build with its message."""
    try:
        yield
    except SiteDataError as error:
        raise BuildFailed(str(error)) from None


@dataclass
class Report:
    """What one build did, for the summary line and the benchmark."""

    seconds: dict[str, float] = field(default_factory=dict)  # each step's time, in the order they ran
    printed: list[str] = field(default_factory=list)  # PDFs printed by Chromium this time
    reused: list[str] = field(default_factory=list)  # PDFs taken from the cache
    due: list[str] = field(default_factory=list)  # pages whose next review date has passed

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - start, 3)
