"""How `scripts/build` prints each page to PDF, and the file each one becomes."""

from __future__ import annotations

import datetime as dt
import re
from types import MappingProxyType
from typing import NamedTuple

from .pages import TOOL_PAGES

# Every page is printed on both papers clinics use: US Letter (the site's readers are in the
# US; its PDF keeps the plain name other sites already link to) and A4 (clinics that print on
# it would otherwise get shrunk pages). The value is what the PDF's name ends with.
PAPERS = MappingProxyType({"Letter": "", "A4": "-a4"})
# How every PDF is printed: margins and page numbers from the site's @page rules, tagged
# (headings, lists, tables for screen readers) and with an outline of the headings.
PRINT_OPTIONS = MappingProxyType({"print_background": False, "prefer_css_page_size": False, "tagged": True, "outline": True})
# Fitting a page to the paper: FIT_STYLESHEET (loaded by the printer only, so no reader downloads
# it) names, in the custom property FIT_PROPERTY on the root, the layouts the printer may use,
# loosest first ("none" is the page as a browser prints it; any other is a class set on the
# root). The printer prints them and keeps the one fitted() chooses, so that no page ends on a
# sheet holding a few lines or only its closing note, and the handout takes the room A4 gives it.
FIT_STYLESHEET = "assets/stylesheets/print-fit.css"
FIT_PROPERTY = "--print-fit"
AS_BROWSERS_PRINT = "none"
# A sheet that carries less text than this share of its area is a sheet mostly wasted (unless it
# is a document's only one): text_shares() measures it.
MIN_SHARE = 0.15
FIT_RULE = "fewest sheets; then the loosest whose last sheet carries MIN_SHARE, else the fullest last sheet"
# Pages not printed at all: the for-clinics pages are on-screen tools (link pickers, copy buttons,
# HTML to paste) that paper cannot use; what clinics print is the handout and the other pages'
# PDFs, which they link.
NOT_PRINTED = TOOL_PAGES
# Part of every cached PDF's key: change it and every PDF is printed again.
# A printed page's own scripts never run (pipeline.pdfprint): what a PDF says is what the checked HTML says.
PAGE_SCRIPTS = False
PRINT_SETTINGS = repr(sorted(PRINT_OPTIONS.items())) + FIT_RULE + str(MIN_SHARE) + f"; page scripts {PAGE_SCRIPTS}"
# Also part of the key: what the build writes into a PDF's document information after printing (`with_edition`).
METADATA = "edition as Subject and Keywords, 1"

# How Chromium is started, to print and in the tests and the benchmark. Chromium 156 preloads its
# address bar's suggestion popup (chrome://omnibox-popup.top-chrome/, a renderer of its own) in
# every new context: about 0.8 CPU seconds each, for browser furniture a headless page never shows.
# Chromium heeds only the last --disable-features, and Playwright passes its own list first, so
# this one repeats Playwright's (tests/test_browser.py checks it still holds all of it).
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
    "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin",
    "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
    "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion",
)
NO_ADDRESS_BAR_POPUP = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + NO_ADDRESS_BAR_POPUP),
)


def printed(src: str) -> bool:
    """Whether a page is printed to PDF (and its PDFs linked)."""
    return src not in NOT_PRINTED


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page\b(?!s)")


def page_count(pdf: bytes) -> int:
    """The sheets a PDF prints on: its page objects (not the /Pages tree that holds them)."""
    return len(_PAGE_OBJECT.findall(pdf))


# Pages promised on at most so many sheets of each paper: the handout, printed on the two sides of one
# sheet (the README and the page for clinics say so).
MAX_SHEETS = MappingProxyType({"handout.md": 2})


def sheets_problem(src: str, paper: str, pdf: bytes) -> str | None:
    """What is wrong when the PDF of `src` on `paper` takes more sheets than MAX_SHEETS allows it."""
    most = MAX_SHEETS.get(src)
    sheets = page_count(pdf)
    if most is None or sheets <= most:
        return None
    return (f"docs/{src}: prints on {sheets} pages of {paper} paper ({pdf_name(src, paper)}), but it must fit on {most}: "
            "shorten it, or leave out a part that readers can find on the page it comes from")


class Layout(NamedTuple):
    """One layout of a page as printed: its name (in --print-fit), its sheets, the share of its last sheet that is text."""

    name: str
    sheets: int
    last_share: float


def fitted(layouts: list[Layout]) -> Layout:
    """Of layouts in order of preference (loosest first): those with the fewest sheets; of them the
    first whose last sheet carries at least MIN_SHARE of text (or the only sheet), else the one
    whose last sheet carries most."""
    fewest = min(layout.sheets for layout in layouts)
    candidates = [layout for layout in layouts if layout.sheets == fewest]
    full = [layout for layout in candidates if layout.sheets == 1 or layout.last_share >= MIN_SHARE]
    return full[0] if full else max(candidates, key=lambda layout: layout.last_share)


# The page number sits in the bottom margin, under this line (print.css): not the page's text.
PAGE_NUMBER_ZONE_MM = 12


def text_shares(bbox_xhtml: str) -> list[float]:
    """How much of each page carries text: the area of its blocks (paragraphs, list items, table
    cells, as `pdftotext -bbox-layout` finds them), the page number aside, as a share of the page."""
    shares = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox_xhtml, re.S):
        width, height = float(page[1]), float(page[2])
        limit = height - PAGE_NUMBER_ZONE_MM * 72 / 25.4
        area = 0.0
        for block in re.finditer(r'<block xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">', page[3]):
            x0, y0, x1, y1 = map(float, block.groups())
            if y0 < limit:
                area += (x1 - x0) * (y1 - y0)
        shares.append(area / (width * height))
    return shares


def fit_order(value: str) -> list[str]:
    """The layouts --print-fit names, in order, the browser's own among them (first when not named)."""
    names = [name for name in value.split() if re.fullmatch(r"[a-z][a-z0-9-]*", name)]
    return names if AS_BROWSERS_PRINT in names else [AS_BROWSERS_PRINT, *names]


def print_options(paper: str) -> dict:
    """Chromium's options for one paper size (a key of PAPERS)."""
    return {"format": paper, **PRINT_OPTIONS}


def pdf_name(src: str, paper: str = "Letter") -> str:
    """The PDF of a page: `side-effects.md` -> `side-effects.pdf` (A4: `side-effects-a4.pdf`); the home page is `home.pdf`."""
    stem = src.removesuffix(".md")
    stem = stem.removesuffix("index").rstrip("/") if stem == "index" or stem.endswith("/index") else stem
    return (stem.replace("/", "-") or "home") + PAPERS[paper] + ".pdf"


def pdf_path(src: str, paper: str = "Letter") -> str:
    """Where a page's PDF is published, relative to the site's root."""
    return "pdf/" + pdf_name(src, paper)


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+\-Z][^)]*\)")


def pin_pdf_dates(pdf: bytes, epoch: int) -> bytes:
    """Set a PDF's creation and modification dates to `epoch` (the page's "Last updated"), for reproducible files.

    Chromium's PDFs differ between runs only by these two dates. The new date has
    the same length as the old, so the file's byte offsets stay valid.
    """
    stamp = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'").encode()

    def replace(match: re.Match) -> bytes:
        new = b"/" + match[1] + b" (" + stamp + b")"
        return new if len(new) == len(match[0]) else match[0]

    return _PDF_DATE.sub(replace, pdf)


_NODE_ID = re.compile(rb"\(node(\d{8})\)")


def renumber_node_ids(pdf: bytes) -> bytes:
    """Number the structure ids of table cells 1, 2, 3... in order of first appearance.

    Chromium's tagged PDFs name them after DOM node counters (`(node00005278)`), which vary
    between runs. Every use of an id maps to the same new id, and each keeps its length, so
    header references and byte offsets stay valid.
    """
    numbers: dict[bytes, bytes] = {}

    def replace(match: re.Match) -> bytes:
        new = numbers.setdefault(match[1], b"%08d" % (len(numbers) + 1))
        return b"(node" + new + b")"

    return _NODE_ID.sub(replace, pdf)


def epoch_of(day: dt.date) -> int:
    """A page's editorial date as a PDF timestamp: midnight UTC."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def reproducible(pdf: bytes, epoch: int) -> bytes:
    """The same page printed twice gives the same bytes: fixed node ids, and its dates set to `epoch`."""
    return pin_pdf_dates(renumber_node_ids(pdf), epoch)


_EDITION = re.compile(rb'\bdata-edition="(\d{4}-\d{2}-\d{2}\.[0-9a-f]+)"')
_LAST_TRAILER = re.compile(rb"trailer\s*<<(?P<dict>.*?)>>\s*startxref\s*(?P<xref>\d+)\s*%%EOF\s*$", re.S)


def edition_in(page_html: bytes) -> str:
    """The edition a built page prints (print-header.html's data-edition), or ''."""
    found = _EDITION.search(page_html)
    return found.group(1).decode() if found else ""


def _pdf_text(text: str) -> bytes:
    return text.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def with_edition(pdf: bytes, edition: str) -> bytes:
    """The PDF with its edition in its document information (Subject and Keywords, which PDF readers show
    as its properties), appended as an incremental update: the bytes before it stay as they are.

    Chromium writes a classic cross-reference table and an /Info dictionary with the page's title; the
    update writes that dictionary again with the edition added, a one-entry table and a trailer that
    points back to the first. Returns the PDF unchanged for no edition; raises ValueError for a file
    that is not laid out so.
    """
    if not edition:
        return pdf
    trailer = _LAST_TRAILER.search(pdf)
    info = trailer and re.search(rb"/Info\s+(\d+)\s+(\d+)\s+R", trailer["dict"])
    size, root = trailer and re.search(rb"/Size\s+(\d+)", trailer["dict"]), trailer and re.search(rb"/Root\s+(\d+\s+\d+\s+R)", trailer["dict"])
    if not (info and size and root):
        raise ValueError("the PDF has no trailer with /Info, /Size and /Root to update")
    number, generation = int(info[1]), int(info[2])
    found = list(re.finditer(rb"(?<![0-9])%d %d obj\s*<<(.*?)>>\s*endobj" % (number, generation), pdf, re.S))
    if not found:
        raise ValueError(f"the PDF's /Info object {number} is not a dictionary")
    entries = re.sub(rb"/(Subject|Keywords)\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", b"", found[-1][1])
    entries += b"/Subject (Edition " + _pdf_text(edition) + b")/Keywords (edition " + _pdf_text(edition) + b")"
    body = b"%d %d obj\n<<%s>>\nendobj\n" % (number, generation, entries)
    start = len(pdf) + (0 if pdf.endswith(b"\n") else 1)
    head = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    xref = start + len(body)
    return head + body + (
        b"xref\n%d 1\n%010d %05d n \ntrailer\n<</Size %s\n/Root %s\n/Info %d %d R\n/Prev %s>>\nstartxref\n%d\n%%%%EOF\n"
        % (number, start, generation, size[1], root[1], number, generation, trailer["xref"], xref)
    )
