"""The generated server configurations, run by the real servers: Debian's nginx with the block
`make dist` writes, Apache with the `.htaccess` the build publishes (tests installed by `make servers`).

Chromium reads every page through each server; the figures it sees are compared with
`scripts/bench`, which measures what a reader's first visit costs.
"""

from __future__ import annotations

import gzip
import html
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import DIST_SETTINGS, HOSTILE_TITLE, ROOT, copy_project, make, watch
from devtools import bench
from sitegen import security, servers
from sitegen.errors import SiteDataError

SERVERS = ["nginx", "apache"]
HEADERS = [name for name, _ in security.site_headers([])]
TEXT = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
SMALL = 1024  # below this, compressing can cost more than it saves; servers leave such files alone
DEEP_404 = "no/such/page/at/a/deep/path/"
# Everything a configuration file would read as syntax, and a directive; the build allows it in a title.


@contextmanager
def published(site: Path):
    """A copy of `site` at its address's path under a web root, where a server's workers (user
    nobody, when tests run as root) can read it; yields the copy."""
    folder = Path(tempfile.mkdtemp(prefix="served-"))
    try:
        folder.chmod(0o755)
        copy = folder / "www" / servers.address_path(site).strip("/")
        shutil.copytree(site, copy)
        yield copy
    finally:
        shutil.rmtree(folder)


@contextmanager
def running(server: str, site: Path, tmp: Path):
    """`server` serving a published copy; yields the site's base URL."""
    assert shutil.which("nginx") and shutil.which("apache2"), "nginx or apache2 is missing: run `make test`, which installs them"
    web_root, path = _web_root(site)
    with servers.run_local(server, web_root, tmp / server, path) as base:
        yield base


def _web_root(site: Path) -> tuple[Path, str]:
    """The folder a published copy's address maps to, and the address's path."""
    path = servers.address_path(site)
    return (site.parents[path.strip("/").count("/")] if path != "/" else site), path


@pytest.fixture(scope="module")
def public_site(site_dir):
    with published(site_dir) as site:
        yield site


@pytest.fixture(scope="module", params=SERVERS)
def host(request, public_site, tmp_path_factory):
    with running(request.param, public_site, tmp_path_factory.mktemp("servers")) as base:
        yield request.param, base


def _get(url: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _pages(site: Path) -> list[str]:
    return [u for u in bench.page_urls(site) if u != "404.html"]


@pytest.mark.build
def test_the_benchmark_knows_the_pages_before_it_builds(site_dir):
    # `scripts/bench --page` refuses a mistyped page at once, from docs/; the same pages the build makes.
    moved = {url for url in bench.page_urls(site_dir) if 'http-equiv="refresh"' in bench.built_file(site_dir, url).read_text(encoding="utf-8")}
    assert bench.source_pages(ROOT / "docs") == set(bench.page_urls(site_dir)) - moved  # an old address leads to its page
    assert {"", "for-clinics/", "404.html"} <= bench.source_pages(ROOT / "docs")
    assert "_snippets/urgent-help/" not in bench.source_pages(ROOT / "docs")


# ---------------------------------------------------------------- settings and rendering


@pytest.mark.unit
@pytest.mark.parametrize(
    "env, setting",
    [
        ({"SERVER_NAME": "clinic.example.org; include /etc/passwd"}, "SERVER_NAME"),
        ({"SERVER_NAME": "-bad-.example.org"}, "SERVER_NAME"),
        ({"LISTEN": "80; }"}, "LISTEN"),
        ({"LISTEN": "70000"}, "LISTEN"),
        ({"WEB_ROOT": "var/www"}, "WEB_ROOT"),
        ({"WEB_ROOT": "/var/www/$host"}, "WEB_ROOT"),
        ({"WEB_ROOT": "/var/www/../../etc"}, "WEB_ROOT"),
        ({"SITE_URL": "https://clinic.example.org;/"}, "SITE_URL"),
        ({"SITE_URL": "https://clinic.example.org/a;b/"}, "SITE_URL"),
    ],
)
def test_a_bad_setting_is_refused_by_name(env, setting):
    with pytest.raises(SiteDataError) as refused:
        servers.settings(env.get("SITE_URL", "https://ketamine-depression.example.org/"), env)
    assert refused.value.where == setting and repr(next(iter(env.values()))) in str(refused.value)


@pytest.mark.unit
def test_settings_default_to_the_sites_address():
    s = servers.settings("https://clinic.example.org/ketamine/", {})
    assert (s.server_name, s.listen, s.web_root, s.base_path) == ("clinic.example.org", "80", "/var/www/ketamine", "/ketamine/")
    s = servers.settings("https://clinic.example.org/", {"SERVER_NAME": "intranet.clinic.example", "LISTEN": "127.0.0.1:8080 ssl", "WEB_ROOT": "/srv/k/"})
    assert (s.server_name, s.listen, s.web_root) == ("intranet.clinic.example", "127.0.0.1:8080 ssl", "/srv/k")
    conf = servers.nginx_conf(security.site_headers([]), s)
    assert "listen 127.0.0.1:8080 ssl;\n" in conf and "server_name intranet.clinic.example;\n" in conf and "root /srv/k;\n" in conf
    assert "error_page 404 /404.html;" in conf
    assert "ErrorDocument 404 /ketamine/404.html\n" in servers.htaccess(security.site_headers([]), "https://clinic.example.org/ketamine/")


@pytest.mark.unit
@pytest.mark.parametrize("value", ['x" always; include /etc/passwd; #', "$request_uri", "a\nb", "{ }", "x\\"])
def test_a_header_value_that_could_break_out_is_refused(value):
    headers = [("Content-Security-Policy", value)]
    with pytest.raises(ValueError, match="refusing"):
        servers.nginx_conf(headers, servers.settings("https://example.org/", {}))
    with pytest.raises(ValueError, match="refusing"):
        servers.htaccess(headers, "https://example.org/")


@pytest.mark.unit
def test_compressed_copies_are_reproducible_and_only_where_smaller(tmp_path):
    (tmp_path / "a").mkdir()
    big, tiny = tmp_path / "a" / "page.html", tmp_path / "tiny.txt"
    big.write_text("<p>Ketamine and esketamine</p>\n" * 200, encoding="utf-8")
    tiny.write_text("x", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG" + bytes(2000))
    assert servers.compressed_copies(tmp_path) == [big]
    first = (tmp_path / "a" / "page.html.gz").read_bytes()
    assert gzip.decompress(first) == big.read_bytes()
    again = tmp_path / "again"
    shutil.copytree(tmp_path / "a", again, ignore=shutil.ignore_patterns("*.gz"))
    assert servers.compressed_copies(again) == [again / "page.html"]
    assert (again / "page.html.gz").read_bytes() == first
    assert sorted(p.name for p in tmp_path.rglob("*.gz")) == ["page.html.gz", "page.html.gz"]


@pytest.mark.build
def test_the_build_publishes_htaccess_and_a_compressed_copy_of_every_text_file(site_dir):
    htaccess = (site_dir / ".htaccess").read_text(encoding="utf-8")
    for name, value in servers.site_headers(site_dir):
        assert f'Header always set {name} "{value}"' in htaccess
    assert "frame-ancestors 'none'" in htaccess and "script-src 'self' 'sha256-" in htaccess
    for path in site_dir.rglob("*"):
        if path.suffix in servers.TEXT_SUFFIXES and path.stat().st_size > SMALL:
            assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes(), path


# ---------------------------------------------------------------- the real servers


@pytest.mark.browser
@pytest.mark.xdist_group("test_servers")  # shares this module's module-scoped fixture on one worker
def test_every_file_is_served_with_the_sites_headers_and_text_compressed(host, public_site):
    server, base = host
    checked = 0
    for path in sorted(public_site.rglob("*")):
        name = path.relative_to(public_site).as_posix()
        if not path.is_file() or name.endswith(".gz") or name in (".htaccess", "_headers"):
            continue
        status, headers, body = _get(base + name)
        assert status == 200, (server, name, status)
        missing = [h for h in HEADERS if h not in headers]
        assert not missing, (server, name, missing)
        if security.FINGERPRINTED.search(name):
            assert headers["Cache-Control"] == security.IMMUTABLE, (server, name)
        if headers.get("Content-Type", "").startswith(TEXT) and path.stat().st_size > SMALL:
            assert headers.get("Content-Encoding") == "gzip", (server, name, headers["Content-Type"])
            assert gzip.decompress(body) == path.read_bytes(), (server, name)
            checked += 1
    assert checked > 50, f"only {checked} text files checked: did the server list the site?"
    for name in (".htaccess", "_headers"):
        assert _get(base + name)[0] in (403, 404), (server, name)


@pytest.mark.xdist_group("test_servers")  # shares this module's module-scoped fixture on one worker
@pytest.mark.browser
def test_the_404_page_and_its_assets_at_a_deep_path(host, public_site, page):
    server, base = host
    problems = watch(page)
    assets: list = []
    page.on("response", lambda r: assets.append(r) if r.url != base + DEEP_404 else None)
    response = page.goto(base + DEEP_404)
    page.wait_for_load_state("networkidle")
    assert response.status == 404 and response.headers.get("content-encoding") == "gzip", server
    assert not [h for h in HEADERS if response.headers.get(h.lower()) is None], server
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", (public_site / "404.html").read_text(encoding="utf-8"), re.S).group(1)
    assert page.locator("h1").inner_text() == html.unescape(re.sub(r"<[^>]+>", "", heading)).strip()
    kinds = {a.request.resource_type for a in assets}
    assert {"stylesheet", "script"} <= kinds and all(a.status == 200 for a in assets), (server, [(a.url, a.status) for a in assets])
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky", "the theme's stylesheet did not apply"
    # Chromium reports the page's own 404 status on the console; anything else is a problem.
    assert [p for p in problems if DEEP_404 not in p] == [], (server, problems)


@pytest.fixture(scope="module")
def bench_figures(public_site, browser) -> dict:
    """What `scripts/bench` reports for each page's first visit, measured once for both servers."""
    web_root, path = _web_root(public_site)
    server, root = bench.serve(web_root)
    try:
        return {url: bench.visit(browser, root + path.lstrip("/"), url) for url in _pages(public_site) + ["404.html"]}
    finally:
        server.shutdown()


@pytest.mark.xdist_group("test_servers")  # shares this module's module-scoped fixture on one worker
@pytest.mark.browser
def test_every_page_runs_through_the_server_as_the_benchmark_reports(host, bench_figures, browser):
    """Each page's first visit through the real server (a fresh context, empty cache): it runs without
    errors under the server's headers; every response is OK, carries the site's headers, and is
    compressed where it is text; and `scripts/bench`, which compresses each response itself (gzip,
    level 6), agrees with the real server's bytes as Chromium received them (bodies; headers are left
    out on both sides) within 5% on every page, a fraction of the raw size."""
    server, base = host
    for url, expected in bench_figures.items():
        problems: list[str] = []
        context, _, requests = bench.first_visit(browser, base + url, before=lambda c: watch(c, problems))
        try:
            count, got = len(requests), bench.body_bytes(requests)
            for request in requests:
                response = request.response()
                assert response and response.ok, (server, url, request.url, response and response.status)
                assert not [h for h in HEADERS if response.headers.get(h.lower()) is None], (server, request.url)
                if response.headers.get("content-type", "").startswith(TEXT) and len(response.body()) > SMALL:
                    assert response.headers.get("content-encoding") == "gzip", (server, request.url)
        finally:
            context.close()
        assert problems == [], (server, url, problems)
        assert count == expected["requests"], (server, url, count, expected)
        assert abs(got / expected["gzip_bytes"] - 1) < 0.05, (server, url, got, expected)
        assert got < expected["raw_bytes"] / 3, (server, url, got, expected)


# ---------------------------------------------------------------- make dist, moved pages, hostile content


@pytest.mark.rebuild
def test_make_dist_writes_the_nginx_block_with_nothing_from_content(dist_copy, site_dir):
    """`make dist` on a copy with a moved address (two folders deep) and a title full of configuration
    syntax (conftest's `dist_copy`)."""
    changed = dist_copy
    site = changed / "site"
    assert f"<title>{HOSTILE_TITLE}" in html.unescape((site / "privacy/index.html").read_text(encoding="utf-8"))
    conf = (changed / "dist" / "nginx.conf").read_text(encoding="utf-8")
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    site_url = re.search(r'<link rel="canonical" href="([^"]*)"', home).group(1)
    settings = servers.settings(site_url, DIST_SETTINGS)
    # The same block as for the unchanged site: a title and a moved page change nothing in it.
    assert conf == servers.nginx_conf(servers.site_headers(site_dir), settings)
    assert (site / ".htaccess").read_bytes() == (site_dir / ".htaccess").read_bytes()
    for fragment in ("Privacy", "listen 666", "X-Evil", "guides"):
        assert fragment not in conf and fragment not in (site / ".htaccess").read_text(encoding="utf-8")


@pytest.mark.rebuild
def test_make_dist_stops_on_a_bad_setting(tmp_path):
    project = copy_project(tmp_path)
    for setting, value in [("SERVER_NAME", "clinic.example.org;"), ("SITE_URL", "https://bad_host/"), ("LISTEN", "80 }"), ("WEB_ROOT", "/srv/a b")]:
        result = make(project, "dist", **{setting: value})
        assert result.returncode != 0 and f"{setting}: {value!r} is not" in result.stderr, (setting, result.stderr[-2000:])
        assert not (project / "dist" / "nginx.conf").exists() and not (project / "site").exists()


@pytest.mark.browser
@pytest.mark.parametrize("server", SERVERS)
def test_a_moved_address_leads_to_the_new_one_through_the_server(server, dist_copy, tmp_path, page):
    problems = watch(page)
    with published(dist_copy / "site") as site, running(server, site, tmp_path) as base:
        response = page.goto(base + "guides/old/privacy/")
        page.wait_for_url(base + "privacy/")
        page.wait_for_load_state("networkidle")
        assert response.status == 200 and response.headers.get("content-security-policy")
        assert page.locator("h1").inner_text().startswith("Privacy")
    # The redirect page names no icon, so Chromium may ask for /favicon.ico before it moves on
    # (a gap in sitegen/public_urls.py's page, not in the server configuration).
    assert [p for p in problems if "/favicon.ico" not in p] == [], problems
