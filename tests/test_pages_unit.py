"""Unit tests of front-matter checks."""

import datetime as dt

import pytest

from sitegen.errors import SiteDataError
from sitegen.pages import check_front_matter, human_date

GOOD = {"title": "T", "description": "D", "last_updated": dt.date(2026, 11, 27), "next_review": dt.date(2027, 11, 27)}


def test_good_front_matter_returns_dates():
    assert check_front_matter(GOOD, "docs/x.md") == {"last_updated": dt.date(2026, 11, 27), "next_review": dt.date(2027, 11, 27)}


def test_iso_string_is_accepted():
    assert check_front_matter({**GOOD, "last_updated": "2026-01-02"}, "x")["last_updated"] == dt.date(2026, 1, 2)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"description": None}, "docs/x.md: front matter is missing 'description'"),
        ({"next_review": "next year"}, "docs/x.md: front matter 'next_review' must be a date written YYYY-MM-DD, got 'next year'"),
        ({"next_review": dt.date(2026, 1, 1)}, "docs/x.md: front matter 'next_review' (2026-01-01) must be after 'last_updated' (2026-11-27)"),
        ({"description": "<b>hi</b>"}, "docs/x.md: front matter 'description' must be plain text"),
    ],
)
def test_bad_front_matter_is_named(change, message):
    with pytest.raises(SiteDataError) as info:
        check_front_matter({**GOOD, **change}, "docs/x.md")
    assert str(info.value) == message


def test_human_date():
    assert human_date(dt.date(2026, 3, 5)) == "March 5, 2026"


def test_front_matter_mkdocs_could_not_parse_is_reread():
    markdown = "---\ntitle: T\ndescription: D\nlast_updated: 2026-13-45\nnext_review: 2027-01-01\n---\n# T\n"
    with pytest.raises(SiteDataError, match="front matter 'last_updated' must be a date written YYYY-MM-DD, got '2026-13-45'"):
        check_front_matter({}, "docs/x.md", markdown)


def test_front_matter_that_is_not_yaml_names_the_line():
    markdown = "---\ntitle: T\ndescription: [oops\n---\n# T\n"
    with pytest.raises(SiteDataError, match=r"docs/x.md: front matter line \d+ is not valid YAML"):
        check_front_matter({}, "docs/x.md", markdown)
