"""Unit tests of sitegen.social: a page's link-preview data."""

from __future__ import annotations

import pytest

import datetime as dt

from sitegen import social
from sitegen.publisher import Publisher

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# social: the preview's address


def test_the_preview_image_keeps_a_site_address_ending_in_a_capital_letter():
    # Only the final slash is dropped before /assets/: a path the site's owner spelled /RX/ stays /RX/.
    shared = social.page_social(site_name="S", site_url="https://clinic.example.net/info/RX/", url="uses/",
                                canonical="https://clinic.example.net/info/RX/uses/", title="T", description="D",
                                language="en", last_updated=dt.date(2026, 1, 2))
    assert shared["image"] == "https://clinic.example.net/info/RX/assets/social/uses.png"


# ---------------------------------------------------------------------------------------------
# social: who publishes the page, and its recorded review, in the structured data


def _shared(**options) -> dict:
    return social.page_social(site_name="S", site_url="https://x.example/RX/", url="uses/", canonical="https://x.example/RX/uses/",
                              title="T", description="D", language="en", last_updated=dt.date(2026, 1, 2), **options)


def test_the_publisher_is_named_with_its_address_and_logo_where_set():
    full = Publisher("Riverside Clinic", "assets/images/logo.svg", "https://riverside.example.org/")
    assert _shared(publisher=full)["json_ld"]["publisher"] == {
        "@type": "Organization", "name": "Riverside Clinic", "url": "https://riverside.example.org/",
        "logo": {"@type": "ImageObject", "url": "https://x.example/RX/assets/images/logo.svg"},  # only the final slash dropped
    }
    assert _shared(publisher=Publisher("Riverside Clinic"))["json_ld"]["publisher"] == {"@type": "Organization", "name": "Riverside Clinic"}
    assert "publisher" not in _shared()["json_ld"]


def test_a_recorded_review_reaches_the_structured_data():
    data = _shared(reviewed=("Dr A", dt.date(2026, 3, 4)))["json_ld"]
    assert (data["lastReviewed"], data["reviewedBy"]) == ("2026-03-04", {"@type": "Person", "name": "Dr A"})
