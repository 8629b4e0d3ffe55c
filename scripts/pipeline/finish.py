"""The finishing pass: what MkDocs leaves in the staging folder made ready to publish, step by step.

`STEPS` run in their order, each timed under its name in the build's Report. Each page is read
once (`read`) and held in `Staged.pages`; what happens to its text is `PAGE_EDITS`, pure functions
of the text applied in their order, and the page is written once, finished (`harden`). Only when
Chromium has PDFs to print are the pages written before that too, as `PAGE_EDITS` leave them up to
printing: the PDFs are printed from pages with their print furniture, and hardening's policy hashes
the page as it is published, so printing comes between the two. Nothing is written after the pages
but `_headers`, `.htaccess` and the .gz copies, and they are made from them.
"""

from __future__ import annotations

import re
import shutil
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from sitegen import card, pdfs, printing, public_urls, security, servers, social, themefix, trimcss
from sitegen.pages import output_file
from sitegen.site import Site

from . import pdfprint
from .cache import cached, digest
from .report import BuildFailed, Report


@dataclass(frozen=True)
class Staged:
    """What every step works on: the staging folder MkDocs wrote, the site model and the build's options;
    and, as the steps go, every page's text and the theme stylesheet's new name."""

    folder: Path
    site: Site
    report: Report
    cache: Path  # PDFs and previews from earlier builds (pipeline.cache)
    preview: bool = False  # for scripts/serve: no PDFs, no .gz copies
    pdf: bool = True
    pdf_from: Path | None = None  # a finished pdf/ to copy rather than print (the offline copy's)
    pages: dict[str, str] = field(default_factory=dict)  # each page's text by its file in `folder` ("uses/index.html")
    renamed: dict[str, str] = field(default_factory=dict)  # a theme file's old name -> its new one (`theme_css`, `theme_script`)

    @cached_property
    def markdown_of(self) -> dict[str, str]:
        """Each page of the site's file in `folder` -> its Markdown source (docs/); not the 404 page, nor the redirects."""
        return {output_file(src, self.site.settings.directory_urls): src for src in self.site.pages}


class Step(NamedTuple):
    name: str  # as the Report times it (scripts/bench prints these)
    run: Callable[[Staged], None]


class PageEdit(NamedTuple):
    """One change to a page's text: a pure function of the text, the page's file and the build."""

    name: str
    run: Callable[[str, str, Staged], str]  # (text, file in the folder, build) -> text
    printed: bool = False  # part of the page Chromium prints (made before the PDFs)


def finish(staged: Staged) -> None:
    """Every step, in order."""
    for step in STEPS:
        with staged.report.step(step.name):
            step.run(staged)


# --- What each page's text goes through, in this order ------------------------------------------


def stylesheet_names(html: str, name: str, staged: Staged) -> str:
    """The trimmed theme stylesheet's new name, and the theme script's, wherever the page links the old one
    (`theme_css`, `theme_script`)."""
    for old, new in staged.renamed.items():
        html = html.replace(old, new)
    return html


def print_furniture(html: str, name: str, staged: Staged) -> str:
    """What paper needs that a screen does not: full link addresses and the page's numbered sources
    (sitegen.printing); only the site's own pages have them."""
    src = staged.markdown_of.get(name)
    if src is None:
        return html
    site, settings = staged.site, staged.site.settings
    return printing.add_print_furniture(
        html, settings.site_url + site.url(src), dict(site.sources), site.pages[src].where,
        offline_site=settings.site_url if settings.offline else None,
    )


def theme_fixes(html: str, name: str, staged: Staged) -> str:
    """The theme's markup that no template reaches, made valid (sitegen.themefix)."""
    return themefix.fix_page(html)


def hardened(html: str, name: str, staged: Staged) -> str:
    """Content-Security-Policy, referrer policy and safe external links (sitegen.security)."""
    settings = staged.site.settings
    return security.harden_page(html, settings.site_url, csp=True, offline=settings.offline)


def collapsed(html: str, name: str, staged: Staged) -> str:
    """Runs of whitespace that hold a line break made one; scripts are left alone, so their hashes stand."""
    return themefix.collapse_whitespace(html)


PAGE_EDITS: tuple[PageEdit, ...] = (
    PageEdit("theme css", stylesheet_names, printed=True),
    PageEdit("print", print_furniture, printed=True),
    # The PDFs are printed here (`pdf`).
    PageEdit("theme fixes", theme_fixes),
    PageEdit("harden", hardened),
    PageEdit("whitespace", collapsed),
)


def edit_pages(staged: Staged, *, printed: bool) -> None:
    """The page edits before printing (`printed`) or after it, in order, on every page in memory."""
    edits = [edit for edit in PAGE_EDITS if edit.printed == printed]
    for name, html in staged.pages.items():
        for edit in edits:
            html = edit.run(html, name, staged)
        staged.pages[name] = html


def write_pages(staged: Staged) -> None:
    """Every page in memory to its file in the folder (a redirect's folder made as needed)."""
    for name, html in staged.pages.items():
        path = staged.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")


# --- The steps, in the order they run ------------------------------------------------------------


def read(staged: Staged) -> None:
    """Every page MkDocs wrote, read once; the steps change the text in `staged.pages`."""
    for path in sorted(staged.folder.rglob("*.html")):
        staged.pages[path.relative_to(staged.folder).as_posix()] = path.read_text(encoding="utf-8")


def redirects(staged: Staged) -> None:
    """A page at each moved page's old address, and robots.txt; the offline copy has neither, nor a 404 page."""
    site, folder = staged.site, staged.folder
    if site.settings.offline:
        # Opened from disk, no server ever shows a "not found" page, and its links (root-relative,
        # so a server can show it at any depth) would lead nowhere from file://.
        staged.pages.pop("404.html", None)
        (folder / "404.html").unlink(missing_ok=True)
        return
    for old, new in public_urls.page_redirects(site.public_urls).items():
        target = site.by_address(new)
        title = target.title if target else new
        staged.pages[(PurePosixPath(old.strip("/")) / "index.html").as_posix()] = public_urls.render_redirect(old, new, site.settings.site_url, title)
    (folder / "robots.txt").write_text(public_urls.robots_txt(site.settings.site_url), encoding="utf-8")


def theme_css(staged: Staged) -> None:
    """The theme's stylesheet without rules for parts of the theme no page uses (sitegen/trimcss.py),
    under a new fingerprinted name (which `stylesheet_names` puts in every page); its source map, now stale, goes."""
    folder = staged.folder
    for old in folder.glob("assets/stylesheets/main.*.min.css"):
        texts = list(staged.pages.values())
        scripts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.js"))]
        used = trimcss.used_words(texts, scripts) - trimcss.unscripted(texts)
        css = trimcss.trim(re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", old.read_text(encoding="utf-8")), used)
        others = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.css")) if p != old]
        css = trimcss.drop_unused_properties(css, others, scripts)
        _replace(staged, old, css)


def theme_script(staged: Staged) -> None:
    """The theme's script looking only at its own language links, not the change feed's (sitegen.themefix),
    under a new fingerprinted name (which `stylesheet_names` puts in every page, as the stylesheet's); its
    source map, now stale, goes."""
    for old in sorted(staged.folder.glob("assets/javascripts/bundle.*.min.js")):
        js = themefix.language_links_only(re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", old.read_text(encoding="utf-8")))
        _replace(staged, old, js)


def _replace(staged: Staged, old: Path, text: str) -> None:
    """`old` (a theme file) replaced by `text` under a new fingerprinted name; its source map, now stale, goes."""
    new = old.with_name(trimcss.fingerprint(old.name, text))
    new.write_text(text, encoding="utf-8")
    for path in (old, old.with_name(old.name + ".map")):
        path.unlink(missing_ok=True)
    staged.renamed[old.name] = new.name


def for_printing(staged: Staged) -> None:
    """The page edits up to printing, in memory."""
    edit_pages(staged, printed=True)


def previews(staged: Staged) -> None:
    """The 1200x630 link-preview image of every page, drawn once per title and address (not offline)."""
    site = staged.site
    if site.settings.offline:
        return
    folder, cache = staged.folder / "assets" / "social", staged.cache / "previews"
    folder.mkdir(parents=True, exist_ok=True)
    version = card_version()
    name, url = site.settings.site_name, site.settings.site_url
    for page in site.pages.values():
        data = cached(cache / f"{digest(version, page.title, name, url)}.png", lambda: card.render_card(page.title, name, url))
        (folder / social.card_name(page.address.lstrip("/"))).write_bytes(data)


def card_version() -> str:
    """What else decides a preview's pixels: the drawing code and the Pillow that runs it."""
    import PIL

    return digest(Path(card.__file__).read_bytes(), Path(social.__file__).read_bytes(), PIL.__version__)


def pdf(staged: Staged) -> None:
    """Every page on each paper (pipeline.pdfprint), or the PDFs of a build already made; none for the preview.
    Chromium opens the pages from the folder, so they are written first when it has any to print."""
    if staged.pdf_from is not None:
        shutil.copytree(staged.pdf_from, staged.folder / "pdf")
    elif staged.pdf:
        site = staged.site
        jobs = pdfprint.from_cache(staged.folder, site.settings.site_url, pdfprint.targets(site), staged.cache / "pdf",
                                   staged.report, staged.pages)
        if jobs:
            write_pages(staged)
            pdfprint.print_jobs(staged.folder, site.settings.site_url, jobs, staged.report)
        problems = [problem for src in pdfs.MAX_SHEETS if src in site.pages for paper in pdfs.PAPERS
                    if (problem := pdfs.sheets_problem(src, paper, (staged.folder / "pdf" / pdfs.pdf_name(src, paper)).read_bytes()))]
        if problems:
            raise BuildFailed("\n".join(problems))


def harden(staged: Staged) -> None:
    """The page edits after printing, and every page written, finished; then what is made from them:
    _headers, .htaccess and the .gz copies; then every file readable by the web server."""
    folder, settings = staged.folder, staged.site.settings
    edit_pages(staged, printed=False)
    write_pages(staged)
    hashes = sorted({h for html in staged.pages.values() for h in security.inline_script_hashes(html)})
    assets = ["/" + p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    (folder / "_headers").write_text(security.headers_file(hashes, assets), encoding="utf-8")
    if not settings.offline:
        (folder / ".htaccess").write_text(servers.htaccess(security.site_headers(hashes), settings.site_url), encoding="utf-8")
    if not (settings.offline or staged.preview):
        # Copies of the finished files, made last so they always match what they copy.
        servers.compressed_copies(folder, _gzip_kept_in(staged.cache / "gz"))
    readable(folder)


def _gzip_kept_in(folder: Path) -> Callable[[bytes], bytes]:
    """servers.gzip9, each result kept in `folder`: most files are the same from build to build, and level 9 is slow."""
    def compress(data: bytes) -> bytes:
        key = digest(sys.version, zlib.ZLIB_RUNTIME_VERSION, repr(servers.GZIP), data)  # Python 3.13 writes another header
        return cached(folder / f"{key}.gz", lambda: servers.gzip9(data))

    return compress


def readable(folder: Path) -> None:
    """Files 0644 and folders 0755 whatever the umask: web servers and linkchecker run as other users."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


STEPS: tuple[Step, ...] = (
    Step("read", read),
    Step("redirects", redirects),
    Step("theme css", theme_css),
    Step("theme script", theme_script),
    Step("print", for_printing),
    Step("previews", previews),
    Step("pdf", pdf),
    Step("harden", harden),
)
