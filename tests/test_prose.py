"""Unit tests of sitegen.prose: a page's prose lines, numbered as its file numbers them, code examples left out."""

from __future__ import annotations

import pytest

from sitegen.prose import prose_lines

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


def test_lines_are_numbered_from_one_unless_told_where_the_text_starts():
    assert list(prose_lines("a\n```\nb\n```\nc\n")) == [(1, "a"), (5, "c")]
    assert list(prose_lines("a\n", 7)) == [(7, "a")]
