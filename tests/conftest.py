"""Shared fixtures: the site built as `make build` builds it, a local server for it, a browser; and the tiers.

The plain helpers the test modules share are in tests/helpers.py."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from helpers import DIST_SETTINGS, HOSTILE_TITLE, OTHER_ADDRESS, OUTPUT, ROOT, build_site, copy_project, edit, make, serve
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
# Each module names its tier (`pytestmark = pytest.mark.unit`), and a test of another tier says so
# (`@pytest.mark.browser`): `make check` runs unit and build (one shared build), `make test` every tier.
TIERS = ("unit", "build", "rebuild", "browser", "pdf")
# What a tier's tests may use: a test whose fixtures belong to a slower tier than its mark is refused,
# so a browser or a build never slips into `make check` by a missing mark.
NEEDS = {"browser": frozenset({"browser", "page", "server", "host", "sweep"}), "build": frozenset({"site_dir"}),
         "rebuild": frozenset({"other_address_site", "dist_copy"})}
FASTER = {"unit": ("build", "rebuild", "browser"), "build": ("rebuild", "browser"), "rebuild": ("browser",)}


def tier_of(item) -> str:
    tier = next((mark.name for mark in item.iter_markers() if mark.name in TIERS), None)
    if tier is None:
        raise pytest.UsageError(f"{item.nodeid}: no tier; write `pytestmark = pytest.mark.unit` (or build, rebuild, browser, pdf) "
                                "at the top of its module, or mark the test itself")
    fixtures = set(item.fixturenames)
    for slower in FASTER.get(tier, ()):
        if fixtures & NEEDS[slower]:
            raise pytest.UsageError(f"{item.nodeid} is marked {tier} but uses {sorted(fixtures & NEEDS[slower])}: mark it @pytest.mark.{slower}")
    return tier


# Property tests: 300 random examples each in `make test`, a quick sample in `make check`.
settings.register_profile("full", max_examples=300)
settings.register_profile("check", max_examples=25)
settings.register_profile("soak", max_examples=3000)  # by hand: HYPOTHESIS_PROFILE=soak
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "full"))


def pytest_configure(config):
    # pytest-cov 7.1 reads a worker's `-n 4` as its own and starts, on the worker, the coverage meant
    # for the main process, before the worker's own (which starts with the session). Nothing saves it,
    # but while no_cover pauses the worker's it traces instead, so the tests marked no_cover below were
    # traced. It has measured nothing a report needs, so the coverage running at this point is stopped.
    if hasattr(config, "workerinput") and config.pluginmanager.hasplugin("_cov"):
        import coverage

        stray = coverage.Coverage.current()
        if stray is not None:
            stray.stop()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = tier_of(item)
        if tier not in ("unit", "build") or getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            # Coverage of scripts/sitegen/ is what the example tests of `make check`'s tiers reach: the
            # generators' own tests. The other tiers run the same code end to end and the property tests
            # feed it random inputs; neither adds a line to the report, and tracing them cost about 50-70
            # CPU seconds of a `make test` (fixtures are still traced, the shared build among them).
            item.add_marker(pytest.mark.no_cover)
        group = xdist_group_of(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    # pytest-xdist's loadgroup hands out the groups first (largest first), then the other tests in this
    # order: the longest (`early`) lead, so they run beside shorter ones rather than alone at the end.
    items.sort(key=lambda item: item.get_closest_marker("early") is None)


def xdist_group_of(item) -> str | None:
    """`make test` runs on several workers, each with its own fixtures: the tests reading one view of the
    sweep share its visits on one worker. (Tests sharing a module-scoped fixture say so themselves, with
    `pytest.mark.xdist_group`.)"""
    if "sweep" in item.fixturenames:
        view = getattr(item, "callspec", None) and item.callspec.params.get("view")
        return f"sweep-{view or 'any'}"
    return None
