"""Publishing: atomic and reproducible builds, hardened pages, offline copy, a preview that survives mistakes."""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from helpers import ARTICLE_PAGES, CACHE, DIST_SETTINGS, REFERENCES_PAGE, ROOT, build_site, copy_project, edit, free_port, front_matter, make, record, snapshot, watch
from sitegen.pdfs import printed
from sitegen.security import (
    content_security_policy,
    harden_page,
    headers_file,
    inline_script_hashes,
    inline_scripts,
    missing_local_files,
    page_problems,
    secure_external_links,
)

PDFS = 2 * sum(printed(p.name) for p in (ROOT / "docs").glob("*.md"))  # each printed page on US Letter and on A4
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


# ---------------------------------------------------------------- helpers


def policy_of(html: str) -> str:
    meta = BeautifulSoup(html, "html.parser").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None, "page has no Content-Security-Policy meta tag"
    return meta["content"]


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


# ---------------------------------------------------------------- atomic build: bad input never replaces site/


def _bad_front_matter_date(project: Path) -> None:
    page = project / "docs" / "uses.md"
    page.write_text(re.sub(r"(?m)^last_updated: .*$", "last_updated: 2026-02-30", page.read_text(encoding="utf-8"), count=1), encoding="utf-8")


def _malformed_data_yaml(project: Path) -> None:
    # Issue 3's loader reads data/*.yml; an unclosed flow list is a YAML syntax error.
    (project / "data").mkdir(exist_ok=True)
    (project / "data" / "side-effects.yml").write_text("caption: Side effects\nrows:\n  - effect: [unclosed\n    ketamine: yes\n", encoding="utf-8")


def _unknown_citation_key(project: Path) -> None:
    page = project / "docs" / "uses.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee the unknown source [@nosuchkey2099].\n", encoding="utf-8")


def _broken_bibtex(project: Path) -> None:
    bib = project / "references.bib"
    existing = bib.read_text(encoding="utf-8") if bib.exists() else ""
    bib.write_text(existing + "\n@article{broken2099,\n  title = {An entry that never closes,\n  year = 2099\n", encoding="utf-8")


def _inline_event_handler(project: Path) -> None:
    # Blocked by the CSP, so the post-page check refuses it.
    page = project / "docs" / "uses.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<p onclick="alert(1)">Click</p>\n', encoding="utf-8")


BAD_INPUTS = {
    # name: (break the copy, words the error must contain)
    "front-matter-date": (_bad_front_matter_date, ["docs/uses.md", "last_updated"]),
    "malformed-data-yaml": (_malformed_data_yaml, ["data/side-effects.yml"]),
    "unknown-citation-key": (_unknown_citation_key, ["nosuchkey2099", "uses.md"]),
    "broken-bibtex": (_broken_bibtex, ["references.bib"]),
    "inline-event-handler": (_inline_event_handler, ["docs/uses.md, line", "inline event handler"]),
}


@pytest.fixture(scope="module")
def published(site_dir) -> dict[str, bytes]:
    """The good site, as a previous `make build` left it."""
    return snapshot(site_dir)


@pytest.mark.rebuild
@pytest.mark.xdist_group("test_publishing")  # shares this module's module-scoped fixture on one worker
@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_fails_the_build_and_keeps_the_previous_site(tmp_path, site_dir, published, name):
    breaker, expected = BAD_INPUTS[name]
    project = copy_project(tmp_path)
    shutil.copytree(site_dir, project / "site")
    before = snapshot(project / "site")
    assert before == published and "index.html" in before and "_headers" in before and "pdf/handout.pdf" in before
    assert "index.html" in before and "_headers" in before

    breaker(project)
    result = make(project, "build")
    output = result.stdout + result.stderr

    assert result.returncode != 0, f"the build accepted the bad input ({name}):\n{output[-3000:]}"
    for words in expected:
        assert words in output, f"error output does not name {words!r}:\n{output[-3000:]}"
    assert "previous site" in output and "untouched" in output
    assert snapshot(project / "site") == before, "site/ changed after a failed build"
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site-")], "staging directory left behind"


@pytest.mark.rebuild
def test_first_build_failure_creates_no_site(tmp_path):
    project = copy_project(tmp_path)
    _bad_front_matter_date(project)
    result = make(project, "build")
    assert result.returncode != 0
    assert f"No site was written to {project / 'site'}." in result.stderr, result.stderr[-2000:]
    assert not (project / "site").exists()


@pytest.mark.rebuild
def test_successful_build_replaces_site_and_is_world_readable(tmp_path):
    project = copy_project(tmp_path)
    (project / "site").mkdir()
    (project / "site" / "stale.html").write_text("old", encoding="utf-8")
    result = make(project, "build")
    assert result.returncode == 0, result.stderr
    assert not (project / "site" / "stale.html").exists()
    assert (project / "site" / "index.html").is_file()
    # linkchecker runs as `nobody` and web servers as their own user.
    assert (project / "site").stat().st_mode & 0o005 == 0o005


# ---------------------------------------------------------------- reproducible builds


def _git_epoch() -> str | None:
    """The last commit's time, or None in a copy without its history (a zip download, a test's copy)."""
    done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


@pytest.mark.rebuild  # runs scripts/build itself, twice
@pytest.mark.early
def test_two_clean_builds_are_byte_identical_and_a_third_prints_only_what_changed(tmp_path, monkeypatch):
    """The working tree as it is (uncommitted edits included), built twice from scratch in different
    places and conditions: path, time zone, hash seed, locale, clock, empty caches. PDFs included.
    Then, with the first build's cache, an unchanged build prints and draws nothing, and a change to
    one page's words prints only that page again (printing every PDF is most of a cold build's time,
    so the cold builds are shared)."""
    one, two = copy_project(tmp_path / "one"), copy_project(tmp_path / "elsewhere" / "two")
    epoch = "1796083200"
    runs = [
        (one, {"TZ": "UTC", "PYTHONHASHSEED": "0", "LC_ALL": "C"}),
        (two, {"TZ": "Pacific/Auckland", "PYTHONHASHSEED": "4242", "LC_ALL": "C.UTF-8"}),
    ]
    for n, (project, env) in enumerate(runs):
        if n:
            time.sleep(1.1)  # a second later: anything stamped with the clock would differ
        result = subprocess.run(
            [sys.executable, "scripts/build", "--site-dir", str(tmp_path / f"site{n}"), "--cache-dir", str(tmp_path / f"cache{n}")],
            cwd=project, capture_output=True, text=True,
            env={**ENV, **env, "SOURCE_DATE_EPOCH": epoch, "GIT_CEILING_DIRECTORIES": str(tmp_path)},
        )
        assert result.returncode == 0, result.stderr
        assert f"PDFs: {PDFS} printed, 0 unchanged" in result.stdout, result.stdout
    first, second = snapshot(tmp_path / "site0"), snapshot(tmp_path / "site1")
    assert sorted(first) == sorted(second), "the two builds wrote different files"
    assert "pdf/handout.pdf" in first and "assets/social/index.png" in first
    differing = [name for name in first if first[name] != second[name]]
    assert differing == [], f"files differ between two builds of the same sources: {differing}"

    # Unchanged: every PDF, preview, .gz copy and compiled template comes from the cache, and the site is the same.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    cache = tmp_path / "cache0"
    previews = sorted(p.name for p in (cache / "previews").iterdir())
    assert previews and any((cache / "gz").iterdir()) and any((cache / "templates").rglob("*.cache"))
    again = build_site(one, tmp_path / "again", cache=cache)
    assert again.printed == [] and len(again.reused) == PDFS
    assert sorted(p.name for p in (cache / "previews").iterdir()) == previews
    assert snapshot(tmp_path / "again") == first
    # One page's words change, on the record: only that page and the record of changes are printed again.
    page = one / "docs/privacy.md"
    page.write_text(page.read_text(encoding="utf-8").replace("It sets **no cookies**.", "It sets **no cookies** at all."), encoding="utf-8")
    record(one, ["/privacy/"], "We said the site sets no cookies at all.")
    third = build_site(one, tmp_path / "changed", cache=cache)
    assert sorted(third.printed) == ["changes-a4.pdf", "changes.pdf", "privacy-a4.pdf", "privacy.pdf"]


def _empty_cache_but_previews(tmp_path: Path) -> Path:
    """A build cache of the test's own, sharing only the link-preview images (keyed by their inputs: not drawn again)."""
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "previews").symlink_to(CACHE / "previews", target_is_directory=True)
    return cache


@pytest.mark.rebuild
def test_a_preview_build_prints_no_pdf(tmp_path):
    """`build(preview=True)`, as scripts/serve and an editor's tries build: nothing printed, nothing to link."""
    cache = _empty_cache_but_previews(tmp_path)
    report = build_site(ROOT, tmp_path / "site", cache=cache, preview=True)
    assert report.printed == [] and report.reused == []
    assert not (tmp_path / "site" / "pdf").exists() and not (cache / "pdf").exists()


@pytest.mark.rebuild
def test_compiled_templates_are_shared_by_copies_and_a_changed_template_is_compiled_anew(tmp_path):
    """build/cache/templates holds one entry per template, whatever folder the project is in; an entry
    compiled from other text is never used."""
    cache, footer = _empty_cache_but_previews(tmp_path), "overrides/partials/footer.html"
    one, two = copy_project(tmp_path / "one"), copy_project(tmp_path / "elsewhere")
    edit(two, footer, '<footer class="md-footer">', '<footer class="md-footer template-changed">')

    def built(project: Path, name: str) -> str:
        build_site(project, tmp_path / name, cache=cache, preview=True)
        return (tmp_path / name / "index.html").read_text(encoding="utf-8")

    def entries() -> list[str]:
        return sorted(p.name for p in (cache / "templates").rglob("*.cache"))

    assert "template-changed" not in built(one, "site1")
    kept = entries()
    assert kept
    assert "template-changed" in built(two, "site2")
    assert "template-changed" not in built(one, "site3")
    assert entries() == kept


@pytest.mark.unit
def test_templates_compiled_under_other_settings_are_kept_apart():
    """Jinja checks an entry against the template's text only: the settings that change the code it
    compiles (trim_blocks, an extension) name another folder."""
    import jinja2
    from hooks import _compiled_by

    plain = _compiled_by(jinja2.Environment())
    assert _compiled_by(jinja2.Environment()) == plain
    assert _compiled_by(jinja2.Environment(trim_blocks=True)) != plain
    assert _compiled_by(jinja2.Environment(extensions=["jinja2.ext.i18n"])) != plain


@pytest.mark.rebuild
def test_the_finishing_pass_reads_each_page_once_and_writes_it_once(tmp_path, monkeypatch):
    """After MkDocs, each page is read by the HTML check and once by the finishing pass, which writes
    it once, finished (and a second time before only when Chromium has PDFs to print: not here);
    the checks after it read the text it wrote."""
    from collections import Counter

    reads, writes = Counter(), Counter()
    read_text, write_text = Path.read_text, Path.write_text

    def staged_page(path: Path) -> str | None:
        staging = next((parent for parent in path.parents if parent.name.startswith(".site-new-")), None)
        return path.relative_to(staging).as_posix() if staging and path.suffix == ".html" else None

    def counted_read(path, *args, **kwargs):
        if staged_page(path):
            reads[staged_page(path)] += 1
        return read_text(path, *args, **kwargs)

    def counted_write(path, *args, **kwargs):
        if staged_page(path):
            writes[staged_page(path)] += 1
        return write_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counted_read)
    monkeypatch.setattr(Path, "write_text", counted_write)
    build_site(ROOT, tmp_path / "site", preview=True, pdf=False)  # as scripts/serve builds: no PDFs to print
    pages = sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*.html"))
    assert "index.html" in pages and "404.html" in pages
    assert {name: writes[name] for name in pages} == {name: 1 for name in pages}
    assert {name: reads[name] for name in pages} == {name: 2 for name in pages}


@pytest.mark.rebuild
def test_sitemap_dates_come_from_front_matter_not_the_clock(tmp_path, monkeypatch):
    # Built "in 2033": any date taken from the build time would show.
    site_dir = tmp_path / "site"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")
    build_site(ROOT, site_dir)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ElementTree.parse(site_dir / "sitemap.xml")
    lastmods = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in sitemap.iterfind("s:url", ns)}
    pages = ARTICLE_PAGES + [REFERENCES_PAGE]
    assert len(lastmods) >= len(pages)
    for src, url, _ in pages:
        loc = next(loc for loc in lastmods if loc.endswith("/" + url) or (url == "" and loc.count("/") == 3))
        assert lastmods[loc] == str(front_matter(src)["last_updated"]), loc
    # The gzip header's time is the newest page date, not the moment of the build.
    raw = (site_dir / "sitemap.xml.gz").read_bytes()
    mtime = int.from_bytes(raw[4:8], "little")
    newest = max(lastmods.values())
    assert time.strftime("%Y-%m-%d", time.gmtime(mtime)) == newest
    assert gzip.decompress(raw) == (site_dir / "sitemap.xml").read_bytes()


@pytest.mark.rebuild
def test_a_build_leaves_the_environment_as_it_was(tmp_path, monkeypatch):
    # Settings are arguments: a build in this process sets no variable for what runs after it (MkDocs
    # would take SOURCE_DATE_EPOCH for its dates; every date it writes is a page's own instead).
    import material.templates  # noqa: F401  (mkdocs-material sets NO_MKDOCS_2_WARNING when first imported)

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dict(os.environ)
    build_site(ROOT, tmp_path / "site", preview=True, pdf=False)
    assert dict(os.environ) == before


@pytest.mark.unit
def test_source_date_epoch_defaults_to_the_last_commit(monkeypatch, tmp_path):
    from pipeline import release as build
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build.source_date_epoch() == _git_epoch()
    assert build.source_date_epoch(tmp_path) is None  # a folder outside any checkout
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build.source_date_epoch() == "1700000000"


# ---------------------------------------------------------------- hardened pages: pure functions


THEME_TABS = (
    'var target=document.getElementById(location.hash.slice(1));'
    'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))'
)


@pytest.mark.unit
def test_inline_script_hashes_cover_only_allowed_executable_scripts():
    html = (
        "<script>alert(1)</script>"
        '<script type="module">x()</script>'
        f"<script>{THEME_TABS}</script>"
        '<script src="a.js"></script>'
        '<script type="application/ld+json">{"@type": "WebPage"}</script>'
        '<script id="__config" type="application/json">{}</script>'
    )
    assert inline_script_hashes(html) == ["'sha256-" + base64.b64encode(hashlib.sha256(THEME_TABS.encode()).digest()).decode() + "'"]
    # The theme's script's hash as published in earlier builds' _headers: the encoding is checked too.
    assert inline_script_hashes(f"<script>{THEME_TABS}</script>") == ["'sha256-/8wPdzX9q0NNJXyA5lzsLojXFpkeaXVxhbfkUOQaWy8='"]


@pytest.mark.unit
def test_policy_allows_only_self_and_never_unsafe_inline_scripts():
    policy = directives(content_security_policy(["'sha256-abc='"]))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'sha256-abc='"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert "frame-ancestors" not in policy, "ignored in <meta>; belongs in the header"
    for sources in policy.values():
        assert all(s in ("'self'", "'none'", "data:") or s.startswith("'sha256-") for s in sources), sources
    assert directives(content_security_policy([], header=True))["frame-ancestors"] == ["'none'"]


@pytest.mark.unit
def test_harden_page_puts_policy_after_charset_and_is_idempotent():
    page = f'<html><head><meta charset="utf-8"><title>t</title><script>{THEME_TABS}</script></head><body></body></html>'
    once = harden_page(page, "https://example.org/")
    assert once.index("<meta charset") < once.index("Content-Security-Policy") < once.index("<title>")
    assert '<meta name="referrer" content="no-referrer">' in once
    assert harden_page(once, "https://example.org/") == once
    assert page_problems(once) == []


@pytest.mark.unit
def test_page_problems_catch_a_script_added_after_the_policy():
    hardened = harden_page(f'<head><meta charset="utf-8"></head><body><script>{THEME_TABS}</script></body>')
    assert page_problems(hardened) == []
    # An allowed script whose hash the policy lacks: a step changed the page after hardening.
    scope = '__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'
    late = page_problems(hardened.replace("</body>", f"<script>{scope}</script></body>"))
    assert len(late) == 1 and "is not allowed by the page's policy" in late[0], late
    assert any("not on the allow-list: 'b()'" in p for p in page_problems(hardened.replace("</body>", "<script>b()</script></body>")))
    assert page_problems("<head></head>") == ["no Content-Security-Policy meta tag"]
    assert any("javascript:" in p for p in page_problems(hardened.replace("<body>", '<body><a href="javascript:x()">x</a>')))


@pytest.mark.unit
@pytest.mark.parametrize(
    "link, rel",
    [
        ('<a href="https://pubmed.example.net/1">x</a>', "noopener noreferrer"),
        ('<a href="http://other.example.com" target="_blank" rel="noopener">x</a>', "noopener noreferrer"),
        ('<a rel="external" href="//cdn.example.com/">x</a>', "external noopener noreferrer"),
        ('<a href="../uses/">x</a>', None),
        ('<a href="#ketamine-history">x</a>', None),
        ('<a href="mailto:someone@example.org">x</a>', None),
        ('<a href="https://example.org/uses/">x</a>', None),
    ],
)
def test_external_links_get_noopener_noreferrer(link, rel):
    out = secure_external_links(link, "example.org")
    assert BeautifulSoup(out, "html.parser").a.get("rel") == (rel.split() if rel else None)


@pytest.mark.unit
def test_headers_file_caches_only_fingerprinted_assets():
    text = headers_file(
        ["'sha256-abc='"],
        ["/index.html", "/assets/javascripts/bundle.a5f9d56c.min.js", "/assets/javascripts/lunr/min/lunr.de.min.js", "/assets/stylesheets/site.css"],
    )
    assert "/assets/javascripts/bundle.a5f9d56c.min.js\n  Cache-Control: public, max-age=31536000, immutable" in text
    assert "lunr.de" not in text and "site.css" not in text and "/index.html" not in text


# What the README promises for the whole site, written out: the header form of the policy.
HEADER_POLICY = (
    "default-src 'self'; script-src 'self' 'sha256-abc='; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.unit
def test_headers_file_is_the_readmes_policy_line_for_line():
    assert headers_file(["'sha256-abc='"], ["/assets/stylesheets/main.57a0d79d.min.css", "/index.html", "/assets/javascripts/bundle.a5f9d56c.min.js"]) == (
        "# Written by the build (scripts/sitegen/security.py); do not edit by hand.\n"
        "/*\n"
        f"  Content-Security-Policy: {HEADER_POLICY}\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Referrer-Policy: no-referrer\n"
        "  Permissions-Policy: accelerometer=(), browsing-topics=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()\n"
        "  X-Frame-Options: DENY\n"
        "  Cross-Origin-Opener-Policy: same-origin\n"
        "/assets/javascripts/bundle.a5f9d56c.min.js\n"
        "  Cache-Control: public, max-age=31536000, immutable\n"
        "/assets/stylesheets/main.57a0d79d.min.css\n"
        "  Cache-Control: public, max-age=31536000, immutable\n"
    )


@pytest.mark.unit
def test_the_offline_copy_allows_inline_scripts_but_no_other_host():
    # From disk the search shim writes an inline script no build can hash (README, Offline copy).
    assert content_security_policy(["'sha256-abc='"], offline=True) == (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
    )
    page = harden_page('<head><meta charset="utf-8"></head><body><script>x()</script></body>', offline=True)
    assert "script-src 'self' 'unsafe-inline';" in page


@pytest.mark.unit
@pytest.mark.parametrize(
    "policy, offline, problems",
    [
        ("script-src 'self' 'unsafe-inline'", False, ["policy allows unsafe inline scripts or eval"]),
        ("script-src 'self' 'unsafe-inline'", True, []),
        ("script-src 'self' 'unsafe-eval'", True, ["policy allows unsafe inline scripts or eval"]),
        # Without script-src, default-src governs scripts.
        ("default-src 'self' 'unsafe-inline'; img-src 'self'", False, ["policy allows unsafe inline scripts or eval"]),
        ("default-src 'self'; script-src 'self'", False, []),
        ("img-src 'self'", False, []),  # neither governs scripts here; the browser's default allows none inline
    ],
)
def test_page_problems_read_the_policy_the_page_carries(policy, offline, problems):
    page = f'<head><meta http-equiv="Content-Security-Policy" content="{policy}"><meta name="referrer" content="no-referrer"></head>'
    assert page_problems(page, offline=offline) == problems


@pytest.mark.unit
def test_page_problems_name_each_problem_briefly():
    policy = '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'
    long = "x" * 70
    page = (
        f"<head>{policy}</head><body><script>a  =\n 1</script><script>{long}</script>"
        f'<a href="javascript:{long}">x</a><script src="https://cdn.example.com/{long}.js"></script><script src="{long}.js"></script></body>'
    )
    assert page_problems(page) == [
        "an inline script that is not on the allow-list: 'a = 1'",
        f"an inline script that is not on the allow-list: '{'x' * 60}'",
        f'<a href="javascript:{"x" * 29}">: a javascript: URL (blocked by the policy)',
        f'<script src="https://cdn.example.com/{"x" * 36}">: a script from another host',
        "no referrer policy meta tag",
    ]


@pytest.mark.unit
def test_inline_scripts_are_those_a_browser_runs():
    html = (
        '<script src="a.js"></script><script type="text/javascript">a()</script><script type=\'module\'>b()</script>'
        '<script type=application/ld+json>{}</script><script TYPE="Text/JavaScript">c()</script><script>d()</script>'
    )
    assert inline_scripts(html) == ["a()", "b()", "c()", "d()"]


@pytest.mark.unit
@pytest.mark.parametrize(
    "link, secured",
    [
        ('<a href="https://x.example.net/" />', '<a href="https://x.example.net/" rel="noopener noreferrer">'),
        ('<A HREF="https://x.example.net/" REL="external">', '<A HREF="https://x.example.net/" rel="external noopener noreferrer">'),
        ('<a rel="a" href="https://x.example.net/" rel="b">', '<a rel="a noopener noreferrer" href="https://x.example.net/" rel="b">'),
    ],
)
def test_external_links_are_secured_whatever_their_spelling(link, secured):
    assert secure_external_links(link, "example.org") == secured


@pytest.mark.unit
def test_harden_page_knows_the_sites_own_host_and_where_the_tags_go():
    body = '<a href="https://example.org/uses/">ours</a><a href="https://x.example.net/">theirs</a>'
    page = harden_page(f"<html><head><title>t</title></head><body>{body}</body></html>", "https://example.org/")
    # No <meta charset>: the tags open the <head>.
    assert page.startswith('<html><head>\n      <meta http-equiv="Content-Security-Policy" content="')
    assert '<a href="https://example.org/uses/">ours</a><a href="https://x.example.net/" rel="noopener noreferrer">theirs</a>' in page
    assert harden_page(body, "https://example.org/") == secure_external_links(body, "example.org")  # nowhere to put the tags


@pytest.mark.unit
def test_missing_local_files_finds_each_kind_of_bad_link(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    for name in ("index.html", "uses/index.html", "pdf/handout.pdf", "assets/a.css"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x", encoding="utf-8")
    html = (
        '<a href="../">home</a><a href="../pdf/handout.pdf">pdf</a><link href=\'../assets/a.css\'><a href="../uses/?a=1&amp;b=2">q</a>'
        '<a href="/info/uses/">root</a><a href="/info/">root</a><a href="https://x.example/">x</a><a href="mailto:a@b.c">m</a>'
        '<a href="#top">t</a><a href="?q=1">q</a><a href="">e</a><a href="../sitemap.xml">s</a>'
        '<a href="../pdf/missing.pdf">1</a><a href="../../etc/passwd">2</a><a href="/other/">3</a><img src="../missing%20file.png">'
        '<a href="../pdf/missing.pdf">again</a>'
    )
    assert missing_local_files(html, "uses/index.html", site, "https://example.org/info/", skip_suffixes=(".xml",)) == [
        "../../etc/passwd points outside the site",
        "../missing%20file.png: no such file in the built site",
        "../pdf/missing.pdf: no such file in the built site",
        "/other/ is outside the site's address https://example.org/info/",
    ]
    assert missing_local_files('<a href="../sitemap.xml">s</a><a href="..">u</a>', "uses/index.html", site, "https://example.org/") == [
        "../sitemap.xml: no such file in the built site",
    ]
    # Opened from disk, "/" is the disk's root.
    assert missing_local_files('<a href="/info/uses/">r</a>', "uses/index.html", site, "https://example.org/info/", relative_only=True) == [
        "/info/uses/ starts at the root, which from disk is not the site's folder",
    ]


# ---------------------------------------------------------------- hardened pages: the built site


def _html_pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


@pytest.mark.build
def test_every_page_carries_its_policy_and_referrer_meta(site_dir):
    pages = _html_pages(site_dir)
    assert len(pages) >= len(ARTICLE_PAGES) + 2 and site_dir / "404.html" in pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        head = BeautifulSoup(html, "html.parser").head
        metas = head.find_all("meta")
        assert metas[0].get("charset") and metas[1].get("http-equiv") == "Content-Security-Policy", path
        policy = directives(policy_of(html))
        assert "'unsafe-inline'" not in policy["script-src"], path
        # Worked out here, not by the build's own function: every script the page runs inline, hashed.
        bodies = [m.group(1) for m in re.finditer(r"<script>(.*?)</script>", html, re.S)]
        assert bodies or head.find("meta", attrs={"http-equiv": "refresh"}), path  # a moved page's old address runs none
        expected = {"'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in bodies}
        assert set(policy["script-src"][1:]) == expected, path
        assert head.find("meta", attrs={"name": "referrer"})["content"] == "no-referrer"
        assert page_problems(html) == [], path


@pytest.mark.build
def test_every_external_link_is_noopener_noreferrer(site_dir):
    home = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    own_host = urlsplit(home.find("link", rel="canonical")["href"]).hostname
    checked = 0
    for path in _html_pages(site_dir):
        for a in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True):
            if re.match(r"(https?:)?//", a["href"]) and urlsplit(a["href"]).hostname != own_host:
                checked += 1
                assert {"noopener", "noreferrer"} <= set(a.get("rel", [])), (path, a["href"])
    assert checked > 0, "no external links found: the check would prove nothing"


@pytest.mark.build
def test_headers_file_matches_the_pages(site_dir):
    text = (site_dir / "_headers").read_text(encoding="utf-8")
    for header in ("X-Content-Type-Options: nosniff", "Referrer-Policy: no-referrer", "Permissions-Policy: ", "frame-ancestors 'none'"):
        assert header in text
    header_policy = directives(re.search(r"Content-Security-Policy: (.*)", text).group(1))
    for path in _html_pages(site_dir):
        assert set(inline_script_hashes(path.read_text(encoding="utf-8"))) <= set(header_policy["script-src"]), path
    cached = re.findall(r"^(/\S+)\n  Cache-Control: public, max-age=31536000, immutable$", text, re.M)
    assert any(p.startswith("/assets/javascripts/bundle.") for p in cached)
    for path in cached:
        assert (site_dir / path.lstrip("/")).is_file(), path


# ---------------------------------------------------------------- hardened pages: in Chromium


def _search(page, words: str) -> list[str]:
    page.keyboard.press("/")
    page.keyboard.type(words, delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    return page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")


@pytest.mark.browser
def test_every_page_runs_under_its_policy_without_errors(site_dir, server, page):
    urls = [p.relative_to(site_dir).as_posix().removesuffix("index.html") for p in _html_pages(site_dir)]
    problems = watch(page)
    for url in urls:
        page.goto(server + url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.querySelector('meta[http-equiv=Content-Security-Policy]') !== null")
    assert problems == []


@pytest.mark.browser
def test_search_works_under_the_policy(server, page, screenshots):
    problems = watch(page)
    page.goto(server + "side-effects/")
    page.wait_for_load_state("networkidle")
    results = _search(page, "esketamine")
    page.screenshot(path=screenshots / "publishing-search-under-csp.png")
    assert any("/esketamine/" in href for href in results), results
    assert problems == []


@pytest.mark.browser
def test_violation_detector_sees_a_missing_hash(server, page):
    """The listener above would report a blocked inline script: prove it on a tampered page."""
    problems = watch(page)

    def tamper(route):
        html = route.fetch().text()
        route.fulfill(body=html.replace("</head>", "<script>window.tampered = 1</script></head>", 1), content_type="text/html")

    page.route("**/uses/", tamper)
    page.goto(server + "uses/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.tampered") is None
    assert any("CSP violation" in p or "Content Security Policy" in p for p in problems), problems


# ---------------------------------------------------------------- offline copy


@pytest.fixture
def dist(dist_copy):
    """The copy `make dist` published once for the run (conftest's `dist_copy`)."""
    return dist_copy, (dist_copy.parent / "dist.log").read_text(encoding="utf-8")


@pytest.mark.rebuild
def test_dist_writes_versioned_site_and_pdf_zips(dist, tmp_path):
    project, output = dist
    zips = sorted(p.name for p in (project / "dist").glob("*.zip"))
    assert zips == ["ketamine-site-unversioned-pdf.zip", "ketamine-site-unversioned.zip"], zips
    with zipfile.ZipFile(project / "dist" / "ketamine-site-unversioned-pdf.zip") as zf:
        names = zf.namelist()
    assert "ketamine-site-unversioned-pdf/handout.pdf" in names and len(names) == PDFS
    with zipfile.ZipFile(project / "dist" / "ketamine-site-unversioned.zip") as zf:
        # The offline copy carries the PDFs its pages link to.
        assert "ketamine-site-unversioned/pdf/handout.pdf" in zf.namelist()
        assert zf.read("ketamine-site-unversioned/pdf/handout.pdf").startswith(b"%PDF-")
    # Published again from another copy in another folder (the shared copy is only read): the same bytes.
    first = (project / "dist" / "ketamine-site-unversioned.zip").read_bytes()
    elsewhere = tmp_path / "elsewhere" / "project"
    shutil.copytree(project, elsewhere, symlinks=True, ignore=lambda folder, names: {"dist"} & set(names) if folder == str(project) else set())
    again = make(elsewhere, "dist", **DIST_SETTINGS)
    assert again.returncode == 0, again.stderr[-2000:]
    assert (elsewhere / "dist" / "ketamine-site-unversioned.zip").read_bytes() == first, "the zip is not reproducible"


@pytest.mark.unit
def test_version_is_tag_or_commit_date_and_hash():
    from pipeline import release as module
    expected = r"\d{8}-[0-9a-f]{7,}|v?\d[\w.\-]*" if _git_epoch() else "unversioned"  # no history: said so
    assert re.fullmatch(expected, module.version()), module.version()


@pytest.mark.rebuild
def test_offline_copy_keeps_the_themes_search_worker(dist):
    # From disk, search runs through the iframe-worker shim, which the on-demand stand-in
    # does not support; the theme already fetches the index there only when search opens.
    project, _ = dist
    with zipfile.ZipFile(project / "dist" / "ketamine-site-unversioned.zip") as zf:
        names = zf.namelist()
        home = zf.read("ketamine-site-unversioned/index.html").decode("utf-8")
    assert not [n for n in names if "search-on-demand" in n]
    assert re.search(r'"search": "assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"', home)


@pytest.mark.browser
def test_offline_zip_works_from_disk(dist, tmp_path, page, screenshots):
    project, _ = dist
    with zipfile.ZipFile(project / "dist" / "ketamine-site-unversioned.zip") as zf:
        zf.extractall(tmp_path)
    home = tmp_path / "ketamine-site-unversioned" / "index.html"
    assert home.is_file()
    problems = watch(page)
    remote: list[str] = []
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(("file:", "data:")) else None)

    page.goto(home.as_uri())
    page.wait_for_load_state("networkidle")
    page.click("nav.md-nav--primary a.md-nav__link:has-text('Side effects')")
    page.wait_for_load_state("networkidle")
    assert page.url.startswith("file://") and page.url.endswith("/side-effects.html")
    assert "Side effects" in page.locator("h1").inner_text()

    results = _search(page, "esketamine")
    page.screenshot(path=screenshots / "publishing-offline-search.png")
    assert any(href.startswith("file://") and "esketamine.html" in href for href in results), results
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith("file://")
    assert remote == [], f"the offline copy asked the network for {remote}"
    assert problems == []


# ---------------------------------------------------------------- make serve survives mistakes


def _get(url: str) -> tuple[int, str]:
    """Status and text of `url`. The preview holds a request that comes during a rebuild until the
    rebuild ends, which on a loaded machine can outlast one read's timeout: then it asks again."""
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url, timeout=15) as response:
                return response.status, response.read().decode("utf-8")
        except TimeoutError:
            if time.monotonic() > deadline:
                raise


def _wait_for(predicate, timeout: float = 60.0, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.rebuild  # runs scripts/serve, which builds
def test_preview_keeps_last_good_site_and_recovers(tmp_path):
    project = copy_project(tmp_path)
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "scripts/serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=log, stderr=subprocess.STDOUT, env=ENV,
        )
    url = f"http://127.0.0.1:{port}/privacy/"
    page_file = project / "docs" / "privacy.md"  # not an article page: its new sentence needs no record
    good = page_file.read_text(encoding="utf-8")
    dated = re.search(r"^last_updated: .*$", good, re.M).group(0)
    try:
        _wait_for(lambda: "Serving on" in log_path.read_text(), what="the preview to start")
        status, html = _get(url)
        assert status == 200 and "<h1" in html and "Privacy" in html

        page_file.write_text(good.replace(dated, "last_updated: 2026-13-45"), encoding="utf-8")
        _wait_for(lambda: "Still serving the last good site" in log_path.read_text(), what="the failed rebuild")
        output = log_path.read_text()
        assert "docs/privacy.md" in output and "last_updated" in output
        status, html = _get(url)
        assert status == 200 and "Privacy" in html, "the last good page is gone"

        marker = "Preview recovered without a restart."
        page_file.write_text(good + f"\n{marker}\n", encoding="utf-8")
        record(project, ["/privacy/"], "A test adds a sentence.")  # every change to a page's text is on the record
        _wait_for(lambda: marker in _get(url)[1], what="the fixed page to be served")
        assert proc.poll() is None, "the preview server stopped"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
