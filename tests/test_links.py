"""linkchecker over the built site, served on 127.0.0.1 as a browser would see it.

External addresses (canonicals, the for-clinics links built from site_url) are only
syntax-checked: there is no network here, and linkchecker checks internal links by default.
"""

from __future__ import annotations

import pytest

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path


from helpers import copy_project, edit, line_of, make, serve


def _world_readable(root: Path) -> None:
    # As root, linkchecker drops to user `nobody`; pytest's temp dirs are private (0700).
    # Over HTTP the server reads the files, but keep them readable for `nobody` anyway.
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))


def linkcheck(base: str, tmp_path: Path, *extra: str) -> str:
    """Run linkchecker over the site served at `base`; return its report, asserting 0 errors."""
    linkchecker = shutil.which("linkchecker", path=str(Path(sys.executable).parent)) or shutil.which("linkchecker")
    assert linkchecker, "linkchecker is not installed: run `make setup`"
    workdir = tmp_path / "linkchecker"
    workdir.mkdir()
    workdir.chmod(0o777)
    # The tests' server allows more than linkchecker's default of 10 requests a second (helpers.FILE_SERVER).
    (workdir / "linkcheckerrc").write_text("[checking]\nmaxrequestspersecond=1000\n", encoding="utf-8")
    result = subprocess.run(
        [linkchecker, "--no-status", "--no-warnings", "--config", str(workdir / "linkcheckerrc"), base, *extra],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(workdir)},
    )
    summary = [line for line in result.stdout.splitlines() if "links in" in line and "checked" in line]
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert summary and " 0 errors found" in result.stdout, result.stdout[-3000:]
    checked = int(summary[-1].split(" links in ")[0].split()[-1])
    assert checked > 50, f"linkchecker checked only {checked} links: did it crawl the site?\n{result.stdout[-3000:]}"
    return result.stdout


@pytest.mark.browser
def test_linkchecker_finds_no_broken_links(site_dir, server, tmp_path):
    _world_readable(site_dir)
    # The 404 page is linked from nowhere; check it too, as a server would show it anywhere.
    linkcheck(server, tmp_path, server + "404.html")


@pytest.mark.rebuild
def test_make_build_publishes_the_whole_site(tmp_path):
    """What a host runs (Netlify, Cloudflare, nginx users, the deploy workflow): `make build`, nothing else."""
    project = copy_project(tmp_path)
    result = make(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    assert (site / "pdf" / "handout.pdf").read_bytes().startswith(b"%PDF-")
    with serve(site) as base:
        linkcheck(base, tmp_path, base + "404.html")


@pytest.mark.rebuild
def test_readme_move_a_page_recipe(tmp_path):
    """The README's recipe: rename the page, point nav at it, record `old: new` under moved:
    and the page's new address under pages:. The old address then leads to the new one."""
    project = copy_project(tmp_path)
    (project / "docs/privacy.md").rename(project / "docs/privacy-policy.md")
    edit(project, "mkdocs.yml", "Privacy: privacy.md", "Privacy: privacy-policy.md")
    edit(project, "data/public-urls.yml", "  /privacy/:\n", "  /privacy-policy/:\n")
    edit(project, "data/public-urls.yml", "\nmoved:\n", "\nmoved:\n  /privacy/: /privacy-policy/\n")
    # The build names each link that still points at the old file; the recipe says to fix them.
    result = make(project, "build")
    told = f"docs/about.md, line {line_of(project / 'docs/about.md', '(privacy.md')}: links to 'privacy.md', a page that moved (data/public-urls.yml, moved:): write 'privacy-policy.md' instead"
    assert result.returncode != 0 and told in result.stdout + result.stderr, result.stdout + result.stderr
    edit(project, "docs/about.md", "(privacy.md)", "(privacy-policy.md)")
    result = make(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    redirect = (site / "privacy/index.html").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in redirect and 'content="0; url=../privacy-policy/"' in redirect
    assert (site / "privacy-policy/index.html").is_file()
    # Every page links the new address; linkchecker follows the redirect page too.
    with serve(site) as base:
        linkcheck(base, tmp_path, base + "privacy/", base + "privacy/#web-host")


@pytest.mark.unit
def test_a_link_to_a_missing_page_is_named_at_its_line_with_what_to_write(tmp_path):
    """MkDocs names the file only; the build names the line, and the page's new file when it moved."""
    from pipeline.build import broken_link

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/about.md").write_text("# About\n\nSee [our policy](privacy.md#web-host).\n", encoding="utf-8")
    mkdocs = "Doc file 'about.md' contains a link 'privacy.md#web-host', but the target is not found among documentation files."
    assert broken_link(mkdocs, tmp_path, None) == ("docs/about.md, line 3: links to 'privacy.md#web-host', which is no page in docs/: "
                                                   "link a page's file (like uses.md), or restore the page")
    assert broken_link("Something else.", tmp_path, None) == "Something else."
