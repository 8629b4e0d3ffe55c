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


# The theme's original toggle markup, an error: the check below must be able to fail.
INVALID_PAGE = (
    '<!doctype html><html lang="en"><head><title>t</title></head><body>'
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
    "</body></html>"
)


def _vnu(*targets: Path) -> list[dict]:
    """Errors vnu reports for every HTML file under `targets` (files or folders), in one Java process."""
    java = shutil.which("java")
    assert java, "Java is not installed: run `make test`, which installs it"
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `make test`, which runs npm ci"
    # A run of seconds gains nothing from the optimising compiler: C1 alone takes half the CPU. Its
    # deeper frames need a larger stack than the default for vnu's schema (which asks for 512k or more).
    result = subprocess.run(
        [java, "-XX:TieredStopAtLevel=1", "-Xss8m", "-jar", str(VNU_JAR),
         "--skip-non-html", "--errors-only", "--format", "json", *map(str, targets)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to stderr and exits 1 when it finds errors.
    report = json.loads(result.stderr)
    return [m for m in report["messages"] if m["type"] in ("error", "non-document-error")]


@pytest.mark.build
def test_every_built_page_is_valid_html(site_dir, tmp_path):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) >= 10, "expected the article pages, references and 404 in the build"
    invalid = tmp_path / "invalid.html"
    invalid.write_text(INVALID_PAGE, encoding="utf-8")
    errors = _vnu(site_dir, invalid)  # one Java start-up for both
    found = [(Path(m["url"].removeprefix("file:")), m) for m in errors]
    assert [m for file, m in found if file == invalid and "autocomplete" in m["message"]], errors
    lines = [
        f"{file.relative_to(site_dir)}:{m.get('lastLine', '?')}: {m['message']}"
        for file, m in found if file != invalid
    ]
    assert not lines, f"{len(lines)} Nu Html Checker error(s):\n" + "\n".join(lines)


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
