"""Build the whole site, atomically: the target folder is replaced only by a build that fully succeeded.

The stages, in order (`build`): the site model and MkDocs (`run_mkdocs`), the finishing pass
(pipeline.finish), checks on the finished files (`check_site`), the record of what each page says
(`checked_record`), then one rename (`swap`). Any failure raises BuildFailed and leaves the target
as it was.

No date in the output comes from the clock or the environment: the sitemap's dates (and the time
in sitemap.xml.gz) are the pages' `last_updated` (hooks.py sets each page's `update_date`, which
MkDocs would otherwise take from SOURCE_DATE_EPOCH or the clock), each PDF is dated by its page, and
the .gz copies carry no time. Two builds of the same sources are byte-identical.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import logging
import posixpath
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig

from hooks_shared import MODEL, TEMPLATES, load_model
from sitegen import atomic, changes, edition, htmlcheck, public_urls, published, reviews, security
from sitegen.pages import HANDOUT_PAGE, output_file, url_of
from sitegen.site import Site

from .finish import Staged, finish
from .paths import ROOT
from .report import BuildFailed, Report, as_build_failure

__all__ = ["BuildFailed", "Report", "build"]

log = logging.getLogger("mkdocs")


@dataclass(frozen=True)
class Options:
    """What to build, from where: `build`'s arguments."""

    root: Path  # the project: mkdocs.yml, docs/, data/
    cache: Path  # PDFs and previews from earlier builds (pipeline.cache)
    offline: bool = False  # the copy that works from file:// (make dist)
    preview: bool = False  # for scripts/serve: no PDFs and no .gz copies
    pdf: bool = True
    site_url: str | None = None  # instead of mkdocs.yml's (SITE_URL)


def build(
    site_dir: Path | str,
    *,
    root: Path = ROOT,
    offline: bool = False,
    preview: bool = False,
    pdf: bool = True,
    site_url: str | None = None,
    cache: Path | None = None,
) -> Report:
    """Build the site from `root` into `site_dir` (replaced only on success); raise BuildFailed.
    The preview prints no PDFs, whatever `pdf` says."""
    pdf = pdf and not preview
    options = Options(root=root, cache=cache or root / "build" / "cache", offline=offline, preview=preview, pdf=pdf, site_url=site_url)
    report = Report()
    target = Path(site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic.clear_stale(target)  # what killed builds left
    with _scratch(target, "new") as staging:
        with contextlib.ExitStack() as online:
            # The offline copy carries the published site's PDFs: their links lead to the public
            # addresses, which a printout or an emailed PDF needs (file links would not).
            pdf_from = online.enter_context(_published_pdfs(target, options)) if offline and pdf else None
            site, said = stage(staging, options, report, pdf_from)
        record = checked_record(options.root, site, said)
        swap(staging, target)
        record.save()
    # A reminder for the editor, never part of the output: the site does not depend on the clock.
    today = datetime.date.today()
    report.due = [f"{p.where}: its review was due on {p.next_review}" for p in site.pages.values() if p.next_review <= today]
    return report


def stage(staging: Path, options: Options, report: Report, pdf_from: Path | None) -> tuple[Site, dict[str, published.Said]]:
    """MkDocs into `staging`, the finishing pass and the checks: the site model and what each page says."""
    with report.step("mkdocs"):
        config = run_mkdocs(options.root, staging, offline=options.offline, site_url=options.site_url, cache=options.cache)
    site = config[MODEL]
    # Before anything opens a page (the printing browser included), judged as a browser reads it.
    with report.step("html check"):
        problems = html_problems(staging, site, config, options.root)
    if problems:
        raise BuildFailed("the built pages hold what the site does not publish:\n  " + "\n  ".join(problems))
    staged = Staged(staging, site, report, cache=options.cache, preview=options.preview, pdf=options.pdf, pdf_from=pdf_from)
    with as_build_failure():
        finish(staged)
    with report.step("checks"):
        problems = check_site(staging, site, staged.pages, preview=options.preview)
    if problems:
        raise BuildFailed("the finished site has problems:\n  " + "\n  ".join(problems))
    return site, config[published.WHERE]


@contextlib.contextmanager
def _scratch(target: Path, kind: str) -> Iterator[Path]:
    """A folder beside `target` (so the final rename stays on one filesystem), removed afterwards if still there."""
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}-{kind}-", dir=target.parent))
    try:
        yield folder
    finally:
        if folder.exists():
            shutil.rmtree(folder)


@contextlib.contextmanager
def _published_pdfs(target: Path, options: Options) -> Iterator[Path]:
    """The pdf/ folder of the published (online) site, built from the same sources beside `target`."""
    with _scratch(target, "online") as folder:
        build(folder / "site", root=options.root, site_url=options.site_url, cache=options.cache)
        yield folder / "site" / "pdf"


# --- 1 and 2: the model and MkDocs -------------------------------------------------------------


def run_mkdocs(root: Path, staging: Path, *, offline: bool, site_url: str | None, cache: Path | None = None) -> MkDocsConfig:
    """MkDocs in this process, strict; returns the config, which carries the site model. With `cache`,
    the theme's templates are compiled once and kept there (Jinja's own cache, checked against each
    template's text), rather than compiled again by every build."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    overrides = {"site_url": site_url} if site_url else {}
    errors: list[str] = []
    collect = _Collect(errors)
    log.addHandler(collect)
    site = None
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(staging), strict=True, **overrides)
        if offline:
            config.plugins["material/offline"].config.enabled = True
        # pymdownx.snippets reads its folders from the working directory; a build run from elsewhere
        # would include another folder's snippets (its crisis box among them) into this project's pages.
        snippets = config.mdx_configs.get("pymdownx.snippets", {})
        if "base_path" in snippets:
            given = snippets["base_path"]
            snippets["base_path"] = [str(root / path) for path in ([given] if isinstance(given, str) else given)]
        if cache is not None:
            config[TEMPLATES] = cache / "templates"
        with as_build_failure():
            # Each page's history from the file the record is held against (`baseline`), so every
            # build before the next commit shows the same editions for older changes.
            site = load_model(config)
            config[MODEL] = site = dataclasses.replace(site, history=published.history(published.load(baseline(root))))
        mkdocs_build(config)
    except BuildFailed:
        raise
    except (Abort, ConfigurationError) as error:
        raise BuildFailed("\n".join(broken_link(message, root, site) for message in errors) or str(error)) from None
    except Exception as error:  # a Markdown extension's own error (a missing snippet...): say what MkDocs said
        raise BuildFailed("\n".join(errors + [f"{type(error).__name__}: {error}"])) from None
    finally:
        log.removeHandler(collect)
    return config


_BROKEN_LINK = re.compile(r"^Doc file '(?P<file>[^']+)' contains a link '(?P<link>[^']+)', but the target (?:'[^']*' )?is not found "
                          r"among documentation files\.")


def broken_link(message: str, root: Path, site: Site | None) -> str:
    """MkDocs' words for a link to a missing page, as the build's: the file and line, and what to write
    there: the page's new file when data/public-urls.yml records where it moved."""
    found = _BROKEN_LINK.match(message)
    if not found:
        return message
    name, link = found["file"], found["link"]
    target, _, fragment = link.partition("#")
    folder = posixpath.dirname(name)
    where = f"docs/{name}"
    path = root / "docs" / name
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    number = next((n for n, line in enumerate(lines, 1) if f"]({link}" in line or f"({link})" in line), None)
    if number:
        where += f", line {number}"
    moved_to = None
    if site is not None:
        old = "/" + url_of(posixpath.normpath(posixpath.join(folder, target)))
        new = public_urls.page_redirects(site.public_urls).get(old)
        page = site.by_address(new) if new else None
        moved_to = page and posixpath.relpath(page.src, folder or ".") + (f"#{fragment}" if fragment else "")
    if moved_to:
        return f"{where}: links to '{link}', a page that moved (data/public-urls.yml, moved:): write '{moved_to}' instead"
    return f"{where}: links to '{link}', which is no page in docs/: link a page's file (like uses.md), or restore the page"


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors, so a failed build can say what went wrong."""

    def __init__(self, into: list[str]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


def html_problems(staging: Path, site: Site, config: MkDocsConfig, root: Path) -> list[str]:
    """sitegen.htmlcheck over every page MkDocs wrote, each problem traced to the file it came from."""
    pages = {output_file(src, site.settings.directory_urls): _source(root, f"docs/{src}") for src in site.pages}
    shared = [_source(root, path.relative_to(root).as_posix())
              for pattern in ("docs/_snippets/*.md", "data/*.yml", "mkdocs.yml", "references.bib")
              for path in sorted(root.glob(pattern))]
    named = [*config.extra_javascript, *config.extra.get("polyfills", [])]  # polyfills: the offline copy's search shim
    scripts = frozenset(str(name) for name in named) | frozenset(
        path.relative_to(staging).as_posix() for path in staging.glob("assets/javascripts/bundle.*.min.js"))
    base = urlsplit(site.settings.site_url).path or "/"
    return htmlcheck.check_folder(staging, pages, shared, scripts=scripts, base=base, own=site.settings.site_url)


def _source(root: Path, name: str) -> htmlcheck.Source:
    return htmlcheck.Source(name, (root / name).read_text(encoding="utf-8"))


# --- 4: checks, the record and the swap ----------------------------------------------------------


def check_site(staging: Path, site: Site, pages: Mapping[str, str], *, preview: bool) -> list[str]:
    """Problems in the finished files: each page keeps its policy, every local link has its file.
    `pages` holds each page's text by its file in `staging`, as the finishing pass wrote it."""
    problems = []
    sources = {output_file(src, site.settings.directory_urls): f"docs/{src} (built as {{}})" for src in site.pages}
    for name, html in sorted(pages.items()):
        where = sources.get(name, "{}").format(name)
        problems += [f"{where}: {problem}" for problem in security.page_problems(html, offline=site.settings.offline)]
        # The preview prints no PDFs (scripts/serve rebuilds on every save); make build does.
        skip = (".pdf",) if preview else ()
        problems += [
            f"{where}: {p}"
            for p in security.missing_local_files(
                html, name, staging, site.settings.site_url, skip_suffixes=skip, relative_only=site.settings.offline
            )
        ]
    if not (staging / "_headers").is_file():
        problems.append("_headers was not written")
    return problems


class Record(NamedTuple):
    """What each page says, as sitegen.published fingerprints it, and where it is kept."""

    text: str
    file: Path
    in_checkout: bool  # saved beside the change it describes, to commit with it; never outside a checkout

    def save(self) -> None:
        if self.in_checkout and (not self.file.is_file() or self.file.read_text(encoding="utf-8") != self.text):
            self.file.write_text(self.text, encoding="utf-8")


def checked_record(root: Path, site: Site, said: dict[str, published.Said]) -> Record:
    """Last, so any other problem is named first: is every change to what a page says since the last
    commit on the record? Outside a git checkout, the file as shipped is the baseline, and stays so."""
    moved = public_urls.page_redirects(site.public_urls)
    latest = changes.latest_entries(site.record, moved)
    with as_build_failure():
        text = published.dump(published.check(published.load(baseline(root)), said, latest, top=site.record[0] if site.record else None,
                                               today=datetime.date.today(),  # only a suggestion in a message
                                               moved=moved, entries={published.entry_id(change) for change in site.record}))
        # The handout's PEMAT-P review scores the handout as it now reads, however soon after the review it changed.
        handout = site.pages.get(HANDOUT_PAGE)
        if handout is not None:
            now = said[handout.address]
            reviews.check_handout_edition(site.handout_review, now.where, edition.of(handout.last_updated, now.text))
    return Record(text, root / published.WHERE, is_checkout(root))


def baseline(root: Path) -> str | None:
    """data/published-text.yml as the last commit has it; outside a git checkout (or before its first
    commit), the file as shipped."""
    saved = root / published.WHERE
    base = committed(root, published.WHERE) if is_checkout(root) else None
    if base is None and saved.is_file():
        base = saved.read_text(encoding="utf-8")
    return base


def is_checkout(root: Path) -> bool:
    """Whether `root` is the top of a git checkout (not merely inside one)."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return False
    return Path(top.stdout.strip()).resolve() == root.resolve()


def committed(root: Path, name: str) -> str | None:
    """`name` as the last commit of the checkout at `root` has it, or None (not committed yet)."""
    try:
        return subprocess.run(["git", "-C", str(root), "show", f"HEAD:{name}"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def swap(new: Path, target: Path) -> None:
    """Put `new` in place of `target` in one step (sitegen.atomic); on any error `target` is as it was."""
    atomic.replace(new, target)
