"""Shared fixtures: the site built as `make build` builds it, a local server for it, a browser; and the tiers.

The plain helpers the test modules share are in tests/helpers.py."""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from helpers import DIST_SETTINGS, HOSTILE_TITLE, OTHER_ADDRESS, OUTPUT, ROOT, build_site, copy_project, edit, make, serve
from helpers import share_tools  # noqa: F401  scripts/devtools/breaks.py imports copy_project and share_tools from here
from sitegen.pdfs import CHROMIUM_ARGS  # the build's own: tests/test_browser.py checks them


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


@pytest.fixture(scope="session")
def other_address_site(tmp_path_factory) -> Path:
    """The site built for another address, in a folder (SITE_URL=https://clinic.example.net/info/), once."""
    return built_once(tmp_path_factory, "other-address", site_url=OTHER_ADDRESS)


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
