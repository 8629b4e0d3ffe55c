"""Self-hosting: the nginx `server` block and the Apache `.htaccess`, written from the build's own headers.

The configurations are pure functions of `security.site_headers` (the list `_headers` is
written from) and three settings. Page content reaches them only as the policy's script
hashes, and every value is checked against a strict pattern before it is written, so no title
or data file can add a directive. The last section runs them locally, with the real servers,
for tests/test_servers.py and scripts/bench.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from . import security
from .errors import SiteDataError
from .site import _is_host

# What the build stores a level-9 `.gz` copy of, and what a server compresses on the fly when
# a file has none (nginx always compresses text/html; listing it again is an error there).
TEXT_SUFFIXES = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")
TEXT_TYPES = (
    "text/css", "text/plain", "text/xml", "text/javascript", "application/javascript",
    "application/json", "application/xml", "image/svg+xml",
)

_LISTEN = re.compile(r"(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|localhost):)?\d{1,5}(?: (?:ssl|http2|default_server))*")
_ROOT = re.compile(r"/(?:[A-Za-z0-9._-]+/?)*")
_PATH = re.compile(r"/(?:[A-Za-z0-9._~-]+/)*")
# A header value may hold only what the policy and the fixed headers use: no quote, backslash,
# `$`, brace or newline, which could end the value and start a directive in a configuration file.
_VALUE = re.compile(r"[A-Za-z0-9 '=():;,+/._*-]+")
_HEADER = re.compile(r"[A-Za-z-]+")


@dataclass(frozen=True)
class Settings:
    server_name: str
    listen: str
    web_root: str
    base_path: str  # the site address's path ("/", or "/ketamine/"): where its 404 page lives


def settings(site_url: str, env: dict[str, str]) -> Settings:
    """SERVER_NAME (default: the site address's host), LISTEN (default 80) and WEB_ROOT, checked."""
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not _is_host((parts.hostname or "").rstrip(".")):
        raise SiteDataError("SITE_URL", f"{site_url!r} is not a web address like https://example.org/ or https://example.org/ketamine/")
    server_name = env.get("SERVER_NAME") or parts.hostname
    if not _is_host(server_name.rstrip(".")):
        raise SiteDataError("SERVER_NAME", f"{server_name!r} is not a host name like clinic.example.org")
    listen = env.get("LISTEN") or "80"
    port = re.search(r"(\d+)(?: |$)", listen)
    if not _LISTEN.fullmatch(listen) or not 0 < int(port.group(1)) < 65536:
        raise SiteDataError("LISTEN", f"{listen!r} is not a port or address:port like 80, 127.0.0.1:8080 or '443 ssl'")
    web_root = env.get("WEB_ROOT") or "/var/www/ketamine"
    if not _ROOT.fullmatch(web_root) or "/../" in web_root + "/":
        raise SiteDataError("WEB_ROOT", f"{web_root!r} is not an absolute folder like /var/www/ketamine (letters, digits, . _ - only)")
    return Settings(server_name.rstrip("."), listen, web_root.rstrip("/") or "/", base_path(site_url))


def base_path(site_url: str) -> str:
    """The site address's path, where its 404 page lives; only characters no configuration reads as syntax."""
    path = urlsplit(site_url).path.rstrip("/") + "/"
    if not _PATH.fullmatch(path):
        raise SiteDataError("SITE_URL", f"{site_url!r}: the path may hold only letters, digits and . _ ~ - between its slashes")
    return path


GZIP = MappingProxyType({"compresslevel": 9, "mtime": 0})  # no name or time in it: two builds stay byte-identical


def gzip9(data: bytes) -> bytes:
    return gzip.compress(data, **GZIP)


def compressed_copies(folder: Path, compress: Callable[[bytes], bytes] = gzip9) -> list[Path]:
    """Write `name.gz` beside every text file (`compress`: gzip9, or the same bytes from a cache),
    where it is smaller; nginx sends it with gzip_static.

    A `.gz` the site already publishes (MkDocs' sitemap.xml.gz, dated by the pages) is kept.
    """
    written = []
    for path in sorted(folder.rglob("*")):
        copy = path.with_name(path.name + ".gz")
        if path.suffix in TEXT_SUFFIXES and path.is_file() and not copy.exists():
            data = path.read_bytes()
            packed = compress(data)
            if len(packed) < len(data):
                copy.write_bytes(packed)
                written.append(path)
    return written


def site_headers(site: Path) -> list[tuple[str, str]]:
    """The site-wide headers for a finished site folder: its pages' script hashes, as the build collects them."""
    hashes = {h for page in site.rglob("*.html") for h in security.inline_script_hashes(page.read_text(encoding="utf-8"))}
    return security.site_headers(sorted(hashes))


def _checked(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    for name, value in headers:
        if not (_HEADER.fullmatch(name) and _VALUE.fullmatch(value)):
            raise ValueError(f"refusing to write header {name!r}: {value!r} into a server configuration")
    return headers


def nginx_conf(headers: list[tuple[str, str]], s: Settings) -> str:
    """A complete `server { ... }` block for the site copied to `s.web_root`."""
    adds = [f'add_header {name} "{value}" always;' for name, value in _checked(headers)]
    indent = "\n    "
    nested = "\n        "
    return f"""# Written by `make dist` (scripts/sitegen/servers.py) for this build of the site: the policy's
# hashes change with the theme and the pages, so write it again with every release. Do not edit.
server {{
    # --- Settings: make dist SERVER_NAME=... LISTEN=... WEB_ROOT=... (README, "Your own server") ---
    listen {s.listen};
    server_name {s.server_name};
    root {s.web_root};
    # -----------------------------------------------------------------------------------------

    index index.html;
    charset utf-8;
    absolute_redirect off;
    error_page 404 {s.base_path}404.html;

    # The build writes a level-9 copy (file.gz) beside every text file: smaller than compressing
    # on the fly and no work per request. Anything without a copy is compressed as it is sent.
    gzip_static on;
    gzip on;
    gzip_vary on;
    gzip_comp_level 6;
    gzip_types {" ".join(TEXT_TYPES)};

    # Repeated in the location that adds Cache-Control: nginx drops a level's add_header lines
    # wherever a location sets one of its own.
    {indent.join(adds)}

    # Fingerprinted theme files (bundle.a5f9d56c.min.js): a new build gives them a new name.
    location ~* "{security.FINGERPRINTED.pattern}" {{
        add_header Cache-Control "{security.IMMUTABLE}" always;
        {nested.join(adds)}
    }}

    # Files for other hosts (Apache, Netlify) that this server has no use for.
    location ~ /(\\.ht|_headers$) {{
        return 404;
    }}

    location / {{
        try_files $uri $uri/ =404;
    }}
}}
"""


def htaccess(headers: list[tuple[str, str]], site_url: str) -> str:
    """Apache's per-folder configuration, published in the site's root folder.

    No <IfModule>: without mod_headers or mod_deflate Apache answers 500 and logs the missing
    module, which an administrator notices, instead of silently serving pages unprotected.
    """
    sets = "\n".join(f'Header always set {name} "{value}"' for name, value in _checked(headers))
    return f"""# Written by the build (scripts/sitegen/servers.py); do not edit by hand.
# Needs mod_headers and mod_deflate (Debian: a2enmod headers deflate) and AllowOverride All.
DirectoryIndex index.html
ErrorDocument 404 {base_path(site_url)}404.html
{sets}
<FilesMatch "{security.FINGERPRINTED.pattern}">
    Header always set Cache-Control "{security.IMMUTABLE}"
</FilesMatch>
<FilesMatch "^(\\.ht|_headers$)">
    Require all denied
</FilesMatch>
AddDefaultCharset utf-8
# By name rather than by type: Apache skips type-based filters for its 404 page.
<FilesMatch "({"|".join(re.escape(s) for s in TEXT_SUFFIXES)})$">
    SetOutputFilter DEFLATE
</FilesMatch>
"""


# --- Running a local copy: tests/test_servers.py and scripts/bench -----------------------------
# Each server runs in the foreground on 127.0.0.1 from a minimal main configuration in a temp
# folder, with the generated files exactly as a clinic installs them.

APACHE_MODULES = ("mpm_event", "authz_core", "dir", "mime", "filter", "deflate", "headers")


def nginx_main_conf(block: Path, tmp: Path) -> str:
    user = "user nobody nogroup;\n" if _root() else ""
    temp = "".join(f"    {kind}_temp_path {tmp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}    include {block};
}}
"""


def apache_main_conf(site: Path, tmp: Path, port: int) -> str:
    user = "User nobody\nGroup nogroup\n" if _root() else ""
    modules = "".join(f"LoadModule {m}_module /usr/lib/apache2/modules/mod_{m}.so\n" for m in APACHE_MODULES)
    return f"""ServerRoot {tmp}
DefaultRuntimeDir {tmp}
PidFile {tmp}/httpd.pid
ErrorLog {tmp}/error.log
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
{user}{modules}TypesConfig /etc/mime.types
DocumentRoot {site}
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory {site}>
    AllowOverride All
    Require all granted
</Directory>
"""


def address_path(site: Path) -> str:
    """The path of the address a built site was made for ("/" or "/ketamine/"), from its home page."""
    canonical = re.search(r'<link rel="canonical" href="([^"]*)"', (site / "index.html").read_text(encoding="utf-8"))
    return urlsplit(canonical.group(1)).path if canonical else "/"


def _root() -> bool:
    return os.geteuid() == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def run_local(server: str, web_root: Path, tmp: Path, path: str = "/"):
    """Start `server` ("nginx" or "apache") serving `web_root` as a clinic's would, the site
    being in its folder `path` (its address's path); yields the site's base URL.

    As root the workers run as user nobody, so the files and their folders must be readable by all.
    """
    tmp.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    if server == "nginx":
        block = tmp / "site.conf"
        local = settings(f"http://127.0.0.1{path}", {"LISTEN": f"127.0.0.1:{port}", "WEB_ROOT": str(web_root)})
        block.write_text(nginx_conf(site_headers(web_root / path.strip("/")), local), encoding="utf-8")
        (tmp / "nginx.conf").write_text(nginx_main_conf(block, tmp), encoding="utf-8")
        command = [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")]
    else:
        (tmp / "httpd.conf").write_text(apache_main_conf(web_root, tmp, port), encoding="utf-8")
        command = [shutil.which("apache2") or "/usr/sbin/apache2", "-f", str(tmp / "httpd.conf"), "-DFOREGROUND"]
    with open(tmp / "stderr.log", "w") as stderr:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        for _ in range(400):
            if proc.poll() is not None:
                logs = [(tmp / name).read_text(errors="replace")[-2000:] for name in ("stderr.log", "error.log") if (tmp / name).is_file()]
                raise RuntimeError(f"{server} stopped at start:\n" + "\n".join(logs))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError(f"{server} did not answer on port {port}")
        yield f"http://127.0.0.1:{port}{path}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
