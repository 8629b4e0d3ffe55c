"""/pages.json (sitegen/pageindex.py): every public page as data, valid against the schema kept beside
its generator, every address in it leading into the built site, the same bytes from the same sources."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import jsonschema
import pytest

from helpers import OTHER_ADDRESS, ROOT, build_site, model_of, unresolved
from sitegen import feed, pageindex

SITE = "https://example.org/info/"
SCHEMA = json.loads(pageindex.schema_text())


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def problems(data) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator().iter_errors(data)]


def _listed(**changes) -> pageindex.Listed:
    fields = dict(src="side-effects.md", address="/side-effects/", title="Side effects", description="What they are.",
                  last_updated=dt.date(2026, 3, 9), next_review=dt.date(2027, 3, 9), sections=(("common", "Common ones"),))
    return pageindex.Listed(**(fields | changes))


def _render(pages, **options) -> str:
    return pageindex.render_index(pages, site_url=SITE, site_name="A site", feed_path=feed.PATH, **options)


def addresses(data) -> list[str]:
    """Every address in an index: the schema's, the site's, the feed's, the handout's and each page's own,
    its sections' and its PDFs'."""
    found = [data["$schema"], data["site"]["address"], data["feed"]] + ([data["handout"]["address"]] if "handout" in data else [])
    for page in data["pages"]:
        found += [page["address"], *page.get("pdf", {}).values(), *(section["address"] for section in page["sections"])]
    return found


# --- The generator and its schema ---------------------------------------------------------------


@pytest.mark.unit
def test_the_schema_is_a_valid_json_schema_of_this_version():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["version"]["const"] == pageindex.VERSION


@pytest.mark.unit
def test_an_index_is_valid_and_says_what_the_pages_publish():
    handout = _listed(src="handout.md", address="/handout/", title="Handout", sections=(), edition="2026-03-09.0a1b2c")
    text = _render([_listed(), handout], handout=handout)
    data = json.loads(text)
    assert problems(data) == []
    assert data["version"] == 1 and data["feed"] == SITE + "changes/feed.xml" and data["$schema"] == SITE + "pages.schema.json"
    assert data["handout"] == {"address": SITE + "handout/", "edition": "2026-03-09.0a1b2c"}
    assert data["pages"][0] == {
        "address": SITE + "side-effects/", "path": "/side-effects/", "title": "Side effects", "description": "What they are.",
        "last_updated": "2026-03-09", "next_review": "2027-03-09",
        "sections": [{"id": "common", "heading": "Common ones", "address": SITE + "side-effects/#common"}],
        "pdf": {"letter": SITE + "pdf/side-effects.pdf", "a4": SITE + "pdf/side-effects-a4.pdf"},
    }
    assert "edition" not in data["pages"][0] and data["pages"][1]["edition"] == "2026-03-09.0a1b2c"
    assert all(address.startswith(SITE) for address in addresses(data))
    assert text == _render([_listed(), handout], handout=handout)  # the same pages, the same bytes


@pytest.mark.unit
def test_the_index_is_data_with_no_markup_in_its_bytes():
    title = 'A <script>alert("x")</script> & <b>bold</b> title'
    text = _render([_listed(title=title, description="Under 18 & < 65 years.")])
    assert not {"<", ">", "&"} & set(text)
    data = json.loads(text)
    assert data["pages"][0]["title"] == title and data["pages"][0]["description"] == "Under 18 & < 65 years."
    assert problems(data) == []


@pytest.mark.unit
@pytest.mark.parametrize(("change", "path"), [
    (lambda d: d.update(version=2), "version"),
    (lambda d: d["pages"][0]["pdf"].pop("a4"), "pages/0/pdf"),
    (lambda d: d["pages"][0].update(last_updated="6 December 2026"), "pages/0/last_updated"),
    (lambda d: d["pages"][0].update(edition="today"), "pages/0/edition"),
    (lambda d: d["pages"][0]["sections"][0].update(address="/side-effects/#common"), "pages/0/sections/0/address"),
    (lambda d: d.update(extra=True), ""),
])
def test_the_schema_refuses_what_a_reader_could_not_rely_on(change, path):
    data = json.loads(_render([_listed(edition="2026-03-09.0a1b2c")]))
    change(data)
    assert {p.split(":")[0] for p in problems(data)} == {path}


# --- In the built site --------------------------------------------------------------------------


def _index(site: Path) -> dict:
    return json.loads((site / pageindex.PATH).read_text(encoding="utf-8"))


@pytest.mark.build
def test_the_built_index_is_valid_lists_every_page_and_every_address_resolves(site_dir):
    data = _index(site_dir)
    assert problems(data) == []
    assert json.loads((site_dir / pageindex.SCHEMA_PATH).read_text(encoding="utf-8")) == SCHEMA
    base = data["site"]["address"]
    assert [problem for url in addresses(data) if (problem := unresolved(site_dir, base, url))] == []
    site = model_of(ROOT)
    assert [page["path"] for page in data["pages"]] == [page.address for page in site.pages.values()]
    for page, info in zip(data["pages"], site.pages.values()):
        assert (page["title"], page["description"], page["last_updated"], page["next_review"]) == (
            info.title, info.description, info.last_updated.isoformat(), info.next_review.isoformat())
        recorded = site.public_urls.pages.get(info.address, [])
        assert sorted(s["id"] for s in page["sections"]) == sorted(recorded), page["path"]
    # Served like every other text file: compressed, under the site-wide headers (_headers' "/*").
    assert (site_dir / (pageindex.PATH + ".gz")).is_file()


@pytest.mark.build
def test_for_clinics_links_the_index_and_its_schema(site_dir):
    html = (site_dir / "for-clinics/index.html").read_text(encoding="utf-8")
    assert 'href="../pages.json" type="application/json"' in html and 'href="../pages.schema.json"' in html
    assert "List these pages in your own systems" in html


@pytest.mark.rebuild
def test_a_clinic_copy_lists_its_own_addresses(other_address_site):
    data = _index(other_address_site)
    assert problems(data) == [] and data["site"]["address"] == OTHER_ADDRESS
    assert [url for url in addresses(data) if not url.startswith(OTHER_ADDRESS)] == []
    assert [problem for url in addresses(data) if (problem := unresolved(other_address_site, OTHER_ADDRESS, url))] == []
    parsed = feedparser.parse((other_address_site / feed.PATH).read_bytes())
    links = [link.href for link in parsed.feed.links] + [link.href for e in parsed.entries for link in e.links]
    assert links and [url for url in links if not url.startswith(OTHER_ADDRESS)] == []
    assert all(e.id.startswith("tag:clinic.example.net,") and ":/info/changes/" in e.id for e in parsed.entries)


@pytest.mark.rebuild
def test_two_builds_write_the_same_index_and_feed(tmp_path):
    for n in (1, 2):
        build_site(ROOT, tmp_path / f"site{n}", preview=True, pdf=False)
    for name in (pageindex.PATH, pageindex.SCHEMA_PATH, feed.PATH):
        assert (tmp_path / "site1" / name).read_bytes() == (tmp_path / "site2" / name).read_bytes(), name


@pytest.mark.unit
def test_for_clinics_offers_the_index_by_its_full_address_and_its_schema():
    html = pageindex.render_offer("../pages.json", SITE + "pages.json", "../pages.schema.json")
    assert 'href="../pages.json" type="application/json"' in html and 'href="../pages.schema.json"' in html
    assert html.count("<wbr>") == 3 and SITE + "pages.json" in html.replace("<wbr>", "")
    assert "List these pages in your own systems" in html


@pytest.mark.unit
def test_the_schema_is_published_as_its_file_holds_it():
    assert pageindex.schema_text() == pageindex.SCHEMA_FILE.read_bytes().decode("utf-8")


@pytest.mark.unit
def test_the_index_is_two_space_indented_json_with_letters_as_written_and_markup_escaped():
    assert pageindex.dumps({"title": "Café <b> & X-rays", "n": [1]}) == (
        '{\n  "title": "Café \\u003cb\\u003e \\u0026 X-rays",\n  "n": [\n    1\n  ]\n}\n')


@pytest.mark.unit
def test_a_handout_without_an_edition_is_named_by_its_address_alone():
    handout = _listed(src="handout.md", address="/handout/", sections=())
    data = json.loads(_render([_listed(), handout], handout=handout))
    assert data["handout"] == {"address": SITE + "handout/"} and problems(data) == []


@pytest.mark.unit
def test_an_address_is_joined_to_the_site_url_without_its_leading_slash_only():
    # Not an address the site records (those are lower case): the join itself drops slashes and nothing else.
    page = _listed(address="/X-rays/", sections=(("why", "Why"),))
    data = json.loads(_render([page], handout=page))
    assert data["handout"]["address"] == data["pages"][0]["address"] == SITE + "X-rays/"
    assert data["pages"][0]["sections"][0]["address"] == SITE + "X-rays/#why"


@pytest.mark.unit
def test_a_page_that_is_not_printed_lists_no_pdfs():
    data = json.loads(_render([_listed(src="for-clinics.md", address="/for-clinics/")]))
    assert "pdf" not in data["pages"][0] and problems(data) == []


@pytest.mark.unit
def test_the_offer_shows_the_address_as_written_and_says_what_the_index_holds():
    html = pageindex.render_offer("../pages.json", "https://example.org/o'brien-clinic/pages.json", "../pages.schema.json")
    assert html == (
        '<p class="page-index"><strong>List these pages in your own systems:</strong> '
        '<a href="../pages.json" type="application/json">https://<wbr>example.org/<wbr>o\'brien-clinic/<wbr>pages.json</a><br>\n'
        "Every page's address, title, description, dates, sections and PDFs, as JSON "
        '(described by <a href="../pages.schema.json" type="application/json">its schema</a>). '
        "Your website or patient portal can read it to list these pages and their PDFs, and compare each page's "
        "last-updated date with the one it stored to show which pages have changed.</p>")
