"""Unit tests for what the mutation run (`make mutation`) found no fast test stating (issue 21).

Each test states a rule a reader of the module would expect, through its public or pure
functions, with the expected values written down. No build, no browser, no server: the `unit`
tier, which `make check` and `scripts/mutation` run.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from helpers import edit
from sitegen import clinic, servers, themefix, trimcss
from sitegen.errors import SiteDataError

# ---------------------------------------------------------------------------------------------
# trimcss: the theme's stylesheet without the rules no page can match


def test_used_words_are_the_classes_of_the_pages_and_every_word_of_the_scripts():
    pages = ['<p class="one  two">x</p><div id="three" title="four">', '<span class="five">']
    scripts = ['el.classList.add("md-search-result__item"); x-y', "var _z = 1"]
    assert trimcss.used_words(pages, scripts) == {
        "one", "two", "five",  # class attributes, split on any space; ids and other attributes are not classes
        "el", "classList", "add", "md-search-result__item", "x-y", "var", "_z", "1",  # every word of a script
    }
    assert trimcss.used_words([], []) == set()


@pytest.mark.parametrize(
    ("css", "used", "kept"),
    [
        # A rule goes only when every selector names an unused class; the used selectors of a list stay.
        (".a,.b{x:1}", {"a"}, ".a{x:1}"),
        (".a,.b{x:1}", {"b"}, ".b{x:1}"),
        (".a,.b{x:1}", set(), ""),
        (".a .b{x:1}", {"a"}, ""),
        (".a .b{x:1}", {"a", "b"}, ".a .b{x:1}"),
        # Selectors with no class at all are always kept.
        ("p{x:1}a:hover{y:2}", set(), "p{x:1}a:hover{y:2}"),
        ("{x:1}.b{y:2}", set(), "{x:1}"),
        # Classes inside functional pseudo-classes, nested too, do not count against a selector.
        ("p:not(.a){x:1}", set(), "p:not(.a){x:1}"),
        ("p:is(.a,:not(.b)).c{x:1}", {"c"}, "p:is(.a,:not(.b)).c{x:1}"),
        ("p:is(.a,:not(.b)).c{x:1}", set(), ""),
        (":where(.a) .c,.d{x:1}", {"d"}, ".d{x:1}"),
        # A comma inside brackets or parentheses does not split the selector list.
        ('a[title="x,.y"]{x:1}', set(), 'a[title="x,.y"]{x:1}'),
        ("p:is(.a,.b){x:1}", set(), "p:is(.a,.b){x:1}"),
        # A dot inside an attribute selector is not a class.
        ('a[href$=".pdf"]{x:1}', set(), 'a[href$=".pdf"]{x:1}'),
        # Class names may start with a hyphen or an underscore and hold hyphens.
        (".-a{x:1}._b{y:2}.c-d{z:3}", {"-a", "_b", "c-d"}, ".-a{x:1}._b{y:2}.c-d{z:3}"),
        (".-a{x:1}._b{y:2}.c-d{z:3}", {"a", "b", "c"}, ""),
        # Both kept selectors of a list stay, joined as written.
        (".a,.b{x:1}", {"a", "b"}, ".a,.b{x:1}"),
        # Capital letters are no brackets, and nested functions close one level at a time.
        (".Xa,.b{x:1}", {"b"}, ".b{x:1}"),
        ("p:is(:not(.a),.b),.c{x:1}", {"c"}, "p:is(:not(.a),.b),.c{x:1}"),
        # An attribute selector is removed, not replaced, before the classes are read.
        (".c[data-x]{x:1}", {"c"}, ".c[data-x]{x:1}"),
    ],
)
def test_a_rule_is_dropped_only_when_every_selector_names_an_unused_class(css, used, kept):
    assert trimcss.trim(css, used) == kept


def test_media_and_supports_are_trimmed_inside_and_dropped_when_empty():
    css = "@media screen{.a{x:1}.b{y:2}}@supports (display:grid){.b{z:3}}@media print{.b{w:4}}"
    assert trimcss.trim(css, {"a"}) == "@media screen{.a{x:1}}"
    assert trimcss.trim(css, {"b"}) == "@media screen{.b{y:2}}@supports (display:grid){.b{z:3}}@media print{.b{w:4}}"
    # Nested: an emptied inner block empties the outer one too.
    assert trimcss.trim("@media screen{@supports (x:y){.b{z:3}}}.a{x:1}", {"a"}) == ".a{x:1}"
    assert trimcss.trim("@media screen{@supports (x:y){.b{z:3}}}", {"b"}) == "@media screen{@supports (x:y){.b{z:3}}}"
    # A block of nothing but white space counts as empty.
    assert trimcss.trim("@media print{ .b{z:3} }", {"a"}) == ""
    # The prelude is kept as written, spaces included.
    assert trimcss.trim("@media (min-width: 10em) { .a{x:1} }", {"a"}) == "@media (min-width: 10em) { .a{x:1} }"


def test_other_at_rules_and_statements_are_kept_whole():
    css = '@charset "utf-8";@import url(x.css);@font-face{font-family:.b;src:url(x.woff)}@keyframes k{0%{opacity:0}to{opacity:1}}.b{x:1}'
    assert trimcss.trim(css, set()) == '@charset "utf-8";@import url(x.css);@font-face{font-family:.b;src:url(x.woff)}@keyframes k{0%{opacity:0}to{opacity:1}}'
    # A statement after a dropped rule is still recognised as one.
    assert trimcss.trim('.b{x:1} @import "y.css";.a{y:2}', {"a"}) == ' @import "y.css";.a{y:2}'
    # A statement is found from where the reader is, not from the start or the end of the sheet.
    assert trimcss.trim('.b{x:1;y:2} @import "y.css";.a{y:2}', {"a"}) == ' @import "y.css";.a{y:2}'
    assert trimcss.trim('.b{x:1} @import "y.css";.c{y:2}', {"a"}) == ' @import "y.css";'
    assert trimcss.trim('@import "x.css";.a{x:1;y:2}', set()) == '@import "x.css";'
    # An at-rule whose prelude has a dot (a layer name) is still kept whole.
    assert trimcss.trim("@layer theme.base{p{x:1}}", set()) == "@layer theme.base{p{x:1}}"
    # Semicolons inside a rule's body are not statements.
    assert trimcss.trim(".b{x:1;y:2}.a{z:3;w:4}", {"a"}) == ".a{z:3;w:4}"


def test_text_after_the_last_rule_is_kept():
    assert trimcss.trim(".a{x:1}/* end */\n", {"a"}) == ".a{x:1}/* end */\n"
    assert trimcss.trim(".b{x:1}\n", set()) == "\n"
    assert trimcss.trim("", set()) == ""


def test_braces_in_strings_and_escapes_do_not_end_a_block():
    css = '.a::before{content:"}{"}.b{x:1}' + ".a::after{content:'\\'}'}" + '.c{content:"\\"}"}'
    assert trimcss.trim(css, {"a"}) == '.a::before{content:"}{"}' + ".a::after{content:'\\'}'}"
    assert trimcss.trim(css, {"c"}) == '.c{content:"\\"}"}'
    # An escaped backslash does not escape the closing quote; a capital letter is no quote.
    assert trimcss.trim('.a{content:"\\\\"}.b{x:1}', {"a"}) == '.a{content:"\\\\"}'
    assert trimcss.trim(".a{font-family:Xyz}.b{x:1}", {"a"}) == ".a{font-family:Xyz}"
    # A quote of the other kind inside a string does not end it.
    assert trimcss.trim(".a{content:\"'}\"}.b{x:1}", {"a"}) == ".a{content:\"'}\"}"


@pytest.mark.parametrize("css", [".a{x:1", ".a{x:{1}", '.a{content:"}"', "@media print{.a{x:1}"])
def test_an_unbalanced_stylesheet_is_refused(css):
    with pytest.raises(ValueError, match="^unbalanced braces in the stylesheet$"):
        trimcss.trim(css, {"a"})


def test_fingerprint_names_the_content():
    # sha256(".a{b:1}") begins f6053fb6.
    assert trimcss.fingerprint("main.57a0d79d.min.css", ".a{b:1}") == "main.f6053fb6.min.css"
    assert trimcss.fingerprint("assets/main.57a0d79d.min.css", ".a{b:1}") == "assets/main.f6053fb6.min.css"
    # Only a fingerprint at the end of a minified stylesheet's name is replaced.
    assert trimcss.fingerprint("main.css", ".a{b:1}") == "main.css"
    assert trimcss.fingerprint("main.57a0d79d.min.css.map", ".a{b:1}") == "main.57a0d79d.min.css.map"
    assert trimcss.fingerprint("main.57A0D79D.min.css", ".a{b:1}") == "main.57A0D79D.min.css"


# ---------------------------------------------------------------------------------------------
# themefix: the theme's markup made valid


def test_only_the_themes_toggle_checkboxes_lose_autocomplete():
    toggle = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
    assert themefix.drop_checkbox_autocomplete(toggle) == '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'
    other = '<input class="other" type="checkbox" autocomplete="off">'
    assert themefix.drop_checkbox_autocomplete(other) == other
    both = toggle + "\n" + toggle.replace("drawer", "search")
    assert themefix.drop_checkbox_autocomplete(both).count("autocomplete") == 0


TOC = '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">'
NAMED_TOC = '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc" aria-label="Table of contents">'


def test_the_contents_toggle_is_named_only_where_no_label_names_it():
    assert themefix.name_toc_toggle(f"<nav>{TOC}</nav>") == f"<nav>{NAMED_TOC}</nav>"
    labelled = f'<nav>{TOC}<label class="md-nav__link" for="__toc">Contents</label></nav>'
    assert themefix.name_toc_toggle(labelled) == labelled
    assert themefix.name_toc_toggle("<p>No toggle</p>") == "<p>No toggle</p>"


def test_fix_page_applies_every_fix():
    drawer = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
    page = f"<body>{drawer}<nav>{TOC}</nav></body>"
    assert themefix.fix_page(page) == (
        '<body><input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'
        f"<nav>{NAMED_TOC}</nav></body>"
    )


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
# clinic: the clinic's own details on the handout


def test_clinic_settings_are_text_or_a_number_and_absent_is_empty():
    assert clinic.check_name(None) == "" and clinic.check_phone(None) == "" and clinic.check_web(None) == ""
    assert clinic.check_phone(5550104477) == "5550104477"  # YAML reads an unquoted number as one
    assert clinic.check_name("x" * 80) == "x" * 80
    for value, shown in ((True, "True"), (["a"], "['a']"), ({"a": 1}, "{'a': 1}"), (1.5, "1.5")):
        with pytest.raises(SiteDataError) as refused:
            clinic.check_name(value)
        assert str(refused.value) == f"mkdocs.yml: extra.clinic.name (or CLINIC_NAME): must be text in quotes, or empty; got {shown}"


@pytest.mark.parametrize("value", ["Tab\there", "Bell\x07", "Del\x7f", "C1\x85x", "Line\u2028sep", "Para\u2029sep", "a\x1fb", "\x00"])
def test_a_clinic_setting_must_be_one_line_of_plain_text(value):
    with pytest.raises(SiteDataError) as refused:
        clinic.check_web(value)
    assert str(refused.value) == ("mkdocs.yml: extra.clinic.web (or CLINIC_WEB): must be one line of plain text "
                                  "(no line breaks or control characters)")


def test_a_long_name_is_refused_with_its_length():
    with pytest.raises(SiteDataError) as refused:
        clinic.check_name("y" * 81)
    assert str(refused.value) == ("mkdocs.yml: extra.clinic.name (or CLINIC_NAME): is 81 characters long; keep it to 80, "
                                  "so it fits on one printed line")


@pytest.mark.parametrize("phone", ["555 0104", "123456789012345", "+1 555 010 4477 x 123456", "555-0104 ext 9", "555-0104 EXT.9", "(555)0104477", " 5550104 "])
def test_phone_numbers_of_7_to_15_digits_with_an_extension_are_accepted(phone):
    assert clinic.check_phone(phone) == phone.strip()


@pytest.mark.parametrize("phone", ["555 010", "1234567890123456", "555 0104 x 1234567", "555 0104 ext", "-5550104", "5550104-", "555a0104"])
def test_too_few_or_many_digits_or_stray_characters_are_no_phone_number(phone):
    with pytest.raises(SiteDataError) as refused:
        clinic.check_phone(phone)
    assert str(refused.value) == (
        f"mkdocs.yml: extra.clinic.phone (or CLINIC_PHONE): {phone!r} is not a phone number: write 7 to 15 digits, "
        "with spaces, + ( ) - or . if you like, for example (555) 010-4477 or +44 20 7946 0018")


@pytest.mark.parametrize("web", ["http://clinic.example.org", "https://Clinic.Example.org/path?q=1", "https://a.b-c.example:8443/"])
def test_web_addresses_are_accepted_as_written(web):
    assert clinic.check_web(f"  {web} ") == web


@pytest.mark.parametrize("web", ["ftp://clinic.example.org/", "https://user@clinic.example.org/", "https://:pw@clinic.example.org/",
                                 "https://localhost/", "https://-a.example/", "https://clinic.example.org/a b", 'https://clinic.example.org/"'])
def test_web_addresses_with_another_scheme_a_login_or_no_real_host_are_refused(web):
    with pytest.raises(SiteDataError) as refused:
        clinic.check_web(web)
    assert str(refused.value) == f"mkdocs.yml: extra.clinic.web (or CLINIC_WEB): {web!r} is not a web address like https://clinic.example.org/"


def test_the_clinic_mapping_is_checked_as_a_whole():
    assert clinic.check_clinic("") == clinic.Clinic()
    assert clinic.check_clinic({"name": " Riverside ", "phone": "555 0104", "web": "https://r.example/"}) == clinic.Clinic(
        "Riverside", "555 0104", "https://r.example/")
    assert clinic.check_clinic({"phone": "555 0104"}) == clinic.Clinic("", "555 0104", "")
    with pytest.raises(SiteDataError) as refused:
        clinic.check_clinic(["name"])
    assert str(refused.value) == "mkdocs.yml: extra.clinic: must list name, phone and web (each optional), got ['name']"
    with pytest.raises(SiteDataError) as refused:
        clinic.check_clinic({"web": "", "zeta": 1, "alpha": 2})
    assert str(refused.value) == "mkdocs.yml: extra.clinic: unknown setting 'alpha'; the settings are: name, phone, web"


def test_a_clinic_with_any_detail_is_set():
    assert not clinic.Clinic()
    assert clinic.Clinic(name="A") and clinic.Clinic(phone="1") and clinic.Clinic(web="https://a.example/")


@pytest.mark.parametrize(
    ("phone", "href"),
    [("+1 (555) 010-4477", "tel:+15550104477"), ("555.010.4477 ext. 12", "tel:5550104477"), ("555 0104 X9", "tel:5550104"), ("555 0104x 9", "tel:5550104")],
)
def test_the_tel_link_dials_the_number_without_its_extension(phone, href):
    assert clinic.tel_href(phone) == href


@pytest.mark.parametrize(
    ("details", "text"),
    [
        (("Riverside", "", ""), "Riverside"),
        (("", "555 0104", ""), '<a href="tel:5550104">555 0104</a>'),
        (("", "", "https://r.example/?a&b"), '<a href="https://r.example/?a&amp;b">https://r.example/?a&amp;b</a>'),
        (("", "555 0104", "https://r.example/"), '<a href="tel:5550104">555 0104</a> or <a href="https://r.example/">https://r.example/</a>'),
        (("R & \"S\"", "", "https://r.example/"), 'R &amp; &quot;S&quot;: <a href="https://r.example/">https://r.example/</a>'),
    ],
)
def test_the_contact_line_names_the_clinic_and_links_what_is_set(details, text):
    assert clinic.contact_line(clinic.Clinic(*details)) == f'<p class="site-note clinic-contact"><strong>Questions? Contact</strong> {text}</p>'


# ---------------------------------------------------------------------------------------------
# article: the source article's parts, and edits to its words

from types import SimpleNamespace  # noqa: E402

from sitegen import article  # noqa: E402

SMALL_ARTICLE = """Ketamine, an overview
It’s  “old” — and new.  Second sentence! Third?

Key takeaways:
Takeaway here.
• Nausea • Dizziness | • Dissociation •Sedation
Abdallah, C. G., et al. (2018). A title. Journal.
National Center for Drug Abuse Statistics. (n.d.). Stats. Web.
*Footnote text. Second footnote sentence.
"""


def test_normalise_makes_typography_free_and_keeps_words():
    assert article.normalise("It’s “old” ‘x’ — a – b\xa0c  d\n\te ''q''  ") == "It's \"old\" 'x' - a - b c d e \"q\""
    assert article.sentences_of("One. Two!  Three? four e.g.five") == ["One.", "Two!", "Three?", "four e.g.five"]
    assert article.sentences_of("  ") == []


def test_the_article_is_split_into_body_side_effects_references_and_footnote():
    parsed = article.parse(SMALL_ARTICLE)
    assert parsed.body == (
        (1, "Ketamine, an overview"),
        (2, "It's \"old\" - and new. Second sentence! Third?"),
        (5, "Takeaway here."),
    )
    assert parsed.side_effects == (("Nausea", "Dizziness"), ("Dissociation", "Sedation"))
    assert parsed.references == (
        article.Reference("Abdallah", "2018", 7, "Abdallah, C. G., et al. (2018). A title. Journal."),
        article.Reference("National Center for Drug Abuse Statistics", "n.d.", 8,
                          "National Center for Drug Abuse Statistics. (n.d.). Stats. Web."),
    )
    assert parsed.footnote == "*Footnote text. Second footnote sentence."
    assert parsed.footnote_line == 9
    assert parsed.sentences() == [
        (1, "Ketamine, an overview"), (2, "It's \"old\" - and new."), (2, "Second sentence!"), (2, "Third?"),
        (5, "Takeaway here."), (9, "*Footnote text."), (9, "Second footnote sentence."),
    ]
    assert parsed.text() == ("Ketamine, an overview It's \"old\" - and new. Second sentence! Third? Takeaway here. "
                             "Nausea Dizziness Dissociation Sedation *Footnote text. Second footnote sentence.")


def test_an_article_without_references_has_its_footnote_at_line_0():
    assert article.Article((), ((), ()), (), "").footnote_line == 0


@pytest.mark.parametrize(
    ("fragment", "found"),
    [
        ("Second sentence!", True),
        ("second sentence", True),  # a capital at the start may differ
        ("It’s “old” — and", True),  # typography is free
        ("Takeaway here.", True),
        ("Nausea Dizziness", True),
        ("*Footnote text", True),
        ("Second Sentence", False),  # only the first letter may differ
        ("Key takeaways:", False),  # the summary title is not the article's words
        ("A title. Journal.", False),  # nor is the reference list
        ("", False),
        (".", False),
        ("Takeaway here and there", False),
    ],
)
def test_the_article_contains_only_its_own_words(fragment, found):
    assert article.parse(SMALL_ARTICLE).contains(fragment) is found


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("One\n\nTwo\n", "data/source/ketamine-esketamine-article.txt: is not the article: too few lines"),
        ("One\nTwo\nThree\n", "data/source/ketamine-esketamine-article.txt: needs exactly one side-effects line (items marked • and the two columns split by |), found 0"),
        ("• a | • b\n• c | • d\nAbdallah, C. (2018). T.\nF\n", "data/source/ketamine-esketamine-article.txt: needs exactly one side-effects line (items marked • and the two columns split by |), found 2"),
        ("• a only\nx | y\nAbdallah, C. (2018). T.\nF\n", "data/source/ketamine-esketamine-article.txt: needs exactly one side-effects line (items marked • and the two columns split by |), found 0"),
        ("Abdallah, C. (2018). T.\n• a | • b\nBody\nF\n", "data/source/ketamine-esketamine-article.txt: has no reference list after the side-effects line"),
        ("Intro\n• a | • b | • c\nAbdallah, C. (2018). T.\nF\n", "data/source/ketamine-esketamine-article.txt, line 2: the side-effects line needs two columns split by |, found 3"),
        ("Intro\n• a |  \nAbdallah, C. (2018). T.\nF\n", "data/source/ketamine-esketamine-article.txt, line 2: the side-effects line needs two columns split by |, found 1"),
        ("Intro\n• a | • b\nAbdallah, C. (2018). T.\n\n" + "Not a reference at all, and longer than sixty characters in total here.\nF\n",
         "data/source/ketamine-esketamine-article.txt, line 5: is not a reference (Author, I. (Year). Title.): "
         "'Not a reference at all, and longer than sixty characters in '"),
    ],
)
def test_a_source_that_is_not_the_article_is_refused_saying_what_is_missing(raw, message):
    with pytest.raises(SiteDataError) as refused:
        article.parse(raw, drugs=2)
    assert str(refused.value) == message


def test_the_smallest_article_has_a_body_line_the_side_effects_a_reference_and_a_footnote():
    parsed = article.parse("• a | • b\nAbdallah, C. (2018). T.\nFoot.\n", where="x.txt")
    assert (parsed.body, parsed.side_effects, parsed.footnote) == ((), (("a",), ("b",)), "Foot.")
    assert parsed.references == (article.Reference("Abdallah", "2018", 2, "Abdallah, C. (2018). T."),)
    with pytest.raises(SiteDataError, match=r"^x\.txt: is not the article"):
        article.parse("• a | • b\nFoot.\n", where="x.txt")


def _edit(replace, with_):
    return SimpleNamespace(replace=replace, with_=with_, where="data/changes.yml, line 9")


def test_edits_replace_the_articles_words_in_order():
    raw = "It’s  “old”.\nSecond line here.\n"
    assert article.apply_edits(raw, []) == "It's \"old\".\nSecond line here."
    assert article.apply_edits(raw, [_edit("It's \"old\"", "It is new"), _edit("It is new.", "Done.")]) == "Done.\nSecond line here."
    # The words are compared normalised (trimmed), so the spaces around them stay.
    assert article.apply_edits(raw, [_edit(" line", "")]) == "It's \"old\".\nSecond  here."
    assert article.apply_edits(raw, [_edit("line ", None)]) == "It's \"old\".\nSecond  here."
    assert article.apply_edits(raw, [_edit("here", "“there”")]) == "It's \"old\".\nSecond line \"there\"."


@pytest.mark.parametrize(
    ("replace", "problem"),
    [
        ("not there", "replace: 'not there' is not in the article (or was already changed by an earlier edit)"),
        ("e", "replace: 'e' is in the article 4 times; quote more of it"),
        ("x" * 90, "replace: '" + "x" * 80 + "' is not in the article (or was already changed by an earlier edit)"),
    ],
)
def test_an_edit_must_find_its_words_exactly_once(replace, problem):
    with pytest.raises(SiteDataError) as refused:
        article.apply_edits("One line.\nThe other.\n", [_edit(replace, "y")])
    assert str(refused.value) == "data/changes.yml, line 9: " + problem


# ---------------------------------------------------------------------------------------------
# changes: the record of changes

import datetime as dt  # noqa: E402

from sitegen import changes, datafile  # noqa: E402


def _changes(text: str):
    return changes.validate(datafile.load_text(text, "data/changes.yml"))


def test_a_record_entry_keeps_every_field_as_written():
    record = _changes(
        "changes:\n"
        "  - date: 2026-03-01\n"
        "    pages: [/uses/]\n"
        "    what: \"  Reworded   two  sentences. \"\n"
        "    why: Newer label.\n"
        "    edits:\n"
        "      - replace: may  be\n"
        "        with: can be\n"
        "      - replace: \"only this\"\n"
        "        with:\n"
        "      - replace: \"and this\"\n"
        "        with: \"\"\n"
        "    sources: [berman2000, an2021]\n"
        "    add: [new2026]\n"
        "  - date: 2026-03-01\n"
        "    pages: [/, /uses/]\n"
        "    what: Same day.\n"
    )
    assert record == (
        changes.Change(dt.date(2026, 3, 1), ("/uses/",), "Reworded two sentences.", "Newer label.",
                       (changes.Edit("may be", "can be", "data/changes.yml, line 7"),
                        changes.Edit("only this", "", "data/changes.yml, line 9"),
                        changes.Edit("and this", "", "data/changes.yml, line 11")),
                       ("berman2000", "an2021"), False, (), ("new2026",), "data/changes.yml, line 2"),
        changes.Change(dt.date(2026, 3, 1), ("/", "/uses/"), "Same day.", where="data/changes.yml, line 15"),
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("    date: 2026-03-01 10:00:00\n", "data/changes.yml, line 4: changes[0].date: must be a date written YYYY-MM-DD, got a datetime (2026-03-01 10:00:00)"),
        ("    date: March 1\n", "data/changes.yml, line 4: changes[0].date: must be a date written YYYY-MM-DD, got text ('March 1')"),
        ("    date: 2026-03-01\n    sources: berman2000\n", "data/changes.yml, line 5: changes[0].sources: must be a list of citation keys, like [berman2000], got text ('berman2000')"),
        ("    date: 2026-03-01\n    add: {a: 1}\n    why: x\n", "data/changes.yml, line 5: changes[0].add: must be a list of citation keys, like [berman2000], got a mapping"),
        ("    date: 2026-03-01\n    typo: 1\n", "data/changes.yml, line 5: changes[0].typo: must be true or false"),
        ("    date: 2026-03-01\n    retire: [old1999]\n", "data/changes.yml, line 2: changes[0]: changes the article's words or the reference list, so it needs 'why': the reason, in a sentence"),
        ("    date: 2026-03-01\n    add: [new2026]\n", "data/changes.yml, line 2: changes[0]: changes the article's words or the reference list, so it needs 'why': the reason, in a sentence"),
        ("    date: 2026-03-01\n    edits:\n      - replace: a\n        with:\n", "data/changes.yml, line 2: changes[0]: changes the article's words or the reference list, so it needs 'why': the reason, in a sentence"),
        ("    date: 2026-03-01\n    edits:\n      - replace: a\n", "data/changes.yml, line 6: changes[0].edits[0]: missing field 'with'"),
    ],
)
def test_a_record_entry_is_refused_naming_its_line_and_what_to_write(entry, message):
    text = "changes:\n  - pages: [/]\n    what: W.\n" + entry
    with pytest.raises(SiteDataError) as refused:
        _changes(text)
    assert str(refused.value) == message


def test_new_words_need_sources_or_a_typo_but_removals_do_not():
    base = "changes:\n  - date: 2026-03-01\n    pages: [/]\n    what: W.\n    why: Because.\n    edits:\n      - replace: a\n        with: {}\n"
    assert _changes(base.format('""'))[0].edits == (changes.Edit("a", "", "data/changes.yml, line 7"),)
    assert _changes(base.format("b") + "    typo: true\n")[0].typo is True
    assert _changes(base.format("b") + "    sources: [k]\n")[0].sources == ("k",)
    with pytest.raises(SiteDataError, match=r"^data/changes.yml, line 2: changes\[0\]: puts new words in the article's place: list the citation keys "
                                            r"behind them under 'sources', or say 'typo: true' if it only corrects a typing error$"):
        _changes(base.format("b") + "    typo: false\n")


def test_the_record_is_newest_first_and_edits_come_back_oldest_first():
    record = (
        changes.Change(dt.date(2026, 3, 1), ("/",), "New.", edits=(changes.Edit("c", "d", "w3"),)),
        changes.Change(dt.date(2026, 2, 1), ("/",), "Mid."),
        changes.Change(dt.date(2026, 1, 1), ("/",), "Old.", edits=(changes.Edit("a", "b", "w1"), changes.Edit("b", "c", "w2"))),
    )
    assert [e.where for e in changes.edits(record)] == ["w1", "w2", "w3"]
    with pytest.raises(SiteDataError) as refused:
        _changes("changes:\n  - date: 2026-01-01\n    pages: [/]\n    what: A.\n  - date: 2026-01-02\n    pages: [/]\n    what: B.\n")
    assert str(refused.value) == "data/changes.yml, line 5: changes[1].date: 2026-01-02 is newer than the entry above it (2026-01-01): keep the newest first"


def test_each_page_is_dated_by_the_latest_entry_naming_it():
    record = (
        changes.Change(dt.date(2026, 3, 1), ("/old-uses/",), "Newest.", where="data/changes.yml, line 2"),
        changes.Change(dt.date(2026, 2, 1), ("/uses/", "/"), "Older.", where="data/changes.yml, line 6"),
    )
    pages = {"/uses/": changes.Dated("docs/uses.md", 4, dt.date(2026, 3, 1)), "/": changes.Dated("docs/index.md", 3, dt.date(2026, 2, 1))}
    changes.check_dates(record, pages, {"/old-uses/": "/uses/"})
    with pytest.raises(SiteDataError) as refused:
        changes.check_dates(record, {**pages, "/": changes.Dated("docs/index.md", 3, dt.date(2026, 2, 2))}, {"/old-uses/": "/uses/"})
    assert str(refused.value) == (
        "docs/index.md, line 3: last_updated is 2026-02-02, but data/changes.yml has no entry for / on that date: "
        "add one at the top (date: 2026-02-02, pages: [/], what: what changed, in a sentence for readers)")
    with pytest.raises(SiteDataError) as refused:
        changes.check_dates(record, {**pages, "/": changes.Dated("docs/index.md", 3, dt.date(2026, 1, 31))}, {"/old-uses/": "/uses/"})
    assert str(refused.value) == ("data/changes.yml, line 6: records a change to / on 2026-02-01, after its last_updated (2026-01-31): "
                                  "in docs/index.md, line 3, write `last_updated: 2026-02-01`")
    with pytest.raises(SiteDataError) as refused:
        changes.check_dates(record, {**pages, "/about/": changes.Dated("docs/about.md", 5, dt.date(2026, 1, 1))}, {"/old-uses/": "/uses/"})
    assert str(refused.value) == ("docs/about.md, line 5: last_updated is 2026-01-01, but data/changes.yml has no entry for /about/ on that date: "
                                  "add one at the top (date: 2026-01-01, pages: [/about/], what: what changed, in a sentence for readers)")
    with pytest.raises(SiteDataError) as refused:
        changes.check_dates(record, pages, {})
    assert str(refused.value) == ("data/changes.yml, line 2: pages: /old-uses/ is not a page of the site; if it moved, add `/old-uses/: /new-address/` "
                                  "under moved: in data/public-urls.yml (addresses are as there, like /uses/)")


class _Cited:
    def __init__(self, html):
        self.html = html


def test_the_record_page_says_what_the_article_said_and_what_each_source_did():
    record = (
        changes.Change(dt.date(2026, 3, 9), ("/uses/", "/gone/", "/"), "Two & three.", "Because <b>.",
                       (changes.Edit("a < b", "c", "w"), changes.Edit("d", "", "w")), retire=("old",), add=("new",)),
        changes.Change(dt.date(2026, 1, 2), ("/",), "Plain."),
    )
    out = changes.render(record, {"/uses/": ("Uses & more", "../uses/?a&b"), "/": ("Home", "../")},
                         {"old": _Cited("Old, A. (1999). <cite>T</cite>."), "new": _Cited("New, B. (2026).")})
    assert out == (
        '<ol class="changes" data-search-exclude>\n'
        '<li class="change" id="change-2026-03-09-1"><p class="change__date"><time datetime="2026-03-09">March 9, 2026</time></p>'
        '<p class="change__what">Two &amp; three.</p>'
        '<p class="change__edit">The source article said <q>a &lt; b</q>; this site now says <q>c</q>.</p>'
        '<p class="change__edit">The source article’s words <q>d</q> were removed.</p>'
        '<p class="change__edit">A source is no longer cited: Old, A. (1999). <cite>T</cite>.</p>'
        '<p class="change__edit">A source was added: New, B. (2026).</p>'
        '<p class="change__why">Why: Because &lt;b&gt;.</p>'
        '<p class="change__pages">Pages: <a href="../uses/?a&amp;b">Uses &amp; more</a>, <a href="../">Home</a></p></li>\n'
        '<li class="change" id="change-2026-01-02-1"><p class="change__date"><time datetime="2026-01-02">January 2, 2026</time></p>'
        '<p class="change__what">Plain.</p><p class="change__pages">Pages: <a href="../">Home</a></p></li>\n'
        "</ol>"
    )


# ---------------------------------------------------------------------------------------------
# public_urls: the recorded addresses, moves and redirect pages

from sitegen import public_urls  # noqa: E402


@pytest.mark.parametrize(
    ("url", "address"),
    [("a/index.html", "/a/"), ("a/b.html", "/a/b/"), ("a/b/", "/a/b/"), ("index.html", "/"), ("indexes.html", "/indexes/")],
)
def test_file_and_folder_urls_map_to_the_public_address(url, address):
    assert public_urls.page_path(url) == address


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pages: {}\nmoved:\n  /old/: 1", "data/public-urls.yml, line 3: moved./old/: an address must be text like /side-effects/ or /side-effects/#id, got a number (1)"),
        ("pages:\n  /uses: []", "data/public-urls.yml, line 2: pages./uses: '/uses' is not a page address like /side-effects/ (start and end with /, lower case)"),
        ("pages:\n  /uses/: abc", "data/public-urls.yml, line 2: pages./uses/: must be a list of section ids, got text ('abc')"),
        ("pages:\n  /uses/: [1]", "data/public-urls.yml, line 2: pages./uses/[0]: 1 is not a section id (letters, digits, - and _)"),
        ("pages:\n  /uses/: [-a]", "data/public-urls.yml, line 2: pages./uses/[0]: '-a' is not a section id (letters, digits, - and _)"),
        ("pages:\n  /uses/: [a, b, a]", "data/public-urls.yml, line 2: pages./uses/[2]: lists a more than once"),
        ("pages: {}\nmoved:\n  /old/#1x: /new/#y", "data/public-urls.yml, line 3: moved./old/#1x: '/old/#1x' has no valid section id after #"),
        ("pages: {}\nmoved:\n  /old/: /new/#", "data/public-urls.yml, line 3: moved./old/: '/new/#' has no valid section id after #"),
        ("pages: {}\nmoved:\n  /old/#a: /new/", "data/public-urls.yml, line 3: moved./old/#a: map a page to a page and a section (#id) to a section"),
        ("pages: {}\nmoved: 1", "data/public-urls.yml, line 2: moved: must be a mapping of old address -> new address, one per line (`/old/: /new/`)"),
        ("moved: {}", "data/public-urls.yml, line 1: missing field 'pages'"),
    ],
)
def test_a_bad_address_record_is_refused_with_the_exact_reason(text, message):
    with pytest.raises(SiteDataError) as refused:
        public_urls.parse_public_urls(text)
    assert str(refused.value) == message


def test_an_address_record_may_leave_ids_and_moves_empty():
    recorded = public_urls.parse_public_urls("pages:\n  /:\n  /a-b/c.d_e/: [x_1, Y-2]\nmoved:\n")
    assert recorded == public_urls.PublicUrls({"/": [], "/a-b/c.d_e/": ["x_1", "Y-2"]}, {})
    recorded = public_urls.parse_public_urls("pages: {}\nmoved:\n  /old/: /new/\n  /new/#a: /newer/#b\n", where="x.yml")
    assert recorded.moved == {"/old/": "/new/", "/new/#a": "/newer/#b"}


@pytest.mark.parametrize(
    ("moved", "built", "message"),
    [
        ("/old/: /new/", {"/": set()}, "data/public-urls.yml: moved['/old/']: points to /new/, but /new/ is not a page of the site; point it at the current address"),
        ("/old/#a: /new/#b", {"/": set()}, "data/public-urls.yml: moved['/old/#a']: points to /new/#b, but /new/ is not a page of the site; point it at the current address"),
        ("/old/#a: /#b", {"/": {"a"}}, "data/public-urls.yml: moved['/old/#a']: points to /#b, but / has no heading with id 'b'"),
        ("/old/: /", {"/": set(), "/old/": set()}, "data/public-urls.yml: moved['/old/']: /old/ is still a page of the site; remove the entry or the page"),
    ],
)
def test_a_move_must_point_at_a_built_page_or_heading(moved, built, message):
    recorded = public_urls.parse_public_urls(f"pages: {{}}\nmoved:\n  {moved}\n")
    with pytest.raises(SiteDataError) as refused:
        public_urls.check_public_urls(recorded, built)
    assert str(refused.value) == message


def test_a_moved_section_on_a_page_still_built_is_fine():
    recorded = public_urls.parse_public_urls("pages:\n  /:\n    - a\n    - gone\nmoved:\n  /#gone: /#a\n")
    public_urls.check_public_urls(recorded, {"/": {"a"}})


def test_every_broken_promise_is_listed_at_once():
    recorded = public_urls.parse_public_urls("pages:\n  /: [a, b]\n  /gone/: [x]\n  /uses/: [c]\n")
    with pytest.raises(SiteDataError) as refused:
        public_urls.check_public_urls(recorded, {"/": {"b"}, "/uses/": set()}, where="w.yml")
    assert str(refused.value) == (
        "w.yml: a public address would break:\n"
        "  section /#a is recorded but / has no heading with id 'a'; restore the {#a} on its heading, or, if you renamed it, add the line `  /#a: /#new-id` under moved: (links to the old id keep working)\n"
        "  page /gone/ is recorded but no longer built; restore it, or add `/gone/: /new-address/` under moved\n"
        "  section /uses/#c is recorded but /uses/ has no heading with id 'c'; restore the {#c} on its heading, or, if you renamed it, add the line `  /uses/#c: /uses/#new-id` under moved: (links to the old id keep working)"
    )


def test_what_is_built_but_not_recorded_is_listed_in_order():
    recorded = public_urls.parse_public_urls("pages:\n  /: [a]\n")
    assert public_urls.unrecorded(recorded, {"/": {"c", "a", "b"}, "/new/": {"z"}}) == ["/#b", "/#c", "/new/"]
    assert public_urls.unrecorded(recorded, {"/": {"a"}}) == []
    with pytest.raises(SiteDataError) as refused:
        public_urls.check_recorded(recorded, {"/": {"a", "b"}, "/new/": {"z", "y"}}, where="w.yml")
    assert str(refused.value) == ("w.yml: records every page and section id that other sites may link to; add what is new:\n"
                                  "  under pages:, add `/new/: [y, z]`\n"
                                  "  under /:, add the line `    - b`")


def test_old_ids_land_on_the_heading_that_has_their_section_now():
    recorded = public_urls.parse_public_urls(
        "pages: {}\nmoved:\n  /old/: /new/\n  /old/#a: /new/#b\n  /new/#c: /new/#b\n  /other/#d: /new/#e\n  /new/#f: /else/#g\n")
    assert public_urls.page_redirects(recorded) == {"/old/": "/new/"}
    # /other/ was not moved to /new/: its id stays behind.
    assert public_urls.anchor_aliases(recorded, "/new/") == {"b": ["a", "c"]}
    # A link to /new/#f still reaches /new/, so no anchor for f goes on /else/.
    assert public_urls.anchor_aliases(recorded, "/else/") == {}
    assert public_urls.anchor_aliases(recorded, "/old/") == {}


def test_alias_anchors_go_before_the_first_h2_or_h3_with_the_new_id_only():
    content = '<h4 id="b">4</h4><h2 class="x" id="b-2">2</h2><h3 id="b">3</h3><h2 id="b">again</h2>'
    assert public_urls.add_anchor_aliases(content, {"b": ["a", 'q"x'], "none": ["z"]}) == (
        '<h4 id="b">4</h4><h2 class="x" id="b-2">2</h2><span id="a"></span><span id="q&quot;x"></span><h3 id="b">3</h3><h2 id="b">again</h2>')
    assert public_urls.add_anchor_aliases(content, {}) == content


def test_a_redirect_page_is_exactly_this():
    assert public_urls.render_redirect("/old/", "/new/", "https://example.org/k/", "A & B") == (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Moved: A &amp; B</title>\n"
        '<meta name="robots" content="noindex">\n'
        '<link rel="canonical" href="https://example.org/k/new/">\n'
        '<meta http-equiv="refresh" content="0; url=../new/">\n'
        '<script src="../assets/javascripts/redirect.js"></script>\n'
        "</head>\n<body>\n"
        '<p>This page has moved to <a href="../new/">A &amp; B</a>.</p>\n'
        "</body>\n</html>\n"
    )
    same = public_urls.render_redirect("/a/", "/a/", "https://example.org", "T")
    assert 'content="0; url=./"' in same and '<link rel="canonical" href="https://example.org/a/">' in same


def test_a_heading_without_an_id_is_named_with_the_fix():
    markdown = "## One\n   ### Two {#two}\n    ## Code, not a heading\n##Not one\n### Three {.wide} ##\n## Four {#}\n"
    assert public_urls.headings_without_ids(markdown, "docs/x.md", 5) == [
        "docs/x.md, line 5: '## One' has no explicit id; write it as '## One {#an-id}'",
        "docs/x.md, line 9: '### Three {.wide} ##' has no explicit id; write it as '### Three {.wide} ## {#an-id}'",
        "docs/x.md, line 10: '## Four {#}' has no explicit id; write it as '## Four {#} {#an-id}'",
    ]


def test_robots_txt_allows_all_and_names_the_sitemap():
    assert public_urls.robots_txt("https://example.org/k/") == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/k/sitemap.xml\n"
    assert public_urls.robots_txt("https://example.org") == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"


# ---------------------------------------------------------------------------------------------
# fidelity: the site says what the source article says (fixtures of tests/test_fidelity.py)

from sitegen import fidelity  # noqa: E402
from sitegen.citations import parse_bibliography  # noqa: E402
from sitegen.glossary import Glossary, Term  # noqa: E402
from sitegen.tables import Row  # noqa: E402
from test_fidelity import BIB, GOOD_ROWS, PAGE, SOURCE  # noqa: E402
from test_fidelity import page as fidelity_page  # noqa: E402
from test_fidelity import table as side_effects_table  # noqa: E402

REMEDY = ("write the article's words, or change them on the record: an entry in data/changes.yml with "
          "edits (replace: the article's words, with: the new ones), why, and sources; ")


def _refused(call, *args) -> str:
    with pytest.raises(SiteDataError) as refused:
        call(*args)
    return str(refused.value)


def test_a_cell_that_is_not_the_articles_wording_is_named_with_the_remedy():
    rows = [Row("Anxiety", {"ketamine": ["Anxiety or fear"], "esketamine": ["Anxiety", "Worry"]}, "data/side-effects.yml, line 5")]
    assert _refused(fidelity.check_tables, SOURCE, side_effects_table(rows)) == (
        "data/side-effects.yml, line 5: tables.side-effects, row 'Anxiety', esketamine: 'Worry' is not the article's wording; "
        + REMEDY + "see data/source/ for the article's text")


def test_the_side_effects_list_is_checked_drug_by_drug_with_exact_messages():
    curly = [Row("Anxiety", {"ketamine": ["Anxiety or fear"], "esketamine": ["Anxiety"]}, "w"),
             Row("Nausea", {"ketamine": ["Nausea,  vomiting"]}, "w"), Row("Pain", {"esketamine": ["Pain when peeing"]}, "w")]
    fidelity.check_tables(SOURCE, side_effects_table(curly))  # compared normalised
    assert _refused(fidelity.check_tables, SOURCE, side_effects_table(GOOD_ROWS[1:])) == (
        "data/side-effects.yml: tables.side-effects: the article lists 'Anxiety or fear' for Ketamine, but no cell says it; "
        "add it to a row, or record its removal in data/changes.yml (edits, why)")
    twice = GOOD_ROWS + [Row("Again", {"ketamine": ["Nausea, vomiting"]}, "w")]
    assert _refused(fidelity.check_tables, SOURCE, side_effects_table(twice)) == (
        "data/side-effects.yml: tables.side-effects: 'Nausea, vomiting' is not in the article's list for Ketamine; "
        "cells hold the list's items word for word, one item a cell")


def test_tables_other_than_side_effects_need_only_the_articles_wording():
    import dataclasses

    other = dataclasses.replace(side_effects_table(GOOD_ROWS[:1])["side-effects"], name="uses")
    fidelity.check_tables(SOURCE, {"uses": other})


def test_a_glossary_definition_is_checked_sentence_by_sentence():
    term = Term("Glutamate", "Glutamate is a chemical messenger. It is made up.", ["glutamate"], 3)
    assert _refused(fidelity.check_glossary, SOURCE, Glossary("data/glossary.yml", [term])) == (
        "data/glossary.yml, line 3: the definition of 'Glutamate' is not the article's wording ('It is made up.'); quote the article, "
        "or mark it 'source: site' so the Glossary shows it as this site's own definition (and /about/ says so), "
        "or 'source: KEY' and 'section' for one of the article's references' words, on the record")


NCDAS = "@misc{ncdas, refnumber = {1}, author = {{National Center for Drug Abuse Statistics}}, year = {n.d.}, title = {Drug abuse statistics}}\n"


def test_each_reference_of_the_article_has_exactly_one_entry():
    duplicate = BIB + NCDAS.replace("ncdas", "ncdas2").replace("{1}", "{3}")
    assert _refused(fidelity.check_references, SOURCE, parse_bibliography(duplicate), set(), set(), {}) == (
        "references.bib, line 3: entry 'ncdas2': the article lists National Center for Drug Abuse Statistics (n.d.) once, "
        "and entry 'ncdas' is it already")
    assert _refused(fidelity.check_references, SOURCE, parse_bibliography(NCDAS), set(), set(), {}) == (
        "references.bib: the article's reference 'Abdallah, C. G., et al. (2018). The effects of ketamine. Neuropsychoph...' "
        "(data/source/ line 6) has no entry; add it")
    # A retired key must be an entry too; an entry's author may be the start of the article's.
    assert _refused(fidelity.check_references, SOURCE, parse_bibliography(BIB), set(), {"gone"}, {"gone": "data/changes.yml, line 8"}) == (
        "data/changes.yml, line 8: 'gone' is not an entry in references.bib; a retired source stays in references.bib and keeps "
        "its number, which is never given again: put its entry back")
    fidelity.check_references(SOURCE, parse_bibliography(BIB.replace("{{National Center for Drug Abuse Statistics}}", "{{National Center}}")),
                              set(), {"ncdas"}, {"ncdas": "w"})
    wrong_year = BIB.replace("year = {2018}", "year = {2019}")
    assert _refused(fidelity.check_references, SOURCE, parse_bibliography(wrong_year), set(), set(), {}) == (
        "references.bib, line 1: entry 'abdallah2018': Abdallah (2019) is not in the article's reference list; "
        "if you are adding a source, record it in data/changes.yml (add: [abdallah2018], why)")


def test_page_prose_is_tidied_where_inline_tags_meet_punctuation():
    html = ("<p><b>A</b> . <b>B</b> , c <i>d</i> : e <i>f</i> ; g <i>h</i> ? ( i <i>j</i> ) <i>k</i> !</p>"
            "<dl><dd>Defined here.</dd></dl><table><tr><th>Head cell.</th><td>Data cell.</td></tr></table>"
            "<blockquote>Quoted.</blockquote><ul><li><p>Inner paragraph.</p></li></ul>"
            "<div>Not a block.</div><p class=\"print-only\">Printed only.</p><p><span class=\"headerlink\">¶</span>Kept.</p>")
    assert fidelity.page_sentences(html) == [
        "A.", "B, c d: e f; g h?", "(i j) k!", "Defined here.", "Head cell.", "Data cell.", "Quoted.", "Inner paragraph.", "Kept.",
    ]


def test_a_page_sentence_not_in_the_article_is_located_on_its_markdown_line():
    body = "# Title\n\nIntro.\nIt cures   all, and more.\n"
    html = PAGE.replace("off-label</abbr>.", "off-label</abbr>. It cures all, and more.")
    assert _refused(fidelity.check_pages, SOURCE, [fidelity.BuiltPage("docs/x.md", "article", html, body, 3)]) == (
        "docs/x.md, line 6: 'It cures all, and more.' is not the article's wording: " + REMEDY + "or move our own note into a box (class site-note)")
    # Not found in the Markdown: no line; no close match: no hint.
    assert _refused(fidelity.check_pages, SOURCE, [fidelity.BuiltPage("docs/x.md", "article", html, "", 3)]).startswith(
        "docs/x.md: 'It cures all, and more.' is not the article's wording: write")


def test_only_article_pages_count_and_short_sentences_may_repeat():
    # The handout (an extract) may hold any sentence again, and a sentence of under four words may recur.
    fidelity.check_pages(SOURCE, [fidelity_page(PAGE), fidelity_page(PAGE, "extract")])
    small = article.parse(SMALL_ARTICLE)
    whole = ("<p>Ketamine, an overview</p><p>It’s “old” — and new. Second sentence! Third?</p><p>Takeaway here.</p>"
             "<p>*Footnote text. Second footnote sentence.</p>")
    fidelity.check_pages(small, [fidelity.BuiltPage("a", "article", whole, "", 1), fidelity.BuiltPage("b", "article", "<p>Second footnote sentence. Ketamine, an overview</p>", "", 1)])
    assert _refused(fidelity.check_pages, SOURCE, [fidelity_page(PAGE), fidelity_page("<p>It's sometimes used off-label.</p>")]) == (
        "data/source/ line 2: the article's sentence 'It's sometimes used off-label.' is on the article pages 2 times; "
        "keep it once (the handout may repeat it)")
    without = PAGE.replace("<p>It may also help suicidal thoughts go away.</p>", "")
    assert _refused(fidelity.check_pages, SOURCE, [fidelity_page(without), fidelity_page(PAGE, "extract")]) == (
        "data/source/ line 5: the article's sentence 'It may also help suicidal thoughts go away.' is on no page; put it back, "
        "or record its removal in data/changes.yml (edits: replace: the sentence, with: nothing; why)")
    assert _refused(fidelity.check_pages, SOURCE, [fidelity_page(PAGE), fidelity_page("<p>Glutamate is a chemical messenger.</p>")]) == (
        "data/source/ line 3: the article's sentence 'Glutamate is a chemical messenger.' is on the article pages 2 times; "
        "keep it once (the handout may repeat it)")


# ---------------------------------------------------------------------------------------------
# tables: validation and the rendered table

from sitegen import tables  # noqa: E402

TWO_DRUGS = {"ketamine": "Ketamine", "esketamine": "Esketamine & co"}


def test_a_grouped_table_renders_every_header_link_exactly():
    table = tables.Table("demo", "data/t.yml", "Cap <1>", "Effect", "Not on its list in the article", TWO_DRUGS,
                         [tables.Group("Feel & see", [tables.Row("Anxiety", {"ketamine": ["Fear"], "esketamine": ["A", "B & C"]})]),
                          tables.Group(None, [tables.Row("Sleep", {"esketamine": ["Sleepy"]})])], legend="Note & more")
    assert tables.render_table(table, {"Sleepy": "Label <5>"}) == "\n".join([
        '<p class="data-table__legend" id="table-demo-legend">Note &amp; more</p>',
        '<div class="data-table" role="region" aria-labelledby="table-demo-caption" aria-describedby="table-demo-legend" tabindex="0">',
        '<table id="table-demo" class="data-table__table">',
        '<caption id="table-demo-caption">Cap &lt;1&gt;</caption>',
        '<thead><tr><th scope="col" id="table-demo-rows">Effect</th><th scope="col" id="table-demo-c1">Ketamine</th>'
        '<th scope="col" id="table-demo-c2">Esketamine &amp; co</th></tr></thead>',
        "<tbody>",
        '<tr class="data-table__group"><th scope="rowgroup" colspan="3" id="table-demo-g1">Feel &amp; see</th></tr>',
        '<tr><th scope="row" id="table-demo-g1-r1" headers="table-demo-rows table-demo-g1">Anxiety</th>'
        '<td headers="table-demo-c1 table-demo-g1 table-demo-g1-r1" data-label="Ketamine">Fear</td>'
        '<td headers="table-demo-c2 table-demo-g1 table-demo-g1-r1" data-label="Esketamine &amp; co"><ul><li>A</li><li>B &amp; C</li></ul></td></tr>',
        "</tbody>",
        "<tbody>",
        '<tr><th scope="row" id="table-demo-g2-r1" headers="table-demo-rows">Sleep</th>'
        '<td class="data-table__empty" headers="table-demo-c1 table-demo-g2-r1" data-label="Ketamine">Not on its list in the article</td>'
        '<td headers="table-demo-c2 table-demo-g2-r1" data-label="Esketamine &amp; co">Sleepy'
        ' <span class="data-table__added">(added by this site, from the Label &lt;5&gt;)</span></td></tr>',
        "</tbody>",
        "</table>",
        "</div>",
    ])
    assert table.texts() == ["Cap <1>", "Effect", "Not on its list in the article", "Ketamine", "Esketamine & co", "Note & more", "Feel & see",
                             "Anxiety", "Fear", "A", "B & C", "Sleep", "Sleepy"]


def test_a_table_as_lists_shows_each_medicines_items_and_no_empty_cell():
    table = tables.Table("demo", "data/t.yml", "Cap", "Effect", "Not on its list in the article", TWO_DRUGS,
                         [tables.Group(None, [tables.Row("Anxiety", {"ketamine": ["Fear <x>"], "esketamine": ["A", "B"]}),
                                              tables.Row("Sleep", {"esketamine": ["Sleepy"]})])], legend="Read <me>")
    assert tables.render_lists(table, {"Sleepy": "Label"}) == "\n".join([
        '<p class="data-table__legend" id="lists-demo-legend">Read &lt;me&gt;</p>',
        '<div class="data-lists" id="lists-demo">',
        '<section class="data-lists__list" aria-labelledby="lists-demo-1"><p class="data-lists__heading" id="lists-demo-1">Ketamine</p><ul><li>Fear &lt;x&gt;</li></ul></section>',
        '<section class="data-lists__list" aria-labelledby="lists-demo-2"><p class="data-lists__heading" id="lists-demo-2">Esketamine &amp; co</p>'
        '<ul><li>A</li><li>B</li><li>Sleepy <span class="data-table__added">(added by this site, from the Label)</span></li></ul></section>',
        "</div>",
    ])


def test_a_cell_without_headers_has_no_attributes():
    assert tables._cell(None, "None & all") == '<td class="data-table__empty">None &amp; all</td>'
    assert tables._cell([], "E") == '<td class="data-table__empty">E</td>'
    assert tables._cell(["x<"], "E") == "<td>x&lt;</td>"


def _tables(text: str):
    return tables.validate(datafile.load_text(text, "data/t.yml"))


TABLE_HEAD = "columns:\n  ketamine: Ketamine\n  esketamine: Esketamine\ntables:\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: {}\ntables:\n  t: {}\n", "data/t.yml, line 1: columns: is empty: define at least one drug column"),
        ("columns:\n  Ketamine: K\ntables:\n  t: {}\n", "data/t.yml, line 2: columns.Ketamine: a column id is lower-case letters, digits and hyphens"),
        (TABLE_HEAD.replace("tables:\n", "tables: {}\n"), "data/t.yml, line 4: tables: is empty: define at least one table"),
        (TABLE_HEAD + "  Demo:\n    caption: C\n", "data/t.yml, line 5: tables.Demo: a table name is lower-case letters, digits and hyphens (it is used in <!-- insert: table NAME -->)"),
        (TABLE_HEAD + "  1d:\n    caption: C\n", "data/t.yml, line 5: tables.1d: a table name is lower-case letters, digits and hyphens (it is used in <!-- insert: table NAME -->)"),
        (TABLE_HEAD + "  t:\n    caption: C\n    row_heading: R\n    empty: N/A\n    rows: []\n",
         "data/t.yml, line 8: tables.t.empty: 'N/A' can be read as 'this does not happen'; say what the source article does not say, "
         "e.g. 'Not on its list in the article'"),
        (TABLE_HEAD + "  t:\n    caption: C\n    row_heading: R\n    empty: E article\n",
         "data/t.yml, line 5: tables.t: needs either 'rows' or 'groups' (exactly one of them)"),
        (TABLE_HEAD + "  t:\n    caption: C\n    row_heading: R\n    empty: E article\n    groups:\n      - heading: Without a doubt\n        rows: []\n",
         "data/t.yml, line 10: tables.t.groups[0].heading: 'Without a doubt' says or suggests that a drug lacks an effect; "
         "the sources only fail to mention it: group without such words, or do not group"),
    ],
)
def test_a_bad_table_file_is_refused_with_the_exact_reason(text, message):
    with pytest.raises(SiteDataError) as refused:
        _tables(text)
    assert str(refused.value) == message


def test_a_table_file_keeps_its_groups_rows_and_legend():
    loaded = _tables(TABLE_HEAD + "  t-2:\n    caption: C\n    row_heading: R\n    empty: E article\n    legend: A note.\n    groups:\n"
                     "      - heading: Nothing-free feelings\n        rows:\n          - label: L\n            cells:\n"
                     "              ketamine:\n              esketamine: [a, b]\n")
    assert loaded == [tables.Table("t-2", "data/t.yml", "C", "R", "E article", {"ketamine": "Ketamine", "esketamine": "Esketamine"},
                                   [tables.Group("Nothing-free feelings", [tables.Row("L", {"esketamine": ["a", "b"]}, "data/t.yml, line 13")])],
                                   "A note.")]


def test_a_table_outside_the_root_is_named_by_its_path(tmp_path):
    path = tmp_path / "t.yml"
    path.write_text(TABLE_HEAD + "  t:\n    caption: C\n    row_heading: R\n    empty: E article\n    rows:\n      - label: L\n        cells:\n          ketamine: k\n",
                    encoding="utf-8")
    assert tables.load_tables([path], tmp_path / "elsewhere")["t"].source == str(path)
    assert tables.load_tables([path], tmp_path)["t"].source == "t.yml"


# ---------------------------------------------------------------------------------------------
# handout: the QR code, the print button and PDF links, the online-version block

from sitegen import handout  # noqa: E402


def test_the_qr_code_is_a_full_size_medium_correction_code_sized_by_css():
    svg = handout.qr_svg("https://example.org/handout/")
    # Version 3 (29 modules) with a 4-module quiet zone, one unit a module: medium correction needs
    # version 3 for this address, where low correction would fit in version 2 (25 modules).
    assert svg.startswith('<svg role="img" aria-label="QR code for the online version of this handout" viewBox="0 0 37 37" class="handout-qr">'
                          "<title>QR code: scan it to open the online version of this handout</title><path ")
    assert "width=" not in svg and "height=" not in svg and svg.count("<svg ") == 1
    # A short address still gets a full QR code (21 modules), never a Micro QR, which phones' cameras do not read.
    assert 'viewBox="0 0 29 29"' in handout.qr_svg("https://a.b/")


def test_the_handouts_pdfs_sit_in_the_pdf_folder():
    assert (handout.HANDOUT_PAGE, handout.PDF_PATH, handout.PDF_PATH_A4) == ("handout.md", "pdf/handout.pdf", "pdf/handout-a4.pdf")


def test_the_actions_are_a_hidden_print_button_and_both_pdfs():
    assert handout.actions_html('../pdf/a"b.pdf', "../pdf/handout-a4.pdf") == (
        '<div class="handout-actions">\n'
        '<button type="button" class="md-button md-button--primary" data-print-page hidden>Print this handout</button>\n'
        '<a class="md-button" href="../pdf/a&quot;b.pdf" type="application/pdf">Download PDF (US Letter)</a>\n'
        '<a class="md-button" href="../pdf/handout-a4.pdf" type="application/pdf">Download PDF (A4)</a>\n'
        "</div>"
    )


def test_the_online_version_block_gives_the_address_the_sources_and_the_date():
    qr = handout.qr_svg("https://a.b/?x=1&y=2")
    assert handout.online_version_html("https://a.b/?x=1&y=2", "May 1, 2026 <b>", "https://a.b/references/") == (
        '<div class="handout-online">\n'
        f"{qr}\n"
        '<p>This handout online: <a href="https://a.b/?x=1&amp;y=2">https://a.b/?x=1&amp;y=2</a><br>\n'
        'The sources of each fact: <a href="https://a.b/references/">https://a.b/references/</a><br>\n'
        "Last updated: May 1, 2026 &lt;b&gt;</p>\n"
        "</div>"
    )
    assert handout.online_version_html("https://a.b/", "D", "https://a.b/r/", '<p class="clinic-contact">Q</p>').startswith(
        '<p class="clinic-contact">Q</p>\n<div class="handout-online">')


@pytest.mark.parametrize(
    ("target", "page", "link"),
    [("pdf/handout.pdf", "handout.html", "pdf/handout.pdf"), ("pdf/handout.pdf", "a/b.html", "../pdf/handout.pdf"),
     ("pdf/handout.pdf", "a/b/", "../../pdf/handout.pdf"), ("pdf/handout.pdf", "", "pdf/handout.pdf"), ("handout/", "handout/", ".")],
)
def test_a_relative_link_from_a_page_or_file_url(target, page, link):
    assert handout.relative_link(target, page) == link


# ---------------------------------------------------------------------------------------------
# site.load_site, on a tiny site of its own (the real one takes seconds to load)

from sitegen import site as site_model  # noqa: E402
from test_fidelity import ARTICLE  # noqa: E402

TINY_TABLES = {
    "data/side-effects.yml": """columns:
  ketamine: Ketamine
  esketamine: Esketamine
tables:
  side-effects:
    caption: Side effects
    row_heading: Side effect
    empty: Not on its list in the article
    rows:
      - label: Anxiety
        cells:
          ketamine: Anxiety or fear
          esketamine: Anxiety
      - label: Nausea
        cells:
          ketamine: Nausea, vomiting
      - label: Pain when peeing
        cells:
          esketamine: Pain when peeing
""",
    "data/at-a-glance.yml": """columns:
  ketamine: Ketamine
tables:
  at-a-glance:
    caption: At a glance
    row_heading: Topic
    empty: The source article does not say
    rows:
      - label: Use
        cells:
          ketamine: created for anesthesia
""",
}


def _front(title: str, body: str, updated: str = "2026-01-01") -> str:
    return f"---\ntitle: {title}\ndescription: About {title}.\nlast_updated: {updated}\nnext_review: 2027-01-01\n---\n{body}"


def tiny_site(root: Path) -> Path:
    files = {
        "mkdocs.yml": "site_name: Tiny\n",
        "references.bib": BIB,
        "data/source/ketamine-esketamine-article.txt": ARTICLE,
        "data/glossary.yml": "terms:\n  - term: Glutamate\n    definition: Glutamate is a chemical messenger.\n",
        "data/public-urls.yml": "pages:\n  /: []\n  /references/: []\n  /extra/: []\nmoved:\n  /old/: /extra/\n",
        "data/changes.yml": ("changes:\n  - date: 2026-01-01\n    pages: [/, /references/, /old/]\n    what: Made.\n"
                             "    why: Not cited any more.\n    retire: [ncdas]\n"),
        "docs/index.md": _front("Home", "\n# Home\n\n## Uses {#uses}\n\nKetamine was created for anesthesia. [@abdallah2018]\n\n"
                                        "<!-- insert: table side-effects -->\n\n<!-- insert: table at-a-glance -->\n"),
        "docs/references.md": _front("References", "\n# References\n\n<!-- insert: bibliography -->\n"),
        "docs/extra.md": _front("Extra", "\n# Extra\n\nMore.\n"),
        "docs/_snippets/note.md": "A note.\n",
        "overrides/main.html": "{% extends 'base.html' %}\n",
        "data/reviews/citations.yml": ("reviews:\n  - page: docs/index.md\n    sentence: Ketamine was created\n    key: abdallah2018\n"
                                       "    verdict: supports\n    source_words: Ketamine.\n    read_at: abstract\n"),
        **TINY_TABLES,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


NAV = [{"Home": "index.md"}, {"Sources": [{"References": "references.md"}]}]


def _settings():
    return site_model.check_settings("Tiny", "https://example.org/k")


def test_a_tiny_site_loads_into_the_model(tmp_path):
    loaded = site_model.load_site(tiny_site(tmp_path), _settings(), NAV)
    assert loaded.root == tmp_path and loaded.settings.site_url == "https://example.org/k/"
    assert loaded.nav == (site_model.NavItem("Home", "index.md", None), site_model.NavItem("References", "references.md", "Sources"))
    assert list(loaded.pages) == ["index.md", "references.md", "extra.md"]  # nav order, then the rest by name; no snippets
    assert {src: [(m.name, m.arg) for m in found] for src, found in loaded.markers.items()} == {
        "index.md": [("table", "side-effects"), ("table", "at-a-glance")], "references.md": [("bibliography", None)], "extra.md": []}
    assert dict(loaded.citations) == {"index.md": (("abdallah2018",),), "references.md": (), "extra.md": ()}
    assert set(loaded.sources) == {"abdallah2018", "ncdas"} and set(loaded.tables) == {"side-effects", "at-a-glance"}
    assert loaded.retired == frozenset({"ncdas"}) and [c.what for c in loaded.record] == ["Made."]
    assert [t.term for t in loaded.glossary.terms] == ["Glutamate"] and loaded.public_urls.moved == {"/old/": "/extra/"}
    assert loaded.article.footnote == "Keep in mind that psilocybin is legal in some states."
    assert (loaded.url("extra.md"), loaded.canonical("extra.md"), loaded.label("references.md"), loaded.label("extra.md")) == (
        "extra/", "https://example.org/k/extra/", "References", "Extra")
    assert loaded.by_address("/references/").src == "references.md" and loaded.by_address("/nowhere/") is None


def test_a_change_that_names_its_sources_loads_with_them(tmp_path):
    # The other side of refusing a source references.bib lacks ("sources: 'nosuch' is not an entry").
    root = tiny_site(tmp_path)
    edit(root, "data/changes.yml", "    retire: [ncdas]\n", "    retire: [ncdas]\n    sources: [abdallah2018]\n")
    loaded = site_model.load_site(root, _settings(), NAV)
    assert [c.sources for c in loaded.record] == [("abdallah2018",)]


@pytest.mark.parametrize(
    ("path", "before", "after", "message"),
    [
        ("docs/extra.md", "More.\n", "More.\n\n## No id\n", "docs/extra.md: every h2/h3 needs an explicit id, so links to it survive rewording:\n"
                                                             "  docs/extra.md, line 12: '## No id' has no explicit id; write it as '## No id {#an-id}'"),
        ("docs/extra.md", "More.\n", "More. [@ncdas]\n", "docs/extra.md: cites 'ncdas', which data/changes.yml retired; cite another source, or take it out of 'retire'"),
        ("data/changes.yml", "    retire: [ncdas]\n", "    retire: [ncdas]\n    add: []\n    sources: [nosuch]\n",
         "data/changes.yml, line 2: sources: 'nosuch' is not an entry in references.bib"),
        ("docs/references.md", "<!-- insert: bibliography -->\n", "", "docs/references.md: needs the line <!-- insert: bibliography -->: every citation links to the list it makes"),
        ("docs/extra.md", "More.\n", "More.\n\n<!-- insert: table at-a-glance -->\n\n<!-- insert: table at-a-glance -->\n",
         "docs/extra.md, line 14: <!-- insert: table at-a-glance --> is on this page twice; keep one"),
        ("docs/index.md", "<!-- insert: table at-a-glance -->\n", "", "data/at-a-glance.yml: tables.at-a-glance: placed on no page; add <!-- insert: table at-a-glance --> to a page or remove it"),
        ("docs/_snippets/note.md", "A note.", "<script>x</script>", "docs/_snippets/note.md, line 1: a raw <script> element; pages hold text, and the site's scripts and styles are files named in mkdocs.yml"),
        ("docs/extra.md", "More.\n", "More.\n\n--8<-- \"../secret.md\"\n", "docs/extra.md, line 12: includes ../secret.md, which is not a Markdown file in docs/_snippets/ or docs/ (only the site's own text can be included)"),
        ("docs/extra.md", "More.\n", "Thoughts of suicide.\n", "docs/extra.md, line 10: mentions suicide or self-harm but has no urgent-help box; add the line --8<-- \"urgent-help.md\" after the paragraph, with blank lines around it"),
        ("data/at-a-glance.yml", "created for anesthesia", "It may also help suicidal thoughts go away.",
         "docs/index.md: shows a table that mentions suicide but has no urgent-help box; add the line --8<-- \"urgent-help.md\""),
        ("docs/extra.md", "last_updated: 2026-01-01", "last_updated: 2026-01-02",
         "docs/extra.md, line 4: last_updated is 2026-01-02, but data/changes.yml has no entry for /extra/ on that date: add one at the top "
         "(date: 2026-01-02, pages: [/extra/], what: what changed, in a sentence for readers)"),
        ("data/glossary.yml", "is a chemical messenger", "is a messenger", "data/glossary.yml, line 2: the definition of 'Glutamate' is not the article's wording "
         "('Glutamate is a messenger.'); quote the article, or mark it 'source: site' so the Glossary shows it as this site's own definition (and /about/ says so), "
             "or 'source: KEY' and 'section' for one of the article's references' words, on the record"),
        ("data/at-a-glance.yml", "created for anesthesia", "made for anesthesia", "data/at-a-glance.yml, line 9: tables.at-a-glance, row 'Use', ketamine: "
         "'made for anesthesia' is not the article's wording; " + REMEDY + "see data/source/ for the article's text"),
        ("references.bib", "year = {2018}", "year = {2019}", "references.bib, line 1: entry 'abdallah2018': Abdallah (2019) is not in the article's reference list; "
         "if you are adding a source, record it in data/changes.yml (add: [abdallah2018], why)"),
    ],
)
def test_the_tiny_site_is_refused_naming_what_is_wrong(tmp_path, path, before, after, message):
    root = tiny_site(tmp_path)
    text = (root / path).read_text(encoding="utf-8")
    assert before in text
    (root / path).write_text(text.replace(before, after, 1), encoding="utf-8")
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(root, _settings(), NAV)
    assert str(refused.value) == message


def test_a_nav_entry_must_name_a_page_in_docs(tmp_path):
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(tiny_site(tmp_path), _settings(), NAV + [{"Snippet": "_snippets/note.md"}])
    assert str(refused.value) == "mkdocs.yml: nav: 'Snippet' points to _snippets/note.md, which is not in docs/"


def test_every_text_file_must_be_utf8_and_others_are_not_read(tmp_path):
    root = tiny_site(tmp_path)
    (root / "docs" / "picture.png").write_bytes(b"\x89PNG\xff\xfe")
    (root / "overrides" / "NOTES.TXT").write_bytes(b"caf\xe9")
    with pytest.raises(SiteDataError) as refused:
        site_model.check_text_files(root)
    assert str(refused.value) == "overrides/NOTES.TXT, line 1: is not UTF-8 text (byte 0xe9); save the file as UTF-8 in your editor"


# ---------------------------------------------------------------------------------------------
# citations: back-links, the reference list, the reviewer's report (fixtures of tests/test_citations.py)

from sitegen import citations  # noqa: E402
from test_citations import BIB_TEXT  # noqa: E402


def test_the_reference_list_is_exactly_numbered_items_with_back_links():
    sources = citations.parse_bibliography(BIB_TEXT + "\n@misc{gone1999, refnumber = {3}, author = {Gone, G.}, year = {1999}, title = {Old}}\n")
    places = citations.index_citations(sources, [("", "Home & co", ["one2000", "one2000"]), ("uses/", "Uses", ["org2001"])],
                                       retired=frozenset({"gone1999"}))
    assert citations.render_bibliography(sources, places, "references/", frozenset({"gone1999"})) == (
        '<ol class="bibliography">\n'
        '<li id="ref-one2000"><span class="reference">One, A., et al. (2000). First title. <em>Journal One</em>.</span>'
        ' <span class="cited-on" data-search-exclude>Cited on: '
        '<a class="backlink" href="../#cite-one2000-1" aria-label="Back to citation 1 on the page: Home &amp; co (place 1 of 2)">Home &amp; co (1)</a>, '
        '<a class="backlink" href="../#cite-one2000-2" aria-label="Back to citation 1 on the page: Home &amp; co (place 2 of 2)">Home &amp; co (2)</a>'
        "</span></li>\n"
        '<li id="ref-org2001"><span class="reference">Some Agency of Health. (n.d.). Statistics page.</span>'
        ' <span class="cited-on" data-search-exclude>Cited on: '
        '<a class="backlink" href="../uses/#cite-org2001-1" aria-label="Back to citation 2 on the page: Uses">Uses</a></span></li>\n'
        '<li id="ref-gone1999" class="retired"><span class="reference">Gone, G. (1999). Old.</span> '
        '<span class="cited-on">No longer cited on this site: see the record of changes.</span></li>\n'
        "</ol>"
    )
    # A source with no places (none are computed for it) is listed without "Cited on".
    assert '<li id="ref-org2001"><span class="reference">Some Agency of Health. (n.d.). Statistics page.</span></li>' in (
        citations.render_bibliography(sources, {}, "references/"))


def test_every_uncited_entry_is_named_and_a_cited_retired_one_on_its_page():
    sources = citations.parse_bibliography(BIB_TEXT)
    with pytest.raises(SiteDataError) as refused:
        citations.index_citations(sources, [], where="refs.bib")
    assert str(refused.value) == ("refs.bib, line 1: entry 'one2000' is not cited on any page (nor are org2001): cite it where a page uses it "
                                  "([@key] after the sentence), or retire it in data/changes.yml (retire: [key], why), which keeps its number")
    with pytest.raises(SiteDataError) as refused:
        citations.index_citations(sources, [("", "Home", ["org2001", "one2000"])], retired=frozenset({"org2001"}))
    assert str(refused.value) == "/: cites 'org2001', which data/changes.yml retired; cite another source, or take it out of 'retire'"
    with pytest.raises(SiteDataError) as refused:
        citations.index_citations(sources, [("uses/", "Uses", ["org2001", "one2000"])], retired=frozenset({"org2001"}))
    assert str(refused.value).startswith("uses/: cites 'org2001'")


def test_cited_keys_are_read_from_the_rendered_ids_in_order():
    assert citations.cited_keys('<sup id="cite-a-b-2"></sup><sup id="cite-one2000-1"></sup><p id="ref-x">') == ["a-b", "one2000"]
    assert citations.cite_id("one2000", 3) == "cite-one2000-3"


def test_each_claim_is_the_sentence_its_citation_follows():
    markdown = ("Ketamine helps. **It works fast.** [@one2000]\n"
                "- It can cause nausea [@one2000; @org2001] and dizziness. [@org2001]\n"
                "A bad group [@one2000, @org2001] is skipped.\n"
                "```\nCode [@one2000]\n```\n")
    assert citations.claims(markdown, 10) == [
        (10, "It works fast.", ["one2000"]),
        (11, "It can cause nausea", ["one2000", "org2001"]),
        (11, "and dizziness.", ["org2001"]),
    ]
    assert citations.claims("[@one2000] at the start.\n") == [(1, "", ["one2000"])]
    sources = citations.parse_bibliography(BIB_TEXT)
    assert citations.review_report([("docs/a.md", markdown, 10), ("docs/none.md", "No claims.\n", 1)], sources) == (
        "== docs/a.md\n"
        "line 10: It works fast.\n"
        "    [1] One, A., et al. (2000). First title. Journal One.\n"
        "line 11: It can cause nausea\n"
        "    [1] One, A., et al. (2000). First title. Journal One.\n"
        "    [2] Some Agency of Health. (n.d.). Statistics page.\n"
        "line 11: and dizziness.\n"
        "    [2] Some Agency of Health. (n.d.). Statistics page.\n"
    )


# ---------------------------------------------------------------------------------------------
# trimcss and themefix: the parts the theme's script builds, unread custom properties, whitespace

SCRIPTED_CLASSES = {
    "highlight", "highlighttable", "hll", "filename", "linenos", "linenodiv",
    "tabbed-set", "tabbed-labels", "tabbed-labels--linked", "tabbed-button", "tabbed-control",
    "md-annotation", "md-annotation__index", "md-annotation-list",
    "md-code__nav", "md-code__button", "md-code__button--active", "md-code__content",
    "md-source__fact", "md-source__facts", "md-source__repository--active",
    "md-version", "md-version__alias", "md-version__current", "md-version__item", "md-version__link", "md-version__list",
    "md-tag", "md-tag-icon", "md-tags",
    "note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger",
    "bug", "example", "quote", "keys", "result", "inline", "mermaid", "md-status",
}


def _config(settings: str) -> str:
    return f'<script id="__config" type="application/json">{settings}</script>'


def test_with_no_trigger_on_any_page_every_scripted_part_is_off():
    assert trimcss.unscripted([]) == SCRIPTED_CLASSES
    assert trimcss.unscripted(["<p>Plain</p>", _config('{"features": null, "version": null, "tags": [], "extra": {}, "x": ""}')]) == SCRIPTED_CLASSES


@pytest.mark.parametrize(
    ("pages", "on"),
    [
        (['<div class="highlight">'], {"highlight", "highlighttable", "hll", "filename", "linenos", "linenodiv"}),
        (["<p>", '<div class="tabbed-set tabbed-alternate">'], {"tabbed-set", "tabbed-labels", "tabbed-labels--linked", "tabbed-button", "tabbed-control"}),
        ([_config('{"features": ["content.code.annotate"]}')], {"md-annotation", "md-annotation__index", "md-annotation-list"}),
        ([_config('{"features": ["content.code.select"]}')], {"md-code__nav", "md-code__button", "md-code__button--active", "md-code__content"}),
        ([_config('{"version": {"provider": "mike"}}')], {"md-version", "md-version__alias", "md-version__current", "md-version__item",
                                                          "md-version__link", "md-version__list"}),
        (['<div class="admonition warning">'], {"warning"}),
        ([_config('{"md-status": 1}')], {"md-status"}),
    ],
)
def test_a_trigger_on_any_page_keeps_its_parts_classes(pages, on):
    assert trimcss.unscripted(pages) == SCRIPTED_CLASSES - on


def test_custom_properties_go_only_when_nothing_reads_them():
    css = ":root{--kept:1;--gone:2;x:var(--kept)}.a{--b:3}@media print{.c{--d:4}}@supports (x:y){.e{--f:5}}.g{y:1}"
    assert trimcss.drop_unused_properties(css, [], []) == ":root{--kept:1;x:var(--kept)}.g{y:1}"
    # Read by a var() in another stylesheet, or named anywhere in a script: kept.
    assert trimcss.drop_unused_properties(css, [".z{w:var( --b)}"], ['set("--d")']) == (
        ":root{--kept:1;x:var(--kept)}.a{--b:3}@media print{.c{--d:4}}.g{y:1}")
    # Declared (not read) in another stylesheet, or part of a longer word in a script: not read.
    assert trimcss.drop_unused_properties(".a{--b:1}", [".z{--b:2}"], ["x--b", "--bb"]) == ""
    # A property read only by one that goes, goes too; nothing to drop leaves the sheet as it is.
    assert trimcss.drop_unused_properties(":root{--a:var(--b);--b:1}.x{y:1}", [], []) == ".x{y:1}"
    assert trimcss.drop_unused_properties(".x{y:1}", [], []) == ".x{y:1}"


def test_a_dropped_declaration_keeps_its_neighbours_whole():
    css = '.a{--icon:url("data:image/svg+xml;charset=utf-8,<svg/>");color:red;--b : 2}'
    assert trimcss.drop_unused_properties(css, [], []) == ".a{color:red}"


@pytest.mark.parametrize(
    ("html", "collapsed"),
    [
        ("<p>a\n   b</p>", "<p>a\nb</p>"),
        ("<p>a   b</p>", "<p>a   b</p>"),  # no line break: spacing as written
        ("\n  <p>a</p> \t\r\n\f <p>b</p>\n\n", "\n<p>a</p>\n<p>b</p>\n"),
        ('<a\n   href="x">y</a>', '<a\n   href="x">y</a>'),  # the insides of tags stay
        ("<PRE>a\n\n  b</PRE>\n\n<Style>\n\n</Style >\n <p>\n</p>", "<PRE>a\n\n  b</PRE>\n<Style>\n\n</Style >\n<p>\n</p>"),
        ("<textarea>\n  x\n</textarea>\n  <script type=x>\n\n</script>", "<textarea>\n  x\n</textarea>\n<script type=x>\n\n</script>"),
        ("<pre>a\n\n</pre>\n\n<pre>b\n\n</pre>", "<pre>a\n\n</pre>\n<pre>b\n\n</pre>"),
        ("", ""),
    ],
)
def test_whitespace_holding_a_line_break_becomes_one_line_break(html, collapsed):
    assert themefix.collapse_whitespace(html) == collapsed


# ---------------------------------------------------------------------------------------------
# Survivors of the complete mutation run that changed behaviour (added after it)

from sitegen.markers import Marker  # noqa: E402
from markdown import Markdown  # noqa: E402
from sitegen import pages, printing, security  # noqa: E402


def test_a_marker_is_written_back_as_an_editor_writes_it():
    assert str(Marker("bibliography", None, 3)) == "<!-- insert: bibliography -->"
    assert str(Marker("table", "side-effects", 3)) == "<!-- insert: table side-effects -->"


def test_a_statement_after_a_rule_is_found_from_the_end_of_that_rule():
    # The first semicolon of the sheet is inside the rule before: the statement is still found.
    assert trimcss.trim('.b{x:1;y:2} @import "y.css";.c{y:2}', {"a"}) == ' @import "y.css";'


def test_the_first_missing_sentence_named_is_the_first_in_the_article():
    without = PAGE.replace("Ketamine was created for anesthesia.", "").replace("<p>It may also help suicidal thoughts go away.</p>", "")
    assert _refused(fidelity.check_pages, SOURCE, [fidelity_page(without)]).startswith(
        "data/source/ line 2: the article's sentence 'Ketamine was created for anesthesia.' is on no page")


def test_addresses_and_folders_ending_in_a_capital_x_keep_it():
    assert public_urls.robots_txt("https://example.org/BOX/").endswith("Sitemap: https://example.org/BOX/sitemap.xml\n")
    assert '<link rel="canonical" href="https://example.org/BOX/new/">' in public_urls.render_redirect("/old/", "/new/", "https://example.org/BOX/", "T")
    assert servers.base_path("https://example.org/BOX/") == "/BOX/"
    assert servers.settings("https://example.org/", {"WEB_ROOT": "/srv/BOX/", "SERVER_NAME": "X.example.X."}).web_root == "/srv/BOX"
    assert servers.settings("https://example.org/", {"SERVER_NAME": "X.example.X."}).server_name == "X.example.X"


def test_a_link_whose_text_is_its_address_with_an_entity_gets_no_printed_address():
    from sitegen.printing import add_print_addresses

    html = '<p><a href="https://x.example/?a=1&amp;b=2">https://x.example/?a=1&amp;b=2</a></p>'
    assert add_print_addresses(html, "https://example.org/page/") == html


# ---------------------------------------------------------------------------------------------
# citations: the bibliography's messages and labels, the checked citations, the rendered markers

TWO_SOURCES = ("@article{zeta, refnumber={1}, author={Zeta, Ann}, year={2000}, title={T}, journal={J}}\n"
               "@article{alpha, refnumber={2}, author={Alpha, Bo and Beta, C.}, year={2001}, title={U}, journal={J}}\n")


def _bib_error(text: str, where: str = "references.bib") -> str:
    with pytest.raises(SiteDataError) as caught:
        citations.parse_bibliography(text, where)
    return str(caught.value)


def test_each_source_keeps_its_key_label_entry_author_year_and_line():
    sources = citations.parse_bibliography(
        "@misc{one, refnumber={1}, author={Smith, John}, year={2000}, title={T}, howpublished={StatPearls}}\n"
        "@manual{two, refnumber={2}, author={{Org}}, year={n.d.}, title={U}}\n"
        "@article{three, refnumber={3}, author={Smith, John and Jones, K.}, year={2001}, title={V}, journal={J}}\n"
        "@article{four, refnumber={4}, author={Smith, John and Jones, K. and Lee, M.}, year={2002}, title={W}, journal={J}}\n")
    assert list(sources.values()) == [
        # A misc entry's venue (howpublished) is printed in italics; a manual has none.
        citations.Source("one", 1, "Smith, 2000", "Smith, John. (2000). T. <em>StatPearls</em>.", "Smith", "2000", 1),
        # A manual is a drug label: it keeps its title as plain text, for the page's "label version" line.
        citations.Source("two", 2, "Org, n.d.", "Org. (n.d.). U.", "Org", "n.d.", 2, "U"),
        # Two authors or more: "et al." in the short label.
        citations.Source("three", 3, "Smith et al., 2001", "Smith, John, Jones, K. (2001). V. <em>J</em>.", "Smith", "2001", 3),
        citations.Source("four", 4, "Smith et al., 2002", "Smith, John, Jones, K., Lee, M. (2002). W. <em>J</em>.", "Smith", "2002", 4),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@article{a,\n author={Smith, John},\n year={2000}\n title={T}}\n", "x.bib, line 3: a comma is missing at the end of this line, after the value of 'year': "
         "fields are separated by commas (title = {The title},)"),
        ("@article{a, author={Smith, J, K, L}, year={2000}, title={T}, journal={J}}", "x.bib: BibTeX error: Too many commas in 'Smith, J, K, L'"),
        ("", "x.bib: has no entries"),
        ("@book{a, author={S, J}, year={2000}, title={T}}", "x.bib, line 1: entry 'a': entry type @book is not one of @article, @misc, @manual"),
        ("@article{a, author={S, J}, year={20}, title={T}}", "x.bib, line 1: entry 'a': year must be four digits or 'n.d.', got '20'"),
    ],
)
def test_a_bad_bibliography_is_refused_naming_the_file_and_what_is_wrong(text, message):
    assert _bib_error(text, "x.bib") == message


def test_a_loaded_bibliography_names_its_own_file(tmp_path):
    path = tmp_path / "other.bib"
    path.write_text("@book{a, author={S, J}, year={2000}, title={T}}\n", encoding="utf-8")
    with pytest.raises(SiteDataError) as caught:
        citations.load_bibliography(path, "data/other.bib")
    assert str(caught.value).startswith("data/other.bib, line 1: entry 'a': entry type @book")


def test_a_duplicate_key_is_named_at_its_second_entry():
    text = "\n" + TWO_SOURCES + "@article{zeta, author={Zeta, Ann}, year={2003}, title={X}, journal={J}}\n"
    # The blank first line counts: the second zeta is on line 4.
    assert _bib_error(text) == "references.bib, line 4: duplicate key 'zeta' (first on line 2; keys ignore case): give one of them another key, like smith2020b, and cite it by that key"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # A key with a colon is named whole, and found at its second entry.
        ("@article{a:b, author={S, J}, year={2000}, title={T}}\n\n@article{a:b, author={S, J}, year={2000}, title={T}}\n",
         "references.bib, line 3: duplicate key 'a:b' (first on line 1; keys ignore case): give one of them another key, like smith2020b, and cite it by that key"),
        # BibTeX keys ignore case, so Smith2000 repeats smith2000: named as the second spells it.
        ("@article{smith2000, author={S, J}, year={2000}, title={T}}\n@article{Smith2000, author={S, J}, year={2000}, title={T}}\n",
         "references.bib, line 2: duplicate key 'Smith2000' (first on line 1; keys ignore case): give one of them another key, like smith2020b, and cite it by that key"),
        # A field given twice is not a duplicate key: named by its entry and the line of the second.
        (TWO_SOURCES + "@article{k,\n author={S, J},\n year={2000},\n title={T},\n  Year = {2001}\n}\n",
         "references.bib, line 7: entry 'k': gives 'Year' twice; keep one"),
        # A bare word is an undefined @string to BibTeX; the editor meant text.
        ("@article{k,\n author={S, J},\n year={2000},\n title=Ketamine\n}\n",
         "references.bib, line 4: 'Ketamine' is a bare word, which BibTeX reads as an undefined @string; put the text in braces: {Ketamine}"),
    ],
)
def test_duplicates_and_bare_words_are_named_at_their_line(text, message):
    assert _bib_error(text) == message


@pytest.mark.parametrize(
    ("markdown", "groups"),
    [
        ("\\[@nokey] is escaped, so no citation", []),
        ("\\[@nokey] is escaped, [@alpha] is not", [["alpha"]]),
        # The backslash before a code span is not before the citation after it.
        ("\\`x`[@alpha]", [["alpha"]]),
    ],
)
def test_escaped_citations_are_skipped_and_the_rest_of_the_line_is_still_read(markdown, groups):
    sources = citations.parse_bibliography(TWO_SOURCES)
    assert citations.find_citations(markdown, "docs/p.md", 1, sources) == groups


def test_a_code_span_inside_a_citation_makes_it_malformed_as_markdown_sees_it():
    # Markdown's code span wins inside the brackets, so the group would be printed as text.
    sources = citations.parse_bibliography(TWO_SOURCES)
    with pytest.raises(SiteDataError) as caught:
        citations.find_citations("Said [@alpha `x`].", "docs/p.md", 2, sources)
    assert str(caught.value) == "docs/p.md, line 2: '[@alpha `x`]' is not written [@key] or [@key1; @key2]"
    html = Markdown(extensions=[citations.CitationExtension(sources)]).convert("Said [@alpha `x`].")
    assert html == "<p>Said [@alpha <code>x</code>].</p>"


def test_a_citation_at_the_start_of_a_line_ending_in_a_backslash_is_still_checked():
    # A backslash at the end of a line is a Markdown line break, not an escape of the line's first citation.
    sources = citations.parse_bibliography(TWO_SOURCES)
    with pytest.raises(SiteDataError) as caught:
        citations.find_citations("[@nokey] ends with a break\\", "docs/p.md", 3, sources)
    assert str(caught.value).startswith("docs/p.md, line 3: unknown citation key 'nokey'")


def test_a_citation_group_renders_as_one_superscript_of_links_in_number_order():
    sources = citations.parse_bibliography(TWO_SOURCES)  # zeta is 1, alpha is 2: their refnumbers, not the keys'
    html = Markdown(extensions=[citations.CitationExtension(sources)]).convert("Said [@alpha; @zeta].")
    assert html == (
        '<p>Said <sup class="citation">'
        '<a aria-label="Reference 1: Zeta, 2000" href="references.md#ref-zeta" id="cite-zeta-1">1</a>, '
        '<a aria-label="Reference 2: Alpha et al., 2001" href="references.md#ref-alpha" id="cite-alpha-1">2</a>'
        "</sup>.</p>"
    )


def test_every_uncited_source_is_named():
    sources = citations.parse_bibliography(TWO_SOURCES + TWO_SOURCES.replace("zeta", "gamma").replace("alpha", "delta")
                                           .replace("{1}", "{3}").replace("{2}", "{4}"))
    with pytest.raises(SiteDataError) as caught:
        citations.index_citations(sources, [])
    assert str(caught.value).startswith("references.bib, line 1: entry 'zeta' is not cited on any page (nor are alpha, gamma, delta): ")


def test_a_retired_source_first_in_the_list_does_not_end_it():
    sources = citations.parse_bibliography(TWO_SOURCES)
    places = {"alpha": [citations.Backlink("uses/", "Uses", "cite-alpha-1", 1, 1)]}
    assert citations.render_bibliography(sources, places, "references/", frozenset({"zeta"})) == (
        '<ol class="bibliography">\n'
        '<li id="ref-zeta" class="retired"><span class="reference">Zeta, Ann. (2000). T. <em>J</em>.</span> '
        '<span class="cited-on">No longer cited on this site: see the record of changes.</span></li>\n'
        '<li id="ref-alpha"><span class="reference">Alpha, Bo, Beta, C. (2001). U. <em>J</em>.</span> '
        '<span class="cited-on" data-search-exclude>Cited on: <a class="backlink" href="../uses/#cite-alpha-1" '
        'aria-label="Back to citation 2 on the page: Uses">Uses</a></span></li>\n'
        "</ol>"
    )


# ---------------------------------------------------------------------------------------------
# tables: every wrong value is named by its place in the file

TABLE = """\
columns:
  ket: Ketamine
tables:
  demo:
    caption: C
    row_heading: R
    empty: Not on its list in the article
    rows:
      - label: L
        cells:
          ket: x
"""
GROUPED = TABLE.replace("    rows:\n      - label: L\n        cells:\n          ket: x\n", "    groups: GROUPS\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns:\n  ket: Ketamine\ntables: [demo]\n", "t.yml, line 3: tables: must be a mapping of fields, got a list"),
        ("columns: [ket]\ntables: {}\n", "t.yml, line 1: columns: must be a mapping of fields, got a list"),
        (TABLE.replace("ket: Ketamine", "ket: 1"), "t.yml, line 2: columns.ket: must be text, got a number (1)"),
        (TABLE.replace("caption: C", "caption: 1"), "t.yml, line 5: tables.demo.caption: must be text, got a number (1)"),
        (TABLE.replace("row_heading: R", "row_heading: 1"), "t.yml, line 6: tables.demo.row_heading: must be text, got a number (1)"),
        (TABLE.replace("empty: Not on its list in the article", "empty: 1"), "t.yml, line 7: tables.demo.empty: must be text, got a number (1)"),
        (TABLE.replace("    rows:", "    legend: 1\n    rows:"), "t.yml, line 8: tables.demo.legend: must be text, got a number (1)"),
        (TABLE.replace("cells:\n          ket: x", "cells: [x]"), "t.yml, line 10: tables.demo.rows[0].cells: must be a mapping of fields, got a list"),
        (TABLE.replace("ket: x", "ket: []"), "t.yml, line 11: tables.demo.rows[0].cells.ket: is empty: list at least one item"),
        (TABLE.replace("ket: x", "ket: [1]"), "t.yml, line 11: tables.demo.rows[0].cells.ket[0]: must be text, got a number (1)"),
        (TABLE.replace("ket: x", "ket: x\n      - label: l\n        cells:\n          ket: y"),
         "t.yml, line 12: tables.demo.rows[1].label: duplicate row 'l' (already at tables.demo.rows[0])"),
        (GROUPED.replace("GROUPS", "[]"), "t.yml, line 8: tables.demo.groups: is empty: list at least one group"),
        (GROUPED.replace("GROUPS", "\n      - rows: []"), "t.yml, line 9: tables.demo.groups[0]: missing field 'heading'"),
        (GROUPED.replace("GROUPS", "\n      - heading: 1\n        rows: []"), "t.yml, line 9: tables.demo.groups[0].heading: must be text, got a number (1)"),
    ],
)
def test_a_wrong_table_value_is_named_by_file_line_and_key(text, message):
    with pytest.raises(SiteDataError) as caught:
        tables.validate(datafile.load_text(text, "t.yml"))
    assert str(caught.value).startswith(message)


# ---------------------------------------------------------------------------------------------
# datafile, changes, pages: every message names the file, the line and the key


def _load_error(text: str, first_line: int = 1) -> str:
    with pytest.raises(SiteDataError) as caught:
        datafile.load_text(text, "d.yml", first_line)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "first_line", "message"),
    [
        # A character YAML refuses is named at its line (YAML gives only its position in the text).
        ("a: 1\nb: \x07", 1, "d.yml, line 2: this line holds an invisible control character (#x0007)"),
        # An error on the first line looks at no line above it, however the file ends.
        ("a: b: c\nx: {}\n", 1, 'd.yml, line 1: the value holds a colon and a space (`a: b: c`), which YAML reads as another key: '
         'put the whole value in quotes, `a: "b: c"`'),
        # An empty {} or [] above the error, spaces after it or not, is named, at the file's own line numbers.
        ("moved: {}  \n  /a/: /b/\n", 1, "d.yml, line 1: ends in '{}' (an empty value), so the indented lines under it cannot belong to it: delete the '{}'"),
        ("moved: []\n  /a/: /b/\n", 2, "d.yml, line 2: ends in '[]' (an empty value), so the indented lines under it cannot belong to it: delete the '[]'"),
        # A value YAML reads as a number but cannot build is "not a value" (only a date is "not a real
        # date"), with YAML's reason; an explicit tag is refused before any value is built.
        ("a: 0x_\n", 1, "d.yml, line 1: a: '0x_' is not a value (invalid literal for int() with base 16: ''); put it in quotes if it is text"),
        ("a: !!int x\n", 1, "d.yml, line 1: uses the YAML tag '!!int'; write the value without it (in quotes if it is text)"),
    ],
)
def test_yaml_errors_name_the_line_and_what_to_do(text, first_line, message):
    assert _load_error(text, first_line).startswith(message)


def test_a_yaml_error_message_is_whole():
    # A missing comma between { and } on one line: no column, no parser's words.
    assert _load_error("a: {b: 1 c: 2}\n") == "d.yml, line 1: the items between '{' and '}' need a comma between each two, as in `{first: 1, second: 2}`"
    # A value YAML cannot build: its reason, whole.
    assert _load_error("a: 0b_\n") == "d.yml, line 1: a: '0b_' is not a value (invalid literal for int() with base 2: ''); put it in quotes if it is text"
    # YAML's own words without its note of the place.
    assert _load_error("a: =\n") == ("d.yml, line 1: a: '=' is not a value (could not determine a constructor for the tag "
                                     "'tag:yaml.org,2002:value'); put it in quotes if it is text")
    assert _load_error("a: \x07") == ("d.yml, line 1: this line holds an invisible control character (#x0007), which a data file cannot hold: "
                                      "delete it (if your editor does not show it, retype the line)")


def test_a_place_not_in_the_file_is_named_at_its_nearest_known_parent():
    doc = datafile.load_text("top: 1\ntables:\n  demo:\n    caption: C\n", "d.yml")
    assert doc.where(("tables", "demo", "missing", "deeper")) == "d.yml, line 3"
    assert doc.where(("tables", "demo", "missing")) == "d.yml, line 3"


def test_a_bad_byte_after_a_first_empty_line_is_on_line_2():
    with pytest.raises(SiteDataError) as caught:
        datafile.decode(b"\n\xff", "d.yml")
    assert str(caught.value) == "d.yml, line 2: is not UTF-8 text (byte 0xff); save the file as UTF-8 in your editor"


RECORD = "changes:\n  - date: 2026-01-02\n    pages: [/a/]\n    what: W\n"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (RECORD, "{}", "d.yml, line 1: missing field 'changes'"),
        (RECORD, "[]", "d.yml, line 1: must be a mapping of fields, got a list"),
        (RECORD, "changes: []", "d.yml, line 1: changes: is empty: list at least one change"),
        ("pages: [/a/]", "pages: []", "d.yml, line 3: changes[0].pages: is empty: list at least one page"),
        ("pages: [/a/]", "pages: [1]", "d.yml, line 3: changes[0].pages[0]: must be text, got a number (1)"),
        ("what: W", "what: W\n    why: 1", "d.yml, line 5: changes[0].why: must be text, got a number (1)"),
        ("what: W", "what: W\n    sources: [1]", "d.yml, line 5: changes[0].sources[0]: must be text, got a number (1)"),
        ("what: W", "what: W\n    why: Y\n    edits:\n      - replace: 1\n        with: x",
         "d.yml, line 7: changes[0].edits[0].replace: must be text, got a number (1)"),
        ("what: W", "what: W\n    why: Y\n    typo: true\n    edits:\n      - replace: x\n        with: 1",
         "d.yml, line 9: changes[0].edits[0].with: must be text, got a number (1)"),
    ],
)
def test_a_wrong_value_in_the_record_of_changes_is_named_by_line_and_key(old, new, message):
    with pytest.raises(SiteDataError) as caught:
        changes.validate(datafile.load_text(RECORD.replace(old, new), "d.yml"))
    assert str(caught.value).startswith(message)


FRONT = "---\ntitle: T\ndescription: D\nlast_updated: 2026-01-01\nnext_review: 2026-06-01\n---\nBody\n"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("title: T", "title: 1", "docs/p.md, line 2: title: must be text, got a number (1)"),
        ("title: T", "title: TODO", "docs/p.md, line 2: title: still holds the new-page scaffold's TODO: write it, in a sentence"),
        ("description: D", "description: a TODO here", "docs/p.md, line 3: description: still holds the new-page scaffold's TODO: write it, in a sentence"),
        ("title: T", "title: T\ncitations: yes", "docs/p.md, line 3: citations: must be 'omit' (or left out), got a yes/no value (true)"),
        ("title: T", "title: T\nsource: other",
         "docs/p.md, line 3: source: must be 'article' (the page holds the article's sentences) or 'extract' (it repeats some), or left out"),
    ],
)
def test_a_wrong_front_matter_value_is_named_by_line_and_key(old, new, message):
    with pytest.raises(SiteDataError) as caught:
        pages.parse_page("p.md", FRONT.replace(old, new))
    assert str(caught.value).startswith(message)


def test_a_page_keeps_its_source_kind_and_counts_lines_from_its_body():
    page = pages.parse_page("p.md", FRONT.replace("title: T", "title: T\nsource: article") + "Second\nThird\n")
    assert page.source == "article"
    assert page.body == "Body\nSecond\nThird\n"
    assert (page.body_line, page.line_of(0), page.line_of(5), page.line_of(12)) == (8, 8, 9, 10)
    # A body that starts with a blank line: what follows it is on the next line.
    blank_first = pages.Page("p.md", "T", "D", dt.date(2026, 1, 1), dt.date(2026, 6, 1), "\nSecond\n", 7)
    assert (blank_first.line_of(0), blank_first.line_of(1)) == (7, 8)


def test_the_offline_copy_writes_each_page_as_its_own_html_file():
    assert pages.output_file("uses.md", False) == "uses.html"
    assert pages.output_file("index.md", False) == "index.html"
    assert pages.output_file("uses.md") == "uses/index.html"


# ---------------------------------------------------------------------------------------------
# printing: which links get a printed address, and the sources a page cites

PAGE_URL = "https://example.org/p/"


@pytest.mark.parametrize(
    ("html", "printed"),
    [
        # A line break inside a link does not end the link's text, which has letters after it.
        ('<a href="https://o.example/">&#8594;<br/>Other site</a>', '<a href="https://o.example/" data-print-href="https://o.example/">&#8594;<br/>Other site</a>'),
        # A button marked print-address still prints where it leads.
        ('<a class="md-button print-address" href="/x/">PDF</a>', '<a class="md-button print-address" href="/x/" data-print-href="https://example.org/x/">PDF</a>'),
        # An empty address leads nowhere: nothing is printed.
        ('<a href="">Empty</a> <a href>None</a>', '<a href="">Empty</a> <a href>None</a>'),
        # Only the address after its own scheme counts as "the text says it"; an address in its query does not.
        ('<a href="https://x.example/?u=https://y.example">See y.example</a>',
         '<a href="https://x.example/?u=https://y.example" data-print-href="https://x.example/?u=https://y.example">See y.example</a>'),
        # A text naming the address without its last character (a capital X) does not say where the link goes.
        ('<a href="https://o.example/BOX">See o.example/BO</a>', '<a href="https://o.example/BOX" data-print-href="https://o.example/BOX">See o.example/BO</a>'),
        # A mark without letters is skipped, and the links after it are still read; a space before > stays out.
        ('<a href="/a/">&#8617;</a> <a href="https://o.example/" >Other</a>', '<a href="/a/">&#8617;</a> <a href="https://o.example/" data-print-href="https://o.example/">Other</a>'),
    ],
)
def test_links_get_their_printed_address_unless_it_would_say_nothing_new(html, printed):
    assert printing.add_print_addresses(html, PAGE_URL) == printed


def test_cited_sources_are_in_number_order_whatever_their_keys():
    html = '<sup><a href="../references/#ref-a">2</a></sup><sup><a href="../references/#ref-b">1</a></sup><sup><a href="../references/#ref-k"/></sup>'
    assert printing.cited_sources(html) == [("1", "b"), ("2", "a"), ("?", "k")]


def test_every_missing_source_is_named_with_the_page():
    html = '<article><sup><a href="../references/#ref-b">2</a></sup><sup><a href="../references/#ref-a">1</a></sup></article>'
    with pytest.raises(SiteDataError) as caught:
        printing.add_print_furniture(html, PAGE_URL, {}, "docs/p.md")
    assert str(caught.value) == "docs/p.md: cites a, b, not in references.bib"


def test_the_sources_block_goes_before_the_first_closing_aside_and_lists_only_what_is_before_it():
    source = SimpleNamespace(html="Entry K")
    cite = '<sup><a href="../references/#ref-k">1</a></sup>'
    aside = '<aside class="page-furniture">x</aside>'
    out = printing.add_print_furniture(f"<article>{cite}{aside}{aside}</article>", PAGE_URL, {"k": source}, "docs/p.md")
    assert out.index("Sources cited on this page") < out.index(aside) and out.count(aside) == 2
    # A citation inside the closing furniture is not one of the page's.
    page = f'<article><aside class="page-furniture">{cite}</aside></article>'
    assert printing.add_print_furniture(page, PAGE_URL, {"k": source}, "docs/p.md") == page


# ---------------------------------------------------------------------------------------------
# handout, security


def test_the_handouts_addresses_are_escaped_inside_their_links():
    html = handout.online_version_html('https://example.org/a"b/', "May 1, 2026", 'https://example.org/"s/')
    assert '<a href="https://example.org/a&quot;b/">https://example.org/a&quot;b/</a>' in html
    assert '<a href="https://example.org/&quot;s/">https://example.org/&quot;s/</a>' in html


def test_only_the_script_directive_decides_whether_inline_scripts_are_allowed():
    head = '<head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; style-src \'unsafe-inline\'"><meta name="referrer" content="no-referrer"></head>'
    assert security.page_problems(head) == []


def test_links_to_other_schemes_and_hosts_are_not_files_and_root_links_under_the_address_are(tmp_path):
    (tmp_path / "here.html").write_text("x", encoding="utf-8")
    html = ('<a href="about:blank">a</a><script src="//cdn.example/x.js"></script>'
            '<a href="/k/here.html">b</a><a href="/k/gone.html">c</a><a href="../">d</a>')
    assert security.missing_local_files(html, "index.html", tmp_path, "https://example.org/k/") == [
        "../ points outside the site", "/k/gone.html: no such file in the built site"]
    # From disk every root link is refused, each of them.
    assert security.missing_local_files(html, "index.html", tmp_path, "https://example.org/k/", relative_only=True) == [
        "../ points outside the site",
        "/k/gone.html starts at the root, which from disk is not the site's folder",
        "/k/here.html starts at the root, which from disk is not the site's folder",
    ]


def test_search_texts_and_titles_keep_their_quotes_as_written():
    from sitegen import search

    index = {"docs": [{"location": "a/", "title": "A", "text": "<p>Say \"hi\" & 'bye'</p>"},
                      {"location": "r/", "title": "R", "text": "<p>Intro</p><ol><li>x</li></ol>"}]}
    out = search.refine(index, first={"a/", "r/"}, lists=[search.ListPage("r/", [search.Entry("k", 'One "q"', "It's")])],
                        title_only=[("h/", 'The "handout"', "Bob's page")])
    assert out["docs"] == [
        {"location": "a/", "title": "A", "text": "<p>Say \"hi\" &amp; 'bye'</p>"},
        {"location": "r/", "title": "R", "text": "<p>Intro</p>"},
        {"location": "r/#k", "title": 'One "q"', "text": "<p>It's</p>", "boost": search.LIST_ENTRY},
        {"location": "h/", "title": 'The "handout"', "text": "<p>Bob's page</p>"},
    ]


def test_inert_text_keeps_letters_spaces_and_every_non_ascii_character():
    from sitegen import markup

    # A control character becomes one space; ASCII symbols become references; é, the dash and U+0080 stay.
    assert markup.inert("a\tb <x> é—\x80\x7f") == "a b &#60;x&#62; é—\x80 "


def test_a_page_of_tasks_ranks_between_the_article_and_the_other_site_pages():
    from sitegen import search

    index = {"docs": [{"location": loc, "title": "T", "text": ""} for loc in ("uses/", "for-clinics/", "about/")]}
    out = search.refine(index, first={"uses/"}, lists=[], title_only=[], tasks=frozenset({"for-clinics/"}))
    assert [d.get("boost") for d in out["docs"]] == [None, search.TASK_PAGE, search.SITE_PAGE]
    assert (search.TASK_PAGE, search.SITE_PAGE) == (0.6, 0.3)


# ---------------------------------------------------------------------------------------------
# Survivors in public_urls, markers, glossary, fidelity, guide, servers, readability, trimcss
# (issue 21): each test states what an editor or a clinic would see go wrong

from sitegen import glossary as glossary_module, guide, markers, readability  # noqa: E402
from test_fidelity import NEW  # noqa: E402


def test_a_missing_address_record_is_named_by_its_place_in_the_project(tmp_path):
    # The editor is told which file to restore, not where the test happened to look for it.
    assert _refused(public_urls.load_public_urls, tmp_path / "public-urls.yml") == (
        "data/public-urls.yml: cannot be read: No such file or directory")


def test_a_recorded_id_after_one_that_is_still_built_is_still_checked():
    # `a` is fine; `b` has lost its heading, and a link to /#b would land on the page's top.
    recorded = public_urls.parse_public_urls("pages:\n  /: [a, b]\n")
    assert _refused(public_urls.check_public_urls, recorded, {"/": {"a"}}) == (
        "data/public-urls.yml: a public address would break:\n"
        "  section /#b is recorded but / has no heading with id 'b'; restore the {#b} on its heading, or, if you renamed it, add the line `  /#b: /#new-id` under moved: (links to the old id keep working)")


def test_new_pages_stay_listed_when_a_recorded_page_after_them_has_new_ids():
    # Built order puts the new page first: the check must still ask for it to be recorded.
    recorded = public_urls.parse_public_urls("pages:\n  /: [a]\n")
    assert public_urls.unrecorded(recorded, {"/new/": set(), "/": {"a", "b"}}) == ["/new/", "/#b"]


def test_a_malformed_marker_is_refused_with_every_marker_name_listed():
    # The editor who left out the colon is shown the form and the names to choose from.
    assert _refused(markers.find_markers, "Text.\n\n<!-- insert table -->\n", "docs/x.md", 4, {}) == (
        "docs/x.md, line 6: '<!-- insert table -->' is not a marker; write it as <!-- insert: NAME --> on a line of its own "
        f"(names: {', '.join(markers.REGISTRY)})")


NMDA = Term("NMDA receptor", "A receptor.", ["NMDA receptor"], 3)
DISSOCIATION = Term("Dissociation", "Feeling detached.", ["dissociation"], 5, ours=True)
TWO_TERMS = Glossary("data/glossary.yml", [NMDA, DISSOCIATION])


def test_an_abbreviation_in_a_heading_that_is_no_glossary_term_is_left_as_written():
    # A page's own <abbr> (Markdown's `*[WHO]: ...`) in a heading keeps its tooltip; a term there becomes plain text.
    html = ('<h2 id="x">The <abbr title="World Health Organization">WHO</abbr> and <abbr title="A receptor.">NMDA receptor</abbr></h2>'
            '<p><abbr title="A receptor.">NMDA receptor</abbr></p>')
    assert glossary_module.mark_first_uses(html, TWO_TERMS) == (
        '<h2 id="x">The <abbr title="World Health Organization">WHO</abbr> and NMDA receptor</h2>'
        '<p><abbr tabindex="0" title="A receptor.">NMDA receptor</abbr></p>',
        {"NMDA receptor"},
    )


def test_a_pages_words_to_know_list_a_term_that_sorts_after_one_it_does_not_use():
    # "Dissociation" sorts first but the page does not use it; the handout must still define "NMDA receptor".
    assert glossary_module.render_glossary(TWO_TERMS, only={"NMDA receptor"}, css="words-to-know") == (
        '<dl class="words-to-know">\n<dt>NMDA receptor</dt>\n<dd>A receptor.</dd>\n</dl>')


def test_an_unused_term_gets_a_did_you_mean_only_for_a_close_word():
    # "dissociative" is close (a ratio of 0.83); "dissolution" (0.78) is another word, and naming it would mislead.
    prefix = ("data/glossary.yml, line 5: glossary term 'Dissociation' appears on no page (looked for 'dissociation'; "
              "case matters)")
    assert str(glossary_module.unused(TWO_TERMS, {"NMDA receptor"}, {"dissolution"})) == prefix + ": fix its forms or remove the term"
    assert str(glossary_module.unused(TWO_TERMS, {"NMDA receptor"}, {"dissociative"})) == (
        prefix + "; the pages say 'dissociative': fix its forms or remove the term")


def test_a_glossary_definition_after_one_of_the_sites_own_is_still_checked():
    # The site's own definition is skipped, not the end of the check: the unmarked one after it is not the article's.
    unmarked = Term("Off-label", "Used for a condition it is not approved for.", ["off-label"], 7)
    assert _refused(fidelity.check_glossary, SOURCE, Glossary("data/glossary.yml", [DISSOCIATION, unmarked])).startswith(
        "data/glossary.yml, line 7: the definition of 'Off-label' is not the article's wording ('Used for a condition it is not approved for.')")


def test_references_after_a_recorded_addition_are_still_matched_to_the_article():
    # A recorded addition first in references.bib: the article's entries after it still count, and an unknown one is named.
    fidelity.check_references(SOURCE, parse_bibliography(NEW + BIB), {"new2027"}, set(), {"new2027": "data/changes.yml, line 4"})
    other = "@misc{other2030, refnumber = {4}, author = {Other, B.}, year = {2030}, title = {Another source}}\n"
    assert _refused(fidelity.check_references, SOURCE, parse_bibliography(NEW + BIB + other), {"new2027"}, set(),
                    {"new2027": "data/changes.yml, line 4"}) == (
        "references.bib, line 4: entry 'other2030': Other (2030) is not in the article's reference list; "
        "if you are adding a source, record it in data/changes.yml (add: [other2030], why)")


def test_a_sentence_wrapped_right_after_its_40th_character_is_located_on_its_first_line():
    # "Ketamine is sometimes sold on the street" is 40 characters: the line holding them is the one named.
    body = "# Title\n\nIntro.\nKetamine is sometimes sold on the street\nas a powder.\n"
    html = PAGE.replace("off-label</abbr>.", "off-label</abbr>. Ketamine is sometimes sold on the street as a powder.")
    assert _refused(fidelity.check_pages, SOURCE, [fidelity.BuiltPage("docs/x.md", "article", html, body, 3)]).startswith(
        "docs/x.md, line 6: 'Ketamine is sometimes sold on the street as a powder.' is not the article's wording")


def test_the_home_page_lists_each_topic_as_its_own_item():
    # Nothing between the items: a stray text node would show up in the home page's list.
    topics = [(guide.Topic("ketamine.md", "What is ketamine?", "A drug & an anaesthetic."), "ketamine/"),
              (guide.Topic("uses.md", "Uses <and> limits", "What it treats."), "uses/")]
    assert guide.render_overview(topics) == (
        '<nav class="guide-overview" aria-labelledby="guide-overview-title" data-search-exclude>'
        '<p class="guide-overview__title" id="guide-overview-title">In this guide</p>'
        '<ol class="guide-overview__list"><li><a href="ketamine/">What is ketamine?</a>'
        '<span class="guide-overview__about">A drug &amp; an anaesthetic.</span></li>'
        '<li><a href="uses/">Uses &lt;and&gt; limits</a><span class="guide-overview__about">What it treats.</span></li></ol></nav>'
    )


def test_the_contents_go_after_the_page_title_not_after_a_later_h1():
    # An editor's second `# heading` is an h1 too; the contents still belong under the title.
    page = "<h1>Title</h1><p>Intro</p><h1>Second</h1><p>More</p>"
    assert guide.after_title(page, "[X]") == "<h1>Title</h1>[X]<p>Intro</p><h1>Second</h1><p>More</p>"


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


def test_an_empty_version_setting_keeps_the_version_menus_styles_out():
    # "" is no setting, like null: no version menu is built, so its rules go from the stylesheet.
    assert trimcss.unscripted([_config('{"version": ""}')]) == SCRIPTED_CLASSES


def test_the_reading_level_is_flesch_kincaid_of_the_sentences_as_written():
    # 15 words in 3 sentences, 20 syllables: 0.39 × 5.0 + 11.8 × 1.3 − 15.59 = 1.70, given to one decimal.
    html = "<p>Your doctor checks your dose. A nurse stays with you. Rest quietly before going home.</p>"
    assert readability.measure(html) == {"grade": 1.7, "words_per_sentence": 5.0, "sentences": 3}
