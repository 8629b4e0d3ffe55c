"""The site's identity: its mark and names in the header, who publishes it (footer, printouts,
search engines' data), and the settings a clinic's copy changes (extra.publisher, extra.short_name)."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, build_fails, build_site, copy_project, edit, model_of, soup_of
from sitegen import publisher
from sitegen.errors import SiteDataError
from sitegen.pdfs import PAPERS, pdf_name
from test_clinics import page_texts, pages

NAME = "Ketamine and esketamine for depression"  # the unit tests' own site name (38 characters), not mkdocs.yml's


def _json_ld(soup: BeautifulSoup) -> dict:
    return json.loads(soup.select_one('script[type="application/ld+json"]').string)


# ---------------------------------------------------------------- settings (pure)


@pytest.mark.unit
def test_without_a_publisher_the_site_names_itself():
    assert publisher.check_publisher(None, NAME) == publisher.Publisher(NAME)
    assert publisher.check_publisher({"name": "", "logo": None, "web": ""}, NAME) == publisher.Publisher(NAME)
    assert publisher.check_publisher("", NAME) == publisher.Publisher(NAME)  # PUBLISHER_* unset: an empty setting


@pytest.mark.unit
def test_a_publisher_is_text_checked_like_a_clinic(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets/logo.svg").write_text("<svg/>", encoding="utf-8")
    found = publisher.check_publisher({"name": "  A & <B> \"C\" ", "logo": "assets/logo.svg", "web": "https://b.example.org/"}, NAME, tmp_path)
    assert found == publisher.Publisher('A & <B> "C"', "assets/logo.svg", "https://b.example.org/")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"name": "A\nB"}, "extra.publisher.name (or PUBLISHER_NAME): must be one line of plain text"),
        ({"name": "x" * 81}, "extra.publisher.name (or PUBLISHER_NAME): is 81 characters long; keep it to 80"),
        ({"name": "A\u202eB"}, "extra.publisher.name (or PUBLISHER_NAME): contains an invisible character (U+202E"),
        ({"name": 12}, "extra.publisher.name (or PUBLISHER_NAME): must be text in quotes, or empty; got 12"),
        ({"web": "javascript:alert(1)"}, "extra.publisher.web (or PUBLISHER_WEB): 'javascript:alert(1)' is not a web address like https://publisher.example.org/"),
        ({"logo": "https://cdn.example.org/logo.svg"}, "extra.publisher.logo (or PUBLISHER_LOGO): 'https://cdn.example.org/logo.svg' is not a picture in "
         "docs/: write its path there, like assets/images/clinic-logo.svg (SVG, PNG, JPG, JPEG, WEBP); the site loads nothing from other hosts"),
        ({"logo": 12}, "extra.publisher.logo (or PUBLISHER_LOGO): must be text in quotes, or empty; got 12"),
        ({"logo": "assets\\logo.svg"}, "is not a picture in docs/"),
        ({"logo": "../secret.png"}, "is not a picture in docs/"),
        ({"logo": "/etc/logo.png"}, "is not a picture in docs/"),
        ({"logo": "assets/logo.pdf"}, "is not a picture in docs/"),
        ({"logo": 'a"onload=x.svg'}, "is not a picture in docs/"),
        ({"logo": "assets/missing.svg"}, "'assets/missing.svg' is not in docs/: put the picture at docs/assets/missing.svg"),
        ({"email": "a@b.example"}, "extra.publisher: unknown setting 'email'; the settings are: name, logo, web"),
    ],
)
def test_a_bad_publisher_setting_is_named_with_what_to_write(tmp_path, setting, message):
    with pytest.raises(SiteDataError) as refused:
        publisher.check_publisher(setting, NAME, tmp_path)
    assert str(refused.value).startswith("mkdocs.yml: ") and message in str(refused.value), str(refused.value)


@pytest.mark.unit
def test_a_publisher_name_of_80_characters_and_a_logo_of_plain_characters_are_taken():
    found = publisher.check_publisher({"name": "x" * 80, "logo": "assets/X-Logo_2.PNG"}, NAME)  # no docs/ to look in
    assert found == publisher.Publisher("x" * 80, "assets/X-Logo_2.PNG")


@pytest.mark.unit
def test_a_publisher_setting_must_be_a_mapping():
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml: extra.publisher: must list name, logo and web"):
        publisher.check_publisher(["Riverside"], NAME)


@pytest.mark.unit
def test_the_short_name_fits_a_phone_header_or_the_build_says_so():
    assert publisher.check_short_name(" Ketamine and esketamine ", NAME) == "Ketamine and esketamine"
    assert publisher.check_short_name(None, "Ketamine facts") == "Ketamine facts"
    assert publisher.check_short_name("x" * 24, NAME) == "x" * 24
    assert publisher.check_short_name(None, "y" * 24) == "y" * 24
    with pytest.raises(SiteDataError) as refused:
        publisher.check_short_name("x" * 25, NAME)
    assert str(refused.value) == ("mkdocs.yml: extra.short_name: is 25 characters long; keep it to 24, so that a phone's header "
                                  "shows it whole (two short lines beside \"Get help now\")")
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml: extra.short_name: must be text in quotes, or empty; got 12$"):
        publisher.check_short_name(12, NAME)
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml: extra.short_name: is not set, and the site's name is 38 characters long"):
        publisher.check_short_name("", NAME)


# ---------------------------------------------------------------- the public site (built)


@pytest.mark.build
def test_every_page_shows_the_mark_the_names_and_the_publisher(site_dir):
    settings = model_of(ROOT).settings  # the names mkdocs.yml gives: read, never written here
    footers = set()
    for path in sorted(site_dir.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one("meta[http-equiv=refresh]"):
            continue  # a moved page's redirect
        where = path.relative_to(site_dir)
        logo = soup.select_one("header a.md-logo")
        assert logo["aria-label"] == settings.site_name and logo.select_one("svg.site-mark path"), where
        topic = soup.select_one(".md-header__topic")
        assert topic.select_one(".site-name--wide").get_text(strip=True) == settings.site_name, where
        assert topic.select_one(".site-name--short").get_text(strip=True) == settings.phone_name, where
        assert topic.select_one(".site-publisher") is None, where  # the site publishes itself: named once
        footer = soup.select_one("footer nav.site-footer")
        assert footer.select_one(".site-footer__publisher").get_text(" ", strip=True) == f"Published by {settings.site_name}.", where
        footers.add(tuple(a.get_text(strip=True) for a in footer.select("ul a")))
        assert "MkDocs" not in footer.get_text() and "Material" not in footer.get_text(), where
        if path.name != "404.html":
            assert _json_ld(soup)["publisher"] == {"@type": "Organization", "name": settings.site_name}, where
    assert len(footers) == 1, footers  # one footer, the same on every page


@pytest.mark.build
def test_a_wide_topic_page_leads_to_every_page_of_the_site(site_dir):
    """At 1280 px a topic page shows the guide's contents in place of the menu: the header, the guide's
    contents and the footer together still lead to every page, or to the first page of its menu section
    (not About this site, which the footer lists whole), which links it."""
    texts = {p.resolve(): p.read_text(encoding="utf-8") for p in site_dir.rglob("index.html")}
    pages = {p.parent for p, text in texts.items() if 'http-equiv="refresh"' not in text and p.parent.name != "search"}
    topics = [p for p, text in texts.items() if 'class="guide-contents"' in text]
    assert topics
    site = model_of(ROOT)
    folder = {i.src: (site_dir / site.url(i.src)).resolve() for i in site.nav}
    first = {i.section: i.src for i in reversed(site.nav) if i.section is not None}
    through = {folder[i.src]: folder[first[i.section]] for i in site.nav if i.section is not None and first[i.section] != i.src}

    @functools.cache  # a section's first page is read again for every page it leads to
    def links(path, selector):
        soup = BeautifulSoup(texts[path / "index.html"] if path.is_dir() else texts[path], "html.parser")
        return {(path.parent if path.is_file() else path).joinpath(a["href"].split("#")[0]).resolve()
                for a in soup.select(selector) if not re.match(r"[a-z]+:", a["href"])}

    for path in topics:
        reached = links(path, "header a[href], .guide-contents a[href], footer a[href]")
        missed = {p for p in pages - reached - {path.parent} if not (through.get(p) in reached and p in links(through[p], "article a[href]"))}
        assert sorted(str(p.relative_to(site_dir.resolve())) for p in missed) == [], path


@pytest.mark.build
def test_the_favicon_is_the_sites_mark(site_dir):
    favicon = (site_dir / "assets/images/favicon.svg").read_text(encoding="utf-8")
    mark = soup_of(site_dir, "").select_one("header svg.site-mark path")["d"]
    assert f'd="{mark}"' in favicon


# ---------------------------------------------------------------- a clinic's copy (built)


PUBLISHER = {
    "PUBLISHER_NAME": 'Riverside & <Hill> "Clinic"',
    "PUBLISHER_WEB": "https://riverside.example.net/?a=1&b=2",
    "PUBLISHER_LOGO": "assets/images/riverside-logo.svg",
}
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" height="20" fill="#1a5"/></svg>'


@pytest.mark.rebuild
def test_a_publisher_setting_reaches_the_header_footer_json_ld_and_pdfs_escaped(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    (project / "docs" / PUBLISHER["PUBLISHER_LOGO"]).write_text(LOGO, encoding="utf-8")
    for name, value in PUBLISHER.items():
        monkeypatch.setenv(name, value)
    site = tmp_path / "site"
    build_site(project, site, site_url="https://riverside.example.net/ketamine/")
    name = PUBLISHER["PUBLISHER_NAME"]
    for url in ("", "side-effects/", "handout/"):
        raw = (site / url / "index.html").read_text(encoding="utf-8")
        assert "<Hill>" not in raw and '"Clinic"' not in raw.replace('\\"Clinic\\"', ""), url  # escaped everywhere
        soup = BeautifulSoup(raw, "html.parser")
        # Header: the publisher's logo in place of the mark, and its name under the site's.
        logo = soup.select_one("header a.md-logo img")
        assert (site / url / logo["src"]).resolve() == (site / PUBLISHER["PUBLISHER_LOGO"]).resolve(), url
        assert soup.select_one("header a.md-logo svg") is None
        assert soup.select_one("header .site-publisher").get_text(strip=True) == name
        # Footer: who publishes it, linked to its address.
        line = soup.select_one("footer .site-footer__publisher")
        assert line.get_text(" ", strip=True) == f"Published by {name} ."
        assert line.a["href"] == PUBLISHER["PUBLISHER_WEB"] and line.a.get_text() == name
        # Search engines' data.
        assert _json_ld(soup)["publisher"] == {
            "@type": "Organization", "name": name, "url": PUBLISHER["PUBLISHER_WEB"],
            "logo": {"@type": "ImageObject", "url": "https://riverside.example.net/ketamine/assets/images/riverside-logo.svg"},
        }
        # Paper: the printout's heading.
        assert soup.select_one(".print-header__publisher").get_text(" ", strip=True) == f"Published by {name}"
    # The PDFs say it, on both papers; the handout, whose heading leaves out the site's name for room,
    # still prints on two pages (a clinic names itself there in its contact line: tests/test_clinics.py).
    for source in ("side-effects.md", "ketamine.md"):
        for paper in PAPERS:
            pdf = site / "pdf" / pdf_name(source, paper)
            text = re.sub(r"\s+", " ", " ".join(page_texts(pdf)))
            assert f"Published by {name}" in text, pdf.name
    assert [pages(site / "pdf" / pdf_name("handout.md", paper)) for paper in PAPERS] == [2, 2]


@pytest.mark.rebuild
def test_a_bad_publisher_setting_stops_the_build_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PUBLISHER_LOGO", "https://cdn.example.org/logo.png")
    project = copy_project(tmp_path)
    message = build_fails(project, tmp_path / "site", pdf=False)
    assert "mkdocs.yml: extra.publisher.logo (or PUBLISHER_LOGO): 'https://cdn.example.org/logo.png' is not a picture in docs/" in message


@pytest.mark.rebuild
def test_a_missing_short_name_stops_the_build_naming_it(tmp_path):
    project = copy_project(tmp_path)
    edit(project, "mkdocs.yml", "  short_name: Ketamine and esketamine\n", "")
    message = build_fails(project, tmp_path / "site", pdf=False)
    assert "mkdocs.yml: extra.short_name: is not set, and the site's name is 38 characters long" in message


@pytest.mark.unit
def test_make_puts_a_copy_with_a_publisher_of_its_own_in_the_clinic_folder():
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CLINIC_", "PUBLISHER_"))} | {"PUBLISHER_NAME": "Riverside Clinic"}
    commands = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "build", "dist", f"PY={sys.executable}"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True,
    ).stdout
    assert "scripts/build --site-dir build/clinic/site\n" in commands and "scripts/dist --site-dir build/clinic/site --out build/clinic/dist\n" in commands, commands


@pytest.mark.unit
def test_a_pages_sections_are_its_h2s_under_its_title():
    from types import SimpleNamespace as Item

    from sitegen import guide

    h3 = Item(level=3, children=[])
    toc = [Item(level=1, children=[Item(level=2, children=[h3, h3]), Item(level=2, children=[])]), Item(level=2, children=[])]
    assert guide.sections(toc) == 3 and guide.sections([]) == 0
