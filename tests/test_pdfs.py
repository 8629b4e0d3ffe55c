"""Unit tests of sitegen.pdfs: every page on Letter and A4, under stable names, printed the same way every time."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from sitegen import pdfs

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# pdfs: every page on Letter and A4, under stable names, printed the same way every time


@pytest.mark.parametrize(
    ("src", "paper", "path"),
    [("index.md", "A4", "pdf/home-a4.pdf"), ("side-effects.md", "A4", "pdf/side-effects-a4.pdf"), ("uses.md", "Letter", "pdf/uses.pdf"),
     ("guide/index.md", "A4", "pdf/guide-a4.pdf"), ("reindex.md", "Letter", "pdf/reindex.pdf"), ("a/b/c.md", "Letter", "pdf/a-b-c.pdf")],
)
def test_each_page_has_a_pdf_per_paper_under_a_stable_name(src, paper, path):
    assert pdfs.pdf_path(src, paper) == path


def test_pdfs_are_printed_tagged_with_an_outline_on_the_paper_asked_for():
    assert pdfs.print_options("A4") == {"format": "A4", "print_background": False, "prefer_css_page_size": False, "tagged": True, "outline": True}
    assert pdfs.print_options("Letter")["format"] == "Letter"
    # The options and how a page is fitted to the paper: change either and every PDF is printed again.
    assert pdfs.PRINT_SETTINGS.startswith("[('outline', True), ('prefer_css_page_size', False), ('print_background', False), ('tagged', True)]")
    assert pdfs.PRINT_SETTINGS.endswith(pdfs.FIT_RULE + "0.15; page scripts False") and pdfs.PAGE_SCRIPTS is False


def test_a_page_is_fitted_in_the_loosest_layout_with_the_fewest_sheets_and_a_last_sheet_worth_printing():
    L = pdfs.Layout
    # Fewer sheets win; among as many, the first (loosest) whose last sheet carries 15% of text or more.
    assert pdfs.fitted([L("none", 2, 0.04), L("print-tight", 1, 0.5), L("print-tighter", 1, 0.4)]).name == "print-tight"
    assert pdfs.fitted([L("print-roomy", 2, 0.3), L("none", 2, 0.2)]).name == "print-roomy"
    assert pdfs.fitted([L("none", 2, 0.14), L("print-tight", 2, 0.09), L("print-tighter", 2, 0.18)]).name == "print-tighter"
    # The loosest that carries enough, not the fullest; exactly MIN_SHARE is enough.
    assert pdfs.fitted([L("print-roomy", 2, 0.2), L("none", 2, 0.5)]).name == "print-roomy"
    assert pdfs.fitted([L("print-roomy", 2, pdfs.MIN_SHARE), L("none", 2, 0.5)]).name == "print-roomy"
    # None carries enough: the fullest last sheet. One sheet is always enough.
    assert pdfs.fitted([L("none", 3, 0.05), L("print-tight", 3, 0.1), L("print-tighter", 3, 0.08)]).name == "print-tight"
    assert pdfs.fitted([L("none", 1, 0.02)]).name == "none"
    assert pdfs.MIN_SHARE == 0.15


def _bbox_page(width: float, height: float, blocks: list[tuple[float, float, float, float]]) -> str:
    """One page as `pdftotext -bbox-layout` writes it, a block to a line."""
    rows = "".join(f'\n  <block xMin="{x0!r}" yMin="{y0!r}" xMax="{x1!r}" yMax="{y1!r}">\n  </block>' for x0, y0, x1, y1 in blocks)
    return f'<page width="{width!r}" height="{height!r}">{rows}\n</page>\n'


def test_a_pages_text_share_is_its_blocks_area_the_page_number_under_12_mm_from_the_bottom_aside():
    # 12 mm is 12 / 25.4 inches of 72 points: blocks starting above that line count, at or under it not.
    line = 200.0 - pdfs.PAGE_NUMBER_ZONE_MM * 72 / 25.4
    counted = [(0.0, 10.0, 50.0, 20.0), (0.0, line - 0.3, 10.0, line - 0.2)]  # 500 + 1 point²
    page_number = [(40.0, line, 60.0, 199.0), (40.0, line + 0.5, 60.0, 199.0)]
    pages = _bbox_page(100.0, 200.0, counted + page_number) + _bbox_page(100.0, 200.0, [])
    assert pdfs.text_shares(f"<doc>\n{pages}</doc>") == pytest.approx([501 / 20000, 0.0])
    assert pdfs.text_shares("<doc></doc>") == []


def test_the_layouts_a_stylesheet_offers_are_read_in_order_with_the_browsers_own_among_them():
    assert pdfs.fit_order(" none print-tight  print-tighter ") == ["none", "print-tight", "print-tighter"]
    assert pdfs.fit_order("print-roomy none") == ["print-roomy", "none"]
    assert pdfs.fit_order("") == ["none"] and pdfs.fit_order("print-tight") == ["none", "print-tight"]
    assert pdfs.fit_order('"x" Bad_name ok') == ["none", "ok"]  # only names a class can have


def test_a_pdfs_sheets_are_its_page_objects_not_its_page_tree():
    assert pdfs.page_count(b"<</Type /Pages /Count 2>> <</Type /Page /Parent 1 0 R>> <</Type/Page>> <</Type /PageLabel>>") == 2


def test_a_page_promised_on_so_many_sheets_is_refused_on_more_naming_its_file_and_paper():
    def pdf(sheets: int) -> bytes:
        return b"<</Type /Pages /Count 9>>" + b"<</Type /Page>>" * sheets
    src, most = next(iter(pdfs.MAX_SHEETS.items()))
    assert pdfs.sheets_problem(src, "A4", pdf(most)) is None
    assert pdfs.sheets_problem(src, "Letter", pdf(most + 1)) == (
        f"docs/{src}: prints on {most + 1} pages of Letter paper ({pdfs.pdf_name(src)}), but it must fit on {most}: "
        "shorten it, or leave out a part that readers can find on the page it comes from")
    assert pdfs.pdf_name(src, "A4") in pdfs.sheets_problem(src, "A4", pdf(most + 1))
    assert pdfs.sheets_problem("other-page.md", "Letter", pdf(40)) is None  # no promise, no limit


def test_pages_not_printed_are_the_for_clinics_tools_only():
    assert not pdfs.printed("for-clinics.md") and pdfs.printed("handout.md") and pdfs.printed("index.md")


def test_a_pages_date_is_midnight_utc_and_pinned_into_both_pdf_dates():
    assert pdfs.epoch_of(dt.date(2026, 12, 1)) == 1796083200
    pdf = (b"<</CreationDate (D:20261127075138Z)/ModDate (D:20261127075138-05'00')"
           b"/X (D:20261127075138+00'00')/ModDate (D:2026112707513+00'00')>>")
    pinned = pdfs.pin_pdf_dates(pdf, 1796083200)
    # A date of another length, or under another name, is left alone: offsets in the file must not move.
    assert pinned == (b"<</CreationDate (D:20261127075138Z)/ModDate (D:20261201000000+00'00')"
                      b"/X (D:20261127075138+00'00')/ModDate (D:2026112707513+00'00')>>")


def test_structure_ids_are_renumbered_in_order_keeping_each_reference():
    pdf = b"(node00005278) (node00000012) (node00005278) (node123) (node00000099)"
    assert pdfs.renumber_node_ids(pdf) == b"(node00000001) (node00000002) (node00000001) (node123) (node00000003)"
    twice = b"/CreationDate (D:20261127075138+00'00') (node00000042)"
    assert pdfs.reproducible(twice, 1796083200) == b"/CreationDate (D:20261201000000+00'00') (node00000001)"


# ---------------------------------------------------------------------------------------------
# pdfs: survivors of its mutation run (issue 21)


def test_a_pages_pdf_is_the_us_letter_one_unless_a4_is_asked_for():
    # The handout links its PDF by the default paper: the plain name other sites already link to.
    assert pdfs.pdf_path("handout.md") == "pdf/handout.pdf"
    assert pdfs.pdf_path("guide/index.md") == "pdf/guide.pdf"


@pytest.fixture
def far_time_zone():
    """The build machine's clock set to UTC+14 (a POSIX TZ string: no time-zone database needed)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "<+14>-14"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_pdf_dates_are_midnight_utc_whatever_the_build_machines_time_zone(far_time_zone):
    # The same page built in Auckland or in a UTC container must give the same PDF bytes,
    # and the date stamped "+00'00'" must really be UTC.
    assert time.strftime("%H", time.localtime(0)) == "14"  # the zone is in force
    assert pdfs.epoch_of(dt.date(2026, 12, 1)) == 1796083200
    pdf = b"/CreationDate (D:20261127075138+00'00')/ModDate (D:20261127075138Z)"
    assert pdfs.pin_pdf_dates(pdf, 1796083200) == b"/CreationDate (D:20261201000000+00'00')/ModDate (D:20261127075138Z)"
