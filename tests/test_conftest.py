"""tests/conftest.py's own promises about how `make test` runs the tests."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


def test_early_tests_come_before_the_others_in_the_collection(request):
    early = [item.get_closest_marker("early") is not None for item in request.session.items]
    assert early == sorted(early, reverse=True), "an `early` test comes after a test that is not"
