"""The live preview behind `scripts/serve`: every rebuild is `scripts/build --preview`, atomic, so a
broken save keeps the last good site on screen.

`mkdocs serve` empties its output directory at the start of every rebuild, so after a failed
rebuild it has nothing to serve and page requests hang until the error is fixed. Here every
rebuild replaces the served folder only when it succeeds; on failure the error is printed and the
previous pages stay, and the next good save replaces them.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mkdocs.livereload import LiveReloadServer

# What a save in which rebuilds the preview.
WATCHED = ("docs", "overrides", "data", "scripts", "references.bib", "mkdocs.yml")

log = logging.getLogger("mkdocs.serve")


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, with an address a browser cannot ask for answered "not found"."""

    def _serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes] | None:
        if "\0" in environ["PATH_INFO"]:  # %00: no file has such a name
            return None
        return super()._serve_request(environ, start_response)


def port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def rebuilt(root: Path, served: Path, url: str) -> bool:
    """`scripts/build --preview` of `root` into `served`, for the address `url`, in a process of its own:
    each rebuild runs the code as it is now. Links and canonicals point at the preview; --preview: no
    CSP, for live reload. No bytecode under scripts/: the watcher would see it and rebuild forever."""
    command = [sys.executable, str(root / "scripts" / "build"), "--preview", "--site-dir", str(served)]
    env = {**os.environ, "SITE_URL": url, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(command, cwd=root, env=env).returncode == 0


def serve(root: Path, host: str, port: int) -> int:
    """Build `root`, serve it on host:port and rebuild on every save until interrupted (KeyboardInterrupt)."""
    served = Path(tempfile.mkdtemp(prefix="ketamine-preview-")) / "site"
    url = f"http://{host}:{port}/"

    def builder() -> None:
        log.info("Building the site...")
        if not rebuilt(root, served, url):
            log.error("Still serving the last good site. Fix the file above and save to rebuild.")

    server = None
    try:
        if not rebuilt(root, served, url):
            log.error("The first build failed: fix the error above, then run `make serve` again.")
            return 1
        server = PreviewServer(builder=builder, host=host, port=port, root=str(served))
        for name in WATCHED:
            if (root / name).exists():
                server.watch(str(root / name))
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        if server is not None:
            server.shutdown()
        shutil.rmtree(served.parent, ignore_errors=True)
    return 0
