"""The finishing pass: what MkDocs leaves in the staging folder made ready to publish, step by step.

`STEPS` run in their order, each timed under its name in the build's Report. Nothing is written
after hardening but `_headers`, `.htaccess` and the .gz copies, and they are made from its output.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from sitegen import card, printing, public_urls, security, servers, social, themefix, trimcss
from sitegen.pages import output_file
from sitegen.site import Site

from . import pdfprint
from .cache import cached, digest
from .report import Report


@dataclass(frozen=True)
class Staged:
    """What every step works on: the staging folder MkDocs wrote, the site model and the build's options."""

    folder: Path
    site: Site
    report: Report
    cache: Path  # PDFs and previews from earlier builds (pipeline.cache)
    preview: bool = False  # for scripts/serve: no PDFs, no .gz copies
    pdf: bool = True
    pdf_from: Path | None = None  # a finished pdf/ to copy rather than print (the offline copy's)


class Step(NamedTuple):
    name: str  # as the Report times it (scripts/bench prints these)
    run: Callable[[Staged], None]


def finish(staged: Staged) -> None:
    """Every step, in order."""
    for step in STEPS:
        with staged.report.step(step.name):
            step.run(staged)


# --- The steps, in the order they run ------------------------------------------------------------


def redirects(staged: Staged) -> None:
    """A page at each moved page's old address, and robots.txt; the offline copy has neither, nor a 404 page."""
    site, folder = staged.site, staged.folder
    if site.settings.offline:
        # Opened from disk, no server ever shows a "not found" page, and its links (root-relative,
        # so a server can show it at any depth) would lead nowhere from file://.
        (folder / "404.html").unlink(missing_ok=True)
        return
    for old, new in public_urls.page_redirects(site.public_urls).items():
        target = site.by_address(new)
        title = target.title if target else new
        path = folder / old.strip("/") / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(public_urls.render_redirect(old, new, site.settings.site_url, title), encoding="utf-8")
    (folder / "robots.txt").write_text(public_urls.robots_txt(site.settings.site_url), encoding="utf-8")


def theme_css(staged: Staged) -> None:
    """The theme's stylesheet without rules for parts of the theme no page uses (sitegen/trimcss.py),
    under a new fingerprinted name that every page then links; its source map, now stale, goes."""
    folder = staged.folder
    for old in folder.glob("assets/stylesheets/main.*.min.css"):
        pages = sorted(folder.rglob("*.html"))
        texts = [p.read_text(encoding="utf-8") for p in pages]
        scripts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.js"))]
        used = trimcss.used_words(texts, scripts) - trimcss.unscripted(texts)
        css = trimcss.trim(re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", old.read_text(encoding="utf-8")), used)
        others = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.css")) if p != old]
        css = trimcss.drop_unused_properties(css, others, scripts)
        new = old.with_name(trimcss.fingerprint(old.name, css))
        new.write_text(css, encoding="utf-8")
        for path in (old, old.with_name(old.name + ".map")):
            path.unlink(missing_ok=True)
        for page in pages:
            html = page.read_text(encoding="utf-8")
            if old.name in html:
                page.write_text(html.replace(old.name, new.name), encoding="utf-8")


def theme_script(staged: Staged) -> None:
    """The theme's script looking only at its own language links, not the change feed's (sitegen.themefix),
    under a new fingerprinted name that every page then links; its source map, now stale, goes."""
    for old in sorted(staged.folder.glob("assets/javascripts/bundle.*.min.js")):
        js = themefix.language_links_only(re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", old.read_text(encoding="utf-8")))
        new = old.with_name(trimcss.fingerprint(old.name, js))
        new.write_text(js, encoding="utf-8")
        for path in (old, old.with_name(old.name + ".map")):
            path.unlink(missing_ok=True)
        for page in sorted(staged.folder.rglob("*.html")):
            html = page.read_text(encoding="utf-8")
            if old.name in html:
                page.write_text(html.replace(old.name, new.name), encoding="utf-8")


def print_furniture(staged: Staged) -> None:
    """What paper needs that a screen does not: full link addresses and the page's numbered sources (sitegen.printing)."""
    site, settings = staged.site, staged.site.settings
    for src, page in site.pages.items():
        path = staged.folder / output_file(src, settings.directory_urls)
        html = printing.add_print_furniture(
            path.read_text(encoding="utf-8"), settings.site_url + site.url(src), dict(site.sources), page.where,
            offline_site=settings.site_url if settings.offline else None,
        )
        path.write_text(html, encoding="utf-8")


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
    """Every page on each paper (pipeline.pdfprint), or the PDFs of a build already made; none for the preview."""
    if staged.pdf_from is not None:
        shutil.copytree(staged.pdf_from, staged.folder / "pdf")
    elif staged.pdf:
        site = staged.site
        pdfprint.print_pdfs(staged.folder, site.settings.site_url, pdfprint.targets(site), staged.cache / "pdf", staged.report)


def harden(staged: Staged) -> None:
    """Every page hardened (CSP, referrer policy, safe links, theme fixes); then what is made from them:
    _headers, .htaccess and the .gz copies; then every file readable by the web server."""
    folder, settings = staged.folder, staged.site.settings
    hashes = sorted(harden_pages(folder, settings.site_url, csp=True, offline=settings.offline))
    assets = ["/" + p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    (folder / "_headers").write_text(security.headers_file(hashes, assets), encoding="utf-8")
    if not settings.offline:
        (folder / ".htaccess").write_text(servers.htaccess(security.site_headers(hashes), settings.site_url), encoding="utf-8")
    if not (settings.offline or staged.preview):
        # Copies of the finished files, made last so they always match what they copy.
        servers.compressed_copies(folder)
    readable(folder)


def harden_pages(folder: Path, site_url: str, *, csp: bool, offline: bool) -> set[str]:
    """Each page hardened in place; the hashes of the inline scripts they keep, for the policy."""
    hashes: set[str] = set()
    for path in sorted(folder.rglob("*.html")):
        html = themefix.fix_page(path.read_text(encoding="utf-8"))
        html = security.harden_page(html, site_url, csp=csp, offline=offline)
        html = themefix.collapse_whitespace(html)  # leaves scripts alone: their hashes stand
        hashes.update(security.inline_script_hashes(html))
        path.write_text(html, encoding="utf-8")
    return hashes


def readable(folder: Path) -> None:
    """Files 0644 and folders 0755 whatever the umask: web servers and linkchecker run as other users."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


STEPS: tuple[Step, ...] = (
    Step("redirects", redirects),
    Step("theme css", theme_css),
    Step("theme script", theme_script),
    Step("print", print_furniture),
    Step("previews", previews),
    Step("pdf", pdf),
    Step("harden", harden),
)
