"""Editions (sitegen/edition.py): made from what a page says, the same in every build and copy of the same
text, new when a sentence changes; printed on every PDF and written into its metadata; the handout's named
on /for-clinics/; and a feedback link naming page and edition wherever a contact is set."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import ROOT, build_fails, build_scored_again, build_site, clone, copy_project, edit, model_of, record
from sitegen import changes, contact, edition, feed, pageindex, pdfs, public_urls, published
from sitegen.errors import SiteDataError

EDITION = re.compile(r"\d{4}-\d{2}-\d{2}\.[0-9a-f]{6}")


# --- The generators ------------------------------------------------------------------------------


@pytest.mark.unit
def test_an_edition_is_the_date_and_the_start_of_the_texts_fingerprint():
    assert edition.of(dt.date(2026, 12, 6), "9eeec05539de7ab9") == "2026-12-06.9eeec0"
    assert edition.PATTERN.match(edition.of(dt.date(2026, 1, 2), published.fingerprint("Some text.")))
    with pytest.raises(ValueError):
        edition.of(dt.date(2026, 1, 2), "not hex")


@pytest.mark.unit
def test_slots_are_filled_with_their_pages_edition_and_are_not_the_pages_text():
    html = f"<p>Current: {edition.slot('/handout/', 'strong')}, and <a href=x>{edition.slot('/')}</a></p>"
    filled = edition.fill(html, {"/handout/": "2026-12-06.9eeec0", "/": "2026-11-27.000000"}, "docs/x.md")
    assert filled == ('<p>Current: <strong class="edition">2026-12-06.9eeec0</strong>, and '
                      '<a href=x><span class="edition">2026-11-27.000000</span></a></p>')
    # What an edition is made from leaves every edition out: no page's text depends on one.
    assert published.text_of(filled) == published.text_of(html) == "Current: , and"
    with pytest.raises(SiteDataError) as refused:
        edition.fill(edition.slot("/gone/"), {"/": "x"}, "docs/for-clinics.md")
    assert str(refused.value) == "docs/for-clinics.md: shows the edition of /gone/, which is not a page of the site"
    current = edition.render_current("/handout/", "handout")
    assert 'class="current-edition"' in current and edition.slot("/handout/", "strong") in current


@pytest.mark.unit
def test_a_value_that_is_no_fingerprint_is_refused_naming_it():
    with pytest.raises(ValueError) as refused:
        edition.of(dt.date(2026, 1, 2), "not hex")
    assert str(refused.value) == "'not hex' is not a fingerprint of a page's text"


@pytest.mark.unit
def test_for_clinics_names_the_handouts_current_edition_and_what_to_do_if_a_copy_shows_another():
    assert edition.render_current("/handout/", "handout & card") == (
        '<p class="current-edition">The handout &amp; card’s current edition is '
        '<strong class="edition"><!-- edition: /handout/ --></strong>. '
        "Each printed copy shows its edition beside its “Last updated” date: if yours shows another, "
        "print it again from here.</p>")


@pytest.mark.unit
def test_a_pdfs_edition_goes_into_its_document_information_as_an_update():
    objects = [b"<</Title (A page)\n/Producer (Skia/PDF m156)>>", b"<</Type /Catalog /Pages 3 0 R>>", b"<</Type /Pages /Kids [] /Count 0>>"]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<</Size 4\n/Root 2 0 R\n/Info 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    out = pdfs.with_edition(pdf, "2026-12-06.9eeec0")
    assert out.startswith(pdf), "an incremental update leaves the bytes before it as they are"
    update = out[len(pdf):]
    assert update.startswith(b"1 0 obj\n<<") and b"/Title (A page)" in update
    assert b"/Subject (Edition 2026-12-06.9eeec0)/Keywords (edition 2026-12-06.9eeec0)" in update
    start, last = (int(n) for n in re.search(rb"xref\n1 1\n(\d{10}) 00000 n \n.*startxref\n(\d+)\n%%EOF\n$", update, re.S).groups())
    assert out[start:].startswith(b"1 0 obj") and out[last:].startswith(b"xref\n1 1\n")
    assert b"/Prev %d" % xref in update and b"/Root 2 0 R" in update and b"/Size 4" in update
    # Again (a cached PDF is never updated twice, but an old subject would not be kept if it were).
    twice = pdfs.with_edition(out, "2026-12-07.000000")
    assert twice.count(b"Edition 2026-12-07.000000") == 1 and b"2026-12-06" not in twice[len(out):]
    assert b"<<" + objects[0][2:-2] + b"/Subject (Edition 2026-12-07.000000)/Keywords (edition 2026-12-07.000000)>>" in twice[len(out):]
    # PDF text strings escape the backslash and parentheses.
    assert b"/Subject (Edition a\\\\b\\(c\\))" in pdfs.with_edition(pdf, "a\\b(c)")
    assert pdfs.with_edition(pdf, "") == pdf
    for broken in (b"%PDF-1.4\nnot laid out as Chromium writes it", pdf.replace(b"/Size 4\n", b""), pdf.replace(b"/Root 2 0 R\n", b"")):
        with pytest.raises(ValueError, match=r"^the PDF has no trailer with /Info, /Size and /Root to update$"):
            pdfs.with_edition(broken, "2026-12-06.9eeec0")
    with pytest.raises(ValueError, match=r"^the PDF's /Info object 9 is not a dictionary$"):  # a trailer naming an /Info the file does not hold
        pdfs.with_edition(pdf.replace(b"/Info 1 0 R", b"/Info 9 0 R"), "2026-12-06.9eeec0")
    # A file that does not end in a line break still gets its update on a line of its own, at the offset it names.
    bare = pdfs.with_edition(pdf.rstrip(b"\n"), "2026-12-06.9eeec0")
    start = int(re.search(rb"xref\n1 1\n(\d{10})", bare[len(pdf) - 1:])[1])
    assert bare[start:].startswith(b"1 0 obj") and bare[start - 1:start] == b"\n"
    assert pdfs.edition_in(b'<div class="print-header" hidden data-edition="2026-12-06.9eeec0">') == "2026-12-06.9eeec0"
    assert pdfs.edition_in(b"<div>") == ""


@pytest.mark.unit
def test_the_feedback_link_names_the_page_and_its_edition_and_only_where_a_contact_is_set():
    assert contact.feedback("", "https://example.org/uses/", "2026-12-06.9eeec0") is None
    link = contact.feedback("editors@example.org", "https://example.org/uses/?a=1&b=2", "2026-12-06.9eeec0")
    assert link["href"].startswith("mailto:editors@example.org?subject=")
    subject = unquote(link["href"].split("subject=", 1)[1])
    assert subject == "Problem with https://example.org/uses/?a=1&b=2 (edition 2026-12-06.9eeec0)"
    assert "&" not in link["href"].replace("&amp;", "") and "@" not in link["address"]  # escaped, as the template prints it


# --- In the built site --------------------------------------------------------------------------


def _editions(site: Path) -> dict[str, str]:
    return {page["path"]: page.get("edition", "") for page in json.loads((site / pageindex.PATH).read_text(encoding="utf-8"))["pages"]}


def _file(site: Path, address: str) -> Path:
    return site / address.lstrip("/") / "index.html"


@pytest.mark.build
def test_every_page_has_the_edition_of_its_published_text(site_dir):
    editions = _editions(site_dir)
    fingerprints = yaml.safe_load((ROOT / published.WHERE).read_text(encoding="utf-8"))["pages"]
    site = model_of(ROOT)
    assert set(editions) == {page.address for page in site.pages.values()}
    for page in site.pages.values():
        assert editions[page.address] == edition.of(page.last_updated, fingerprints[page.address]["text"]), page.address
        html = _file(site_dir, page.address).read_text(encoding="utf-8")
        assert f'data-edition="{editions[page.address]}"' in html, page.address
        if page.src != "handout.md":  # the handout says it in its closing lines, its header on one line
            assert f"· Edition {editions[page.address]}</p>" in html, page.address


@pytest.mark.build
def test_the_handout_and_for_clinics_show_the_handouts_edition(site_dir):
    current = _editions(site_dir)["/handout/"]
    assert json.loads((site_dir / pageindex.PATH).read_text(encoding="utf-8"))["handout"]["edition"] == current
    handout = _file(site_dir, "/handout/").read_text(encoding="utf-8")
    assert f'· Edition <span class="edition">{current}</span></p>' in handout  # after "Last updated: …", in its closing lines
    clinics = _file(site_dir, "/for-clinics/").read_text(encoding="utf-8")
    assert f'The handout’s current edition is <strong class="edition">{current}</strong>' in clinics


@pytest.mark.build
def test_no_contact_no_feedback_link(site_dir):
    assert [p.name for p in site_dir.rglob("*.html") if "Report a problem with this page" in p.read_text(encoding="utf-8")] == []


@pytest.mark.pdf
def test_every_pdf_prints_its_pages_edition_and_carries_it_in_its_metadata(site_dir):
    editions = _editions(site_dir)
    site = model_of(ROOT)
    printed = [page for page in site.pages.values() if pdfs.printed(page.src)]
    assert printed
    for page in printed:
        for paper in pdfs.PAPERS:
            pdf = site_dir / pdfs.pdf_path(page.src, paper)
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
            assert f"Subject:         Edition {editions[page.address]}" in info.stdout and not info.stderr, pdf.name
            if page.src == "handout.md":
                text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
                assert f"Edition {editions[page.address]}" in " ".join(text.split()), pdf.name
                assert re.search(r"^Pages:\s+2$", info.stdout, re.M), pdf.name


@pytest.mark.rebuild
def test_a_changed_handout_sentence_is_a_new_edition_and_no_other_page_changes(site_dir, tmp_path):
    before = _editions(site_dir)
    project = copy_project(tmp_path)
    handout = (project / "docs/handout.md").read_text(encoding="utf-8")
    day = re.search(r"^last_updated: (\S+)$", handout, re.M).group(1)
    edit(project, "docs/handout.md", "about any side effect you notice, listed or not.", "about any side effect you notice, on the lists or not.")
    # On the record, on the handout's own date (its place in the record, which keeps the newest first):
    # only the text changes.
    record = (project / "data/changes.yml").read_text(encoding="utf-8")
    at = next(m.start() for m in re.finditer(r"^  - date: (\S+)$", record, re.M) if m.group(1) <= day)
    entry = f"  - date: {day}\n    pages: [/handout/]\n    what: A sentence reworded.\n\n"
    (project / "data/changes.yml").write_text(record[:at] + entry + record[at:], encoding="utf-8")
    # Its PEMAT-P review scored the old edition, on the same day or not: the build asks for it again.
    refused = build_fails(project, tmp_path / "site", preview=True)
    assert re.match(rf"data/reviews/pemat-p-handout\.yml, line \d+: handout: the review scores edition {before['/handout/']}, but the "
                    rf"handout is now edition {day}\.[0-9a-f]{{6}} \(docs/handout\.md, line \d+\)", refused), refused
    build_scored_again(project, tmp_path / "site", preview=True)
    after = _editions(tmp_path / "site")
    assert after["/handout/"] != before["/handout/"] and after["/handout/"].split(".")[0] == before["/handout/"].split(".")[0]
    assert {a: e for a, e in after.items() if a != "/handout/"} == {a: e for a, e in before.items() if a != "/handout/"}
    assert after["/handout/"] in (tmp_path / "site/for-clinics/index.html").read_text(encoding="utf-8")


@pytest.mark.rebuild
def test_a_clinic_copy_keeps_the_editions_of_its_content(site_dir, other_address_site):
    assert _editions(other_address_site) == _editions(site_dir)


@pytest.mark.rebuild
def test_with_a_contact_every_page_links_a_report_naming_it_and_its_edition(tmp_path):
    project = copy_project(tmp_path)
    edit(project, "mkdocs.yml", 'contact_email: ""', 'contact_email: "editors@example.org"')
    build_site(project, tmp_path / "site", preview=True)
    site, editions = tmp_path / "site", _editions(tmp_path / "site")
    base = json.loads((site / pageindex.PATH).read_text(encoding="utf-8"))["site"]["address"]
    for address, current in editions.items():
        html = _file(site, address).read_text(encoding="utf-8")
        links = re.findall(r'<a href="(mailto:[^"]*\?subject=[^"]*)">Report a problem with this page</a>', html)
        assert len(links) == 1, address
        assert unquote(links[0].replace("&amp;", "&")) == f"mailto:editors@example.org?subject=Problem with {base}{address.lstrip('/')} (edition {current})"
    assert "Report a problem" not in (site / "404.html").read_text(encoding="utf-8")


# --- Which edition each change produced: on /changes/ and in the feed ----------------------------


_NAMED = re.compile(r"(.+?) (\d{4}-\d{2}-\d{2}\.[0-9a-f]{6})(?:, |$)")


def _named(text: str | None) -> dict[str, str]:
    """"Editions: Home 2026-12-06.ac8162, Side effects …" as {label: edition}; {} where none is named."""
    if not text:
        return {}
    found = re.fullmatch(r"Editions?: (.*)", " ".join(text.split()))
    assert found, text
    pairs = _NAMED.findall(found[1])
    assert ", ".join(f"{label} {number}" for label, number in pairs) == found[1], text
    return dict(pairs)


def _on_record(site: Path) -> list[dict[str, str]]:
    """What /changes/ names under each entry, in the record's order."""
    soup = BeautifulSoup(_file(site, "/changes/").read_text(encoding="utf-8"), "html.parser")
    return [_named(getattr(item.select_one(".change__editions"), "text", None)) for item in soup.select("ol.changes > li.change")]


def _in_feed(site: Path) -> list[dict[str, str]]:
    """What each entry of the feed names, in its order."""
    entries = feedparser.parse((site / feed.PATH).read_bytes())
    assert not entries.bozo, entries.get("bozo_exception")
    out = []
    for entry in entries.entries:
        said = [p.get_text() for p in BeautifulSoup(entry.content[0].value, "html.parser").find_all("p") if p.get_text().startswith("Edition")]
        out.append(_named(said[0] if said else None))
    return out


def _printed(site: Path, address: str) -> str:
    """The edition the page's own HTML prints (its print header's)."""
    return re.search(r'data-edition="([^"]*)"', _file(site, address).read_text(encoding="utf-8"))[1]


@pytest.mark.build
def test_each_change_names_the_edition_it_produced_its_pages_newest_the_one_they_print(site_dir):
    site = model_of(ROOT)
    moved = public_urls.page_redirects(site.public_urls)
    latest = changes.latest_entries(site.record, moved)
    labels = {page.address: site.label(src) for src, page in site.pages.items()}
    kept = published.history(published.load((ROOT / published.WHERE).read_text(encoding="utf-8")))
    shown = _on_record(site_dir)
    assert shown == _in_feed(site_dir) and len(shown) == len(site.record)
    for change, named in zip(site.record, shown):
        expected = {}
        for address in dict.fromkeys(moved.get(a, a) for a in change.pages):
            if latest[address] is change:
                expected[labels[address]] = _printed(site_dir, address)
            elif published.entry_id(change) in kept.get(address, {}):
                expected[labels[address]] = edition.of(change.date, kept[address][published.entry_id(change)])
        assert named == expected, change.what
    # Every page's newest change names its current edition: the handout's is the one in its closing lines.
    handout = site.pages["handout.md"]
    in_handout = re.search(r'· Edition <span class="edition">([^<]*)</span></p>', _file(site_dir, "/handout/").read_text(encoding="utf-8"))[1]
    assert shown[site.record.index(latest[handout.address])][labels[handout.address]] == in_handout == _editions(site_dir)["/handout/"]
    assert {labels[a] for a in latest} <= {label for named in shown for label in named}


@pytest.mark.rebuild
def test_a_new_handout_change_names_the_new_edition_and_the_older_change_keeps_its_own(site_dir, tmp_path):
    before, printed_before = _on_record(site_dir), _editions(site_dir)["/handout/"]
    project = clone(tmp_path)
    site = model_of(project)
    label, older = site.label("handout.md"), changes.latest_entries(site.record, public_urls.page_redirects(site.public_urls))["/handout/"]
    assert before[site.record.index(older)][label] == printed_before
    edit(project, "docs/handout.md", "about any side effect you notice, listed or not.", "about any side effect you notice, on the lists or not.")
    day = record(project, ["/handout/"], "A sentence on the handout reworded.")
    build_scored_again(project, tmp_path / "site", preview=True)
    now = _editions(tmp_path / "site")["/handout/"]
    assert now.startswith(day + ".") and now != printed_before
    # The first build after the edit: the new entry names the handout's new edition, every older entry what it named before.
    after = _on_record(tmp_path / "site")
    assert after == _in_feed(tmp_path / "site")
    assert after[0] == {label: now} and after[1:] == before
    # The file to commit keeps what the older entry left the handout with, and what the new one leaves it with.
    stored = published.load((project / published.WHERE).read_text(encoding="utf-8"))["/handout/"]
    new_entry = published.entry_id(model_of(project).record[0])
    assert stored["entry"] == new_entry and now == edition.of(dt.date.fromisoformat(day), stored["editions"][new_entry])
    assert printed_before == edition.of(older.date, stored["editions"][published.entry_id(older)])
    # Built again before the commit: the same record, the same feed, byte for byte.
    build_site(project, tmp_path / "again", preview=True)
    for path in ("changes/index.html", feed.PATH):
        assert (tmp_path / "again" / path).read_bytes() == (tmp_path / "site" / path).read_bytes(), path
