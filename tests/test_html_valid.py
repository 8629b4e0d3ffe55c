"""Every built page is valid HTML according to the Nu Html Checker (vnu), and the theme fix that
makes it so is a pure function tested on its own."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT
from sitegen.themefix import drop_checkbox_autocomplete

VNU_JAR = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def _vnu(target: Path) -> list[dict]:
    """Errors vnu reports for every HTML file under `target` (a file or a folder)."""
    java = shutil.which("java")
    assert java, "Java is not installed: run `make test`, which installs it"
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `make test`, which runs npm ci"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--skip-non-html", "--errors-only", "--format", "json", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to stderr and exits 1 when it finds errors.
    report = json.loads(result.stderr)
    return [m for m in report["messages"] if m["type"] in ("error", "non-document-error")]


@pytest.mark.build
def test_every_built_page_is_valid_html(site_dir):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) >= 10, "expected the article pages, references and 404 in the build"
    errors = _vnu(site_dir)
    lines = [
        f"{Path(m['url'].removeprefix('file:')).relative_to(site_dir)}:{m.get('lastLine', '?')}: {m['message']}"
        for m in errors
    ]
    assert not lines, f"{len(lines)} Nu Html Checker error(s):\n" + "\n".join(lines)


@pytest.mark.unit
def test_vnu_reports_an_invalid_page(tmp_path):
    # The check above must be able to fail: the theme's original toggle markup is an error.
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
        "</body></html>",
        encoding="utf-8",
    )
    errors = _vnu(page)
    assert [m for m in errors if "autocomplete" in m["message"]]


@pytest.mark.unit
@pytest.mark.parametrize(
    "before, after",
    [
        (
            '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
            '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">',
        ),
        (
            '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
            '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">',
        ),
    ],
)
def test_toggle_checkboxes_lose_autocomplete(before, after):
    assert drop_checkbox_autocomplete(f"<body>\n{before}\n<p>x</p>") == f"<body>\n{after}\n<p>x</p>"


@pytest.mark.unit
def test_text_inputs_keep_autocomplete():
    # The search box is a text input, where autocomplete="off" is valid and wanted.
    search = '<input type="text" class="md-search__input" name="query" autocomplete="off" required>'
    assert drop_checkbox_autocomplete(search) == search
