"""About, Privacy, Accessibility and Record of changes: content, contact line, git history, footer."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import ROOT, build_fails, build_site, copy_project, line_of, soup_of
from sweep import CONTRAST
from sitegen import changes, contact, datafile, public_urls
from sitegen.errors import SiteDataError
from sitegen.markup import inert

ABOUT_SECTION = "About this site"
# The menu's About section, as mkdocs.yml lists it: (file, URL, the page's title), so a page an editor
# moves or renames (the README's checklist) is followed, not pinned.
_NAV = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
ABOUT_PAGES = [
    (src, src.removesuffix(".md") + "/", yaml.safe_load((ROOT / "docs" / src).read_text(encoding="utf-8").split("---\n")[1])["title"])
    for entry in _NAV for label, items in entry.items() if label == ABOUT_SECTION for item in items for src in item.values()
]
# Each page's address now, for the addresses as first recorded (data/public-urls.yml, moved:).
NOW = public_urls.page_redirects(public_urls.load_public_urls(ROOT / "data/public-urls.yml"))


def _url_now(url: str) -> str:
    return NOW.get("/" + url, "/" + url).lstrip("/")


# What each page must say, by the address it was first published at.
KEY_STATEMENTS = {
    "about/": [
        "It does not replace your healthcare professional",
        "made from one source article",
        "except where the Record of changes says otherwise",
        "The site adds no medical information from memory",
        "Its sources are listed in full on the References page",
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
    "changes/": ["newest first", "Where the site says something other than its source article", "Changes only to the site's look or code are not listed"],
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


@pytest.mark.unit
def test_inert_text_shows_the_same_characters_but_no_markup():
    subject = 'Fix <b>bold</b> *claims* & [@berman2000] `code` <!-- insert: table side-effects --> "quotes" café'
    out = inert(subject)
    assert html.unescape(out) == subject
    assert not re.search(r"[<>*\[\]`\"]", out)
    assert "café" in out


@pytest.mark.unit
@pytest.mark.parametrize("value, expected", [(None, ""), ("", ""), ("  errors@clinic.example.net ", "errors@clinic.example.net")])
def test_contact_email_setting_is_optional(value, expected):
    assert contact.check_email(value) == expected


@pytest.mark.unit
@pytest.mark.parametrize("value", ["not an address", "a@b", "x@example.org<script>", 'x"@example.org', ["x@example.org"]])
def test_malformed_contact_email_is_named(value):
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml: extra.contact_email: "):
        contact.check_email(value)


@pytest.mark.unit
def test_contact_line_with_and_without_an_address():
    with_address = contact.render_contact("error", "errors@clinic.example.net")
    assert '<a href="mailto:errors@clinic.example.net">' in with_address and with_address.startswith("<p data-copy-setting>")
    assert NO_ADDRESS not in with_address
    without = contact.render_contact("accessibility", "")
    assert without.startswith("<p data-copy-setting>" + NO_ADDRESS) and "mailto:" not in without and "@" not in without
    assert set(contact.TOPICS) == {"error", "accessibility"}


RECORD = """changes:
  - date: 2026-03-01
    pages: [/uses/, /references/]
    what: A reworded *sentence* & [@berman2000] for a test, 1 < 2.
    why: The newer label says so.
    edits:
      - replace: "may be"
        with: "can be"
    sources: [berman2000]
    retire: [an2021]
  - date: 2026-02-01
    pages: [/]
    what: We fixed a typo.
    edits:
      - replace: "teh"
        with: "the"
    typo: true
    why: It was a typing error.
"""


def _record(text=RECORD):
    return changes.validate(datafile.load_text(text, "data/changes.yml"))


@pytest.mark.unit
def test_the_record_is_read_newest_first_with_its_edits():
    record = _record()
    assert [c.date.isoformat() for c in record] == ["2026-03-01", "2026-02-01"]
    assert record[0].pages == ("/uses/", "/references/") and record[0].retire == ("an2021",)
    assert [(e.replace, e.with_) for e in changes.edits(record)] == [("teh", "the"), ("may be", "can be")]  # oldest first
    assert record[1].typo and record[0].where == "data/changes.yml, line 2"


class _Source:
    html = "An, D., et al. (2021). <cite>A review</cite>."


@pytest.mark.unit
def test_the_rendered_record_links_pages_and_shows_what_the_article_said():
    pages = {"/uses/": ("What they are used for", "../uses/"), "/": ("Home", "../")}
    out = changes.render(_record(), pages, {"an2021": _Source()})
    soup = BeautifulSoup(out, "html.parser")
    entries = soup.select("ol.changes > li")
    assert [e.select_one("time")["datetime"] for e in entries] == ["2026-03-01", "2026-02-01"]
    assert entries[0].select_one("time").get_text() == "March 1, 2026"
    assert entries[0].select_one(".change__what").get_text() == "A reworded *sentence* & [@berman2000] for a test, 1 < 2."
    assert "&amp; [@berman2000] for a test, 1 &lt; 2." in out
    assert [q.get_text() for q in entries[0].select(".change__edit q")] == ["may be", "can be"]
    assert "A source is no longer cited: An, D., et al. (2021)" in entries[0].get_text()
    assert entries[0].select_one(".change__why").get_text() == "Why: The newer label says so."
    assert [(a.get_text(), a["href"]) for a in entries[0].select(".change__pages a")] == [("What they are used for", "../uses/")]
    assert changes.render((), {}, {}) == '<p class="changes-note">No changes have been recorded yet.</p>'


@pytest.mark.unit
@pytest.mark.parametrize(
    "old, new, problem",
    [
        ("date: 2026-02-01", "date: 2026-02-30", "line 11: changes[1].date: '2026-02-30' is not a real date (day is out of range for month)"),
        ("date: 2026-02-01", "date: 2026-04-01", "line 11: changes[1].date: 2026-04-01 is newer than the entry above it (2026-03-01): keep the newest first"),
        ("    why: The newer label says so.\n", "", "line 2: changes[0]: changes the article's words or the reference list, so it needs 'why'"),
        ("    sources: [berman2000]\n", "", "line 2: changes[0]: puts new words in the article's place: list the citation keys behind them under 'sources'"),
        ("    typo: true\n", "", "line 11: changes[1]: puts new words in the article's place"),
        ("    retire: [an2021]\n", "    retire: an2021\n", "line 10: changes[0].retire: must be a list of citation keys, like [berman2000]"),
        ("    what: We fixed a typo.\n", "", "line 11: changes[1]: missing field 'what'"),
        ("    typo: true\n", "    typo: yes please\n", "line 17: changes[1].typo: must be true or false"),
        ("    what: We fixed a typo.\n", "    what: We fixed a <b>typo</b>.\n", "line 13: changes[1].what: contains HTML ('<b>typo</b>.'...): write plain text"),
    ],
)
def test_a_malformed_record_is_named_with_its_line(old, new, problem):
    assert old in RECORD
    with pytest.raises(SiteDataError) as caught:
        _record(RECORD.replace(old, new, 1))
    assert str(caught.value).startswith("data/changes.yml, ") and problem in str(caught.value), str(caught.value)


@pytest.mark.unit
def test_page_dates_must_match_the_record():
    record = _record()
    pages = {"/uses/": changes.Dated("docs/uses.md", 4, dt.date(2026, 3, 1)), "/": changes.Dated("docs/index.md", 4, dt.date(2026, 2, 1)),
             "/references/": changes.Dated("docs/references.md", 4, dt.date(2026, 3, 1))}
    changes.check_dates(record, pages, {})
    with pytest.raises(SiteDataError, match=r"^docs/index.md, line 4: last_updated is 2026-02-02, but data/changes.yml has no entry for / on that date: add one at the top"):
        changes.check_dates(record, {**pages, "/": changes.Dated("docs/index.md", 4, dt.date(2026, 2, 2))}, {})
    with pytest.raises(SiteDataError, match=r"^data/changes.yml, line 2: records a change to /uses/ on 2026-03-01, after its last_updated \(2026-02-01\): in docs/uses.md, line 4, write `last_updated: 2026-03-01`$"):
        changes.check_dates(record, {**pages, "/uses/": changes.Dated("docs/uses.md", 4, dt.date(2026, 2, 1))}, {})
    with pytest.raises(SiteDataError, match=r"pages: /uses/ is not a page of the site; if it moved, add `/uses/: /new-address/`"):
        changes.check_dates(record, {k: v for k, v in pages.items() if k != "/uses/"}, {})
    moved = {"/uses/": "/what-they-are-used-for/"}  # an entry keeps the address the page had then
    changes.check_dates(record, {**{k: v for k, v in pages.items() if k != "/uses/"}, "/what-they-are-used-for/": pages["/uses/"]}, moved)


# --- The built site ------------------------------------------------------------------------


@pytest.mark.build
@pytest.mark.parametrize("src, url, title", ABOUT_PAGES)
def test_page_builds_with_its_key_statements(site_dir, src, url, title):
    soup = soup_of(site_dir, url)
    assert soup.h1.get_text(strip=True).replace("¶", "") == title
    assert soup.select_one('meta[name="description"]')["content"]
    text = _text(soup)
    for statement in next(said for first, said in KEY_STATEMENTS.items() if _url_now(first) == url):
        assert statement in text, f"{url}: missing {statement!r}"
    furniture = _text(soup, ".page-furniture")
    assert "does not replace advice from a healthcare professional" in furniture
    assert re.search(r"Last updated: \w+ \d{1,2}, \d{4} · Next review due: \w+ \d{1,2}, \d{4}", furniture)


@pytest.mark.unit
@pytest.mark.parametrize("src, url, title", ABOUT_PAGES)
def test_every_heading_has_an_explicit_id(src, url, title):
    headings = re.findall(r"^#{2,3} .*$", (ROOT / "docs" / src).read_text(encoding="utf-8"), re.M)
    assert headings and all(re.search(r"\{#[a-z0-9-]+\}$", h) for h in headings), headings


@pytest.mark.build
def test_about_links_to_references_and_changes(site_dir):
    hrefs = {a["href"] for a in soup_of(site_dir, "about/").select("article a")}
    assert {f"../{_url_now(url)}" for url in ("references/", "changes/", "privacy/")} <= hrefs


@pytest.mark.build
def test_about_pages_come_after_the_health_topics_in_their_own_section(site_dir):
    nav = soup_of(site_dir, "").select_one("nav.md-nav--primary > ul")
    items = nav.find_all("li", recursive=False)
    section = items[-1]
    assert section.select_one("label, span, a").get_text(" ", strip=True).startswith(ABOUT_SECTION)
    assert [a["href"] for a in section.select("li > a.md-nav__link")] == [url for _, url, _ in ABOUT_PAGES]
    assert "references/" in [item.select_one("a")["href"] for item in items[:-1]]


@pytest.mark.build
def test_previous_and_next_stay_within_the_about_section(site_dir):
    last_topic = soup_of(site_dir, "").select("nav.md-nav--primary > ul > li")[-2].select_one("a")["href"]
    assert soup_of(site_dir, last_topic).select_one("a.md-footer__link--next") is None
    first, second, *_, before_last, last = [url for _, url, _ in ABOUT_PAGES]
    assert soup_of(site_dir, first).select_one("a.md-footer__link--prev") is None
    assert soup_of(site_dir, first).select_one("a.md-footer__link--next")["href"] == f"../{second}"
    assert soup_of(site_dir, last).select_one("a.md-footer__link--prev")["href"] == f"../{before_last}"


@pytest.mark.build
def test_about_pages_are_reachable_from_every_page_footer(site_dir):
    html_pages = sorted(site_dir.rglob("*.html"))
    assert len(html_pages) >= 13
    for path in html_pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one('meta[http-equiv="refresh"]'):
            continue  # a moved page's old address: it only leads to the new one
        footer = soup.select_one('footer nav.site-footer')
        assert footer, f"{path.relative_to(site_dir)}: no About links in the footer"
        links = {a.get_text(strip=True): a["href"] for a in footer.select("ul a")}
        # The menu's other pages, then the About pages (tests/test_identity.py).
        assert list(links)[-len(ABOUT_PAGES):] == [title for _, _, title in ABOUT_PAGES], path
        for href, (_, url, _) in zip(list(links.values())[-len(ABOUT_PAGES):], ABOUT_PAGES):
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


@pytest.mark.build
def test_no_contact_address_by_default(site_dir):
    for url in ("about/", "accessibility/"):
        article = soup_of(site_dir, url).select_one("article")
        assert NO_ADDRESS in article.get_text(" ", strip=True)
        assert not article.select('a[href^="mailto:"]')


@pytest.mark.rebuild
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
        article = soup_of(out, url).select_one("article")
        links = article.select('a[href="mailto:errors@clinic.example.net"]')
        assert [a.get_text() for a in links] == ["errors@clinic.example.net"], url
        assert NO_ADDRESS not in article.get_text(" ", strip=True)


@pytest.mark.rebuild
def test_malformed_contact_address_stops_the_build(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('contact_email: ""', 'contact_email: "write to us"'), encoding="utf-8")
    _outside_git(tmp_path, monkeypatch)
    assert "mkdocs.yml: extra.contact_email: 'write to us' is not a plain email address" in build_fails(project, tmp_path / "out")


@pytest.mark.build
def test_changes_page_shows_the_record_and_the_article_it_differs_from(site_dir):
    soup = soup_of(site_dir, "changes/")
    entries = soup.select("ol.changes > li")
    record = changes.load_record(ROOT / "data/changes.yml")
    assert len(entries) == len(record) > 0
    assert [e.select_one("time")["datetime"] for e in entries] == [c.date.isoformat() for c in record]
    assert "An, D., et al. (2021)" in soup.select_one("ol.changes").get_text(), "the retired source is named"
    for entry, change in zip(entries, record):
        assert entry.select(".change__pages a"), change.what


@pytest.mark.rebuild
def test_a_page_dated_without_a_record_stops_the_build(tmp_path):
    project = copy_project(tmp_path)
    page = project / "docs/privacy.md"
    old = re.search(r"^last_updated: .*$", page.read_text(encoding="utf-8"), re.M).group(0)
    page.write_text(page.read_text(encoding="utf-8").replace(old, "last_updated: 2027-01-05"), encoding="utf-8")
    out = tmp_path / "out"
    message = build_fails(project, out)
    assert f"docs/privacy.md, line {line_of(page, 'last_updated')}: last_updated is 2027-01-05, but data/changes.yml has no entry for /privacy/" in message, message
    assert not out.exists()


# --- In the browser ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
def test_footer_links_are_visible_readable_and_reachable_by_keyboard(browser, server, screenshots, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for _, url, title in [("index.md", "", "Home")] + ABOUT_PAGES:
            page.goto(server + url)
            links = page.locator('footer nav.site-footer ul a')
            # The menu's other pages, then the About pages (tests/test_identity.py).
            assert links.all_inner_texts()[-len(ABOUT_PAGES):] == [title for _, _, title in ABOUT_PAGES], url
            for i in range(links.count()):
                box = links.nth(i).bounding_box()
                assert links.nth(i).is_visible() and box["height"] >= 24 and box["x"] + box["width"] <= width, (url, i, box)
            contrast = page.evaluate(CONTRAST, ".site-footer a, .site-footer__small")
            # The footer's links and small print: none measured would mean the selector matches nothing.
            assert len(contrast) >= len(ABOUT_PAGES), (url, contrast)
            for item in contrast:
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
        first = page.locator("footer nav.site-footer ul a").first
        assert page.evaluate("document.activeElement.textContent.trim()") == first.inner_text().strip()
        target = page.evaluate("document.activeElement.href")
        page.keyboard.press("Enter")
        page.wait_for_url(target)
    finally:
        context.close()
