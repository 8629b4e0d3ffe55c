"""Every page as a tagged PDF on each paper, printed by Chromium as a reader's browser would print it.

Each page is opened at its public address and answered from the staging folder, so the links in
a PDF lead where a reader can follow them; nothing leaves the machine. A PDF is taken from the
cache when nothing that decides its bytes has changed (sitegen.pdfs says how pages are printed).
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote, urlsplit

from sitegen import pdfs
from sitegen.pages import output_file

from .cache import cached, digest
from .report import BuildFailed, Report

if TYPE_CHECKING:
    from playwright.sync_api import Route

    from sitegen.site import Site


class PdfTarget(NamedTuple):
    """One PDF to make: which page, under which name, on which paper, dated when."""

    url: str  # the page's address relative to the site: "" for the home page, "uses/" for another
    page: str  # its file in the site's folder: "index.html", "uses/index.html"
    name: str  # its file name in pdf/
    paper: str  # a key of sitegen.pdfs.PAPERS
    epoch: int  # its date: the page's "Last updated", never the build's


class PrintJob(NamedTuple):
    """A PDF the cache does not hold: Chromium prints it, and it is kept in `cache_file`."""

    target: PdfTarget
    cache_file: Path
    edition: str = ""  # the page's edition, as it prints it, for the PDF's metadata (sitegen.edition)


def targets(site: Site) -> list[PdfTarget]:
    """Every printed page on each paper; a page's papers next to each other (it is opened once for them)."""
    return [
        PdfTarget(site.url(src), output_file(src, site.settings.directory_urls), pdfs.pdf_name(src, paper), paper,
                  pdfs.epoch_of(page.last_updated))
        for src, page in site.pages.items() if pdfs.printed(src) for paper in pdfs.PAPERS
    ]


def from_cache(staging: Path, site_url: str, wanted: list[PdfTarget], cache: Path, report: Report,
               pages: Mapping[str, str]) -> list[PrintJob]:
    """Each of `wanted` the cache holds, copied to staging's pdf/; the others, to print (`print_jobs`).
    `pages` holds each page's text by its file, as Chromium would print it."""
    out = staging / "pdf"
    out.mkdir(exist_ok=True)
    assets, chromium = assets_digest(staging), chromium_identity()
    jobs = []
    for target in wanted:
        page = pages[target.page].encode("utf-8")  # its edition is in it, so a new edition is a new key
        key = digest(pdfs.PRINT_SETTINGS, pdfs.METADATA, target.paper, chromium, site_url, assets, page, str(target.epoch))
        cache_file = cache / f"{key}.pdf"
        if cache_file.is_file():
            shutil.copyfile(cache_file, out / target.name)
            report.reused.append(target.name)
        else:
            jobs.append(PrintJob(target, cache_file, pdfs.edition_in(page)))
    return jobs


def print_jobs(staging: Path, site_url: str, jobs: list[PrintJob], report: Report) -> None:
    """Each job printed by Chromium from the pages in `staging` into its pdf/, and kept in the cache."""
    # In a thread of its own: Playwright's sync API cannot start inside a thread that already
    # runs an event loop (the test suite drives its own browser while it builds).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_print_with_chromium, _chromium(), staging, site_url, staging / "pdf", jobs, report).result()


def _chromium() -> str:
    chromium = shutil.which("chromium")
    if not chromium:
        raise BuildFailed(
            "printing the PDFs needs Debian's chromium (the `chromium` command); "
            "`make build` installs it when run as root, or install it with: apt-get install chromium"
        )
    return chromium


# Content never reaches the printing browser unchecked (pipeline.build checks every page's HTML
# first), and it is fenced in as well: every request is answered from the staging folder or refused,
# WebSockets are closed, anything else the browser would send goes to a proxy that is not there, and
# each page has a time limit.
FENCE_ARGS = ("--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>")
PAGE_SECONDS = 30


def _print_with_chromium(chromium: str, staging: Path, site_url: str, out: Path, jobs: list[PrintJob], report: Report) -> None:
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=chromium, args=[*pdfs.CHROMIUM_ARGS, *FENCE_ARGS])
        except Error as error:
            raise BuildFailed(f"printing the PDFs: Chromium did not start ({_first_line(error)}); "
                              "check that `chromium --version` runs") from None
        try:
            context = browser.new_context(service_workers="block", java_script_enabled=pdfs.PAGE_SCRIPTS)
            context.set_default_timeout(PAGE_SECONDS * 1000)
            context.route_web_socket("**/*", lambda socket: socket.close())
            page = context.new_page()
            page.route("**/*", functools.partial(_from_staging, staging, site_url))
            page.emulate_media(media="print")
            fit = (staging / pdfs.FIT_STYLESHEET).is_file()  # without one, each page prints as a browser prints it
            _print_jobs(page, site_url, out, jobs, report, fit)
        finally:
            browser.close()


def _print_jobs(page, site_url: str, out: Path, jobs: list[PrintJob], report: Report, fit: bool) -> None:
    from playwright.sync_api import Error

    opened = None
    for target, cache_file, edition in jobs:
        url, name = target.url, target.name
        try:
            # A page's papers are next to each other in `jobs`: it is opened once and printed on each.
            if url != opened:
                response = page.goto(site_url + url, wait_until="load")
                if not response or not response.ok:
                    raise BuildFailed(f"printing {name}: /{url} answered {response and response.status}")
                if fit:
                    _add_stylesheet(page, site_url + pdfs.FIT_STYLESHEET)
                opened = url
            data = pdfs.with_edition(pdfs.reproducible(_fitted(page, target.paper), target.epoch), edition)
        except Error as error:
            raise BuildFailed(f"printing {name} from /{url}: {_first_line(error)} (each page has {PAGE_SECONDS} s); "
                              "the page may be too long, or the browser failed: run the build again, and if it "
                              "fails the same way, look at that page") from None
        (out / name).write_bytes(cached(cache_file, lambda: data))
        report.printed.append(name)


# The layouts the printer may try (sitegen.pdfs.FIT_STYLESHEET), added to the page as the site's
# own stylesheet (its policy allows no inline style). The page's scripts are off, so no load event
# runs there: the printer asks until the stylesheet is in the page's list.
_ADD_STYLESHEET = "href => document.head.append(Object.assign(document.createElement('link'), {rel: 'stylesheet', href}))"
_LOADED = "href => [...document.styleSheets].some(sheet => sheet.href === href)"


def _add_stylesheet(page, href: str) -> None:
    page.evaluate(_ADD_STYLESHEET, href)
    deadline = time.monotonic() + PAGE_SECONDS
    while not page.evaluate(_LOADED, href):
        if time.monotonic() > deadline:
            raise BuildFailed(f"printing: the stylesheet {href} did not load in {PAGE_SECONDS} s")
        time.sleep(0.005)


def _fitted(page, paper: str) -> bytes:
    """The page on `paper` in the layout sitegen.pdfs.fitted() chooses among those its stylesheet offers.

    The browser's own layout is printed first. Once a layout takes one sheet, those after it in the
    order are not printed: none could take fewer, and the order prefers the earlier.
    """
    options = pdfs.print_options(paper)
    order = pdfs.fit_order(page.evaluate("name => getComputedStyle(document.documentElement).getPropertyValue(name)", pdfs.FIT_PROPERTY))
    printed = {pdfs.AS_BROWSERS_PRINT: page.pdf(**options)}
    if order == [pdfs.AS_BROWSERS_PRINT]:
        return printed[pdfs.AS_BROWSERS_PRINT]
    layouts = {}
    for name in order:
        if name not in printed:
            if any(layout.sheets == 1 for layout in layouts.values()):
                continue  # a looser layout takes one sheet already: this one cannot do better
            page.evaluate("name => document.documentElement.classList.add(name)", name)
            try:
                printed[name] = page.pdf(**options)
            finally:
                page.evaluate("name => document.documentElement.classList.remove(name)", name)
        layouts[name] = _measured(name, printed[name])
    return printed[pdfs.fitted([layouts[name] for name in order if name in layouts]).name]


def _measured(name: str, pdf: bytes) -> pdfs.Layout:
    sheets = pdfs.page_count(pdf)
    if not shutil.which("pdftotext"):
        raise BuildFailed("fitting the PDFs to the paper needs Debian's poppler-utils (the `pdftotext` command); "
                          "`make build` installs it when run as root, or install it with: apt-get install poppler-utils")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        bbox = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(sheets), "-l", str(sheets), file.name, "-"],
                              capture_output=True, text=True, check=True).stdout
    return pdfs.Layout(name, sheets, (pdfs.text_shares(bbox) or [0.0])[-1])


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


def _from_staging(staging: Path, site_url: str, route: Route) -> None:
    """Answer a request for the public address from the staging folder; refuse any other."""
    url = route.request.url
    if not url.startswith(site_url):
        route.abort()
        return
    path = unquote(urlsplit(url).path[len(urlsplit(site_url).path):])
    file = (staging / path).resolve()
    if file.is_dir():
        file = file / "index.html"
    if file.is_relative_to(staging.resolve()) and file.is_file():
        route.fulfill(path=str(file))
    else:
        route.fulfill(status=404, body="not found")


def chromium_identity() -> str:
    """Which Chromium prints: a new version may lay pages out differently."""
    binary = Path("/usr/lib/chromium/chromium")
    found = binary if binary.exists() else Path(shutil.which("chromium") or "chromium")
    try:
        stat = found.stat()
    except OSError:
        return "none"
    return f"{found}:{stat.st_size}:{stat.st_mtime_ns}"


def assets_digest(staging: Path) -> str:
    """One hash of every stylesheet, script and image a printed page may use."""
    h = hashlib.sha256()
    for path in sorted((staging / "assets").rglob("*")):
        if path.is_file() and "social" not in path.parts:
            h.update(path.relative_to(staging).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
