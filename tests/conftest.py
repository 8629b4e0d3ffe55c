"""Shared fixtures: the site built as `make build` builds it, a local server for it, a browser."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from sitegen.pdfs import CHROMIUM_ARGS  # the build's own: tests/test_browser.py checks them

ROOT = Path(__file__).resolve().parent.parent
SHARED_SOURCE = ROOT.parent / "shared/source/ketamine-esketamine-article.txt"
# The build checks the site against the repository's copy of the article (data/source/); where
# the shared original is present, the tests check that the copy is still that article.
SOURCE_COPY = ROOT / "data/source/ketamine-esketamine-article.txt"
SOURCE = SOURCE_COPY
OUTPUT = ROOT / "test-output"
# Shared with `make build`: entries are keyed by a hash of everything that goes into them.
CACHE = ROOT / "build" / "cache"


def _front_matter(src: str) -> dict:
    text = (ROOT / "docs" / src).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def _page(src: str) -> tuple[str, str, str]:
    """(source file, URL path, title), the title read from the page itself so an edited title breaks no test."""
    return src, "" if src == "index.md" else src.removesuffix(".md") + "/", _front_matter(src)["title"]


# The article's pages, in the menu's order: those whose front matter says `source: article`.
_NAV = [line.split(": ")[-1].strip() for line in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines() if line.strip().endswith(".md")]
ARTICLE_PAGES = [_page(src) for src in _NAV if _front_matter(src).get("source") == "article"]
REFERENCES_PAGE = _page("references.md")
GLOSSARY_PAGE = _page("glossary.md")  # after References in the nav

def build_site(project: Path, site_dir: Path, **options):
    """Build `project` into `site_dir` exactly as `make build` does (model, MkDocs, finishing pass,
    checks, swap); PDFs and previews come from the shared cache when unchanged. Returns the report."""
    from pipeline.build import build  # the one pipeline `make build` runs, in this process

    options.setdefault("cache", CACHE)
    return build(site_dir, root=project, **options)


def build_fails(project: Path, site_dir: Path, **options) -> str:
    """The message of a build that must stop."""
    from pipeline.build import BuildFailed

    with pytest.raises(BuildFailed) as failed:
        build_site(project, site_dir, **options)
    return str(failed.value)


def model_of(project: Path):
    """The site model of `project`, loaded and checked as `scripts/build` does before MkDocs starts.

    Bad input that the model refuses needs no build to test; raises SiteDataError.
    """
    from mkdocs.config import load_config

    from hooks_shared import load_model

    return load_model(load_config(str(project / "mkdocs.yml")))


def edit(project: Path, path: str, before: str, after: str, count: int = 1) -> None:
    """Replace `before` (which must be there) with `after` in one of the project's files."""
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert before in text, (path, before)
    file.write_text(text.replace(before, after, count), encoding="utf-8")


def day_after_record(project: Path) -> str:
    """The day after the newest entry of the project's data/changes.yml (YYYY-MM-DD): the record is
    kept newest first, so an entry a test puts at its top must be no older than those below."""
    import datetime

    newest = max(entry["date"] for entry in yaml.safe_load((project / "data/changes.yml").read_text(encoding="utf-8"))["changes"])
    return (newest + datetime.timedelta(days=1)).isoformat()


def record(project: Path, pages: list[str], what: str, extra: str = "") -> str:
    """Record a change as the README says: an entry atop data/changes.yml naming `pages` (public
    addresses), dated the day after the newest, and that date as each page's last_updated."""
    import re

    day = day_after_record(project)
    entry = f"  - date: {day}\n    pages: [{', '.join(pages)}]\n    what: {what}\n{extra}\n"
    edit(project, "data/changes.yml", "changes:\n", "changes:\n" + entry)
    for address in pages:
        page = project / "docs" / ((address.strip("/") or "index") + ".md")
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"^last_updated: .*$", f"last_updated: {day}", text, count=1, flags=re.M), encoding="utf-8")
    if "/handout/" in pages:
        # The README: a changed handout is scored again, and its review names the handout's new date.
        review = project / "data/reviews/pemat-p-handout.yml"
        text = re.sub(r"^(date|handout): .*$", lambda line: f"{line[1]}: '{day}'", review.read_text(encoding="utf-8"), flags=re.M)
        review.write_text(text, encoding="utf-8")
    return day


def line_of(file: Path, text: str) -> int:
    """The first line of `file` that holds `text`: tests name lines by finding their own edits,
    so a legitimate edit elsewhere in the file never breaks them."""
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} is not in {file}")


def unresolved(site: Path, base: str, url: str) -> str | None:
    """Why the absolute address `url` does not lead to a file of the site built in `site` for the
    address `base`, and to the element its #id names; None when it does."""
    if not url.startswith(base):
        return f"{url} is not on the site's address {base}"
    path, _, fragment = url[len(base):].partition("#")
    file = site / path
    if path == "" or path.endswith("/"):
        file = file / "index.html"
    if not file.is_file():
        return f"{url}: no such file"
    if fragment and f'id="{fragment}"' not in file.read_text(encoding="utf-8"):
        return f"{url}: no element with id {fragment}"
    return None


def add_page(project: Path, name: str = "test-page", title: str = "A test page") -> str:
    """A page of the test's own in a copy, made with the new-page scaffold as an editor would, with two
    recorded sections (#first-section, #second-section): tests that move or break pages use it, so
    no edit to the real pages can break them. Returns its address."""
    result = subprocess.run([sys.executable, "scripts/new-page", "--title", title, "--name", name], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    page = project / "docs" / f"{name}.md"
    text = page.read_text(encoding="utf-8")
    front = text[: text.index("\n---\n", 4) + 5].replace('"TODO: one sentence about this page, for search results and link previews."', "A page a test made.")
    filler = "Some text.\n\n" * 40  # tall enough that a link to a section has to scroll
    page.write_text(front + f"\n# {title}\n\n## First section {{#first-section}}\n\n{filler}## Second section {{#second-section}}\n\n{filler}", encoding="utf-8")
    edit(project, "data/public-urls.yml", f"  /{name}/:\n", f"  /{name}/:\n    - first-section\n    - second-section\n")
    return f"/{name}/"


def copy_project(dest: Path) -> Path:
    """A throwaway copy of the project's sources, for tests that edit them."""
    project = dest / "project"
    anywhere = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis")
    # What builds, tests and tools make at the top (scripts/build is a source file, build/ is not).
    made = {".venv", "site", "node_modules", ".git", "test-output", "build", "dist"}

    def ignore(folder, names):
        top = made.intersection(names) if Path(folder) == ROOT else set()
        return top | anywhere(folder, names)

    shutil.copytree(ROOT, project, ignore=ignore)
    return project


def share_tools(project: Path, node: bool = False) -> None:
    """Link a copy to this checkout's PDF and preview cache (keyed by their inputs, so shared safely)
    and, with `node`, to its Node tools (axe-core and the rest, which copies leave out)."""
    links = {project / "build" / "cache": CACHE} | ({project / "node_modules": ROOT / "node_modules"} if node else {})
    for link, target in links.items():
        if not link.exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            target.mkdir(parents=True, exist_ok=True)
            link.symlink_to(target, target_is_directory=True)


def make(project: Path, target: str, **env) -> subprocess.CompletedProcess:
    """`make TARGET` in `project`, the command users run, with this interpreter (no venv per copy).

    The copy shares the PDF and preview cache, whose entries are keyed by their inputs, and (after
    share_tools(node=True)) this checkout's Node tools, which it never installs again itself.
    """
    share_tools(project)
    return subprocess.run(
        ["make", "--no-print-directory", "-o", "node_modules/.installed", target, f"PY={sys.executable}"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **env},
        timeout=600,
    )


def made_once(tmp_path_factory, name: str, make_it) -> Path:
    """`make_it(folder)` run once per run however many workers ask (`make test` runs several): the
    first makes it, the others wait for it and read it. A failure fails every test that asks."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this run
    folder, done, failed = root / name, root / f"{name}.done", root / f"{name}.failed"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            raise RuntimeError(f"{name}, made for an earlier test, failed: {failed.read_text(encoding='utf-8')}")
        if not done.exists():
            try:
                make_it(folder)
            except BaseException as error:
                failed.write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
                raise
            done.touch()
    return folder


def built_once(tmp_path_factory, name: str, **options) -> Path:
    """The site built once per run with `options` (made_once)."""
    return made_once(tmp_path_factory, name, lambda folder: build_site(ROOT, folder / "site", **options)) / "site"


# A title full of web-server configuration syntax: whatever a page says must not reach the server's configuration.
HOSTILE_TITLE = """Privacy"; } server { listen 666; } # $uri ${x} \\ Header set X-Evil 1 '"""
DIST_SETTINGS = {"SERVER_NAME": "clinic.example.org", "LISTEN": "8080", "WEB_ROOT": "/srv/ketamine"}


@pytest.fixture(scope="session")
def dist_copy(tmp_path_factory) -> Path:
    """A copy of the project published with `make dist` (the site, the offline zip, the PDF zip, the
    server configuration), once per run for every module that reads one. The copy has a page moved
    two folders deep and HOSTILE_TITLE as the privacy page's title, and the server settings in
    DIST_SETTINGS: tests/test_servers.py checks neither leaks into the configuration. Read it only."""
    def publish(folder: Path) -> None:
        project = copy_project(folder)
        edit(project, "data/public-urls.yml", "\nmoved:\n", "\nmoved:\n  /guides/old/privacy/: /privacy/\n")
        edit(project, "docs/privacy.md", "title: Privacy\n", yaml.safe_dump({"title": HOSTILE_TITLE}, width=1000))
        result = make(project, "dist", **DIST_SETTINGS)
        assert result.returncode == 0, result.stdout + result.stderr
        (folder / "dist.log").write_text(result.stdout, encoding="utf-8")

    return made_once(tmp_path_factory, "dist-copy", publish) / "project"


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The site as `make build` publishes it, PDFs included (`make check` builds it first and names it)."""
    given = os.environ.get("TEST_SITE_DIR")
    if given:
        return (ROOT / given).resolve()
    return built_once(tmp_path_factory, "built")


OTHER_ADDRESS = "https://clinic.example.net/info/"


@pytest.fixture(scope="session")
def other_address_site(tmp_path_factory) -> Path:
    """The site built for another address, in a folder (SITE_URL=https://clinic.example.net/info/), once."""
    return built_once(tmp_path_factory, "other-address", site_url=OTHER_ADDRESS)


# Python's file server (`python -m http.server`), which also answers with a `LinkChecker` header:
# linkchecker then takes the request rate of tests/test_links.py's configuration for it rather than
# sleeping 0.1-0.6 s before each request (about 20 s a crawl, three crawls a run).
FILE_SERVER = """
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("LinkChecker", "a local test server")
        super().end_headers()
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), functools.partial(Handler, directory=sys.argv[2])).serve_forever()
"""


@contextlib.contextmanager
def serve(directory: Path):
    """Serve `directory` on a free local port; yields the base URL ending in `/`."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", FILE_SERVER, str(port), str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(site_dir):
    with serve(site_dir) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is not installed: run `make test`, which installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def sweep(browser, server, site_dir):
    """Every built page visited once per view (tests/sweep.py): `sweep("phone")` maps each page to its visit."""
    from sweep import Sweep, built_pages

    urls = built_pages(site_dir)
    assert len(urls) >= 10, f"expected at least the 9 article pages and the 404 page, found {urls}"
    return Sweep(browser, server, urls)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


# A policy violation is reported as a console error, so it lands with the page's other problems.
WATCH_CSP = """document.addEventListener('securitypolicyviolation', e =>
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"""


def watch(target, problems: list[str] | None = None) -> list[str]:
    """Console errors and warnings, policy violations and script errors of a page, or of every page
    of a context, added to `problems` as they happen."""
    problems = [] if problems is None else problems
    target.add_init_script(WATCH_CSP)
    target.on("console", lambda m: problems.append(f"{m.type}: {m.text} ({m.location.get('url')})") if m.type in ("error", "warning") else None)
    target.on("weberror" if hasattr(target, "new_page") else "pageerror", lambda e: problems.append(f"page error: {getattr(e, 'error', e)}"))
    return problems


@pytest.fixture(scope="session")
def screenshots() -> Path:
    path = OUTPUT / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- Tiers --------------------------------------------------------------------------------------
# Each test is put in one tier by what it uses, so a new test needs no marker to land in the right
# one: `make check` runs unit and build (one shared build), `make test` runs every tier.
BROWSER_FIXTURES = {"browser", "page", "server", "host", "sweep"}  # host: nginx or Apache (tests/test_servers.py)
BUILD_FIXTURES = {"site_dir"}
VARIANT_FIXTURES = {"other_address_site", "dist_copy"}
# Helpers that build a project of the test's own (a variant) or run `make` on one.
REBUILD_HELPERS = {"build_site", "build_fails", "make", "add_page"}


def _uses(function, names: set[str], seen=None) -> bool:
    """Whether `function`, or a helper function of its module it calls, refers to one of `names`."""
    seen = set() if seen is None else seen
    code = getattr(function, "__code__", None)
    if code is None or code in seen:
        return False
    seen.add(code)
    referred = set(code.co_names) | {n for const in code.co_consts if hasattr(const, "co_names") for n in const.co_names}
    if referred & names:
        return True
    module = sys.modules.get(function.__module__)
    helpers = (getattr(module, name, None) for name in referred)
    return any(_uses(h, names, seen) for h in helpers if callable(h) and getattr(h, "__module__", None) == function.__module__)


def tier_of(item) -> str:
    fixtures = set(getattr(item, "fixturenames", ()))
    for tier in ("pdf", "rebuild"):  # a test that runs a script itself says so
        if item.get_closest_marker(tier):
            return tier
    if fixtures & BROWSER_FIXTURES or item.get_closest_marker("browser"):
        return "browser"
    # The test itself, and the fixtures its module defines (conftest's shared build is not a variant).
    functions = [getattr(item, "function", None)]
    for name in fixtures:
        for definition in item.session._fixturemanager.getfixturedefs(name, item) or ():
            if definition.func.__module__ != __name__:
                functions.append(definition.func)
    if fixtures & VARIANT_FIXTURES or any(_uses(f, REBUILD_HELPERS) for f in functions if f is not None):
        return "rebuild"
    return "build" if fixtures & BUILD_FIXTURES else "unit"


# Property tests: 300 random examples each in `make test`, a quick sample in `make check`.
settings.register_profile("full", max_examples=300)
settings.register_profile("check", max_examples=25)
settings.register_profile("soak", max_examples=3000)  # by hand: HYPOTHESIS_PROFILE=soak
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "full"))


def pytest_configure(config):
    # pytest-cov 7.1 reads a worker's `-n 4` as its own and starts, on the worker, the coverage meant
    # for the main process, before the worker's own. Nothing saves it, but it sits under the
    # worker's: when no_cover pauses the worker's, the stray one traces instead, and the tests marked
    # no_cover below were traced in every `make test`. It has measured nothing a report needs (the
    # main process measures what loads before the workers start), so stop it.
    if hasattr(config, "workerinput"):
        from pytest_cov.engine import DistMaster

        controller = getattr(config.pluginmanager.get_plugin("_cov"), "cov_controller", None)
        if isinstance(controller, DistMaster):
            controller.cov.stop()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = tier_of(item)
        item.add_marker(getattr(pytest.mark, tier))
        if tier not in ("unit", "build") or getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            # Coverage of scripts/sitegen/ is what the example tests of `make check`'s tiers reach: the
            # generators' own tests. The other tiers run the same code end to end and the property tests
            # feed it random inputs; neither adds a line to the report, and tracing them cost about 50-70
            # CPU seconds of a `make test` (fixtures are still traced, the shared build among them).
            item.add_marker(pytest.mark.no_cover)
        group = xdist_group_of(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def xdist_group_of(item) -> str | None:
    """`make test` runs on several workers, each with its own fixtures: tests that share something costly
    run on one worker, so it is made once. The tests reading one view of the sweep share its visits;
    those of a module that share a module-scoped fixture of that module (a `make dist`, a server, a
    variant build) share it."""
    if "sweep" in getattr(item, "fixturenames", ()):
        view = getattr(item, "callspec", None) and item.callspec.params.get("view")
        return f"sweep-{view or 'any'}"
    info = getattr(item, "_fixtureinfo", None)
    for definitions in (info.name2fixturedefs.values() if info else ()):
        for definition in definitions:
            if definition.scope == "module" and definition.func.__module__ == item.module.__name__:
                return item.module.__name__
    return None
