"""linkchecker over the built site, served on 127.0.0.1 as a browser would see it.

External addresses (canonicals, the for-clinics links built from site_url) are only
syntax-checked: there is no network here, and linkchecker checks internal links by default.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def _world_readable(root: Path) -> None:
    # As root, linkchecker drops to user `nobody`; pytest's temp dirs are private (0700).
    # Over HTTP the server reads the files, but keep them readable for `nobody` anyway.
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))


def test_linkchecker_finds_no_broken_links(site_dir, server, tmp_path):
    linkchecker = shutil.which("linkchecker", path=str(Path(sys.executable).parent)) or shutil.which("linkchecker")
    assert linkchecker, "linkchecker is not installed: run `make setup`"
    _world_readable(site_dir)
    workdir = tmp_path / "linkchecker"
    workdir.mkdir()
    workdir.chmod(0o777)
    result = subprocess.run(
        # The 404 page is linked from nowhere; check it too, as a server would show it anywhere.
        [linkchecker, "--no-status", "--no-warnings", server, server + "404.html"],
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
