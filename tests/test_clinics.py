"""Clinics: the clinic's own details on the handout, the for-clinics page by task, and PDFs that respect paper.

PDFs are the ones the build prints (site_dir's pdf/), measured with poppler: page counts,
how full each page is, line length, table rows per page, tags and outline.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, build_fails, build_site, copy_project, make
from sitegen import clinic
from sitegen.clinics import LinkedPage, render_cards, render_handout, render_link_table, render_pdf_list, render_tasks
from sitegen.errors import SiteDataError
from sitegen.pages import LINK_CARDS_PAGE, output_file
from sitegen.pdfs import MIN_SHARE, NOT_PRINTED, PAPERS, pdf_name, text_shares

MM = 72 / 25.4  # PDF points per millimetre


# ---------------------------------------------------------------- helpers


def _bbox(pdf: Path) -> ElementTree.Element:
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = re.sub(r"<!DOCTYPE[^>]*>", "", out).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    return ElementTree.fromstring(out)


def _words(line) -> list[tuple[str, float, float]]:
    return [(w.text or "", float(w.get("xMin")), float(w.get("xMax"))) for w in line.iter("word")]


def page_fill(pdf: Path) -> list[float]:
    """How far down each page its text reaches, as a share of the height between the margins.

    The page number ("Page 2 of 3") sits in the bottom margin and does not count.
    """
    fills = []
    for page in _bbox(pdf).iter("page"):
        height = float(page.get("height"))
        bottoms = [float(w.get("yMax")) for w in page.iter("word") if float(w.get("yMax")) < height - 12 * MM]
        fills.append(max(bottoms, default=0) / (height - 12 * MM))
    return fills


def printed_lines(pdf: Path) -> list[str]:
    """Every printed line; side-by-side columns (a gap wider than 3 mm; a space is about 1 mm) count as separate lines."""
    lines = []
    for line in _bbox(pdf).iter("line"):
        words = _words(line)
        current, last = [], None
        for text, x0, x1 in words:
            if last is not None and x0 - last > 3 * MM:
                lines.append(" ".join(current))
                current = []
            current.append(text)
            last = x1
        lines.append(" ".join(current))
    return lines


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def all_pdfs(site_dir: Path) -> list[Path]:
    return sorted((site_dir / "pdf").glob("*.pdf"))


def printed_pages(site_dir: Path) -> list[Path]:
    """Each built page that has PDFs: every page but the redirects and the ones not printed (sitegen.pdfs.NOT_PRINTED)."""
    skipped = {site_dir / output_file(src) for src in NOT_PRINTED}
    return [index for index in sorted(site_dir.rglob("index.html"))
            if index not in skipped and not re.search(r'<meta http-equiv="refresh"', index.read_text(encoding="utf-8"), re.I)]


# ---------------------------------------------------------------- clinic settings (pure)


@pytest.mark.unit
@pytest.mark.parametrize("phone", ["(555) 010-4477", "+44 20 7946 0018", "555.010.4477", "555-010-4477 ext. 12"])
def test_phone_numbers_as_people_write_them_are_accepted(phone):
    assert clinic.check_phone(phone) == phone


@pytest.mark.unit
@pytest.mark.parametrize("phone", ["call us", "12345", "555-010-4477<script>", "javascript:alert(1)", "1234567890123456789", "+"])
def test_a_phone_number_that_is_not_one_is_refused_naming_the_setting(phone):
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml: extra.clinic.phone \(or CLINIC_PHONE\): .* is not a phone number"):
        clinic.check_phone(phone)


@pytest.mark.unit
@pytest.mark.parametrize("web", ["javascript:alert(1)", "clinic.example.org", "https://", "https://a b.example/", 'https://x.example/"onmouseover="'])
def test_a_web_address_that_is_not_one_is_refused(web):
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml: extra.clinic.web \(or CLINIC_WEB\): "):
        clinic.check_web(web)


@pytest.mark.unit
def test_names_are_one_line_of_text():
    assert clinic.check_name("  Riverside <Clinic> & Co  ") == "Riverside <Clinic> & Co"
    with pytest.raises(SiteDataError, match="extra.clinic.name"):
        clinic.check_name("Two\nlines")
    with pytest.raises(SiteDataError, match="keep it to 80"):
        clinic.check_name("x" * 81)


@pytest.mark.unit
def test_no_settings_print_nothing():
    assert clinic.check_clinic(None) == clinic.Clinic()
    assert clinic.check_clinic({"name": "", "phone": "", "web": ""}) == clinic.Clinic()
    assert clinic.contact_line(clinic.Clinic()) == ""


@pytest.mark.unit
def test_an_unknown_clinic_setting_is_named():
    with pytest.raises(SiteDataError, match="unknown setting 'email'"):
        clinic.check_clinic({"email": "a@b.example"})


@pytest.mark.unit
def test_contact_line_escapes_and_links():
    line = clinic.contact_line(clinic.Clinic("A & <B>", "+1 (555) 010-4477", "https://clinic.example.org/?a=1&b=2"))
    soup = BeautifulSoup(line, "html.parser")
    assert soup.get_text() == "Questions? Contact A & <B>: +1 (555) 010-4477 or https://clinic.example.org/?a=1&b=2"
    assert [a["href"] for a in soup.select("a")] == ["tel:+15550104477", "https://clinic.example.org/?a=1&b=2"]
    assert "<B>" not in line
    # Site furniture, so the build's check against the source article accepts it.
    assert "site-note" in soup.p["class"]


# ---------------------------------------------------------------- clinic settings (built)


CLINIC = {"CLINIC_NAME": "Riverside & Hill Clinic", "CLINIC_PHONE": "(555) 010-4477", "CLINIC_WEB": "https://riverside.example.net/"}
CONTACT = "Questions? Contact Riverside & Hill Clinic: (555) 010-4477 or https://riverside.example.net/"


@pytest.mark.rebuild
def test_clinic_details_reach_the_handout_and_its_pdfs_and_absent_ones_print_nothing(tmp_path, monkeypatch, site_dir):
    # Without settings: no "Questions?" line anywhere, nothing invented.
    plain = (site_dir / "handout/index.html").read_text(encoding="utf-8")
    assert "Questions? Contact" not in plain and "clinic-contact" not in plain
    assert "Questions" not in " ".join(page_texts(site_dir / "pdf/handout.pdf"))

    # With them, `make build` as the README says, in a copy that has a public site: the clinic's copy
    # goes to its own folder, says where, and leaves the public site/ as it was.
    project = copy_project(tmp_path)
    public = project / "site"
    public.mkdir()
    (public / "index.html").write_text("the public site", encoding="utf-8")
    result = make(project, "build", **CLINIC)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [p.name for p in public.iterdir()] == ["index.html"]
    assert (public / "index.html").read_text(encoding="utf-8") == "the public site"
    out = project / "build/clinic/site"
    assert ("Clinic copy: the site is in build/clinic/site/ and its PDFs in build/clinic/site/pdf/ (the handout: handout.pdf, "
            "US Letter, and handout-a4.pdf). The public site/ is untouched.") in result.stdout, result.stdout
    soup = BeautifulSoup((out / "handout/index.html").read_text(encoding="utf-8"), "html.parser")
    line = soup.select_one("article .clinic-contact")
    assert line.get_text() == CONTACT
    for paper in PAPERS:
        pdf = out / "pdf" / pdf_name("handout.md", paper)
        text = re.sub(r"\s+", " ", " ".join(page_texts(pdf)))
        assert CONTACT in text, paper
        assert pages(pdf) == 2, paper
    # The offline copy (`make dist`) is built with the same settings, and says the same.
    for name, value in CLINIC.items():
        monkeypatch.setenv(name, value)
    offline = tmp_path / "offline"
    build_site(project, offline, offline=True)  # its PDFs come from the cache the build above filled
    soup = BeautifulSoup((offline / "handout.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("article .clinic-contact").get_text() == line.get_text()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("settings", "site", "dist"),
    [
        ({}, "site", "dist"),
        ({"CLINIC_PHONE": "(555) 010-4477"}, "build/clinic/site", "build/clinic/dist"),
        # A name is text to make, whatever it holds: never a function, a variable or a command.
        ({"CLINIC_NAME": 'A $(error stop) `touch x` $$HOME "B"'}, "build/clinic/site", "build/clinic/dist"),
        ({"CLINIC_WEB": "https://riverside.example.net/", "CLINIC_DIR": "/srv/riverside"}, "/srv/riverside/site", "/srv/riverside/dist"),
    ],
)
def test_make_build_and_dist_put_a_clinics_copy_in_its_own_folder(settings, site, dist):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLINIC_")} | settings
    commands = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "build", "dist", f"PY={sys.executable}"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True,
    ).stdout
    assert f"scripts/build --site-dir {site}\n" in commands, commands
    assert f"scripts/dist --site-dir {site} --out {dist}\n" in commands, commands
    assert ("Clinic copy:" in commands) == bool(settings)


@pytest.mark.rebuild
def test_a_bad_clinic_setting_stops_the_build_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CLINIC_PHONE", "ask at the desk")
    project = copy_project(tmp_path)
    message = build_fails(project, tmp_path / "site", pdf=False)
    assert "mkdocs.yml: extra.clinic.phone (or CLINIC_PHONE): 'ask at the desk' is not a phone number" in message


# ---------------------------------------------------------------- PDFs that respect paper


@pytest.mark.pdf
@pytest.mark.parametrize("paper", list(PAPERS))
def test_page_counts(site_dir, paper):
    assert pages(site_dir / "pdf" / pdf_name("handout.md", paper)) == 2
    # Three sheets since the Spravato label's warnings joined the side effects (issue 31).
    assert pages(site_dir / "pdf" / pdf_name("side-effects.md", paper)) <= 3


@pytest.mark.pdf
def test_no_page_is_below_half_full_except_the_last(site_dir):
    problems = []
    for pdf in all_pdfs(site_dir):
        fills = page_fill(pdf)
        problems += [f"{pdf.name} page {n}: {fill:.0%}" for n, fill in enumerate(fills[:-1], 1) if fill < 0.5]
    assert not problems, problems


@pytest.mark.pdf
def test_printed_lines_are_at_most_90_characters(site_dir):
    for pdf in all_pdfs(site_dir):
        longest = max(printed_lines(pdf), key=len)
        assert len(longest) <= 90, (pdf.name, longest)


@pytest.mark.pdf
@pytest.mark.parametrize("name", ["side-effects"])  # the handout gives the side effects as two lists
def test_no_table_row_stands_alone_on_a_page(site_dir, name):
    # Each row starts with its side effect's name (the row heading), read from the built page.
    soup = BeautifulSoup((site_dir / f"{name}/index.html").read_text(encoding="utf-8"), "html.parser")
    rows = [tr.find(["th", "td"]).get_text(" ", strip=True) for tr in soup.select("article table tbody tr")]
    assert len(rows) >= 10
    for paper in PAPERS:
        for number, text in enumerate(page_texts(site_dir / "pdf" / pdf_name(f"{name}.md", paper)), 1):
            starts = [line.strip() for line in text.splitlines()]
            here = [row for row in rows if any(line.startswith(row) for line in starts)]
            assert len(here) != 1, f"{name} ({paper}) page {number} holds one table row alone: {here}"


@pytest.mark.pdf
def test_every_pdf_is_tagged_titled_with_a_language_and_an_outline(site_dir):
    names = [p.name for p in all_pdfs(site_dir)]
    assert len(names) == 2 * len(printed_pages(site_dir))
    for pdf in all_pdfs(site_dir):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), pdf.name
        assert re.search(r"^Title:\s+\S", info, re.M), pdf.name
        size = r"\(A4\)" if pdf.name.endswith("-a4.pdf") else r"612 x 792 pts \(letter\)"
        assert re.search(r"^Page size:\s+.*" + size, info, re.M), (pdf.name, info)
        data = pdf.read_bytes()
        assert b"/Outlines" in data and b"/StructTreeRoot" in data, pdf.name
        assert re.search(rb"/Lang\s*\(en", data), pdf.name


def _bbox_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pdfs_of(site_dir: Path) -> list[tuple[Path, Path]]:
    """Each printed page's built HTML with each of its PDFs."""
    return [(index, site_dir / "pdf" / pdf_name((index.parent.relative_to(site_dir).as_posix() + "/index.md").lstrip("./"), paper))
            for index in printed_pages(site_dir) for paper in PAPERS]


@pytest.mark.unit
def test_a_sheets_text_share_is_the_area_of_its_blocks_page_number_aside():
    page = ('<page width="600.000000" height="800.000000"><flow>'
            '<block xMin="50" yMin="50" xMax="350" yMax="210"><line/></block>'
            '<block xMin="50" yMin="220" xMax="250" yMax="240"><line/></block>'
            '<block xMin="500" yMin="770" xMax="560" yMax="782"><line/></block>'  # "Page 1 of 2", in the bottom margin
            '</flow></page>')
    assert text_shares(page + page.replace('yMax="210"', 'yMax="60"')) == [(300 * 160 + 200 * 20) / 480000, (300 * 10 + 200 * 20) / 480000]
    assert text_shares("") == []


@pytest.mark.pdf
def test_no_sheet_carries_only_a_few_lines_or_furniture(site_dir):
    """Issue 34: no PDF sheet carries less than 15% of its area as text, unless it is the document's
    only sheet (the ketamine A4 PDF spent its second sheet on the 3-line closing note)."""
    problems = []
    for pdf in all_pdfs(site_dir):
        shares = text_shares(_bbox_text(pdf))
        assert shares, pdf.name
        if len(shares) > 1:
            problems += [f"{pdf.name} sheet {n}: {share:.1%}" for n, share in enumerate(shares, 1) if share < MIN_SHARE]
    assert not problems, problems


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.pdf
def test_no_box_is_split_from_the_list_it_follows(site_dir):
    """Issue 34: the side effects' "Call 911" box began the A4 PDF's second sheet, cut off from the
    more serious side effects it speaks of. A box right after a list starts on the sheet where the
    list ends, on both papers."""
    checked = 0
    for index, pdf in _pdfs_of(site_dir):
        article = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser").select_one("article")
        pairs = []
        for box in article.select(".call-911, .site-addition, .admonition"):
            before = box.find_previous_sibling()
            if before is not None and before.name in ("ul", "ol") and before.find("li"):
                item = before.find_all("li", recursive=False)[-1]
                for number in item.select("sup"):
                    number.decompose()  # its citation numbers print in brackets the page does not have
                last = item.get_text(" ", strip=True)
                pairs.append((_flat(last)[-24:], _flat(box.get_text(" ", strip=True))[:40]))
        if not pairs:
            continue
        sheets = [_flat(page) for page in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")]
        for last, box in pairs:
            where = [n for n, sheet in enumerate(sheets) if box in sheet]
            assert where, f"{pdf.name}: the box {box!r} is not on paper"
            sheet = sheets[where[0]]
            assert last in sheet[:sheet.index(box)], f"{pdf.name}: the box {box!r} starts a sheet without the end of its list ({last!r})"
            checked += 1
    assert checked >= 6, checked  # side effects and the handout on both papers, and the Spravato label's box after esketamine's uses


@pytest.mark.pdf
@pytest.mark.parametrize("paper", list(PAPERS))
def test_the_handouts_title_leaves_no_word_alone_and_its_online_lines_align(site_dir, paper):
    # Issue 34: the A4 title left "know" alone on its last line; the "Last updated" line slipped under the QR code.
    pdf = site_dir / "pdf" / pdf_name("handout.md", paper)
    title = BeautifulSoup((site_dir / "handout/index.html").read_text(encoding="utf-8"), "html.parser").select_one("article h1").get_text(" ", strip=True).replace("¶", "").split()
    lines = [[w[0] for w in _words(line)] for line in _bbox(pdf).iter("line")]
    start = next(n for n, words in enumerate(lines) if words[:3] == title[:3])
    taken, shown = 0, []
    while taken < len(title):
        shown.append(lines[start + len(shown)])
        taken += len(shown[-1])
    assert sum(shown, []) == title, shown
    assert all(len(line) >= 2 for line in shown), shown
    root = _bbox(pdf)
    last = list(root.iter("page"))[-1]
    starts = {}
    for line in last.iter("line"):
        words = _words(line)
        text = " ".join(w[0] for w in words)
        for lead in ("This handout online:", "The sources of each fact:", "Last updated:"):
            if text.startswith(lead):
                starts[lead] = words[0][1]
    assert len(starts) == 3 and max(starts.values()) - min(starts.values()) < 1, starts


@pytest.mark.pdf
@pytest.mark.parametrize("paper", list(PAPERS))
def test_a_footnote_prints_as_note_1_in_brackets_without_stray_spaces(site_dir, paper):
    text = re.sub(r"\s+", " ", " ".join(page_texts(site_dir / "pdf" / pdf_name("ketamine.md", paper))))
    assert "psilocybin (note 1) (the active ingredient" in text, re.search(r"psilocybin.{0,30}", text)


@pytest.mark.pdf
# Chromium sets a line's height in whole CSS pixels: 1.28 x 16 px (12pt) prints 20 px apart, 1.25.
@pytest.mark.parametrize(("paper", "spacing"), [("Letter", 1.2), ("A4", 1.25)])
def test_the_handouts_lines_are_as_far_apart_as_its_two_sheets_allow(site_dir, paper, spacing):
    """Issue 34: 1.2 line height is dense for older readers. A4 is 18 mm taller than US Letter: its
    handout sets its lines further apart (handout.css), on two sheets still; US Letter's hold 1.2."""
    pdf = site_dir / "pdf" / pdf_name("handout.md", paper)
    assert pages(pdf) == 2
    steps = []
    for block in _bbox(pdf).iter("block"):
        tops = [float(line.get("yMin")) for line in block.iter("line")]
        heights = [float(line.get("yMax")) - float(line.get("yMin")) for line in block.iter("line")]
        if len(tops) >= 3 and max(heights) < 15:  # a paragraph of 12pt lines
            steps += [b - a for a, b in zip(tops, tops[1:])]
    steps.sort()
    median = steps[len(steps) // 2]
    assert spacing * 12 - 0.3 <= median <= spacing * 12 + 0.6, (paper, median)


@pytest.mark.pdf
def test_reading_order_follows_the_page(site_dir):
    soup = BeautifulSoup((site_dir / "side-effects/index.html").read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text(" ", strip=True).replace("¶", "").strip() for h in soup.select("article :is(h1, h2)") if h.get("id") != "print-sources"]
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(site_dir / "pdf/side-effects.pdf"), "-"], capture_output=True, text=True, check=True).stdout)
    places = [text.find(h) for h in headings]
    assert -1 not in places and places == sorted(places), list(zip(headings, places))


# ---------------------------------------------------------------- the for-clinics page (pure)

# The for-clinics page's parts, rendered from pages as the build hands them over (absolute
# addresses, PDFs linked relatively). Expected markup is written out: clinic staff copy from it
# and screen readers read every word of it.

PDF_LINK = '<a class="md-button pdf-link print-address" href="{}" type="application/pdf">{} PDF<span class="visually-hidden"> of {}</span></a>'
HANDOUT = LinkedPage("Handout & notes", "https://x.example/handout/", "D", pdfs={"Letter": "../pdf/handout.pdf", "A4": "../pdf/handout-a4.pdf"})
# Its two PDF links, US Letter first, as both the handout block and the print task show them.
HANDOUT_PDFS = (PDF_LINK.format("../pdf/handout.pdf", "US Letter", "Handout &amp; notes") + " "
                + PDF_LINK.format("../pdf/handout-a4.pdf", "A4", "Handout &amp; notes"))


@pytest.mark.unit
def test_the_handout_block_links_the_page_and_both_pdfs_named_by_paper():
    # "US Letter", not "Letter": the label staff choose by. Each PDF names the page for a screen reader.
    assert render_handout(HANDOUT) == (
        '<div class="clinic-task__actions">'
        '<a class="clinic-task__page" href="https://x.example/handout/">Handout &amp; notes</a>'
        ' <span class="clinic-task__pdfs">Download the PDF: <span class="clinic-task__pair">'
        + HANDOUT_PDFS
        + "</span></span></div>"
    )


@pytest.mark.unit
def test_the_three_tasks_offer_the_handout_pdfs_right_at_the_top():
    # The middle task's action is the handout's PDFs themselves (no detour to a section).
    assert render_tasks(HANDOUT) == (
        '<ul class="clinic-tasks" aria-label="What you can do here">'
        '<li class="clinic-task"><p class="clinic-task__title">Link to a page or section</p>'
        '<a class="md-button" href="#clinics-links">Choose a page</a></li>'
        '<li class="clinic-task"><p class="clinic-task__title">Print or download the handout</p>'
        '<span class="clinic-task__pdfs">'
        + HANDOUT_PDFS
        + "</span></li>"
        '<li class="clinic-task"><p class="clinic-task__title">Print any page</p>'
        '<a class="md-button" href="#clinics-print-pages">Choose a page to print</a></li>'
        "</ul>"
    )


@pytest.mark.unit
@pytest.mark.parametrize("handout", [None, LinkedPage("Handout", "https://x.example/handout/", "D")], ids=["no handout", "no pdfs"])
def test_without_handout_pdfs_the_print_task_points_to_how_to_print(handout):
    # A site without a handout page, or without its PDFs, still offers the print task: an empty
    # action (or a crash) would leave staff with nothing to click.
    assert render_tasks(handout) == (
        '<ul class="clinic-tasks" aria-label="What you can do here">'
        '<li class="clinic-task"><p class="clinic-task__title">Link to a page or section</p>'
        '<a class="md-button" href="#clinics-links">Choose a page</a></li>'
        '<li class="clinic-task"><p class="clinic-task__title">Print or download the handout</p>'
        '<a href="#clinics-print">How to print</a></li>'
        '<li class="clinic-task"><p class="clinic-task__title">Print any page</p>'
        '<a class="md-button" href="#clinics-print-pages">Choose a page to print</a></li>'
        "</ul>"
    )


@pytest.mark.unit
def test_the_pdf_list_has_one_item_per_page_with_pdfs_in_menu_order():
    # A page without PDFs gets no item (an item with no link would be a dead end); titles are escaped.
    pages = [
        LinkedPage("Side effects & risks", "https://x.example/side-effects/", "D", pdfs={"Letter": "../pdf/side-effects.pdf", "A4": "../pdf/side-effects-a4.pdf"}),
        LinkedPage("Not printed", "https://x.example/other/", "D"),
        LinkedPage("Uses", "https://x.example/uses/", "D", pdfs={"A4": "../pdf/uses-a4.pdf"}),
    ]
    assert render_pdf_list(pages) == (
        '<ul class="pdf-list">'
        '<li><span class="pdf-list__title">Side effects &amp; risks</span> <span class="pdf-list__links">'
        + PDF_LINK.format("../pdf/side-effects.pdf", "US Letter", "Side effects &amp; risks")
        + " "
        + PDF_LINK.format("../pdf/side-effects-a4.pdf", "A4", "Side effects &amp; risks")
        + "</span></li>"
        '<li><span class="pdf-list__title">Uses</span> <span class="pdf-list__links">'
        + PDF_LINK.format("../pdf/uses-a4.pdf", "A4", "Uses")
        + "</span></li></ul>"
    )


@pytest.mark.unit
def test_a_page_with_several_sections_counts_them_in_the_plural_and_lists_each():
    page = LinkedPage("Uses", "https://x.example/uses/", "D", [("uses-ptsd", "PTSD"), ("uses-pain", "Pain")])
    soup = BeautifulSoup(render_link_table([page]), "html.parser")
    details = soup.select_one("details.link-picker__sections")
    # "2 sections", read aloud as "2 sections of Uses".
    assert str(details.summary) == '<summary>2 sections<span class="visually-hidden"> of Uses</span></summary>'
    # The list holds the two sections' items and nothing between them (no stray text on screen).
    assert [child.name for child in details.ul.children] == ["li", "li"]
    assert [a["href"] for a in details.select("a")] == ["https://x.example/uses/#uses-ptsd", "https://x.example/uses/#uses-pain"]


@pytest.mark.unit
def test_link_picker_and_link_cards_show_nothing_between_their_pages():
    # Two pages, two entries, and only line breaks between them: no stray text on the page.
    pages = [LinkedPage("Uses", "https://x.example/uses/", "D"), LinkedPage("FAQ", "https://x.example/faq/", "D")]
    picker = BeautifulSoup(render_link_table(pages), "html.parser").select_one("ul.link-picker")
    assert [child.name for child in picker.children] == [None, "li", None, "li", None]
    assert [str(child) for child in picker.children if child.name is None] == ["\n", "\n", "\n"]
    cards = BeautifulSoup(render_cards(pages, "Site"), "html.parser").select_one("div.link-cards")
    assert [child.name for child in cards.children] == [None, "details", None, "details", None]
    assert [str(child) for child in cards.children if child.name is None] == ["\n", "\n", "\n"]
    assert [s.summary.get_text() for s in cards.select("details")] == ["Uses", "FAQ"]


# ---------------------------------------------------------------- the for-clinics page


@pytest.mark.build
def test_for_clinics_links_every_pdf_and_the_handout_pdfs(site_dir):
    soup = BeautifulSoup((site_dir / "for-clinics/index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    ids = [h["id"] for h in article.select("h2")]
    assert ids[:3] == ["clinics-links", "clinics-print", "clinics-print-pages"], "the three tasks come first"
    linked = {Path(a["href"]).name for a in article.select('.pdf-list a[type="application/pdf"]')}
    assert linked == {p.name for p in all_pdfs(site_dir)}
    for a in article.select('a[type="application/pdf"]'):
        assert (site_dir / "for-clinics" / a["href"]).resolve().is_file(), a["href"]
    handout = article.select_one("#clinics-print").find_next(class_="clinic-task__actions")
    assert {Path(a["href"]).name for a in handout.select("a[type='application/pdf']")} == {"handout.pdf", "handout-a4.pdf"}


@pytest.mark.build
def test_link_cards_are_shown_rendered_beside_their_html_escaped_once(site_dir):
    soup = BeautifulSoup((site_dir / output_file(LINK_CARDS_PAGE)).read_text(encoding="utf-8"), "html.parser")
    snippets = soup.select("article .link-card-snippet")
    assert snippets
    for snippet in snippets:
        code = snippet.select_one("pre.link-card-snippet__html").get_text()
        assert "&#x27;" not in code and "&amp;#" not in code
        shown = snippet.select_one(".link-card-snippet__preview .ketamine-info-link")
        # The preview is the very HTML in the box.
        assert shown.get_text(" ", strip=True) == BeautifulSoup(code, "html.parser").get_text(" ", strip=True)


@pytest.mark.unit
def test_a_snippet_with_an_apostrophe_reads_as_written():
    from sitegen.clinics import LinkedPage, render_cards

    soup = BeautifulSoup(render_cards([LinkedPage("Dr. O'Neil's page", "https://x.example/a/", "The site's own words & more")], "Site"), "html.parser")
    code = soup.select_one("pre.link-card-snippet__html").get_text()
    assert "site's own words &amp; more" in code and "O'Neil's" in code and "&#x27;" not in code


@pytest.mark.build
def test_every_page_offers_its_pdfs_on_screen_not_on_paper(site_dir):
    printed = printed_pages(site_dir)
    assert len(printed) >= 15
    for index in site_dir.rglob("index.html"):
        soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
        line = soup.select_one(".page-furniture .page-pdf")
        if line is None:
            # A redirect page, or one that is not printed: no PDF of it, and no link to one anywhere.
            assert index not in printed, index
            if not soup.select_one('meta[http-equiv="refresh"]'):
                stem = pdf_name(index.parent.relative_to(site_dir).as_posix() + ".md").removesuffix(".pdf")
                assert not list((site_dir / "pdf").glob(stem + "*.pdf")), index
            continue
        hrefs = [a["href"] for a in line.select("a")]
        assert len(hrefs) == 2 and all((index.parent / h).resolve().is_file() for h in hrefs), (index, hrefs)


@pytest.mark.build
def test_the_for_clinics_page_is_a_screen_tool_and_has_no_pdf(site_dir):
    # Issue 34: its print was 11 sheets of addresses and HTML code that nobody would print. Its
    # PDF list names every other page; no page links a PDF of it.
    assert "for-clinics.md" in NOT_PRINTED
    assert not list((site_dir / "pdf").glob("for-clinics*.pdf"))
    linked = " ".join(index.read_text(encoding="utf-8") for index in site_dir.rglob("index.html"))
    assert "for-clinics.pdf" not in linked and "for-clinics-a4.pdf" not in linked


@pytest.mark.browser
def test_for_clinics_at_1280_and_375(browser, server, screenshots):
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
        page = context.new_page()
        page.goto(server + "for-clinics/")
        page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")
        sizes = page.evaluate("[...document.querySelectorAll('article a')].filter(a => a.getClientRects().length).map(a => parseFloat(getComputedStyle(a).fontSize))")
        assert sizes and min(sizes) >= 16, min(sizes)
        buttons = page.evaluate(
            """[...document.querySelectorAll('article button.copy-button')].filter(b => !b.hidden).map(b => {
                 const r = b.getBoundingClientRect(); const line = parseFloat(getComputedStyle(b).lineHeight) || 20;
                 return [r.height, r.width, b.scrollHeight > r.height + 1 || r.height > 2.8 * parseFloat(getComputedStyle(b).fontSize) + 10];
               })"""
        )
        assert buttons, "copy buttons show where there is a clipboard"
        assert all(h >= 24 and w >= 24 for h, w, _ in buttons)
        assert not any(wrapped for *_, wrapped in buttons), "a copy button wraps onto two lines"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=screenshots / f"for-clinics-tasks-{width}.png", full_page=True)
        context.close()


@pytest.mark.build
def test_the_home_page_leads_clinics_to_their_page(site_dir):
    article = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser").select_one("article")
    links = [a for a in article.select("a[href]") if a["href"].rstrip("/").endswith("for-clinics") or a["href"].endswith("for-clinics/")]
    assert links and all(a.find_parent("p") and "site-note" in a.find_parent("p")["class"] for a in links), links


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 375, 768, 1280])
def test_for_clinics_buttons_and_addresses_wrap_only_where_they_should(browser, server, width):
    """Issue 34: "Download the PDF:" wrapped so that "A4 PDF" stood alone; the handout's title link
    had no underline and buttons differed between sections; addresses broke after "ketamine-"."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(server + "for-clinics/")
    page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")
    found = page.evaluate(
        """() => {
            const box = e => e.getBoundingClientRect();
            const pairs = [...document.querySelectorAll('.clinic-task__pair, .clinic-task > .clinic-task__pdfs, .pdf-list__links')].map(p => {
                const b = [...p.querySelectorAll('a')].map(box);
                return b.length === 2 && (Math.abs(b[0].top - b[1].top) < 1 || Math.abs(b[0].width - b[1].width) < 1);
            });
            const buttons = [...document.querySelectorAll('article .md-button')].filter(b => b.getClientRects().length)
                .map(b => getComputedStyle(b).textDecorationLine);
            // A part of an address with a hyphen stays on one line: lines break only after a slash.
            const parts = [...document.querySelectorAll('.link-picker__part')].filter(p => p.getClientRects().length)
                .map(p => [p.textContent, p.getClientRects().length]);
            const title = getComputedStyle(document.querySelector('.clinic-task__page')).textDecorationLine;
            return {pairs, buttons, parts, title};
        }"""
    )
    context.close()
    assert found["pairs"] and all(found["pairs"]), found["pairs"]
    assert found["buttons"] and set(found["buttons"]) == {"none"}, found["buttons"]
    assert found["title"] == "underline"
    assert found["parts"] and all(lines == 1 for _, lines in found["parts"]), [p for p in found["parts"] if p[1] != 1]


# linkchecker over the whole site, this page included: tests/test_links.py.


@pytest.mark.browser
@pytest.mark.parametrize("paper_width_mm", [215.9, 210])  # US Letter, A4
def test_the_qr_code_prints_at_least_20_mm_wide(browser, server, paper_width_mm):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "handout/")
    page.emulate_media(media="print")
    size = page.evaluate("(() => { const r = document.querySelector('.handout-qr').getBoundingClientRect(); return [r.width, r.height]; })()")
    context.close()
    # CSS millimetres are true millimetres on paper (96 px to 25.4 mm); Chromium prints at 100%.
    assert min(size) * 25.4 / 96 >= 20, size


@pytest.mark.browser
def test_screen_only_marks_do_not_print(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "ketamine/")
    page.emulate_media(media="print")
    found = page.evaluate(
        """(() => ({
             abbr: [...document.querySelectorAll('article abbr')].map(a => [getComputedStyle(a).textDecorationLine, getComputedStyle(a).borderBottomStyle]),
             pdf: [...document.querySelectorAll('.page-pdf')].map(p => getComputedStyle(p).display),
           }))()"""
    )
    context.close()
    assert found["abbr"], "the page has glossary terms"
    assert all(line == "none" and border == "none" for line, border in found["abbr"]), found["abbr"]
    assert found["pdf"] == ["none"]


# ---------------------------------------------------------------------------------------------
# clinic: the clinic's own details on the handout


@pytest.mark.unit
def test_clinic_settings_are_text_or_a_number_and_absent_is_empty():
    assert clinic.check_name(None) == "" and clinic.check_phone(None) == "" and clinic.check_web(None) == ""
    assert clinic.check_phone(5550104477) == "5550104477"  # YAML reads an unquoted number as one
    assert clinic.check_name("x" * 80) == "x" * 80
    for value, shown in ((True, "True"), (["a"], "['a']"), ({"a": 1}, "{'a': 1}"), (1.5, "1.5")):
        with pytest.raises(SiteDataError) as refused:
            clinic.check_name(value)
        assert str(refused.value) == f"mkdocs.yml: extra.clinic.name (or CLINIC_NAME): must be text in quotes, or empty; got {shown}"


@pytest.mark.unit
@pytest.mark.parametrize("value", ["Tab\there", "Bell\x07", "Del\x7f", "C1\x85x", "Line\u2028sep", "Para\u2029sep", "a\x1fb", "\x00"])
def test_a_clinic_setting_must_be_one_line_of_plain_text(value):
    with pytest.raises(SiteDataError) as refused:
        clinic.check_web(value)
    assert str(refused.value) == ("mkdocs.yml: extra.clinic.web (or CLINIC_WEB): must be one line of plain text "
                                  "(no line breaks or control characters)")


@pytest.mark.unit
def test_a_long_name_is_refused_with_its_length():
    with pytest.raises(SiteDataError) as refused:
        clinic.check_name("y" * 81)
    assert str(refused.value) == ("mkdocs.yml: extra.clinic.name (or CLINIC_NAME): is 81 characters long; keep it to 80, "
                                  "so it fits on one printed line")


@pytest.mark.unit
@pytest.mark.parametrize("phone", ["555 0104", "123456789012345", "+1 555 010 4477 x 123456", "555-0104 ext 9", "555-0104 EXT.9", "(555)0104477", " 5550104 "])
def test_phone_numbers_of_7_to_15_digits_with_an_extension_are_accepted(phone):
    assert clinic.check_phone(phone) == phone.strip()


@pytest.mark.unit
@pytest.mark.parametrize("phone", ["555 010", "1234567890123456", "555 0104 x 1234567", "555 0104 ext", "-5550104", "5550104-", "555a0104"])
def test_too_few_or_many_digits_or_stray_characters_are_no_phone_number(phone):
    with pytest.raises(SiteDataError) as refused:
        clinic.check_phone(phone)
    assert str(refused.value) == (
        f"mkdocs.yml: extra.clinic.phone (or CLINIC_PHONE): {phone!r} is not a phone number: write 7 to 15 digits, "
        "with spaces, + ( ) - or . if you like, for example (555) 010-4477 or +44 20 7946 0018")


@pytest.mark.unit
@pytest.mark.parametrize("web", ["https://clinic.example.org", "https://Clinic.Example.org/path?q=1", "https://a.b-c.example:8443/"])
def test_web_addresses_are_accepted_as_written(web):
    assert clinic.check_web(f"  {web} ") == web


@pytest.mark.unit
@pytest.mark.parametrize("web", ["ftp://clinic.example.org/", "https://user@clinic.example.org/", "https://:pw@clinic.example.org/",
                                 "https://localhost/", "https://-a.example/", "https://clinic.example.org/a b", 'https://clinic.example.org/"'])
def test_web_addresses_with_another_scheme_a_login_or_no_real_host_are_refused(web):
    with pytest.raises(SiteDataError) as refused:
        clinic.check_web(web)
    assert str(refused.value) == f"mkdocs.yml: extra.clinic.web (or CLINIC_WEB): {web!r} is not a web address like https://clinic.example.org/"


@pytest.mark.unit
@pytest.mark.parametrize("web", ["http://clinic.example.org/", "HTTP://clinic.example.org"])
def test_an_http_address_is_refused_by_its_setting_with_how_to_write_it(web):
    # Accepted here, it stopped the build later at every page that links to it, naming the pages.
    with pytest.raises(SiteDataError) as refused:
        clinic.check_web(web)
    assert str(refused.value) == (f"mkdocs.yml: extra.clinic.web (or CLINIC_WEB): {web!r} starts with http:, and the site links "
                                  "only to https: addresses; write it with https://")


@pytest.mark.unit
@pytest.mark.parametrize("key", ["name", "phone", "web"])
def test_an_invisible_character_in_a_clinic_setting_is_refused(key):
    value = {"name": "Riverside \u202eclinic", "phone": "555\u200b0104", "web": "https://r.example/\u2066"}[key]
    with pytest.raises(SiteDataError) as refused:
        getattr(clinic, f"check_{key}")(value)
    assert str(refused.value).startswith(f"{clinic.SETTINGS[key]}: contains an invisible character")


@pytest.mark.unit
def test_the_clinic_mapping_is_checked_as_a_whole():
    assert clinic.check_clinic("") == clinic.Clinic()
    assert clinic.check_clinic({"name": " Riverside ", "phone": "555 0104", "web": "https://r.example/"}) == clinic.Clinic(
        "Riverside", "555 0104", "https://r.example/")
    assert clinic.check_clinic({"phone": "555 0104"}) == clinic.Clinic("", "555 0104", "")
    with pytest.raises(SiteDataError) as refused:
        clinic.check_clinic(["name"])
    assert str(refused.value) == "mkdocs.yml: extra.clinic: must list name, phone and web (each optional), got ['name']"
    with pytest.raises(SiteDataError) as refused:
        clinic.check_clinic({"web": "", "zeta": 1, "alpha": 2})
    assert str(refused.value) == "mkdocs.yml: extra.clinic: unknown setting 'alpha'; the settings are: name, phone, web"


@pytest.mark.unit
def test_a_clinic_with_any_detail_is_set():
    assert not clinic.Clinic()
    assert clinic.Clinic(name="A") and clinic.Clinic(phone="1") and clinic.Clinic(web="https://a.example/")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("phone", "href"),
    [("+1 (555) 010-4477", "tel:+15550104477"), ("555.010.4477 ext. 12", "tel:5550104477"), ("555 0104 X9", "tel:5550104"), ("555 0104x 9", "tel:5550104")],
)
def test_the_tel_link_dials_the_number_without_its_extension(phone, href):
    assert clinic.tel_href(phone) == href


@pytest.mark.unit
@pytest.mark.parametrize(
    ("details", "text"),
    [
        (("Riverside", "", ""), "Riverside"),
        (("", "555 0104", ""), '<a href="tel:5550104">555 0104</a>'),
        (("", "", "https://r.example/?a&b"), '<a href="https://r.example/?a&amp;b">https://r.example/?a&amp;b</a>'),
        (("", "555 0104", "https://r.example/"), '<a href="tel:5550104">555 0104</a> or <a href="https://r.example/">https://r.example/</a>'),
        (("R & \"S\"", "", "https://r.example/"), 'R &amp; &quot;S&quot;: <a href="https://r.example/">https://r.example/</a>'),
    ],
)
def test_the_contact_line_names_the_clinic_and_links_what_is_set(details, text):
    assert clinic.contact_line(clinic.Clinic(*details)) == f'<p class="site-note clinic-contact"><strong>Questions? Contact</strong> {text}</p>'


# ---------------------------------------------------------------------------------------------
# clinic: survivors of its mutation run (issue 21)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (["555 0104"], "must be text in quotes, or empty; got ['555 0104']"),
        (True, "must be text in quotes, or empty; got True"),
        ("555\n0104", "must be one line of plain text (no line breaks or control characters)"),
    ],
)
def test_a_phone_that_is_not_one_line_of_text_is_refused_naming_the_phone_setting(value, problem):
    # The editor is told which setting to fix (the phone, not the name or the address), not shown a crash.
    with pytest.raises(SiteDataError) as refused:
        clinic.check_phone(value)
    assert str(refused.value) == f"mkdocs.yml: extra.clinic.phone (or CLINIC_PHONE): {problem}"
