"""Unit tests of sitegen.social: a page's link-preview data."""

from __future__ import annotations

import pytest

import datetime as dt

from sitegen import social

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# social: the preview's address


def test_the_preview_image_keeps_a_site_address_ending_in_a_capital_letter():
    # Only the final slash is dropped before /assets/: a path the site's owner spelled /RX/ stays /RX/.
    shared = social.page_social(site_name="S", site_url="https://clinic.example.net/info/RX/", url="uses/",
                                canonical="https://clinic.example.net/info/RX/uses/", title="T", description="D",
                                language="en", last_updated=dt.date(2026, 1, 2))
    assert shared["image"] == "https://clinic.example.net/info/RX/assets/social/uses.png"
