"""Unit tests of sitegen.contact: the contact address."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from sitegen import contact
from sitegen.errors import SiteDataError

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# contact: the contact address


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (42, "must be an email address in quotes or empty, got 42"),
        (["x@example.org"], "must be an email address in quotes or empty, got ['x@example.org']"),
        ("  not an address ", "'not an address' is not a plain email address like name@example.org"),
        ("x@example.org<script>", "'x@example.org<script>' is not a plain email address like name@example.org"),
    ],
)
def test_a_bad_contact_address_is_refused_saying_what_to_write(value, message):
    # The editor reads this message when the build stops: it shows what was given and what is wanted.
    with pytest.raises(SiteDataError) as error:
        contact.check_email(value)
    assert (error.value.where, error.value.problem) == ("mkdocs.yml: extra.contact_email", message)


# ---------------------------------------------------------------------------------------------
# feedback: "Report a problem with this page"


def test_the_feedback_subject_names_the_page_alone_when_no_edition_is_known():
    link = contact.feedback("editors@example.org", "https://example.org/uses/")
    assert unquote(link["href"].split("subject=", 1)[1]) == "Problem with https://example.org/uses/"


def test_the_feedback_subject_is_written_as_a_mailto_link_asks():
    # RFC 6068: a header value holds unreserved characters, %-escapes and a few delimiters, never a raw "/".
    link = contact.feedback("editors@example.org", "https://example.org/uses/", "2026-12-06.9eeec0")
    assert re.fullmatch(r"[A-Za-z0-9._~%-]+", link["href"].split("subject=", 1)[1])
