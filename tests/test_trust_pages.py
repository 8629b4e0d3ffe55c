"""About, Privacy, Accessibility and Record of changes: content, contact line, git history, footer."""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_fails, build_site, copy_project
from sitegen import changes, contact
from sitegen.errors import SiteDataError
from sitegen.markup import inert

ABOUT_PAGES = [
    ("about.md", "about/", "About this site"),
    ("privacy.md", "privacy/", "Privacy"),
    ("accessibility.md", "accessibility/", "Accessibility"),
    ("changes.md", "changes/", "Record of changes"),
]

KEY_STATEMENTS = {
    "about/": [
        "It does not replace your healthcare professional",
        "made from one source article",
        "its sources are listed in full on the References page",
        "No author is named on this site, and no doctor or other clinician has reviewed its pages",
        "Last updated",
        "Next review due",
        "no advertising and no sponsors, and it sells nothing",
    ],
    "privacy/": [
        "It sets no cookies.",
        "It runs no analytics",
        "It loads nothing from other sites.",
        "It asks nothing of you.",
        "the IP address of your device or network",
        "up to whoever hosts the copy of the site you are reading",
    ],
    "accessibility/": [
        "(WCAG) version 2.2 at level AA",
        "axe-core accessibility checks on every page, at phone and desktop widths",
        "Nu Html Checker",
        "keyboard tests",
        "320 pixels wide",
        "print tests",
        "not written at a plain-language reading age",
        "the PDF is a companion to the web page",
        "not yet been tested with people who use assistive technology",
    ],
    "changes/": ["newest first", "made automatically from the site's version history"],
}

NO_ADDRESS = "This copy of the site does not list a contact address."
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "Test Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def _soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def _text(soup: BeautifulSoup, selector: str = "article") -> str:
    # Spaces join the text of separate elements; none belongs before punctuation.
    text = re.sub(r"\s+", " ", soup.select_one(selector).get_text(" ", strip=True))
    return re.sub(r" ([.,:;)])", r"\1", text)


def _git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, **GIT_ENV, "GIT_CEILING_DIRECTORIES": str(repo.parent)}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, encoding="utf-8", env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _commit(repo: Path, subject: str, date: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", subject, date=date)


def _outside_git(tmp_path: Path, monkeypatch) -> None:
    # The temporary copy must not be mistaken for part of some enclosing repository.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


# --- Pure functions ------------------------------------------------------------------------


def test_inert_text_shows_the_same_characters_but_no_markup():
    subject = 'Fix <b>bold</b> *claims* & [@berman2000] `code` <!-- insert: table side-effects --> "quotes" café'
    out = inert(subject)
    assert html.unescape(out) == subject
    assert not re.search(r"[<>*\[\]`\"]", out)
    assert "café" in out


@pytest.mark.parametrize("value, expected", [(None, ""), ("", ""), ("  errors@clinic.example.net ", "errors@clinic.example.net")])
def test_contact_email_setting_is_optional(value, expected):
    assert contact.check_email(value) == expected


@pytest.mark.parametrize("value", ["not an address", "a@b", "x@example.org<script>", 'x"@example.org', ["x@example.org"]])
def test_malformed_contact_email_is_named(value):
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml: extra.contact_email: "):
        contact.check_email(value)


def test_contact_line_with_and_without_an_address():
    with_address = contact.render_contact("error", "errors@clinic.example.net")
    assert '<a href="mailto:errors@clinic.example.net">' in with_address and with_address.startswith("<p>")
    assert NO_ADDRESS not in with_address
    without = contact.render_contact("accessibility", "")
    assert without.startswith("<p>" + NO_ADDRESS) and "mailto:" not in without and "@" not in without
    assert set(contact.TOPICS) == {"error", "accessibility"}


@pytest.fixture
def history(tmp_path) -> Path:
    """A small repository: content commits, commits that touch no content, one out-of-order date."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _commit(repo, "Add the first pages", "2026-01-05T10:00:00+00:00", {"docs/index.md": "# Home\n", "docs/uses.md": "# Uses\n", "README.md": "x\n"})
    _commit(repo, "Tidy the readme", "2026-01-06T10:00:00+00:00", {"README.md": "y\n"})
    _commit(repo, "Restyle the <b>header</b>", "2026-01-07T10:00:00+00:00", {"docs/assets/stylesheets/site.css": "a{}\n"})
    _commit(repo, "Update the table *data* & [@berman2000] sources", "2026-01-09T09:00:00-05:00", {"data/side-effects.yml": "rows: []\n", "references.bib": "@misc{x}\n"})
    # Committed after the next one in history but dated earlier: the record goes by date.
    _commit(repo, "Fix a typo on the uses page", "2026-01-08T10:00:00+00:00", {"docs/uses.md": "# Uses!\n"})
    _commit(repo, "Add a test script", "2026-01-10T10:00:00+00:00", {"scripts/x.py": "pass\n"})
    return repo


def test_git_log_is_parsed_newest_first_and_only_content(history):
    commits = changes.parse_log(_git(history, *changes.LOG_ARGS))
    assert [c.subject for c in commits] == [
        "Update the table *data* & [@berman2000] sources",
        "Fix a typo on the uses page",
        "Add the first pages",
    ]
    assert commits[0].paths == ("data/side-effects.yml", "references.bib")
    assert commits[0].when.date().isoformat() == "2026-01-09"  # the committer's own date, not UTC's
    assert commits[2].paths == ("docs/index.md", "docs/uses.md")
    assert _git(history, "rev-parse", "HEAD").strip() not in {c.sha for c in commits}


def test_rendered_record_links_pages_and_escapes_subjects(history):
    pages = {"docs/index.md": ("Home", "../"), "docs/uses.md": ("What they are used for", "../uses/"), "references.bib": ("References", "../references/")}
    out = changes.render_changes(changes.history_from_git("false\n", _git(history, *changes.LOG_ARGS)), pages)
    soup = BeautifulSoup(out, "html.parser")
    entries = soup.select("ol.changes > li")
    assert [e.select_one("time")["datetime"] for e in entries] == ["2026-01-09", "2026-01-08", "2026-01-05"]
    assert entries[0].select_one("time").get_text() == "January 9, 2026"
    assert entries[0].select_one(".change__subject").get_text() == "Update the table *data* & [@berman2000] sources"
    assert "<b>" not in out and "[@" not in out and "*data*" not in out
    assert [(a.get_text(), a["href"]) for a in entries[0].select("a")] == [("References", "../references/")]
    assert entries[0].select_one("code").get_text() == "data/side-effects.yml"
    assert [a["href"] for a in entries[2].select("a")] == ["../", "../uses/"]
    assert "\n\n" not in out  # one raw-HTML block for Markdown


def test_record_is_the_same_for_the_same_commit(history):
    log = _git(history, *changes.LOG_ARGS)
    assert changes.history_from_git("false\n", log) == changes.history_from_git("false\n", _git(history, *changes.LOG_ARGS))


def test_equal_dates_keep_git_order():
    record = "\x1e{sha}\x1f2026-01-01T00:00:00+00:00\x1f{subject}\0\ndocs/a.md\0"
    log = record.format(sha="a" * 40, subject="Second") + record.format(sha="b" * 40, subject="First")
    assert [c.subject for c in changes.parse_log(log)] == ["Second", "First"]


def test_notes_instead_of_a_record():
    assert changes.SHALLOW_NOTE in changes.render_changes(changes.history_from_git("true\n", None), {})
    assert changes.NO_HISTORY_NOTE in changes.render_changes(changes.history_from_git(None, None), {})
    assert changes.EMPTY_NOTE in changes.render_changes(changes.history_from_git("false\n", ""), {})


def test_garbled_git_output_is_an_error():
    with pytest.raises(SiteDataError, match=r"^git log: commit record 1 is not in the expected format"):
        changes.parse_log("\x1e" + "a" * 40 + "\x1fyesterday\x1fSubject\0docs/a.md\0")


# --- The built site ------------------------------------------------------------------------


@pytest.mark.parametrize("src, url, title", ABOUT_PAGES)
def test_page_builds_with_its_key_statements(site_dir, src, url, title):
    soup = _soup(site_dir, url)
    assert soup.h1.get_text(strip=True).replace("¶", "") == title
    assert soup.select_one('meta[name="description"]')["content"]
    text = _text(soup)
    for statement in KEY_STATEMENTS[url]:
        assert statement in text, f"{url}: missing {statement!r}"
    furniture = _text(soup, ".page-furniture")
    assert "does not replace advice from a healthcare professional" in furniture
    assert re.search(r"Last updated: \w+ \d{1,2}, \d{4} · Next review due: \w+ \d{1,2}, \d{4}", furniture)


@pytest.mark.parametrize("src, url, title", ABOUT_PAGES)
def test_every_heading_has_an_explicit_id(src, url, title):
    headings = re.findall(r"^#{2,3} .*$", (ROOT / "docs" / src).read_text(encoding="utf-8"), re.M)
    assert headings and all(re.search(r"\{#[a-z0-9-]+\}$", h) for h in headings), headings


def test_about_links_to_references_and_changes(site_dir):
    hrefs = {a["href"] for a in _soup(site_dir, "about/").select("article a")}
    assert {"../references/", "../changes/", "../privacy/"} <= hrefs


def test_about_pages_come_after_the_health_topics_in_their_own_section(site_dir):
    nav = _soup(site_dir, "").select_one("nav.md-nav--primary > ul")
    items = nav.find_all("li", recursive=False)
    section = items[-1]
    assert section.select_one("label, span, a").get_text(" ", strip=True).startswith("About this site")
    assert [a["href"] for a in section.select("li > a.md-nav__link")] == [url for _, url, _ in ABOUT_PAGES]
    assert "references/" in [item.select_one("a")["href"] for item in items[:-1]]


def test_previous_and_next_stay_within_the_about_section(site_dir):
    last_topic = _soup(site_dir, "").select("nav.md-nav--primary > ul > li")[-2].select_one("a")["href"]
    assert _soup(site_dir, last_topic).select_one("a.md-footer__link--next") is None
    assert _soup(site_dir, "about/").select_one("a.md-footer__link--prev") is None
    assert _soup(site_dir, "about/").select_one("a.md-footer__link--next")["href"] == "../privacy/"
    assert _soup(site_dir, "changes/").select_one("a.md-footer__link--prev")["href"] == "../accessibility/"


def test_about_pages_are_reachable_from_every_page_footer(site_dir):
    html_pages = sorted(site_dir.rglob("*.html"))
    assert len(html_pages) >= 13
    for path in html_pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        footer = soup.select_one('footer nav.site-footer')
        assert footer, f"{path.relative_to(site_dir)}: no About links in the footer"
        links = {a.get_text(strip=True): a["href"] for a in footer.select("ul a")}
        assert list(links) == [title for _, _, title in ABOUT_PAGES], path
        for href, (_, url, _) in zip(links.values(), ABOUT_PAGES):
            target = (path.parent / href).resolve()
            if path.name == "404.html":  # served at any depth, so material gives it root-relative links
                target = (site_dir / href.lstrip("/")).resolve()
            assert target == (site_dir / url).resolve() and (target / "index.html").is_file(), f"{path}: {href}"
        assert "Made with" not in footer.get_text()
        # A landmark's name must not repeat another's (the sidebar's "About this site" section is a nav too).
        names = []
        for nav in soup.select("nav"):
            labelled_by = nav.get("aria-labelledby") and soup.find(id=nav["aria-labelledby"])
            names.append(nav.get("aria-label") or (labelled_by.get_text(" ", strip=True) if labelled_by else None))
        assert names.count(footer["aria-label"]) == 1, (path, names)


def test_no_contact_address_by_default(site_dir):
    for url in ("about/", "accessibility/"):
        article = _soup(site_dir, url).select_one("article")
        assert NO_ADDRESS in article.get_text(" ", strip=True)
        assert not article.select('a[href^="mailto:"]')


def test_contact_line_appears_when_configured(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert 'contact_email: ""' in text
    config.write_text(text.replace('contact_email: ""', 'contact_email: "errors@clinic.example.net"'), encoding="utf-8")
    out = tmp_path / "out"
    _outside_git(tmp_path, monkeypatch)
    build_site(project, out)
    for url in ("about/", "accessibility/"):
        article = _soup(out, url).select_one("article")
        links = article.select('a[href="mailto:errors@clinic.example.net"]')
        assert [a.get_text() for a in links] == ["errors@clinic.example.net"], url
        assert NO_ADDRESS not in article.get_text(" ", strip=True)


def test_malformed_contact_address_stops_the_build(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('contact_email: ""', 'contact_email: "write to us"'), encoding="utf-8")
    _outside_git(tmp_path, monkeypatch)
    assert "mkdocs.yml: extra.contact_email: 'write to us' is not a plain email address" in build_fails(project, tmp_path / "out")


@pytest.fixture
def project_repo(tmp_path) -> Path:
    """A copy of the project as a git repository whose newest commit touches no content."""
    project = copy_project(tmp_path)
    _git(project, "init", "-q")
    _commit(project, "Start the site", "2026-02-01T09:00:00+00:00", {})
    uses = project / "docs/uses.md"
    _commit(project, "Clarify the <em>uses</em> page", "2026-02-10T15:30:00+00:00", {"docs/uses.md": uses.read_text(encoding="utf-8") + "\n"})
    _commit(project, "Speed up the build", "2026-02-12T08:00:00+00:00", {"Makefile": (project / "Makefile").read_text(encoding="utf-8") + "\n"})
    return project


def test_changes_page_lists_the_latest_content_commit(project_repo, tmp_path):
    out = tmp_path / "out"
    build_site(project_repo, out)
    entries = _soup(out, "changes/").select("ol.changes > li")
    assert [e.select_one(".change__subject").get_text() for e in entries] == ["Clarify the <em>uses</em> page", "Start the site"]
    assert entries[0].select_one("time")["datetime"] == "2026-02-10"
    assert entries[0].select_one("time").get_text() == "February 10, 2026"
    assert [(a.get_text(), a["href"]) for a in entries[0].select("a")] == [("What they are used for", "../uses/")]
    assert "Speed up the build" not in _text(_soup(out, "changes/"))
    # Deterministic: a second build of the same commit gives the same record.
    again = tmp_path / "again"
    build_site(project_repo, again)
    assert str(_soup(again, "changes/").select_one("ol.changes")) == str(_soup(out, "changes/").select_one("ol.changes"))


def test_shallow_clone_builds_with_a_note(project_repo, tmp_path):
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{project_repo}", str(clone))
    assert _git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    out = tmp_path / "out"
    build_site(clone, out)
    soup = _soup(out, "changes/")
    assert "This copy of the site was built without its full history" in _text(soup)
    assert not soup.select("ol.changes")


@pytest.mark.parametrize("no_git_program", [False, True], ids=["no-history", "no-git-program"])
def test_copy_without_git_builds_with_a_note(tmp_path, monkeypatch, no_git_program):
    project = copy_project(tmp_path)
    out = tmp_path / "out"
    _outside_git(tmp_path, monkeypatch)
    if no_git_program:
        real_run = subprocess.run

        def no_git(args, *rest, **kwargs):
            if args and args[0] == "git":
                raise FileNotFoundError("git")
            return real_run(args, *rest, **kwargs)

        monkeypatch.setattr(subprocess, "run", no_git)
    build_site(project, out)
    soup = _soup(out, "changes/")
    assert "built from files without their version history" in _text(soup)
    assert not soup.select("ol.changes")


# --- In the browser ------------------------------------------------------------------------

# Contrast of each footer text element against the colour actually painted behind it:
# the element's and its ancestors' backgrounds, alpha-blended over white.
CONTRAST_JS = """
(selector) => {
  const rgba = (s) => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const lum = (c) => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  return [...document.querySelectorAll(selector)].map(el => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) layers.push(rgba(getComputedStyle(n).backgroundColor));
    let bg = [255, 255, 255, 1];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    const fg = over(rgba(getComputedStyle(el).color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return {text: el.textContent.trim(), ratio: (a + 0.05) / (b + 0.05)};
  });
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
def test_footer_links_are_visible_readable_and_reachable_by_keyboard(browser, server, screenshots, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for _, url, title in [("index.md", "", "Home")] + ABOUT_PAGES:
            page.goto(server + url)
            links = page.locator('footer nav.site-footer ul a')
            assert links.count() == len(ABOUT_PAGES)
            for i in range(links.count()):
                box = links.nth(i).bounding_box()
                assert links.nth(i).is_visible() and box["height"] >= 24 and box["x"] + box["width"] <= width, (url, i, box)
            for item in page.evaluate(CONTRAST_JS, ".site-footer a, .site-footer__small"):
                assert item["ratio"] >= 4.5, (url, item)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            slug = url.strip("/") or "home"
            page.screenshot(path=screenshots / f"about-{slug}-{width}.png", full_page=True)
        # Tab from the top of the page reaches the footer's About link.
        page.goto(server)
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('.site-footer') !== null"):
                break
        else:
            pytest.fail("the footer links cannot be reached with the Tab key")
        assert page.evaluate("document.activeElement.textContent.trim()") == "About this site"
        page.keyboard.press("Enter")
        page.wait_for_url(server + "about/")
    finally:
        context.close()
