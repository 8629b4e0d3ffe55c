"""The live preview behind `scripts/serve`: every rebuild is `scripts/build --preview`, atomic, so a
broken save keeps the last good site on screen.

`mkdocs serve` empties its output directory at the start of every rebuild, so after a failed
rebuild it has nothing to serve and page requests hang until the error is fixed. Here every
rebuild replaces the served folder only when it succeeds; on failure the error is printed and the
previous pages stay, and the next good save replaces them.
"""

from __future__ import annotations

import functools
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

from urllib.parse import parse_qs

from mkdocs import livereload
from mkdocs.livereload import LiveReloadServer

# What a save in which rebuilds the preview.
WATCHED = ("docs", "overrides", "data", "scripts", "references.bib", "mkdocs.yml")

log = logging.getLogger("mkdocs.serve")


# The live-reload script, served as a file of the preview's own origin: the pages keep the policy
# `make build` gives them (no inline script), and the preview judges them by it.
RELOAD_SCRIPT = "/.preview/livereload.js"


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, with the built pages' policy kept, an address a browser cannot ask
    for answered "not found", and HEAD answered without a body."""

    def _serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes] | None:
        if "\0" in environ["PATH_INFO"]:  # %00: no file has such a name
            return None
        if environ["PATH_INFO"] == RELOAD_SCRIPT:
            return _reload_script(environ, start_response)
        body = super()._serve_request(environ, start_response)
        if environ.get("REQUEST_METHOD") == "HEAD" and body is not None:
            getattr(body, "close", lambda: None)()
            return []
        return body

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        body_end = content.rfind(b"</body>")
        body_end = len(content) if body_end < 0 else body_end
        tag = f'<script src="{RELOAD_SCRIPT}?epoch={int(epoch)}&amp;request={livereload._timestamp()}"></script>'
        return content[:body_end] + tag.encode() + content[body_end:]


def _reload_script(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    query = parse_qs(environ.get("QUERY_STRING", ""))
    try:
        epoch, request = int(query["epoch"][0]), int(query["request"][0])
    except (KeyError, ValueError):
        start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [b"bad request"]
    body = livereload._SCRIPT_TEMPLATE.substitute(epoch=epoch, request_id=request).encode()
    start_response("200 OK", [("Content-Type", "application/javascript"), ("Content-Length", str(len(body))),
                              ("Cache-Control", "no-store")])
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


def error_page(site: Path, code: int) -> bytes | None:
    """The site's own page for an error (its 404.html), as `mkdocs serve` and the published site's servers
    answer with it. Read at each request: every rebuild replaces the folder."""
    try:
        return (site / f"{code}.html").read_bytes()
    except OSError:
        return None


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
    PDFs. No bytecode under scripts/: the watcher would see it and rebuild forever."""
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
        server.error_handler = functools.partial(error_page, served)
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
