"""Unit tests of pages: front matter through the checked loader, and where each page is published."""

import datetime as dt

import pytest

from helpers import TINY_NAV, tiny_settings, tiny_site
from sitegen import pages, site as site_model
from sitegen.errors import SiteDataError
from sitegen.pages import human_date, output_file, parse_page, url_of

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

GOOD = "title: T\ndescription: D\nlast_updated: 2026-11-27\nnext_review: 2027-11-27\n"


def page(front: str, body: str = "# T\n\nText.\n"):
    return parse_page("x.md", f"---\n{front}---\n{body}")


def test_good_front_matter():
    info = page(GOOD)
    assert (info.title, info.description) == ("T", "D")
    assert (info.last_updated, info.next_review) == (dt.date(2026, 11, 27), dt.date(2027, 11, 27))
    assert info.body == "# T\n\nText.\n" and info.body_line == 7
    assert info.cites and info.searchable and info.address == "/x/"


def test_quoted_iso_date_is_accepted():
    assert page(GOOD.replace("2026-11-27", "'2026-11-27'")).last_updated == dt.date(2026, 11, 27)


def test_handout_options():
    info = page(GOOD + "citations: omit\nsearch:\n  exclude: true\n")
    assert not info.cites and not info.searchable


@pytest.mark.parametrize(
    "front, message",
    [
        (GOOD.replace("description: D\n", ""), "docs/x.md, line 2: missing field 'description'"),
        (GOOD.replace("2027-11-27", "next year"), "docs/x.md, line 5: next_review: must be a date written YYYY-MM-DD, got text ('next year')"),
        (GOOD.replace("2027-11-27", "2026-01-01"), "docs/x.md, line 5: next_review: 2026-01-01 must be after last_updated (2026-11-27)"),
        (GOOD.replace("description: D", "description: <b>hi</b>"), "docs/x.md, line 3: description: contains HTML"),
        (GOOD.replace("2026-11-27", "2026-02-30"), "docs/x.md, line 4: last_updated: '2026-02-30' is not a real date (day is out of range for month)"),
        (GOOD.replace("2026-11-27", "'2026-02-30'"), "docs/x.md, line 4: last_updated: '2026-02-30' is not a real date"),
        (GOOD.replace("2026-11-27", "2026-13-45"), "docs/x.md, line 4: last_updated: '2026-13-45' is not a real date (month must be in 1..12)"),
        (GOOD + "title: Again\n", "docs/x.md, line 6: title: duplicate key 'title' (first given on line 2)"),
        (GOOD + "last_update: 2026-01-01\n", "docs/x.md, line 6: last_update: unknown field 'last_update'"),
        (GOOD + "citations: hide\n", "docs/x.md, line 6: citations: must be 'omit'"),
        # The theme's hide: and search: (a number stopped the build with a TypeError and no line).
        (GOOD + "hide: 5\n", "docs/x.md, line 6: hide: must be a list of page parts, got a number (5)"),
        (GOOD + "hide:\n  - toc\n  - menu\n", "docs/x.md, line 8: hide[1]: must be one of navigation, toc, footer, path, tags, feedback, got text ('menu')"),
        (GOOD + "search: 5\n", "docs/x.md, line 6: search: must be `exclude: true` (indented under search:) or left out, got a number (5)"),
        (GOOD + "search:\n  exclude: maybe\n", "docs/x.md, line 6: search: must be `exclude: true`"),
        (GOOD + "search:\n  exclude: 1\n", "docs/x.md, line 6: search: must be `exclude: true`"),
        ("title: T\ndescription: [oops\n", "docs/x.md, line 3: a '[' opened on this line is never closed"),
        ("title: &a T\ndescription: *a\n", "docs/x.md, line 2: uses a YAML anchor or alias"),
    ],
)
def test_bad_front_matter_names_the_page_line_and_key(front, message):
    with pytest.raises(SiteDataError) as info:
        page(front)
    assert str(info.value).startswith(message), str(info.value)


def test_a_page_without_front_matter_is_named():
    with pytest.raises(SiteDataError, match="docs/x.md: does not start with front matter"):
        parse_page("x.md", "# Just a heading\n")


def test_human_date():
    assert human_date(dt.date(2026, 3, 5)) == "March 5, 2026"


@pytest.mark.parametrize(
    "src, online, offline, built",
    [
        ("index.md", "", "index.html", "index.html"),
        ("uses.md", "uses/", "uses.html", "uses/index.html"),
        ("guide/index.md", "guide/", "guide/index.html", "guide/index.html"),
    ],
)
def test_where_pages_are_published(src, online, offline, built):
    assert url_of(src) == online and url_of(src, directory_urls=False) == offline
    assert output_file(src) == built


def test_a_review_is_recorded_with_who_and_when_or_not_at_all():
    assert page(GOOD).reviewed is None
    info = page(GOOD + "reviewed:\n  by: Dr A. Reviewer, MD\n  on: 2026-12-01\n")
    assert info.reviewed == ("Dr A. Reviewer, MD", dt.date(2026, 12, 1))
    for front, message in [
        (GOOD + "reviewed:\n  on: 2026-12-01\n", "docs/x.md, line 6: reviewed: missing field 'by'"),
        (GOOD + "reviewed:\n  by: Someone\n  on: soon\n", "docs/x.md, line 8: reviewed.on: must be a date written YYYY-MM-DD"),
        (GOOD + "reviewed:\n  by: 3\n  on: 2026-12-01\n", "docs/x.md, line 7: reviewed.by: must be text, got a number (3)"),
        (GOOD + "reviewed:\n  by: Someone\n  on: '2026-02-30'\n", "docs/x.md, line 8: reviewed.on: '2026-02-30' is not a real date"),
        (GOOD + "review_note: [a list]\n", "docs/x.md, line 6: review_note: must be text, got a list"),
        # The slip of writing it as a sentence is answered with the form to write.
        (GOOD + "reviewed: Dana Reyes on 2026-12-01\n", 'docs/x.md, line 6: reviewed: write it as {by: "Name, credentials", on: YYYY-MM-DD}, '
                                                          "got text ('Dana Reyes on 2026-12-01')"),
    ]:
        with pytest.raises(SiteDataError) as refused:
            page(front)
        assert str(refused.value).startswith(message), str(refused.value)


def test_one_review_date_for_the_site_unless_a_page_says_why(tmp_path):
    root = tiny_site(tmp_path)
    extra = root / "docs/extra.md"
    extra.write_text(extra.read_text(encoding="utf-8").replace("next_review: 2027-01-01", "next_review: 2027-02-01"), encoding="utf-8")
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(root, tiny_settings(), TINY_NAV)
    assert str(refused.value) == ("docs/extra.md, line 5: next_review is 2027-02-01, but the site's pages are next reviewed on 2027-01-01 "
                                  "(2 pages): use that date, or say why this page differs in `review_note:`")
    extra.write_text(extra.read_text(encoding="utf-8").replace("next_review: 2027-02-01", "next_review: 2027-02-01\nreview_note: Checked monthly."),
                     encoding="utf-8")
    assert site_model.load_site(root, tiny_settings(), TINY_NAV).pages["extra.md"].review_note == "Checked monthly."


def test_the_review_cycle_is_the_date_most_pages_share():
    from sitegen.pages import review_cycle

    d = dt.date
    assert review_cycle([d(2027, 1, 1), d(2027, 2, 1), d(2027, 2, 1)]) == (d(2027, 2, 1), 2)
    assert review_cycle([d(2027, 3, 1), d(2027, 1, 1)]) == (d(2027, 1, 1), 1)  # a tie: the earliest
    assert review_cycle([]) is None


@pytest.mark.parametrize("title", ["Uses\u202e of ketamine", "Side\u200beffects", "Ketamine\u2066 facts"])
def test_a_title_with_an_invisible_character_is_refused_naming_it(title):
    text = f"---\ntitle: {title}\ndescription: A page.\nlast_updated: 2026-01-01\nnext_review: 2027-01-01\n---\n\n# Page\n"
    with pytest.raises(SiteDataError) as error:
        parse_page("uses.md", text)
    assert str(error.value).startswith("docs/uses.md, line 2: title: contains an invisible character (U+")


def test_a_review_by_a_person_is_on_the_record(tmp_path):
    """`reviewed: {by, on}` is a change like any other: an entry on its date names the page (so /changes/
    says who checked it), and the message says what to write, the page's last_updated line included."""
    root = tiny_site(tmp_path)
    extra = root / "docs/extra.md"
    extra.write_text(extra.read_text(encoding="utf-8").replace("next_review:", "reviewed: {by: 'Dana Reyes, PharmD', on: 2026-02-01}\nnext_review:"),
                     encoding="utf-8")
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(root, tiny_settings(), TINY_NAV)
    assert str(refused.value) == (
        "docs/extra.md, line 5: reviewed: on 2026-02-01, but data/changes.yml has no entry for /extra/ on that date: add one at the top "
        "(date: 2026-02-01, pages: [/extra/], what: Dana Reyes, PharmD reviewed this page against its sources.) and write "
        "`last_updated: 2026-02-01` on line 4")
    record = root / "data/changes.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("changes:\n", "changes:\n  - date: 2026-02-01\n    pages: [/extra/]\n"
                                                                 "    what: Dana Reyes, PharmD, reviewed this page.\n"), encoding="utf-8")
    extra.write_text(extra.read_text(encoding="utf-8").replace("last_updated: 2026-01-01", "last_updated: 2026-02-01"), encoding="utf-8")
    assert site_model.load_site(root, tiny_settings(), TINY_NAV).pages["extra.md"].reviewed == ("Dana Reyes, PharmD", dt.date(2026, 2, 1))


# ---------------------------------------------------------------------------------------------
# pages: every message names the file, the line and the key

FRONT = "---\ntitle: T\ndescription: D\nlast_updated: 2026-01-01\nnext_review: 2026-06-01\n---\nBody\n"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("title: T", "title: 1", "docs/p.md, line 2: title: must be text, got a number (1)"),
        ("title: T", "title: TODO", "docs/p.md, line 2: title: still holds the new-page scaffold's TODO: write it, in a sentence"),
        ("description: D", "description: a TODO here", "docs/p.md, line 3: description: still holds the new-page scaffold's TODO: write it, in a sentence"),
        ("title: T", "title: T\ncitations: yes", "docs/p.md, line 3: citations: must be 'omit' (or left out), got a yes/no value (true)"),
        ("title: T", "title: T\nsource: other",
         "docs/p.md, line 3: source: must be 'article' (the page holds the article's sentences) or 'extract' (it repeats some), or left out"),
    ],
)
def test_a_wrong_front_matter_value_is_named_by_line_and_key(old, new, message):
    with pytest.raises(SiteDataError) as caught:
        pages.parse_page("p.md", FRONT.replace(old, new))
    assert str(caught.value).startswith(message)


def test_a_page_keeps_its_source_kind_and_counts_lines_from_its_body():
    page = pages.parse_page("p.md", FRONT.replace("title: T", "title: T\nsource: article") + "Second\nThird\n")
    assert page.source == "article"
    assert page.body == "Body\nSecond\nThird\n"
    assert (page.body_line, page.line_of(0), page.line_of(5), page.line_of(12)) == (8, 8, 9, 10)
    # A body that starts with a blank line: what follows it is on the next line.
    blank_first = pages.Page("p.md", "T", "D", dt.date(2026, 1, 1), dt.date(2026, 6, 1), "\nSecond\n", 7)
    assert (blank_first.line_of(0), blank_first.line_of(1)) == (7, 8)


def test_the_offline_copy_writes_each_page_as_its_own_html_file():
    assert pages.output_file("uses.md", False) == "uses.html"
    assert pages.output_file("index.md", False) == "index.html"
    assert pages.output_file("uses.md") == "uses/index.html"
