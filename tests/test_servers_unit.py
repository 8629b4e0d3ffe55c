"""Unit tests of sitegen.servers: the settings, the configurations, and running a local copy (with a
stand-in for nginx and Apache). tests/test_servers.py runs the real servers."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from sitegen import servers
from sitegen.errors import SiteDataError

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# servers: the settings, the configurations, and running a local copy


def test_server_settings_accept_what_a_clinic_writes():
    s = servers.settings("https://clinic.example.org./", {"LISTEN": "[::1]:8080 default_server", "WEB_ROOT": "/"})
    assert s == servers.Settings("clinic.example.org", "[::1]:8080 default_server", "/", "/")
    s = servers.settings("http://192.0.2.7/ketamine", {"SERVER_NAME": "intranet.example.", "LISTEN": "localhost:65535"})
    assert s == servers.Settings("intranet.example", "localhost:65535", "/var/www/ketamine", "/ketamine/")
    assert servers.settings("https://example.org/", {"LISTEN": "1", "WEB_ROOT": "/srv/a.b_c-d/"}).web_root == "/srv/a.b_c-d"
    # An empty setting is no setting: the default applies.
    assert servers.settings("https://example.org/", {"SERVER_NAME": "", "LISTEN": "", "WEB_ROOT": ""}) == servers.Settings(
        "example.org", "80", "/var/www/ketamine", "/")


@pytest.mark.parametrize(
    ("site_url", "env", "message"),
    [
        ("ftp://example.org/", {}, "SITE_URL: 'ftp://example.org/' is not a web address like https://example.org/ or https://example.org/ketamine/"),
        ("https:///", {}, "SITE_URL: 'https:///' is not a web address like https://example.org/ or https://example.org/ketamine/"),
        ("https://999.1.1.1/", {}, "SITE_URL: 'https://999.1.1.1/' is not a web address like https://example.org/ or https://example.org/ketamine/"),
        ("https://example.org/a b/", {}, "SITE_URL: 'https://example.org/a b/': the path may hold only letters, digits and . _ ~ - between its slashes"),
        ("https://example.org/", {"SERVER_NAME": "a_b.example"}, "SERVER_NAME: 'a_b.example' is not a host name like clinic.example.org"),
        # A line end after the name: `$` matched before it, and nginx.conf then held it.
        ("https://example.org/", {"SERVER_NAME": "evil.example\n"}, "SERVER_NAME: 'evil.example\\n' is not a host name like clinic.example.org"),
        ("https://example.org/", {"LISTEN": "0"}, "LISTEN: '0' is not a port or address:port like 80, 127.0.0.1:8080 or '443 ssl'"),
        ("https://example.org/", {"LISTEN": "65536"}, "LISTEN: '65536' is not a port or address:port like 80, 127.0.0.1:8080 or '443 ssl'"),
        ("https://example.org/", {"LISTEN": "80 gzip"}, "LISTEN: '80 gzip' is not a port or address:port like 80, 127.0.0.1:8080 or '443 ssl'"),
        ("https://example.org/", {"WEB_ROOT": "/var/www/.."}, "WEB_ROOT: '/var/www/..' is not an absolute folder like /var/www/ketamine (letters, digits, . _ - only)"),
        ("https://example.org/", {"WEB_ROOT": "/var/www/../etc/"}, "WEB_ROOT: '/var/www/../etc/' is not an absolute folder like /var/www/ketamine (letters, digits, . _ - only)"),
    ],
)
def test_a_bad_server_setting_is_refused_with_what_to_write(site_url, env, message):
    with pytest.raises(SiteDataError) as refused:
        servers.settings(site_url, env)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("site_url", "path"),
    [("https://example.org", "/"), ("https://example.org/", "/"), ("https://example.org/a/b", "/a/b/"), ("https://example.org/k~1.x_y-z/", "/k~1.x_y-z/")],
)
def test_the_base_path_is_the_addresses_folder(site_url, path):
    assert servers.base_path(site_url) == path


HEADERS = [("X-One", "a b"), ("X-Two", "c=d; e")]


def test_nginx_adds_every_header_at_the_top_and_again_beside_cache_control():
    conf = servers.nginx_conf(HEADERS, servers.Settings("example.org", "8080", "/srv/site", "/k/"))
    assert '\n    add_header X-One "a b" always;\n    add_header X-Two "c=d; e" always;\n' in conf
    assert (
        '\n        add_header Cache-Control "public, max-age=31536000, immutable" always;\n'
        '        add_header X-One "a b" always;\n'
        '        add_header X-Two "c=d; e" always;\n    }\n'
    ) in conf
    assert "\n    error_page 404 /k/404.html;\n" in conf
    assert "\n    gzip_types text/css text/plain text/xml text/javascript application/javascript application/json application/xml image/svg+xml;\n" in conf


def test_apache_sets_every_header_and_compresses_text_by_name():
    conf = servers.htaccess(HEADERS, "https://example.org/k/")
    assert '\nErrorDocument 404 /k/404.html\nHeader always set X-One "a b"\nHeader always set X-Two "c=d; e"\n<FilesMatch' in conf
    assert '<FilesMatch "(\\.html|\\.css|\\.js|\\.json|\\.xml|\\.svg|\\.txt|\\.map)$">\n    SetOutputFilter DEFLATE\n</FilesMatch>\n' in conf


@pytest.mark.parametrize(("name", "value"), [("X-1", "a"), ("X One", "a"), ("X-One", 'a"b'), ("X-One", "a$b"), ("X-One", "")])
def test_a_header_a_configuration_could_misread_is_refused(name, value):
    with pytest.raises(ValueError, match=f"^refusing to write header {name!r}: {value!r}".replace("$", "\\$") + " into a server configuration$"):
        servers.htaccess([(name, value)], "https://example.org/")


def test_compressed_copies_are_level_9_without_name_or_time_and_keep_a_published_gz(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>Ketamine</p>\n" * 100, encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text("<url/>\n" * 100, encoding="utf-8")
    (tmp_path / "sitemap.xml.gz").write_bytes(b"published")
    (tmp_path / "folder.css").mkdir()  # a folder whose name ends in a text suffix is not a file
    (tmp_path / "notes.md").write_text("x\n" * 500, encoding="utf-8")
    assert servers.compressed_copies(tmp_path) == [page]
    packed = (tmp_path / "page.html.gz").read_bytes()
    # gzip header: flags 0 (no file name), modification time 0, extra flags 2 (slowest, smallest).
    assert packed[3] == 0 and packed[4:8] == bytes(4) and packed[8] == 2
    assert gzip.decompress(packed) == page.read_bytes()
    assert (tmp_path / "sitemap.xml.gz").read_bytes() == b"published"
    assert not (tmp_path / "notes.md.gz").exists()


TAB_RESTORER = ('var target=document.getElementById(location.hash.slice(1));'
                'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))')


def test_site_headers_carry_the_hashes_of_every_pages_allowed_scripts(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(f"<p>x</p><script>{TAB_RESTORER}</script>", encoding="utf-8")
    (tmp_path / "index.html").write_text(f"<script>{TAB_RESTORER}</script><script>alert(1)</script>", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("<script>alert(2)</script>", encoding="utf-8")
    headers = dict(servers.site_headers(tmp_path))
    assert headers["Content-Security-Policy"].count("'sha256-/8wPdzX9q0NNJXyA5lzsLojXFpkeaXVxhbfkUOQaWy8='") == 1
    assert headers["Content-Security-Policy"].count("sha256-") == 1
    assert headers["X-Frame-Options"] == "DENY"


def test_nginx_main_configuration_runs_in_the_foreground_from_its_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(servers.os, "geteuid", lambda: 1000)
    assert servers.nginx_main_conf(Path("/t/site.conf"), Path("/t")) == (
        "daemon off;\nworker_processes 1;\npid /t/nginx.pid;\nerror_log /t/error.log;\n"
        "events { worker_connections 64; }\nhttp {\n    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n    access_log off;\n"
        "    client_body_temp_path /t/client_body;\n    proxy_temp_path /t/proxy;\n    fastcgi_temp_path /t/fastcgi;\n"
        "    uwsgi_temp_path /t/uwsgi;\n    scgi_temp_path /t/scgi;\n    include /t/site.conf;\n}\n"
    )
    monkeypatch.setattr(servers.os, "geteuid", lambda: 0)
    assert servers.nginx_main_conf(Path("/t/site.conf"), Path("/t")).startswith("user nobody nogroup;\ndaemon off;\n")


def test_apache_main_configuration_serves_only_the_site_folder(monkeypatch):
    monkeypatch.setattr(servers.os, "geteuid", lambda: 1000)
    assert servers.apache_main_conf(Path("/w"), Path("/t"), 8081) == (
        "ServerRoot /t\nDefaultRuntimeDir /t\nPidFile /t/httpd.pid\nErrorLog /t/error.log\nListen 127.0.0.1:8081\n"
        "ServerName 127.0.0.1\n"
        "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n"
        "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\n"
        "LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so\n"
        "LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so\n"
        "LoadModule filter_module /usr/lib/apache2/modules/mod_filter.so\n"
        "LoadModule deflate_module /usr/lib/apache2/modules/mod_deflate.so\n"
        "LoadModule headers_module /usr/lib/apache2/modules/mod_headers.so\n"
        "TypesConfig /etc/mime.types\nDocumentRoot /w\n"
        "<Directory />\n    AllowOverride None\n    Require all denied\n</Directory>\n"
        "<Directory /w>\n    AllowOverride All\n    Require all granted\n</Directory>\n"
    )
    monkeypatch.setattr(servers.os, "geteuid", lambda: 0)
    assert "\nServerName 127.0.0.1\nUser nobody\nGroup nogroup\nLoadModule mpm_event_module " in servers.apache_main_conf(Path("/w"), Path("/t"), 8081)


def test_address_path_is_read_from_the_home_pages_canonical_link(tmp_path):
    (tmp_path / "index.html").write_text('<head><link rel="canonical" href="https://example.org/ketamine/"></head>', encoding="utf-8")
    assert servers.address_path(tmp_path) == "/ketamine/"
    (tmp_path / "index.html").write_text("<head><title>No address</title></head>", encoding="utf-8")
    assert servers.address_path(tmp_path) == "/"


# A stand-in for nginx and apache2: it records its arguments, reads the port from the
# configuration it was given, as the real servers do, and listens there until stopped.
FAKE_SERVER = r'''
import pathlib, re, signal, socket, sys, time
args = sys.argv[1:]
conf = pathlib.Path(args[args.index("-f" if "-f" in args else "-c") + 1])
pathlib.Path(conf.parent / "argv.txt").write_text("\n".join(args))
text = conf.read_text()
if "-c" in args:
    text = pathlib.Path(re.search(r"include (\S+site\.conf);", text).group(1)).read_text()
if "FAIL" in text:
    sys.stderr.write("fake: refused the configuration\n")
    (conf.parent / "error.log").write_text("fake: see above\n")
    sys.exit(1)
port = int(re.search(r"[Ll]isten 127\.0\.0\.1:(\d+)", text).group(1))
server = socket.socket()
server.bind(("127.0.0.1", port))
server.listen()
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
while True:
    time.sleep(0.05)
'''


@pytest.fixture
def fake_servers(tmp_path, monkeypatch):
    import sys

    script = tmp_path / "fake-server"
    script.write_text(f"#!{sys.executable}\n{FAKE_SERVER}", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr(servers.shutil, "which", lambda name: str(script))
    web = tmp_path / "www"
    (web / "ketamine").mkdir(parents=True)
    (web / "ketamine" / "index.html").write_text(f"<script>{TAB_RESTORER}</script>", encoding="utf-8")
    return web


def _answers(port: int) -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def test_run_local_starts_nginx_on_a_free_port_with_the_sites_block_and_stops_it(fake_servers, tmp_path):
    tmp = tmp_path / "run" / "nginx"
    with servers.run_local("nginx", fake_servers, tmp, "/ketamine/") as base:
        port = int(base.removeprefix("http://127.0.0.1:").removesuffix("/ketamine/"))
        assert base == f"http://127.0.0.1:{port}/ketamine/" and _answers(port)
        assert (tmp / "argv.txt").read_text().split("\n") == ["-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")]
        block = (tmp / "site.conf").read_text(encoding="utf-8")
        assert f"\n    listen 127.0.0.1:{port};\n    server_name 127.0.0.1;\n    root {fake_servers};\n" in block
        assert "\n    error_page 404 /ketamine/404.html;\n" in block
        assert "'sha256-/8wPdzX9q0NNJXyA5lzsLojXFpkeaXVxhbfkUOQaWy8='" in block  # the hashes of the site in its folder
        assert f"\n    include {tmp / 'site.conf'};\n" in (tmp / "nginx.conf").read_text(encoding="utf-8")
    assert not _answers(port)


def test_run_local_starts_apache_in_the_foreground(fake_servers, tmp_path):
    tmp = tmp_path / "apache"
    with servers.run_local("apache", fake_servers, tmp) as base:
        port = int(base.removeprefix("http://127.0.0.1:").removesuffix("/"))
        assert base == f"http://127.0.0.1:{port}/" and _answers(port)
        assert (tmp / "argv.txt").read_text().split("\n") == ["-f", str(tmp / "httpd.conf"), "-DFOREGROUND"]
        assert f"\nListen 127.0.0.1:{port}\n" in (tmp / "httpd.conf").read_text(encoding="utf-8")
    assert not _answers(port)


def test_a_server_that_stops_at_start_is_reported_with_its_logs(fake_servers, tmp_path):
    (fake_servers / "FAIL").mkdir()  # the stand-in refuses a configuration naming FAIL: WEB_ROOT does
    with pytest.raises(RuntimeError) as stopped:
        with servers.run_local("nginx", fake_servers / "FAIL", tmp_path / "n"):
            pass
    assert str(stopped.value) == "nginx stopped at start:\nfake: refused the configuration\n\nfake: see above\n"


# ---------------------------------------------------------------------------------------------
# Survivors in servers (issue 21): each test states what an editor or a clinic would see go wrong


@pytest.mark.parametrize("name", ["CLINIC-X", "X"])
def test_a_server_name_in_capitals_is_checked_whole(name):
    # Host names ignore case; a name ending in a capital X is as valid as in lower case, and is written as given.
    assert servers.settings("https://example.org/", {"SERVER_NAME": name}).server_name == name


def test_no_compressed_copy_is_written_when_it_would_be_no_smaller(tmp_path):
    # A copy as large as the file saves nothing and is one more file to publish; these 33 bytes pack to 33.
    data = b"0123456789" * 3 + b"012"
    assert len(gzip.compress(data, 9, mtime=0)) == 33 == len(data), "this zlib packs differently: pick other bytes"
    (tmp_path / "x.txt").write_bytes(data)
    assert servers.compressed_copies(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


def test_a_local_server_gets_a_port_the_system_hands_out():
    # A fixed low port would be privileged or taken; the tests' and the bench's servers need a free one.
    port = servers._free_port()
    assert 1024 <= port <= 65535
