"""The change feed (/changes/feed.xml, sitegen/feed.py): valid Atom 1.0, one entry per recorded change,
newest first, ids that never change, every link leading into the built site, on every page's head."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree import ElementTree

import feedparser
from bs4 import BeautifulSoup
import pytest
import yaml

from helpers import ROOT, build_site, copy_project, day_after_record, edit, line_of, model_of, record, unresolved
from sitegen import changes, edition, feed, published, themefix, trimcss
from sitegen.errors import SiteDataError

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://example.org/info/"
PAGES = {"/": ("Home", SITE), "/uses/": ("Uses & more", SITE + "uses/"), "/old/": ("Uses & more", SITE + "uses/")}
_TAG = re.compile(r"^tag:[a-z0-9.-]+,\d{4}-\d{2}-\d{2}:/[\w/.-]*$")
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def _change(day: str, what: str, pages=("/",), why=None, where="data/changes.yml, line 9") -> changes.Change:
    return changes.Change(dt.date.fromisoformat(day), tuple(pages), what, why, where=where)


RECORD = (
    _change("2026-03-09", "Second that day. More words.", ("/uses/", "/"), why="Because <b> & so"),
    _change("2026-03-09", "First that day."),
    _change("2026-01-02", "Oldest.", ("/old/", "/uses/")),
)


def _render(record=RECORD, **options) -> str:
    return feed.render_feed(record, PAGES, site_url=SITE, site_name="A site", **options)


def structure_problems(xml: str) -> list[str]:
    """What RFC 4287 requires and feedparser forgives: the feed's and each entry's id, title and updated
    (RFC 3339), an author, a self link; each entry an alternate link and content; ids unique."""
    root = ElementTree.fromstring(xml.encode("utf-8"))
    problems = []
    if root.tag != ATOM + "feed":
        return [f"the root is {root.tag}, not an Atom feed"]
    for name in ("id", "title", "updated"):
        if len(root.findall(ATOM + name)) != 1:
            problems.append(f"the feed needs one <{name}>")
    if not root.findall(ATOM + "author"):
        problems.append("the feed needs an <author> (its entries have none)")
    if not [link for link in root.findall(ATOM + "link") if link.get("rel") == "self" and link.get("type") == feed.TYPE]:
        problems.append("the feed needs a self link")
    if not _STAMP.match(root.findtext(ATOM + "updated") or ""):
        problems.append("the feed's <updated> is not an RFC 3339 time")
    ids = []
    for n, entry in enumerate(root.findall(ATOM + "entry")):
        for name in ("id", "title", "updated", "content"):
            if len(entry.findall(ATOM + name)) != 1:
                problems.append(f"entry {n} needs one <{name}>")
        ids.append(entry.findtext(ATOM + "id"))
        if not _TAG.match(ids[-1] or ""):
            problems.append(f"entry {n}'s id {ids[-1]!r} is not a tag URI")
        if not _STAMP.match(entry.findtext(ATOM + "updated") or ""):
            problems.append(f"entry {n}'s <updated> is not an RFC 3339 time")
        if not [link for link in entry.findall(ATOM + "link") if link.get("rel") == "alternate"]:
            problems.append(f"entry {n} has no alternate link")
        if entry.find(ATOM + "content").get("type") != "html":
            problems.append(f"entry {n}'s content is not escaped HTML")
    if len(set(ids)) != len(ids):
        problems.append("two entries share an id")
    return problems


# --- The generator ------------------------------------------------------------------------------


@pytest.mark.unit
def test_the_feed_is_valid_atom_with_one_entry_per_change_newest_first():
    xml = _render()
    parsed = feedparser.parse(xml.encode("utf-8"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert structure_problems(xml) == []
    assert [e.title for e in parsed.entries] == ["Second that day.", "First that day.", "Oldest."]
    assert [e.updated for e in parsed.entries] == ["2026-03-09T00:00:00Z", "2026-03-09T00:00:00Z", "2026-01-02T00:00:00Z"]
    assert parsed.feed.updated == "2026-03-09T00:00:00Z"
    assert parsed.feed.id == SITE + "changes/feed.xml"
    first = parsed.entries[0]
    assert first.id == "tag:example.org,2026-03-09:/info/changes/2"
    assert first.link == SITE + "changes/#change-2026-03-09-2"
    assert [(t.term, t.label) for t in first.tags] == [("/uses/", "Uses & more"), ("/", "Home")]
    # A moved page's old address is the page it moved to, named once.
    assert [link.href for link in parsed.entries[2].links if link.rel == "related"] == [SITE + "uses/"]


@pytest.mark.unit
def test_data_is_text_in_the_feed():
    xml = _render((_change("2026-03-09", "A <script>alert(1)</script> & an <img src=x onerror=y>.", why="<b>Why</b>"),))
    assert "<script" not in xml and "<img" not in xml and "<b>" not in xml
    content = feedparser.parse(xml.encode("utf-8")).entries[0].content[0].value
    # Once unescaped (what a reader's HTML gets), the data is still text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; an &lt;img" in content and "<script" not in content
    assert "Why: &lt;b&gt;Why&lt;/b&gt;" in content
    # Characters XML cannot hold are left out rather than making the feed unreadable.
    assert not feedparser.parse(_render((_change("2026-03-09", "Bell\x07 here."),)).encode()).bozo


@pytest.mark.unit
def test_each_entry_names_the_edition_it_produced_as_the_changes_page_does():
    made = [{"/uses/": "2026-03-09.0a1b2c", "/": "2026-03-09.<&>\"x"}, {}, {"/uses/": "2026-01-02.abcdef"}]
    xml = _render(editions=made)
    parsed = feedparser.parse(xml.encode("utf-8"))
    assert not parsed.bozo and structure_problems(xml) == []
    contents = [e.content[0].value for e in parsed.entries]
    # The labels as the entry names its pages, each value escaped: text, never markup.
    assert contents[0].endswith("<p>Editions: Uses &amp; more 2026-03-09.0a1b2c, Home 2026-03-09.&lt;&amp;&gt;&quot;x</p>")
    assert "Edition" not in contents[1] and contents[2].endswith("<p>Edition: Uses &amp; more 2026-01-02.abcdef</p>")
    assert _render(editions=[{}, {}, {}]) == _render() and _render(editions=made) == xml
    # /changes/ says the same, a page's current edition in the slot the build fills.
    shown = changes.render(RECORD, PAGES, {}, None, [{"/uses/": None, "/": "2026-03-09.0a1b2c"}, {}, {"/uses/": "2026-01-02.abcdef"}])
    filled = edition.fill(shown, {"/uses/": "2026-03-10.fedcba"}, "docs/changes.md")
    soup = BeautifulSoup(filled, "html.parser")
    assert [p.get_text() for p in soup.select(".change__editions")] == [
        "Editions: Uses & more 2026-03-10.fedcba, Home 2026-03-09.0a1b2c", "Edition: Uses & more 2026-01-02.abcdef"]
    assert [bool(li.select(".change__editions")) for li in soup.select("li.change")] == [True, False, True]
    # Inside the record's list: no page's text, and so no edition, is made from an edition.
    assert "Editions" not in published.text_of(filled) and "fedcba" not in published.text_of(filled)


@pytest.mark.unit
def test_entry_ids_stay_when_entries_are_added_above_or_reworded():
    before = dict(zip([c.what for c in RECORD], changes.entry_keys(RECORD)))
    grown = (_change("2026-04-01", "Newer."), _change("2026-03-09", "Third that day."),
             _change("2026-03-09", "Second that day, reworded."), *RECORD[1:])
    after = dict(zip([c.what for c in grown], changes.entry_keys(grown)))
    assert before["First that day."] == after["First that day."] == "2026-03-09-1"
    assert before["Second that day. More words."] == after["Second that day, reworded."] == "2026-03-09-2"
    assert before["Oldest."] == after["Oldest."] == "2026-01-02-1"
    assert after["Third that day."] == "2026-03-09-3" and after["Newer."] == "2026-04-01-1"
    ids = lambda record: {e.title: e.id for e in feedparser.parse(_render(record).encode()).entries}  # noqa: E731
    old, new = ids(RECORD), ids(grown)
    assert old["First that day."] == new["First that day."] and old["Oldest."] == new["Oldest."]
    assert old["Second that day."] == new["Second that day, reworded."]
    assert len(set(new.values())) == 5


@pytest.mark.unit
def test_an_entry_naming_no_page_of_the_site_stops_the_feed_naming_its_line():
    with pytest.raises(SiteDataError) as refused:
        _render((_change("2026-03-09", "Gone.", ("/nowhere/",), where="data/changes.yml, line 42"),))
    assert str(refused.value).startswith("data/changes.yml, line 42: pages: /nowhere/ is not a page of the site")


@pytest.mark.unit
def test_an_empty_record_is_a_feed_dated_by_its_pages():
    parsed = feedparser.parse(_render((), updated=dt.date(2026, 1, 1)).encode())
    assert not parsed.bozo and parsed.entries == [] and parsed.feed.updated == "2026-01-01T00:00:00Z"
    with pytest.raises(ValueError):
        _render(())


@pytest.mark.unit
@pytest.mark.parametrize(("what", "title"), [
    ("One. Two.", "One."),
    ("Dr. Who said 3.5 mg. Then more.", "Dr. Who said 3.5 mg."),
    ("word " * 40, ("word " * 40)[:feed.HEADLINE].rsplit(" ", 1)[0] + "…"),
    ("(Dr. Who) came. Then more.", "(Dr. Who) came."),  # an abbreviation after an opening bracket
    ("Written by E. M. Forster. Then more.", "Written by E. M. Forster."),  # initials end no sentence
    (" ".join(["word"] * 22) + ".", " ".join(["word"] * 22) + "."),  # HEADLINE characters exactly: kept whole
    ("INDEX, " * 20, ", ".join(["INDEX"] * 15) + "…"),  # cut on a word, its comma dropped, the word kept whole
])
def test_an_entrys_title_is_its_first_sentence(what, title):
    assert feed.headline(what) == title
    assert len(feed.headline(what)) <= feed.HEADLINE + 1


@pytest.mark.unit
def test_the_offer_links_the_feed_by_its_full_address():
    html = feed.render_offer("../changes/feed.xml", SITE + "changes/feed.xml")
    assert 'href="../changes/feed.xml" type="application/atom+xml"' in html
    assert "Get updates in a feed reader" in html
    assert re.sub(r"<[^>]+>", "", html.split("<a ")[1].split("</a>")[0].split(">", 1)[1]) == SITE + "changes/feed.xml"


@pytest.mark.unit
def test_a_one_entry_feed_reads_exactly_as_its_record_says():
    change = _change("2026-03-09", "Dosing reworded. More words.", ("/uses/", "/"), why="Because")
    pages = {"/": ("Home", SITE), "/uses/": ("Uses", SITE + "uses/")}
    xml = feed.render_feed((change,), pages, site_url=SITE, site_name="A site", editions=[{"/uses/": "2026-03-09.0a1b2c"}])
    assert xml == (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
        "<id>https://example.org/info/changes/feed.xml</id>\n"
        "<title>A site: record of changes</title>\n"
        "<subtitle>Every change to what the pages of this site say, newest first: its date, what changed and why, "
        "and the pages it changed.</subtitle>\n"
        "<updated>2026-03-09T00:00:00Z</updated>\n"
        '<link rel="self" type="application/atom+xml" href="https://example.org/info/changes/feed.xml"/>\n'
        '<link rel="alternate" type="text/html" href="https://example.org/info/changes/"/>\n'
        "<author><name>A site</name><uri>https://example.org/info/</uri></author>\n"
        "<entry>\n"
        "<id>tag:example.org,2026-03-09:/info/changes/1</id>\n"
        "<title>Dosing reworded.</title>\n"
        "<published>2026-03-09T00:00:00Z</published>\n"
        "<updated>2026-03-09T00:00:00Z</updated>\n"
        '<link rel="alternate" type="text/html" href="https://example.org/info/changes/#change-2026-03-09-1"/>\n'
        '<link rel="related" type="text/html" href="https://example.org/info/uses/" title="Uses"/>\n'
        '<link rel="related" type="text/html" href="https://example.org/info/" title="Home"/>\n'
        '<category term="/uses/" label="Uses"/>\n'
        '<category term="/" label="Home"/>\n'
        '<content type="html">&lt;p&gt;Dosing reworded. More words.&lt;/p&gt;&lt;p&gt;Why: Because&lt;/p&gt;'
        "&lt;p&gt;Pages changed: &lt;a href=&quot;https://example.org/info/uses/&quot;&gt;Uses&lt;/a&gt;, "
        "&lt;a href=&quot;https://example.org/info/&quot;&gt;Home&lt;/a&gt;&lt;/p&gt;"
        "&lt;p&gt;Edition: Uses 2026-03-09.0a1b2c&lt;/p&gt;</content>\n"
        "</entry>\n"
        "</feed>\n")
    assert 'xml:lang="fr"' in feed.render_feed((change,), pages, site_url=SITE, site_name="A site", language="fr")


@pytest.mark.unit
def test_quotes_in_a_label_or_the_sites_name_stay_inside_their_attributes():
    pages = {"/": ('The "home" page', SITE), "/uses/": ("Uses' list", SITE + "uses/")}
    xml = feed.render_feed((_change("2026-03-09", "Changed.", ("/", "/uses/")),), pages, site_url=SITE, site_name='"Q" site')
    root = ElementTree.fromstring(xml.encode("utf-8"))
    entry = root.find(ATOM + "entry")
    assert [link.get("title") for link in entry.findall(ATOM + "link") if link.get("rel") == "related"] == ['The "home" page', "Uses' list"]
    assert [c.get("label") for c in entry.findall(ATOM + "category")] == ['The "home" page', "Uses' list"]
    assert root.findtext(ATOM + "title") == '"Q" site: record of changes'
    assert 'title="The &quot;home&quot; page"' in xml and 'label="Uses&#x27; list"' in xml


@pytest.mark.unit
def test_characters_xml_cannot_hold_are_left_out_and_nothing_else():
    parsed = feedparser.parse(_render((_change("2026-03-09", "Bell\x07 here.\x0b Tab\tkept."),)).encode())
    assert not parsed.bozo and parsed.entries[0].title == "Bell here."
    assert "<p>Bell here. Tab\tkept.</p>" in parsed.entries[0].content[0].value


@pytest.mark.unit
def test_an_entry_id_reads_a_missing_host_as_empty_and_a_missing_path_as_the_root():
    assert feed.entry_id("https://Example.org", "2026-12-06-3") == "tag:example.org,2026-12-06:/changes/3"
    assert feed.entry_id("https://example.org/info/", "2026-12-06-3") == "tag:example.org,2026-12-06:/info/changes/3"
    assert feed.entry_id("/info/", "2026-12-06-10") == "tag:,2026-12-06:/info/changes/10"


@pytest.mark.unit
def test_an_empty_record_without_a_date_is_refused_saying_so():
    with pytest.raises(ValueError) as refused:
        _render(())
    assert str(refused.value) == "a feed with no entries needs a date"


@pytest.mark.unit
def test_the_offer_shows_the_address_as_text_breakable_after_each_slash():
    assert feed.render_offer("feed.xml", "https://example.org/a&b/o'hara/changes/feed.xml") == (
        '<p class="feed-link"><strong>Get updates in a feed reader:</strong> '
        '<a href="feed.xml" type="application/atom+xml">'
        "https://<wbr>example.org/<wbr>a&amp;b/<wbr>o'hara/<wbr>changes/<wbr>feed.xml</a><br>\n"
        "Add this address to a feed reader (an app or email service that follows websites), and it tells you "
        "each time a change to these pages is recorded, with what changed and why.</p>")


@pytest.mark.unit
def test_an_entry_naming_no_page_stops_the_model_naming_the_line(tmp_path):
    project = copy_project(tmp_path)
    day = day_after_record(project)  # newest first, whatever the record's newest is
    edit(project, "data/changes.yml", "changes:\n", f"changes:\n  - date: {day}\n    pages: [/nowhere/]\n    what: Gone.\n\n")
    with pytest.raises(SiteDataError) as refused:
        model_of(project)
    assert str(refused.value).startswith(f"data/changes.yml, line {line_of(project / 'data/changes.yml', '/nowhere/') - 1}: "
                                         "pages: /nowhere/ is not a page of the site")
    edit(project, "data/changes.yml", f"  - date: {day}\n    pages: [/nowhere/]", "  - pages: [/]")
    with pytest.raises(SiteDataError) as refused:
        model_of(project)
    assert str(refused.value).startswith(f"data/changes.yml, line {line_of(project / 'data/changes.yml', 'pages: [/]')}")
    assert "date" in str(refused.value)


# --- In the built site --------------------------------------------------------------------------


def _feed(site: Path):
    xml = (site / feed.PATH).read_text(encoding="utf-8")
    parsed = feedparser.parse(xml.encode("utf-8"))
    return xml, parsed, next(link.href for link in parsed.feed.links if link.rel == "self").removesuffix(feed.PATH)


@pytest.mark.build
def test_the_built_feed_has_every_recorded_change_and_every_link_resolves(site_dir):
    xml, parsed, base = _feed(site_dir)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert structure_problems(xml) == []
    recorded = yaml.safe_load((ROOT / "data/changes.yml").read_text(encoding="utf-8"))["changes"]
    assert len(parsed.entries) == len(recorded)
    assert [e.title for e in parsed.entries] == [feed.headline(" ".join(c["what"].split())) for c in recorded]
    dates = [e.updated for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    links = [link.href for link in parsed.feed.links] + [link.href for e in parsed.entries for link in e.links]
    links += re.findall(r'href="([^"]+)"', "".join(e.content[0].value for e in parsed.entries))
    assert [problem for url in links if (problem := unresolved(site_dir, base, url))] == []


@pytest.mark.build
def test_every_page_names_the_feed_and_two_pages_offer_it(site_dir):
    _, _, base = _feed(site_dir)
    tag = f'<link rel="alternate" type="application/atom+xml" href="{base}{feed.PATH}" title="Record of changes (Atom feed)">'
    # Every page a reader reads; a moved page's old address holds only a redirect, which names nothing.
    texts = {p: p.read_text(encoding="utf-8") for p in sorted(site_dir.rglob("*.html"))}
    pages = {p: text for p, text in texts.items() if 'http-equiv="refresh"' not in text}
    assert len(pages) > 10
    assert [p.relative_to(site_dir).as_posix() for p, text in pages.items() if tag not in text] == []
    for page, href in (("changes/index.html", "feed.xml"), ("for-clinics/index.html", "../changes/feed.xml")):
        html = (site_dir / page).read_text(encoding="utf-8")
        assert "Get updates in a feed reader" in html and f'href="{href}" type="application/atom+xml"' in html, page
    # Served like every other text file: compressed, under the site-wide headers.
    assert (site_dir / (feed.PATH + ".gz")).is_file()
    assert "\n/*\n" in (site_dir / "_headers").read_text(encoding="utf-8")


@pytest.mark.rebuild
def test_ids_stay_across_builds_when_a_change_is_added(site_dir, tmp_path):
    _, before, _ = _feed(site_dir)
    project = copy_project(tmp_path)
    record(project, ["/privacy/"], "A newer change to the privacy page.")
    record(project, ["/about/"], "Another change, recorded above it.")
    build_site(project, tmp_path / "site", preview=True)
    _, after, _ = _feed(tmp_path / "site")
    assert len(after.entries) == len(before.entries) + 2
    assert [e.title for e in after.entries[:2]] == ["Another change, recorded above it.", "A newer change to the privacy page."]
    assert [(e.id, e.title, e.link) for e in after.entries[2:]] == [(e.id, e.title, e.link) for e in before.entries]
    assert len({e.id for e in after.entries}) == len(after.entries)


# --- The theme and the feed's link --------------------------------------------------------------


@pytest.mark.unit
def test_the_theme_reads_only_its_own_language_links():
    script = 'x;e.pipe(b(()=>M("link[rel=alternate]")),m(r=>r));for(let s of M("[rel=alternate]",o))'
    assert themefix.language_links_only(script) == 'x;e.pipe(b(()=>M("link[rel=alternate][hreflang]")),m(r=>r));for(let s of M("[rel=alternate]",o))'
    for changed in ("no such lookup", script + script):
        with pytest.raises(ValueError):
            themefix.language_links_only(changed)


@pytest.mark.build
def test_the_published_theme_script_leaves_the_feed_link_alone(site_dir):
    (bundle,) = (site_dir / "assets/javascripts").glob("bundle.*.min.js")
    js = bundle.read_text(encoding="utf-8")
    assert 'link[rel=alternate][hreflang]"' in js and 'link[rel=alternate]"' not in js and "sourceMappingURL" not in js
    assert trimcss.fingerprint(bundle.name, js) == bundle.name
    assert not list((site_dir / "assets/javascripts").glob("bundle.*.map"))


@pytest.mark.browser
def test_a_page_with_the_feed_link_requests_no_sitemap(browser, server):
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for path in ("", "changes/"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    page.close()
    assert requests and [url for url in requests if "sitemap" in url or not url.startswith(server)] == []
