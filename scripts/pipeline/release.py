"""What `scripts/dist` publishes besides the site: versioned, reproducible zips and the server settings."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import zipfile
from collections.abc import Mapping
from pathlib import Path

from sitegen import servers
from sitegen.errors import SiteDataError

from .paths import ROOT

# Zip can store no time before 1980-01-01.
ZIP_EPOCH = 315532800


def _git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def source_date_epoch(root: Path = ROOT, environ: Mapping[str, str] | None = None) -> str | None:
    """SOURCE_DATE_EPOCH as given, else the last commit's time, else None (not a git checkout)."""
    environ = os.environ if environ is None else environ
    if environ.get("SOURCE_DATE_EPOCH"):
        return environ["SOURCE_DATE_EPOCH"]
    return _git(root, "log", "-1", "--format=%ct") or None


def version(root: Path = ROOT) -> str:
    """The tag when the commit has one, else the commit date and short hash (20261127-b82ec23)."""
    if tag := _git(root, "describe", "--tags", "--exact-match"):
        return tag
    stamp, short = _git(root, "log", "-1", "--format=%ct"), _git(root, "rev-parse", "--short", "HEAD")
    if not (stamp and short):
        return "unversioned"
    day = dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc).strftime("%Y%m%d")
    return f"{day}-{short}"


def write_zip(zip_path: Path, files: Mapping[str, Path], epoch: int) -> None:
    """Deterministic zip of `files` (name in the zip: file): the same files always give the same bytes."""
    when = dt.datetime.fromtimestamp(max(epoch, ZIP_EPOCH), dt.timezone.utc).timetuple()[:6]
    tmp = zip_path.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=when)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name].read_bytes())
    tmp.replace(zip_path)


def site_files(site: Path, top: str) -> dict[str, Path]:
    """The offline copy's files under the folder `top`; not _headers, which only a server reads."""
    return {f"{top}/{p.relative_to(site).as_posix()}": p for p in site.rglob("*") if p.is_file() and p.name != "_headers"}


def site_url(root: Path = ROOT) -> str:
    """The address the build uses: SITE_URL (which mkdocs.yml reads), else mkdocs.yml's own."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        return load_config(str(root / "mkdocs.yml")).site_url or ""
    except (Abort, ConfigurationError):  # MkDocs has printed which value is wrong
        raise SiteDataError("SITE_URL", f"{os.environ.get('SITE_URL', '')!r} is not a web address like https://example.org/") from None


def server_settings(root: Path = ROOT, environ: Mapping[str, str] | None = None) -> servers.Settings:
    """The three nginx settings (SERVER_NAME, LISTEN, WEB_ROOT), checked; raises SiteDataError naming a wrong one."""
    environ = os.environ if environ is None else environ
    return servers.settings(site_url(root), dict(environ))
