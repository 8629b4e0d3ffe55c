"""Shared fixtures: one strict build of the site, a local server for it, a browser."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_SOURCE = ROOT.parent / "shared/source/ketamine-esketamine-article.txt"
# A copy of the article travels with the repository, so CI elsewhere (GitHub Actions) checks
# fidelity too; where the shared original is present, it is the one read, and the copy must
# match it (tests/test_content.py).
SOURCE_COPY = ROOT / "tests/source/ketamine-esketamine-article.txt"
SOURCE = Path(os.environ.get("ARTICLE_SOURCE", SHARED_SOURCE if SHARED_SOURCE.exists() else SOURCE_COPY))
OUTPUT = ROOT / "test-output"

# The article's pages in reading order: (source file, URL path, page title).
ARTICLE_PAGES = [
    ("index.md", "", "Ketamine and esketamine (Spravato) for depression"),
    ("ketamine.md", "ketamine/", "What is ketamine?"),
    ("esketamine.md", "esketamine/", "What is esketamine (Spravato)?"),
    ("how-they-work.md", "how-they-work/", "How do ketamine and esketamine work?"),
    ("uses.md", "uses/", "What are ketamine and esketamine used for?"),
    ("side-effects.md", "side-effects/", "Side effects of ketamine and esketamine"),
    ("interactions.md", "interactions/", "Drug interactions with ketamine and esketamine"),
    ("contraindications.md", "contraindications/", "Who should and should not take ketamine or esketamine?"),
]
REFERENCES_PAGE = ("references.md", "references/", "References")
GLOSSARY_PAGE = ("glossary.md", "glossary/", "Glossary")  # after References in the nav

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def mkdocs_build(project: Path, site_dir: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build `project` strictly into `site_dir`; return the finished process for its output."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


def copy_project(dest: Path) -> Path:
    """A throwaway copy of the project's sources, for tests that edit them."""
    project = dest / "project"
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(".venv", "site", "node_modules", ".git", "test-output", "__pycache__", ".pytest_cache"),
    )
    return project


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, out)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr}"
    # The site as published (`make pdf`): the handout page links to its PDF.
    pdf = subprocess.run([sys.executable, str(ROOT / "scripts/pdf"), str(out), "--page", "handout/"], capture_output=True, text=True)
    assert pdf.returncode == 0, f"scripts/pdf failed:\n{pdf.stderr}"
    return out


@contextlib.contextmanager
def serve(directory: Path):
    """Serve `directory` on a free local port; yields the base URL ending in `/`."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(directory)],
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
