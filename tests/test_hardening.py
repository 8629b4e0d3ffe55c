"""Hostile or careless content cannot reach readers.

Each attack is made on a scratch copy and built through the pipeline `make build` runs, into
a folder that holds the good site. It either stops the build, naming the source file (and the
folder is byte-identical afterwards), or comes out as inert text that runs nothing in Chromium.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, build_fails, build_scored_again, build_site, copy_project, edit, free_port, line_of, make, record, serve, snapshot
from sitegen import security

ALERT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def good(site_dir) -> dict[str, bytes]:
    return snapshot(site_dir)


HTML = "the built pages hold what the site does not publish:\n"
REFUSED = {
    # name: (file, text there, replacement, what the message starts with; {line} is where the replacement landed)
    "title-closes-the-title-tag": ("docs/ketamine.md", "title: What is ketamine?", f"title: What is ketamine?</title>{ALERT}", "docs/ketamine.md, line {line}: title: contains HTML"),
    "script-in-a-page": ("docs/uses.md", "Ketamine’s quick", f"{ALERT}\n\nKetamine’s quick", "docs/uses.md, line {line}: a raw <script> element"),
    "script-in-a-heading": ("docs/uses.md", "## Can ketamine help with anxiety?", f"## Can ketamine help with anxiety? {ALERT}", "docs/uses.md, line {line}: a raw <script> element"),
    "script-in-a-snippet": ("docs/_snippets/urgent-help.md", "<p>If you or", f"{ALERT}\n<p>If you or", "docs/_snippets/urgent-help.md, line {line}: a raw <script> element"),
    "iframe-in-a-page": ("docs/uses.md", "Ketamine’s quick", '<iframe src="https://tracker.example.com/"></iframe>\n\nKetamine’s quick', "docs/uses.md, line {line}: a raw <iframe> element"),
    "event-handler": ("docs/uses.md", "Ketamine’s quick", '<p onmouseover="alert(1)">Hover</p>\n\nKetamine’s quick', "docs/uses.md, line {line}: an inline event handler (onmouseover=)"),
    "javascript-link": ("docs/uses.md", "Ketamine’s quick", "[Read more](javascript:alert(1))\n\nKetamine’s quick", "docs/uses.md, line {line}: a javascript: link"),
    # On a page of our own words (no article check), so only the finished-site check stands in the way.
    "entity-encoded-javascript-link": ("docs/privacy.md", "## Links to other sites", '<a href="&#106;avascript:alert(1)">x</a>\n\n## Links to other sites',
                                       f"{HTML}  docs/privacy.md, line {{line}} (built as privacy/index.html): <a href=\"javascript:alert(1)\">: a javascript: address"),
    "table-caption": ("data/side-effects.yml", "    caption: Side effects", f"    caption: {ALERT} Side effects", "data/side-effects.yml, line {line}: tables.side-effects.caption: contains HTML"),
    "glossary-term": ("data/glossary.yml", "  - term: IM\n", "  - term: IM <img src=x onerror=alert(1)>\n", "data/glossary.yml, line {line}: terms[12].term: contains HTML"),
    "menu-label": ("mkdocs.yml", "  - Glossary: glossary.md", "  - Glossary<img src=x>: glossary.md", "mkdocs.yml: nav: 'Glossary<img src=x>': may not contain < > &"),
    "site-name": ("mkdocs.yml", "site_name: Ketamine", "site_name: <b>Ketamine", "mkdocs.yml: site_name: may not contain < > &"),
    "snippet-from-outside": ("docs/uses.md", "Ketamine’s quick", '--8<-- "../../mkdocs.yml"\n\nKetamine’s quick', "docs/uses.md, line {line}: includes ../../mkdocs.yml, which is not"),
    "urgent-help-removed": ("docs/uses.md", '--8<-- "urgent-help.md"\n', "", "docs/uses.md, line {line}: mentions suicide or self-harm but has no urgent-help box"),
}


@pytest.mark.rebuild
@pytest.mark.xdist_group("test_hardening")  # shares this module's module-scoped fixture on one worker
@pytest.mark.parametrize("name", list(REFUSED))
def test_an_attack_stops_the_build_naming_its_source(tmp_path, site_dir, good, name):
    path, before, after, message = REFUSED[name]
    project = copy_project(tmp_path)
    edit(project, path, before, after)
    # Where the message must point: the changed line, or for a removal, the first mention it uncovers.
    message = message.format(line=line_of(project / path, after.split("\n")[0] if after else "73% had a reduction in suicidal"))
    target = tmp_path / "site"
    shutil.copytree(site_dir, target)
    error = build_fails(project, target)
    assert error.startswith(message), error
    assert snapshot(target) == good, "the published folder changed"


# Round two (issue 36): what reached readers when the checks read Markdown line by line. Each is judged
# on the finished HTML now. name: (file, text there, replacement, the text on the line the message must
# name (or None: the page, no line), what the message says after the file and line).
FENCE = "```\n"  # a lone, unclosed fence: the line checks used to read the rest of the page as code
LINKS = "## Links to other sites {#links}"
ROUND_TWO = {
    "link-title-tooltip-refresh": ("docs/about.md", "## Who it is for", '[the FDA](https://www.fda.gov/ "&lt;meta http-equiv=refresh '
                                   'content=0;url=https://evil.example/&gt;FDA")\n\n## Who it is for', "[the FDA]", "<a title="),
    "abbreviation-tooltip-script": ("docs/about.md", "## Who it is for", "*[FDA]: &lt;img src=x onerror=alert(1)&gt;\n\n## Who it is for",
                                    "*[FDA]", "<abbr title="),
    "refresh-after-unclosed-fence": ("docs/privacy.md", LINKS, f"{FENCE}\n{LINKS}\n\n<meta http-equiv=\"refresh\" content=\"8;url=https://evil.example/\">",
                                     "<meta http-equiv", "a <meta http-equiv> element"),
    "base-after-odd-fence": ("docs/privacy.md", LINKS, f"``` bad info!\n\n{LINKS}\n\n<base href=\"https://evil.example/\">", "<base", "a <base> element"),
    "iframe-after-indented-fence": ("docs/privacy.md", LINKS, f"    ```\n\n{LINKS}\n\n<iframe src=\"https://evil.example/\"></iframe>", "<iframe", "a <iframe> element"),
    "form-after-fence": ("docs/privacy.md", LINKS, f"{FENCE}\n{LINKS}\n\n<form action=\"https://evil.example/\"><input name=q></form>", "<form", "a <form>"),
    "style-after-fence": ("docs/privacy.md", LINKS, f"{FENCE}\n{LINKS}\n\n<style>body{{display:none}}</style>", "<style", "a <style> element"),
    "handler-over-two-lines": ("docs/privacy.md", LINKS, f"{LINKS}\n\n<img src=x\nonerror=\"new WebSocket('ws://127.0.0.1:9/')\">", "onerror", "<img onerror=...>: an event handler"),
    "handler-in-attribute-list": ("docs/privacy.md", "## Links to other sites {#links}", "## Links to other sites {#links onmouseover=alert(1)}",
                                  "onmouseover", "<h2 onmouseover=...>: an event handler"),
    "mention-after-fence": ("docs/privacy.md", LINKS, f"{FENCE}\n{LINKS}\n\nSome readers have thoughts of suicide.", "thoughts of suicide",
                            "mentions suicide or self-harm"),
    "mention-as-entity": ("docs/privacy.md", LINKS, f"{LINKS}\n\nSome readers have sui&#99;idal thoughts.", "sui&#99;idal", "mentions suicide or self-harm"),
    "mention-with-soft-hyphen": ("docs/privacy.md", LINKS, f"{LINKS}\n\nSome readers have sui\u00adcidal thoughts.", "sui\u00adcidal",
                                 "mentions suicide or self-harm"),
    "mention-in-other-words": ("docs/privacy.md", LINKS, f"{LINKS}\n\nSome readers want to kill myself, they say.", "kill myself", "mentions suicide or self-harm"),
    "mention-in-description": ("docs/privacy.md", "description: ", "description: For people with suicidal thoughts. ", "suicidal", "mentions suicide or self-harm"),
    # The theme reads its settings from the first #__config: the offline copy's worker shim wrote one of them into a page.
    "theme-settings-replaced": ("docs/privacy.md", LINKS, f'<div id="__config" hidden>{{"search": "x.js&gt;&lt;/script&gt;"}}</div>\n\n{LINKS}',
                                '<div id="__config"', 'id="__config" is given twice'),
    "tracker-image": ("docs/privacy.md", LINKS, f"{LINKS}\n\n![pixel](https://tracker.example/p.png)", "![pixel]", '<img src="https://tracker.example/p.png">: an image from another host'),
    "stylesheet-after-fence": ("docs/privacy.md", LINKS, f'{FENCE}\n{LINKS}\n\n<link rel="stylesheet" href="https://evil.example/x.css">',
                               "<link", "a <link> in the page's text"),
    # Not an attack, an editor's slip that the build let through and the HTML validator then refused.
    "skipped-heading-level": ("docs/privacy.md", LINKS, f"{LINKS}\n\n#### Too deep", "#### Too deep", "an <h4> after an <h2>"),
    # Round three (an attacker's review, 2026-12-07).
    "script-ended-early-after-fence": ("docs/privacy.md", LINKS, f'{FENCE}\n{LINKS}\n\n<script type="application/ld+json">{{"a": 1}}</script x>'
                                       '<img src="data:," alt="" onerror="alert(1)"></script>', "<script type", "a raw <script> element"),
    "print-address-from-content": ("docs/privacy.md", LINKS, f'{LINKS}\n\n[988](https://988lifeline.org/){{: data-print-href="https://988-help.example/"}}',
                                   "[988]", "a data-print-href= attribute"),
    "backslash-host": ("docs/privacy.md", LINKS, f'{LINKS}\n\n<a href="https:\\\\evil.example/x">this</a>', "evil.example",
                       '<a href="https:\\\\evil.example/x">: an address with a backslash'),
    "help-box-hand-written": ("docs/privacy.md", LINKS, f'{LINKS}\n\nThoughts of suic&#105;de.\n\n<section class="urgent-help"><p>Talk to your doctor.</p></section>',
                              '<section class="urgent-help">', "'urgent-help' is the site's own box"),
    "help-box-folded-away": ("docs/privacy.md", LINKS, f"{LINKS}\n\nThoughts of suicide.\n\n<details markdown><summary>Help</summary>\n\n--8<-- \"urgent-help.md\"\n\n</details>",
                             "Thoughts of suicide", "mentions suicide or self-harm"),
}


@pytest.mark.rebuild
@pytest.mark.xdist_group("test_hardening")  # shares this module's module-scoped fixture on one worker
@pytest.mark.parametrize("name", list(ROUND_TWO))
def test_an_attack_on_the_finished_html_stops_the_build_naming_its_source(tmp_path, site_dir, good, name):
    path, before, after, on_line, says = ROUND_TWO[name]
    project = copy_project(tmp_path)
    edit(project, path, before, after)
    page = path.removeprefix("docs/").removesuffix(".md") + "/index.html"
    where = f"{path}, line {line_of(project / path, on_line)}" if on_line else path
    target = tmp_path / "site"
    shutil.copytree(site_dir, target)
    started = time.monotonic()
    error = build_fails(project, target)
    # Stopped on the finished HTML, or (where the line checks see it) before MkDocs, at the same line.
    assert (error.startswith(HTML) and f"\n  {where} (built as {page}): {says}" in error) or error.startswith(f"{where}: "), error
    assert time.monotonic() - started < 30
    assert snapshot(target) == good, "the published folder changed"


def _hard_link(project: Path) -> None:
    os.link(project / "docs" / "privacy.md", project / "docs" / "copy.md")


FILES_REFUSED = {
    # name: (make the file in the project, what the message starts with)
    "html-page": (lambda p: (p / "docs/offer.html").write_text('<script src="offer.js"></script>'), "docs/offer.html: is a .html file"),
    "script-outside-assets": (lambda p: (p / "docs/offer.js").write_text("alert(1)"), "docs/offer.js: is a .js file"),
    "text-snippet": (lambda p: (p / "docs/_snippets/note.txt").write_text("<iframe src=x></iframe>"), "docs/_snippets/note.txt: is a .txt file"),
    "svg-with-script": (lambda p: (p / "docs/assets/images/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg">'
                                                                               '<s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script></svg>'),
                        "docs/assets/images/logo.svg, line 1: has a <s:script> element"),
    "pipe-named-md": (lambda p: os.mkfifo(p / "docs/wait.md"), "docs/wait.md: is not a file or a folder"),
    "hard-link": (_hard_link, "docs/copy.md: is a hard link"),
    "newline-in-a-name": (lambda p: (p / "docs/x\nRefresh: 0;url=https:evil.example.md").write_text("# x\n"), "'docs/x\\nRefresh"),
    "a-line-of-brackets": (lambda p: (p / "docs/privacy.md").write_text((p / "docs/privacy.md").read_text() + "[" * 100_000 + "\n"),
                           "docs/privacy.md, line"),
    "backticks": (lambda p: (p / "docs/privacy.md").write_text((p / "docs/privacy.md").read_text() + "x" + "`" * 20_000 + "\n"),
                  "docs/privacy.md, line"),
    "a-line-of-tags": (lambda p: (p / "docs/privacy.md").write_text((p / "docs/privacy.md").read_text() + "<a " * 170_000 + "\n"),
                       "docs/privacy.md, line"),
    "nested-lists": (lambda p: (p / "docs/privacy.md").write_text((p / "docs/privacy.md").read_text() + "".join("  " * i + "- x\n" for i in range(300))),
                     "docs/privacy.md, line"),
    "nested-divs": (lambda p: (p / "docs/privacy.md").write_text((p / "docs/privacy.md").read_text() + "<div markdown>\n\n" * 3000), "docs/privacy.md, line"),
    "copyright-base": (lambda p: edit(p, "mkdocs.yml", "site_name:", "copyright: '<base href=\"https://evil.example/\">'\nsite_name:"),
                       "mkdocs.yml: copyright: may not contain"),
    "description-refresh": (lambda p: edit(p, "mkdocs.yml", "site_description: ", "site_description: <meta http-equiv=refresh content=0;url=https://evil.example/> "),
                            "mkdocs.yml: site_description: may not contain"),
    "title-right-to-left": (lambda p: edit(p, "docs/privacy.md", "title: ", "title: \u202e"), "docs/privacy.md, line 2: title: contains an invisible character"),
}


@pytest.mark.rebuild
@pytest.mark.xdist_group("test_hardening")  # shares this module's module-scoped fixture on one worker
@pytest.mark.parametrize("name", list(FILES_REFUSED))
def test_a_file_the_site_may_not_publish_stops_the_build_at_once(tmp_path, site_dir, good, name):
    make_it, message = FILES_REFUSED[name]
    project = copy_project(tmp_path)
    make_it(project)
    target = tmp_path / "site"
    shutil.copytree(site_dir, target)
    started = time.monotonic()
    error = build_fails(project, target)
    assert error.startswith(message), error
    assert time.monotonic() - started < 30, "a time bomb must end within 30 s"
    assert snapshot(target) == good, "the published folder changed"


@pytest.mark.rebuild
@pytest.mark.xdist_group("test_hardening")  # shares this module's module-scoped fixture on one worker
@pytest.mark.parametrize(
    "link",
    [
        ("docs/secret.md", Path("/etc/passwd")),
        ("docs/assets/config.txt", ROOT / ".git" / "config"),
        ("data/env.yml", Path("/proc/self/environ")),
        ("overrides/partials/leak.html", Path("/etc/hostname")),
    ],
)
def test_a_symbolic_link_stops_the_build(tmp_path, site_dir, good, link):
    where, points_to = link
    project = copy_project(tmp_path)
    (project / where).symlink_to(points_to)
    target = tmp_path / "site"
    shutil.copytree(site_dir, target)
    error = build_fails(project, target)
    assert error.startswith(f"{where}: is a symbolic link (to {points_to})"), error
    assert snapshot(target) == good


@pytest.fixture(scope="module")
def inert_site(tmp_path_factory):
    """Text that looks like code, in every place text comes from, built as the site publishes it."""
    tmp = tmp_path_factory.mktemp("inert")
    project = copy_project(tmp)
    edit(project, "docs/uses.md", "description: What research", 'description: Say "hi" & <3 — What research')
    edit(project, "docs/uses.md", "title: What are", 'title: Uses & "quotes" <3 What are')
    # The site's own glossary definitions are free text: quotes and code-like words, in a tooltip's title.
    edit(project, "data/glossary.yml", "    definition: Used for a condition it is not FDA approved for, as ketamine sometimes is for depression.",
         """    definition: 'Used for x" onmouseover="alert(1)" data-x="y'""")
    edit(project, "references.bib", "  title   = {Antidepressant effects", "  title   = {<script>alert(1) Antidepressant effects")
    # What those pages say changed: on the record, as any change (the glossary's tooltip shows on most pages).
    record(project, [f"/{p.stem}/".replace("/index/", "/") for p in sorted((project / "docs").glob("*.md"))], "A test puts code-like text in every place.")
    out = tmp / "site"
    build_scored_again(project, out)
    with serve(out) as base:
        yield out, base


@pytest.mark.rebuild
@pytest.mark.xdist_group("test_hardening")  # shares this module's module-scoped fixture on one worker
def test_quotes_and_brackets_in_front_matter_stay_text(inert_site):
    out, _ = inert_site
    soup = BeautifulSoup((out / "uses/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one('meta[name="description"]')["content"] == 'Say "hi" & <3 — What research says about ketamine for depression, anxiety, PTSD and substance use disorders, how esketamine compares, how ketamine is given, and microdosing.'
    assert soup.title.get_text().startswith('Uses & "quotes" <3 What are')
    assert soup.select_one('meta[property="og:title"]')["content"].startswith('Uses & "quotes" <3')


@pytest.mark.rebuild
@pytest.mark.xdist_group("test_hardening")  # shares this module's module-scoped fixture on one worker
def test_code_looking_text_in_data_and_bibtex_is_shown_not_run(inert_site):
    out, _ = inert_site
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    abbr = home.find("abbr", string="off-label")
    assert abbr["title"].startswith('Used for x" onmouseover="alert(1)" data-x="y') and not abbr.has_attr("onmouseover")
    term = BeautifulSoup((out / "glossary/index.html").read_text(encoding="utf-8"), "html.parser").select_one("#term-off-label + dd")
    assert term.get_text().startswith('Used for x" onmouseover="alert(1)"') and not term.find(attrs={"onmouseover": True})
    references = BeautifulSoup((out / "references/index.html").read_text(encoding="utf-8"), "html.parser")
    entry = references.select_one("#ref-berman2000")
    assert "<script>alert(1) Antidepressant effects" in entry.get_text() and not entry.find("script")


@pytest.mark.xdist_group("test_hardening")  # shares this module's module-scoped fixture on one worker
@pytest.mark.browser
@pytest.mark.parametrize("url", ["uses/", "", "glossary/", "references/", "for-clinics/"])
def test_no_dialog_opens_on_the_inert_pages(inert_site, browser, url):
    _, base = inert_site
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + url)
    page.wait_for_load_state("networkidle")
    # Every element gets the events a reader's pointer and keyboard would send.
    page.evaluate("""() => document.querySelectorAll('article *').forEach(el => {
        for (const type of ['mouseover', 'mouseenter', 'focus'])
            el.dispatchEvent(new Event(type, {bubbles: true}));
    })""")
    page.wait_for_timeout(200)
    page.close()
    assert dialogs == []


@pytest.mark.build
def test_the_allow_list_names_only_the_themes_two_scripts(site_dir):
    bodies = {body for path in site_dir.rglob("*.html") for body in security.inline_scripts(path.read_text(encoding="utf-8"))}
    assert bodies and all(security.allowed_inline(body) for body in bodies)
    assert {next(n for n, p in security.ALLOWED_INLINE_SCRIPTS.items() if p.fullmatch(b)) for b in bodies} == set(security.ALLOWED_INLINE_SCRIPTS)
    assert not security.allowed_inline("alert(1)")
    scope = next(b for b in bodies if b.startswith("__md_scope"))
    changed = re.sub(r'new URL\("[^"]*"', 'new URL("javascript:alert(1)//"', scope)
    assert changed != scope and not security.allowed_inline(changed)
    assert not security.allowed_inline(scope + ";alert(1)")


@pytest.mark.unit
@pytest.mark.parametrize(
    "html, problem",
    [
        ('<a title="x onmouseover=alert(1)" href="../">x</a><p>onclick=alert(1)</p>', None),
        ('<p onclick="x()">a</p>', "<p onclick=...>: an inline event handler"),
        ('<a href=" JaVaScRiPt:x()">a</a>', "a javascript: URL"),
        ('<script src="https://cdn.example.com/x.js"></script>', "a script from another host"),
        ("<script>alert(1)</script>", "an inline script that is not on the allow-list: 'alert(1)'"),
    ],
)
def test_page_problems_read_real_markup_not_text(html, problem):
    page = security.harden_page(f'<html><head><meta charset="utf-8"></head><body>{html}</body></html>')
    found = security.page_problems(page)
    assert (found == []) if problem is None else any(problem in p for p in found), found


@pytest.mark.rebuild
def test_published_files_are_readable_whatever_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        build_site(copy_project(tmp_path), tmp_path / "site")
    finally:
        os.umask(old)
    modes = {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "site").rglob("*")}
    assert modes == {"0o644", "0o755"}, modes


@pytest.mark.rebuild
@pytest.mark.xdist_group("test_hardening")  # shares this module's module-scoped fixture on one worker
def test_make_build_refuses_a_script_and_keeps_the_published_site(tmp_path, site_dir, good):
    project = copy_project(tmp_path)
    shutil.copytree(site_dir, project / "site")
    edit(project, "docs/_snippets/urgent-help.md", "<p>If you or", f"{ALERT}\n<p>If you or")
    line = line_of(project / "docs/_snippets/urgent-help.md", ALERT)
    result = make(project, "build")
    assert result.returncode != 0 and f"docs/_snippets/urgent-help.md, line {line}: a raw <script> element" in result.stderr, result.stderr
    assert "untouched" in result.stderr and snapshot(project / "site") == good


# --- The offline copy, from disk ------------------------------------------------------------


@pytest.mark.browser
def test_every_link_in_the_offline_copy_works_from_disk(tmp_path, browser, dist_copy):
    project = dist_copy  # `make dist` on a copy, once for the run
    (zip_path,) = [p for p in (project / "dist").glob("*.zip") if not p.name.endswith("-pdf.zip")]
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(tmp_path / "unzipped")
    (folder,) = list((tmp_path / "unzipped").iterdir())
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None)
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    queue, seen, checked = [(folder / "index.html").as_uri()], set(), 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        page.goto(url)
        page.wait_for_load_state("load")
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            if not href.startswith("file:"):
                continue  # external sources and the site's public address: not part of the copy
            checked += 1
            file = Path(urllib.request.url2pathname(href.split("#")[0].removeprefix("file://")))
            assert file.is_file(), f"{url} links to {href}, which is not in the copy"
            assert file.resolve().is_relative_to(folder.resolve()), f"{url} links outside the copy: {href}"
            if file.suffix == ".html":
                queue.append(file.as_uri())
    page.close()
    assert len(seen) >= 16 and checked > 300, (len(seen), checked)
    assert (folder / "pdf" / "handout.pdf").is_file()
    assert outside == [] and failed == [], (outside, failed)


# --- The preview server -----------------------------------------------------------------


@pytest.mark.rebuild  # runs scripts/serve, which builds
def test_preview_answers_odd_addresses_refuses_a_busy_port_and_cleans_up(tmp_path):
    project = copy_project(tmp_path)
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "scripts/serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while "Serving on" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert list(tmp_path.glob("ketamine-preview-*")), "the preview folder is in TMPDIR while serving"
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/uses/%00", timeout=10)
        assert answer.value.code == 404
        # A missing page gets the site's own 404 page, as from `mkdocs serve` and the published site's servers.
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=10)
        (served,) = tmp_path.glob("ketamine-preview-*/site")
        assert missing.value.code == 404 and missing.value.read() == (served / "404.html").read_bytes()
        # The preview keeps the build's policy: its live-reload script is a file of its own origin.
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/uses/", timeout=10).read().decode()
        assert '<meta http-equiv="Content-Security-Policy"' in page
        reload = re.search(r'<script src="(/\.preview/livereload\.js\?[^"]+)"></script>', page)
        assert reload and "'unsafe-inline'" not in page
        script = urllib.request.urlopen(f"http://127.0.0.1:{port}{reload[1].replace('&amp;', '&')}", timeout=10)
        assert script.headers["Content-Type"] == "application/javascript" and b"livereload" in script.read()
        head = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/uses/", method="HEAD"), timeout=10)
        assert head.status == 200 and head.read() == b""
        busy = subprocess.run([sys.executable, "scripts/serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, capture_output=True, text=True, env=env, timeout=60)
        assert busy.returncode == 1 and f"127.0.0.1:{port} is already in use" in busy.stderr + busy.stdout
        assert "Traceback" not in busy.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert "Traceback" not in log.read_text(), log.read_text()[-2000:]
    assert not list(tmp_path.glob("ketamine-preview-*")), "SIGTERM left the preview folder behind"


@pytest.mark.pdf
def test_the_printing_browser_reaches_nothing_but_the_site_and_gives_up_on_a_page_that_hangs(tmp_path, monkeypatch):
    """Fenced in even if a page with script got past the HTML check: its scripts do not run, so what a
    PDF says is what the checked page says, and a local listener hears nothing."""
    from pipeline import pdfprint
    from pipeline.report import BuildFailed, Report

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1)
    port = listener.getsockname()[1]
    staging = tmp_path / "site"
    for name, body in {
        "calls": f"<p>Text</p><img src='http://127.0.0.1:{port}/img'><link rel=stylesheet href='//127.0.0.1:{port}/css'>"
                 f"<script>new WebSocket('ws://127.0.0.1:{port}/'); fetch('http://127.0.0.1:{port}/f').catch(() => 0);"
                 f"navigator.sendBeacon('http://127.0.0.1:{port}/b'); new EventSource('http://127.0.0.1:{port}/e');</script>",
        "runs": "<p>Text</p><img src=x alt='' onerror=\"document.body.append('HANDLER RAN')\"><script>document.body.append('SCRIPT RAN')</script>",
        "hangs": "<p>Text</p><script>while (true) {}</script>",
    }.items():
        (staging / name).mkdir(parents=True)
        (staging / name / "index.html").write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    site = "https://site.example/"

    def print_page(name: str) -> None:
        (staging / "pdf").mkdir(exist_ok=True)
        job = pdfprint.PrintJob(pdfprint.PdfTarget(f"{name}/", f"{name}/index.html", f"{name}.pdf", "letter", 0), tmp_path / f"{name}.pdf")
        pdfprint.print_jobs(staging, site, [job], Report())

    print_page("calls")
    assert (staging / "pdf" / "calls.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(socket.timeout):
        listener.accept()
    print_page("runs")
    printed = subprocess.run(["pdftotext", str(staging / "pdf" / "runs.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Text" in printed and "RAN" not in printed, printed
    # The page's own script cannot hang the printer now; an answer that never comes still can.
    answer = pdfprint._from_staging
    monkeypatch.setattr(pdfprint, "_from_staging", lambda staging, site_url, route: None if "/hangs/" in route.request.url
                        else answer(staging, site_url, route))
    monkeypatch.setattr(pdfprint, "PAGE_SECONDS", 3)
    started = time.monotonic()
    with pytest.raises(BuildFailed, match=r"^printing hangs\.pdf from /hangs/: .*\(each page has 3 s\)"):
        print_page("hangs")
    assert time.monotonic() - started < 30


@pytest.mark.rebuild
def test_snippets_come_from_the_project_whatever_folder_the_build_runs_in(tmp_path, monkeypatch):
    """pymdownx.snippets reads the folders mkdocs.yml names from the working directory: a build run
    elsewhere must still include the project's own snippets, never the ones found there."""
    decoy = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "docs", decoy / "docs", ignore=shutil.ignore_patterns("assets"))
    box = decoy / "docs" / "_snippets" / "urgent-help.md"
    box.write_text(box.read_text(encoding="utf-8").replace("988lifeline.org", "evil.example"), encoding="utf-8")
    monkeypatch.chdir(decoy)
    out = tmp_path / "out"
    build_site(ROOT, out, preview=True)
    page = (out / "get-help" / "index.html").read_text(encoding="utf-8")
    assert "988lifeline.org" in page and "evil.example" not in page
