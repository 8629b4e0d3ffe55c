"""The site model: everything the build knows, loaded and checked once before MkDocs starts.

Each bad input here is refused by the model itself, so no build is needed to test it; the
messages name the file, the line and what to do. One end-to-end `make build` per kind of
failure lives in tests/test_publishing.py.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import MappingProxyType

import pytest
import yaml

from helpers import REMEDY, ROOT, TINY_NAV, copy_project, edit, line_of, model_of, tiny_settings, tiny_site
from sitegen import clinic as clinic_settings, markers, safety, site as site_model
from sitegen.errors import SiteDataError
from sitegen.publisher import Publisher
from sitegen.site import check_settings, check_text_files, flatten_nav, plain_name

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


@pytest.fixture(scope="module")
def site():
    return model_of(ROOT)


@pytest.mark.xdist_group("test_site_model")  # shares this module's module-scoped fixture on one worker
def test_the_model_holds_the_whole_site(site):
    assert list(site.pages)[:3] == ["index.md", "ketamine.md", "esketamine.md"]
    assert len(site.pages) == len(list((ROOT / "docs").glob("*.md")))
    assert len(site.sources) == len(re.findall(r"^@\w+\{", (ROOT / "references.bib").read_text(encoding="utf-8"), re.M))  # every entry
    assert [s.number for s in site.sources.values()] == list(range(1, len(site.sources) + 1))  # in number order, none skipped
    assert set(site.tables) == {"side-effects", "at-a-glance"}
    written = re.search(r"^last_updated: (\S+)$", (ROOT / "docs/uses.md").read_text(encoding="utf-8"), re.M).group(1)
    assert site.pages["uses.md"].last_updated == dt.date.fromisoformat(written)  # read from the page, which editors change
    assert site.citations["uses.md"][0] == ("glandpharma2023", "mcintyre2021")
    assert ("table", "side-effects") in [(m.name, m.arg) for m in site.markers["side-effects.md"]]
    assert site.canonical("uses.md") == "https://ketamine-depression.example.org/uses/"
    assert site.label("how-they-work.md") == "How they work" and site.by_address("/uses/").src == "uses.md"
    assert not site.pages["handout.md"].cites and not site.pages["handout.md"].searchable


@pytest.mark.xdist_group("test_site_model")  # shares this module's module-scoped fixture on one worker
def test_the_model_cannot_be_changed(site):
    assert isinstance(site.pages, MappingProxyType) and isinstance(site.sources, MappingProxyType)
    with pytest.raises(TypeError):
        site.pages["new.md"] = site.pages["uses.md"]
    with pytest.raises(AttributeError):
        site.settings = None


DUPLICATES = [  # (file, text, replacement, the duplicated line as it reads in the edited file)
    ("data/side-effects.yml", "    row_heading: Side effect\n", "    row_heading: Side effect\n    row_heading: Effect\n", "row_heading: Effect"),
    ("data/at-a-glance.yml", "    row_heading: Topic\n", "    row_heading: Topic\n    row_heading: Fact\n", "row_heading: Fact"),
    ("data/glossary.yml", "  - term: IV\n", "  - term: IV\n    term: IV again\n", "term: IV again"),
    ("data/public-urls.yml", "\nmoved:\n", "\n  /:  # again\n    - more\nmoved:\n", "/:  # again"),  # the home page, listed twice
    ("docs/uses.md", "title: What are", "title: Uses\ntitle: What are", "title: What are"),
]


@pytest.mark.parametrize("path, before, after, duplicate", DUPLICATES, ids=[d[0] for d in DUPLICATES])
def test_a_duplicate_key_in_any_file_stops_the_build(tmp_path, path, before, after, duplicate):
    project = copy_project(tmp_path)
    edit(project, path, before, after)
    with pytest.raises(SiteDataError) as caught:
        model_of(project)
    where = f"{path}, line {line_of(project / path, duplicate)}"
    assert str(caught.value).startswith(where) and "duplicate key" in str(caught.value), str(caught.value)


@pytest.mark.parametrize("path", ["docs/uses.md", "docs/_snippets/urgent-help.md", "data/glossary.yml", "references.bib", "docs/assets/stylesheets/site.css"])
def test_a_file_that_is_not_utf8_is_named(tmp_path, path):
    project = copy_project(tmp_path)
    file = project / path
    file.write_bytes(file.read_bytes().replace(b"\n", "\nCaf\u00e9 \n".encode("latin-1"), 3))
    with pytest.raises(SiteDataError) as caught:
        model_of(project)
    assert str(caught.value).startswith(f"{path}, line 2: is not UTF-8 text (byte 0xe9)"), str(caught.value)


def test_yaml_aliases_are_refused_before_they_expand(tmp_path):
    project = copy_project(tmp_path)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    (project / "data/glossary.yml").write_text(bomb, encoding="utf-8")
    with pytest.raises(SiteDataError, match=r"^data/glossary.yml, line 1: uses a YAML anchor or alias"):
        model_of(project)


def test_an_oversized_data_file_is_refused(tmp_path):
    project = copy_project(tmp_path)
    (project / "data/glossary.yml").write_text("terms:\n" + "# padding\n" * 60000, encoding="utf-8")
    with pytest.raises(SiteDataError, match=r"^data/glossary.yml: is 585 KiB, over the 512 KiB"):
        model_of(project)


def test_a_nav_entry_for_a_missing_page_is_named(tmp_path):
    project = copy_project(tmp_path)
    edit(project, "mkdocs.yml", "Glossary: glossary.md", "Glossary: glosary.md")
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml: nav: 'Glossary' points to glosary.md, which is not in docs/"):
        model_of(project)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://clinic.example.net/info", "https://clinic.example.net/info/"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
        ("https://ketamine-depression.example.org/", "https://ketamine-depression.example.org/"),
    ],
)
def test_good_site_addresses(url, expected):
    assert check_settings("S", url).site_url == expected


@pytest.mark.parametrize("url", ["", "ketamine.example.org", "ftp://example.org/", "https://exa mple.org/", "https://example.org/?a=1", "https://x@example.org/", "https://-bad-.org/", "https://300.1.1.1/",
                                 'https://x.example/"><svg onload=alert(1)>', "https://x.example/a<b", "https://x.example/a\nb"])
def test_bad_site_addresses_are_refused(url):
    with pytest.raises(SiteDataError, match=r"^mkdocs.yml: site_url: "):
        check_settings("S", url)


@pytest.mark.parametrize("key, value", [
    ("site_description", '<meta http-equiv="refresh" content="0;url=https://evil.example/">'),
    ("site_description", "<img src=x onerror=alert(1)>"),
    ("copyright", '<base href="https://evil.example/">'),
    ("copyright", "\u202eetis ruo"),
])
def test_the_settings_templates_print_as_written_are_plain_text(key, value):
    with pytest.raises(SiteDataError, match=rf"^mkdocs.yml: {key}: "):
        check_settings("S", "https://x.example/", texts={key: value})
    check_settings("S", "https://x.example/", texts={key: "Facts about ketamine, with sources", "copyright": None})


@pytest.mark.parametrize("label", ["Uses\u202e", "Side\u200beffects", "Soft\u00adhyphen"])
def test_a_menu_label_with_an_invisible_character_is_refused(label):
    with pytest.raises(SiteDataError, match="invisible character"):
        flatten_nav([{label: "index.md"}])


def test_nav_is_flattened_with_its_sections():
    items = flatten_nav([{"Home": "index.md"}, "plain.md", {"About": [{"Privacy": "privacy.md"}]}])
    assert [(i.label, i.src, i.section) for i in items] == [("Home", "index.md", None), ("plain.md", "plain.md", None), ("Privacy", "privacy.md", "About")]
    with pytest.raises(SiteDataError, match="must name a .md file"):
        flatten_nav([{"Home": "https://example.org/"}])


# --- Unit: settings, names, the nav, text files, what the model answers (issue 21) ---------

def test_settings_keep_what_mkdocs_yml_says_with_defaults_for_what_it_leaves_out():
    plain = check_settings("Ketamine facts", "https://x.example/info")
    assert (plain.site_name, plain.site_url, plain.language, plain.contact_email, plain.clinic, plain.offline) == (
        "Ketamine facts", "https://x.example/info/", "en", "", clinic_settings.Clinic(), False)
    assert plain.directory_urls is True
    full = check_settings("S", "https://x.example/", language="es", contact_email=" a@x.example ", offline=1,
                          clinic_details={"name": "Riverside Clinic"})
    assert (full.language, full.contact_email, full.clinic.name, full.offline, full.directory_urls) == (
        "es", "a@x.example", "Riverside Clinic", True, False)
    assert check_settings("S", "https://x.example/", language=None).language == "en"


def test_a_missing_or_bad_site_address_is_refused_saying_what_is_wanted():
    with pytest.raises(SiteDataError) as error:
        check_settings("S", None)
    assert str(error.value) == ("mkdocs.yml: site_url: must be set (or SITE_URL): printouts, the handout's QR code "
                                "and link previews show full addresses")
    with pytest.raises(SiteDataError) as error:
        check_settings("S", "https://x.example/#top")
    assert str(error.value) == ("mkdocs.yml: site_url: 'https://x.example/#top' is not a web address like "
                                "https://example.org/ or https://example.org/ketamine/")


@pytest.mark.parametrize(
    "url",
    ["https://255.255.255.255/", "https://0.0.0.0/", "https://example.org./", "https://EXAMPLE.org/", "https://a.b-c.d/",
     f"https://{'a' * 63}.org/", "https://localhost:8000/", "http://x1.example/"],
)
def test_site_addresses_a_browser_accepts_are_accepted(url):
    assert check_settings("S", url).site_url == url


@pytest.mark.parametrize(
    "url",
    ["https://256.1.1.1/", "https://1.1.1.1000/", "https://1.2.3/", "https:///x/", f"https://{'a' * 64}.org/", "https://a-.org/",
     "https://a..org/", "https://ex_ample.org/", "https://123.456/", f"https://{'a.' * 127}ab/", "https://u:p@x.example/"],
)
def test_site_addresses_no_browser_reaches_are_refused(url):
    with pytest.raises(SiteDataError, match=r"^mkdocs\.yml: site_url: '.*' is not a web address"):
        check_settings("S", url)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "must be a name in words, got ''"),
        ("   ", "must be a name in words, got '   '"),
        (None, "must be a name in words, got None"),
        (3, "must be a name in words, got 3"),
        ("Q&A", 'may not contain < > & or " (the menu shows it as written); use words, or curly quotes'),
        ("<b>x</b>", 'may not contain < > & or " (the menu shows it as written); use words, or curly quotes'),
        ('The "real" facts', 'may not contain < > & or " (the menu shows it as written); use words, or curly quotes'),
        ("a > b", 'may not contain < > & or " (the menu shows it as written); use words, or curly quotes'),
    ],
)
def test_a_name_the_menu_prints_must_be_plain_words(value, problem):
    with pytest.raises(SiteDataError) as error:
        plain_name("mkdocs.yml: site_name", value)
    assert (error.value.where, error.value.problem) == ("mkdocs.yml: site_name", problem)
    with pytest.raises(SiteDataError, match=r"^mkdocs\.yml: site_name: "):
        check_settings(value, "https://x.example/")


def test_names_with_apostrophes_and_curly_quotes_are_plain():
    plain_name("mkdocs.yml: site_name", "What’s “esketamine”? It's a drug")


def test_a_bad_nav_entry_is_named_with_what_to_write():
    with pytest.raises(SiteDataError) as error:
        flatten_nav([{"Home": "index.md", "Extra": "x.md"}])
    assert str(error.value) == ("mkdocs.yml: nav: each entry is `Label: page.md` or a section with a list, "
                                "got {'Home': 'index.md', 'Extra': 'x.md'}")
    with pytest.raises(SiteDataError) as error:
        flatten_nav([3])
    assert error.value.problem == "each entry is `Label: page.md` or a section with a list, got 3"
    with pytest.raises(SiteDataError) as error:
        flatten_nav([{"About": [{"Home": None}]}])
    assert str(error.value) == "mkdocs.yml: nav: 'Home' must name a .md file in docs/ or list a section's pages"
    with pytest.raises(SiteDataError) as error:
        flatten_nav([{"Q&A": "qa.md"}])
    assert error.value.where == "mkdocs.yml: nav: 'Q&A'"
    assert flatten_nav(None) == () and flatten_nav([]) == ()


def test_nested_sections_are_named_by_their_nearest_section():
    items = flatten_nav([{"About": [{"Inner": [{"Deep": "deep.md"}]}, "top.md"]}])
    assert [(i.label, i.src, i.section) for i in items] == [("Deep", "deep.md", "Inner"), ("top.md", "top.md", "About")]


def test_a_text_file_that_is_not_utf8_is_named_wherever_it_is(tmp_path):
    for folder in ("docs", "data", "overrides"):
        (tmp_path / folder).mkdir()
    (tmp_path / "docs" / "fine.md").write_text("Ketamine’s uses\n", encoding="utf-8")
    (tmp_path / "docs" / "image.png").write_bytes(b"\x89PNG\xff\xfe")  # not text: not read
    check_text_files(tmp_path)
    (tmp_path / "overrides" / "partials").mkdir()
    (tmp_path / "overrides" / "partials" / "bad.HTML").write_bytes(b"caf\xe9\n")
    with pytest.raises(SiteDataError, match=r"^overrides/partials/bad\.HTML"):
        check_text_files(tmp_path)


@pytest.mark.xdist_group("test_site_model")  # shares this module's module-scoped fixture on one worker
def test_the_model_answers_addresses_labels_and_urls_for_this_copy(site):
    assert site.url("uses.md") == "uses/" and site.url("index.md") == ""
    assert site.canonical("index.md") == "https://ketamine-depression.example.org/"
    # The menu's short name, not the page's title; and the section it sits in, as mkdocs.yml says.
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    label, src = next((label, src) for entry in nav for label, src in entry.items() if isinstance(src, str) and label != site.pages[src].title)
    assert site.label(src) == label
    section, items = next((label, items) for entry in nav for label, items in entry.items() if isinstance(items, list))
    (label, src), = items[0].items()
    assert site.label(src) == label and [(i.label, i.section) for i in site.nav if i.src == src] == [(label, section)]
    assert site.by_address("/nothing/") is None and site.by_address("/").src == "index.md"
    offline = type(site)(**{**site.__dict__, "settings": check_settings("S", "https://x.example/", offline=True)})
    assert offline.url("uses.md") == "uses.html" and offline.canonical("uses.md") == "https://x.example/uses/"


# ---------------------------------------------------------------------------------------------
# site.load_site, on a tiny site of its own (the real one takes seconds to load): tiny_site in tests/helpers.py


def test_a_tiny_site_loads_into_the_model(tmp_path):
    loaded = site_model.load_site(tiny_site(tmp_path), tiny_settings(), TINY_NAV)
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
    loaded = site_model.load_site(root, tiny_settings(), TINY_NAV)
    assert [c.sources for c in loaded.record] == [("abdallah2018",)]


@pytest.mark.parametrize(
    ("path", "before", "after", "message"),
    [
        ("docs/extra.md", "More.\n", "More.\n\n## No id\n", "docs/extra.md: every h2/h3 needs an explicit id, so links to it survive rewording:\n"
                                                             "  docs/extra.md, line 12: '## No id' has no explicit id; write it as '## No id {#an-id}'"),
        ("docs/extra.md", "More.\n", "More. [@ncdas]\n", "docs/extra.md, line 10: cites 'ncdas', which the entry at data/changes.yml, line 2 retires: cite another source here, "
                                                    "or take 'ncdas' out of that entry's retire:"),
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
         "'made for anesthesia' is not the article's wording; " + REMEDY + "see data/source/ketamine-esketamine-article.txt for the article's text"),
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
        site_model.load_site(root, tiny_settings(), TINY_NAV)
    assert str(refused.value) == message


def test_a_nav_entry_must_name_a_page_in_docs(tmp_path):
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(tiny_site(tmp_path), tiny_settings(), TINY_NAV + [{"Snippet": "_snippets/note.md"}])
    assert str(refused.value) == "mkdocs.yml: nav: 'Snippet' points to _snippets/note.md, which is not in docs/"


def test_every_text_file_must_be_utf8_and_others_are_not_read(tmp_path):
    root = tiny_site(tmp_path)
    (root / "docs" / "picture.png").write_bytes(b"\x89PNG\xff\xfe")
    (root / "overrides" / "NOTES.TXT").write_bytes(b"caf\xe9")
    with pytest.raises(SiteDataError) as refused:
        site_model.check_text_files(root)
    assert str(refused.value) == "overrides/NOTES.TXT, line 1: is not UTF-8 text (byte 0xe9); save the file as UTF-8 in your editor"


# ---------------------------------------------------------------------------------------------
# site: what load_site names when a page, a data file or the project's layout is wrong (on a copy)

SETTINGS = site_model.check_settings("Site name", "https://x.example/")


# A page of the editor's: its body (after the title and a blank line) starts at line 10 of the file.
TEST_PAGE = ("---\ntitle: A test page\ndescription: A page a test wrote.\nlast_updated: 2026-11-27\n"
             "next_review: 2027-11-27\n---\n\n# A test page\n\n")


TOO_LARGE = "Text.\n" * 100_000  # 600,000 bytes: 585 KiB


def _refusal_of(project: Path) -> str:
    with pytest.raises(SiteDataError) as error:
        site_model.load_site(project, SETTINGS)
    return str(error.value)


def _with_page(tmp_path: Path, body: str) -> Path:
    project = copy_project(tmp_path)
    (project / "docs" / "zz-test.md").write_text(TEST_PAGE + body, encoding="utf-8")
    return project


def test_headings_without_ids_are_listed_one_per_line_with_their_lines(tmp_path):
    project = _with_page(tmp_path, "## One\n\nText.\n\n### Two\n")
    assert _refusal_of(project) == (
        "docs/zz-test.md: every h2/h3 needs an explicit id, so links to it survive rewording:\n"
        "  docs/zz-test.md, line 10: '## One' has no explicit id; write it as '## One {#an-id}'\n"
        "  docs/zz-test.md, line 14: '### Two' has no explicit id; write it as '### Two {#an-id}'"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Text.\n\n<script>alert(1)</script>\n",
         "docs/zz-test.md, line 12: a raw <script> element; pages hold text, and the site's scripts and styles are files named in mkdocs.yml"),
        ("Text.\n\n<!-- insert: nonsense -->\n",
         f"docs/zz-test.md, line 12: unknown marker 'nonsense' (known: {', '.join(markers.REGISTRY)})"),
        ("Text.\n\nA claim [@qq].\n",  # like no key an editor might add, so no "did you mean"
         "docs/zz-test.md, line 12: unknown citation key 'qq' (not in references.bib); "
         "the keys are the names after @article{ in references.bib"),
    ],
    ids=["script", "marker", "citation"],
)
def test_a_problem_in_a_pages_text_is_named_by_its_file_and_line(tmp_path, body, message):
    # The line counts the front matter too, so it is the line the editor's editor shows.
    assert _refusal_of(_with_page(tmp_path, body)) == message


@pytest.mark.parametrize("path", ["docs/zz-test.md", "docs/_snippets/zz-test.md", "data/source/ketamine-esketamine-article.txt"])
def test_a_page_snippet_or_the_article_too_large_to_read_is_named(tmp_path, path):
    project = copy_project(tmp_path)
    (project / path).write_text(TOO_LARGE, encoding="utf-8")
    assert _refusal_of(project) == f"{path}: is 585 KiB, over the 512 KiB a file of this kind may have"


def test_mkdocs_yml_as_a_symbolic_link_is_refused(tmp_path):
    # The settings must be the project's own file, not one a link brings in from elsewhere.
    project = copy_project(tmp_path)
    (project / "mkdocs.yml").rename(tmp_path / "mkdocs.yml")
    (project / "mkdocs.yml").symlink_to(tmp_path / "mkdocs.yml")
    assert _refusal_of(project) == "mkdocs.yml: is a symbolic link; the build reads only the project's own files"


def test_a_recorded_addition_of_a_source_not_in_the_bibliography_is_named_at_its_entry(tmp_path):
    project = copy_project(tmp_path)
    # Dated after every entry (newest first), whatever the record holds when the test runs.
    edit(project, "data/changes.yml", "changes:\n",
         "changes:\n  - add: [nosuchsource2099]\n    date: 2099-12-31\n    pages: [/uses/]\n    what: We added a source.\n    why: A newer study.\n\n")
    line = line_of(project / "data/changes.yml", "- add: [nosuchsource2099]")  # the entry the editor wrote
    assert _refusal_of(project) == f"data/changes.yml, line {line}: 'nosuchsource2099' is not an entry in references.bib"


def test_renaming_the_references_page_is_refused_as_citations_link_to_it(tmp_path):
    # Moved with a redirect, as data/public-urls.yml asks, it is still gone from docs/references.md.
    project = copy_project(tmp_path)
    (project / "docs/references.md").rename(project / "docs/sources.md")
    edit(project, "data/public-urls.yml", "  /references/: []\n", "  /sources/: []\n")
    edit(project, "data/public-urls.yml", "  # /old-address/: /new-address/\n", "  # /old-address/: /new-address/\n  /references/: /sources/\n")
    assert _refusal_of(project) == "docs/references.md: needs the line <!-- insert: bibliography -->: every citation links to the list it makes"


# ---------------------------------------------------------------------------------------------
# site: settings, text files and the tiny site's checks, each case the model decides on its own


def test_settings_keep_the_publisher_and_the_phone_headers_short_name(tmp_path):
    (tmp_path / "logo.svg").write_text("<svg/>", encoding="utf-8")
    settings = check_settings("Site name", "https://x.example/", short_name="Short",
                              publisher_details={"web": "https://publisher.example.org/", "logo": "logo.svg"}, docs=tmp_path)
    assert settings.published_by == Publisher("Site name", "logo.svg", "https://publisher.example.org/")  # no name: the site's own
    assert settings.phone_name == "Short"
    with pytest.raises(SiteDataError, match=r"'other\.svg' is not in docs/"):
        check_settings("S", "https://x.example/", publisher_details={"logo": "other.svg"}, docs=tmp_path)


def test_only_the_text_files_the_build_parses_are_held_to_its_bounds(tmp_path):
    deep = " " * (safety.MAX_INDENT + 1) + "Text.\n"  # nested deeper than the build parses in bounded time
    for folder in ("docs/assets", "data", "overrides"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "docs/assets/words.txt").write_text(deep, encoding="utf-8")  # published as it is, not parsed
    (tmp_path / "overrides/page.html").write_text(deep, encoding="utf-8")  # a template: not parsed by the build
    check_text_files(tmp_path)
    for path in ("docs/page.MD", "mkdocs.yml"):
        (tmp_path / path).write_text(deep, encoding="utf-8")
        with pytest.raises(SiteDataError) as refused:
            check_text_files(tmp_path)
        assert str(refused.value).startswith(f"{path}, line 1: is indented more than {safety.MAX_INDENT} columns")
        (tmp_path / path).unlink()


def _tiny_refusal(root: Path, nav=None) -> str:
    with pytest.raises(SiteDataError) as refused:
        site_model.load_site(root, tiny_settings(), TINY_NAV if nav is None else nav)
    return str(refused.value)


def test_a_guide_page_in_a_menu_section_is_named_by_its_line_in_mkdocs_yml(tmp_path):
    root = tiny_site(tmp_path)
    edit(root, "docs/references.md", "title: References\n", "title: References\nsource: extract\n")
    site_model.load_site(root, tiny_settings(), TINY_NAV)  # only the guide's own pages (source: article) stay at the top
    edit(root, "docs/references.md", "source: extract\n", "source: article\n")
    (root / "mkdocs.yml").write_text("site_name: Tiny\nnav:\n  - Home: index.md\n  - Sources:\n    - References: references.md\n", encoding="utf-8")
    assert _tiny_refusal(root).startswith("mkdocs.yml, line 5: nav: 'References' (references.md) is one of the guide's pages")


def test_a_site_without_mkdocs_yml_still_loads(tmp_path):
    # The settings come from MkDocs; the model reads the file only to point at a nav line.
    root = tiny_site(tmp_path)
    (root / "mkdocs.yml").unlink()
    assert list(site_model.load_site(root, tiny_settings(), TINY_NAV).pages) == ["index.md", "references.md", "extra.md"]


def _add_to_record(root: Path, entries: str) -> None:
    """`entries` (YAML list items) on top of the tiny site's record, which is newest first."""
    edit(root, "data/changes.yml", "changes:\n", "changes:\n" + entries)


def _set(root: Path, src: str, before: str, after: str) -> None:
    edit(root, f"docs/{src}", before, after)


FACT = """  - date: 2026-01-02
    pages: [{page}]
    what: We added a fact.
    why: The source says it.
    additions:
      - id: {id}
        source: {source}
        section: Paper, Results
        text: {text}
"""


def test_each_addition_asks_only_for_the_pages_that_show_it(tmp_path):
    root = tiny_site(tmp_path)
    _add_to_record(root, FACT.format(page="/extra/", id="one", source="abdallah2018", text="Glutamate rose.")
                   + FACT.format(page="/", id="two", source="abdallah2018", text="Glutamate fell."))
    for src in ("index.md", "extra.md"):
        _set(root, src, "last_updated: 2026-01-01", "last_updated: 2026-01-02")
    _set(root, "extra.md", "More.\n", "More.\n\n<!-- insert: addition one -->\n")
    _set(root, "index.md", "<!-- insert: table at-a-glance -->\n", "<!-- insert: table at-a-glance -->\n\n<!-- insert: addition two -->\n")
    loaded = site_model.load_site(root, tiny_settings(), TINY_NAV)
    assert sorted(loaded.additions) == ["one", "two"] and loaded.additions["one"].text == "Glutamate rose."


def test_a_table_cell_quoting_an_addition_is_known_with_where_it_comes_from(tmp_path):
    root = tiny_site(tmp_path)
    _add_to_record(root, FACT.format(page="/extra/", id="one", source="abdallah2018", text="Glutamate rose."))
    _set(root, "extra.md", "last_updated: 2026-01-01", "last_updated: 2026-01-02")
    _set(root, "extra.md", "More.\n", "More.\n\n<!-- insert: addition one -->\n")
    edit(root, "data/at-a-glance.yml", "ketamine: created for anesthesia", "ketamine: [created for anesthesia, Glutamate rose]")
    assert dict(site_model.load_site(root, tiny_settings(), TINY_NAV).table_additions) == {"Glutamate rose": "Paper, Results"}


def test_an_addition_from_a_source_not_in_the_bibliography_is_named_at_its_entry(tmp_path):
    root = tiny_site(tmp_path)
    _add_to_record(root, FACT.format(page="/extra/", id="one", source="nosuch", text="Glutamate rose."))
    _set(root, "extra.md", "last_updated: 2026-01-01", "last_updated: 2026-01-02")
    assert _tiny_refusal(root) == ("data/changes.yml, line 7: source: 'nosuch' is not an entry in references.bib; "
                                   "an addition comes from one of the article's own references, named by its key")


def test_added_sources_are_numbered_in_the_order_the_record_added_them(tmp_path):
    root = tiny_site(tmp_path)
    with (root / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("@misc{early, refnumber = {4}, author = {Early, A.}, year = {2020}, title = {Early}}\n"
                  "@misc{late, refnumber = {3}, author = {Late, B.}, year = {2021}, title = {Late}}\n")
    entry = "  - date: {date}\n    pages: [/references/]\n    what: We added a source.\n    why: It is newer.\n    add: [{key}]\n"
    _add_to_record(root, entry.format(date="2026-01-03", key="late") + entry.format(date="2026-01-02", key="early"))
    _set(root, "references.md", "last_updated: 2026-01-01", "last_updated: 2026-01-03")
    assert "entry 'late': has refnumber 3, but 'early', added before it" in _tiny_refusal(root)


def test_a_review_is_found_under_the_address_its_entry_used_before_the_page_moved(tmp_path):
    # The tiny record names /old/, which data/public-urls.yml moved to /extra/.
    root = tiny_site(tmp_path)
    _set(root, "extra.md", "last_updated:", "reviewed: {by: Dr A. Reviewer, on: 2026-01-01}\nlast_updated:")
    assert site_model.load_site(root, tiny_settings(), TINY_NAV).pages["extra.md"].reviewed[1] == dt.date(2026, 1, 1)


def test_every_reviewed_page_needs_its_entry_and_is_told_where_to_add_it(tmp_path):
    root = tiny_site(tmp_path)
    _set(root, "index.md", "last_updated:", "reviewed: {by: Dr A, on: 2026-01-01}\nlast_updated:")  # recorded
    _set(root, "extra.md", "last_updated:", "reviewed: {by: Dr B, on: 2025-12-01}\nlast_updated:")
    assert _tiny_refusal(root) == ("docs/extra.md, line 4: reviewed: on 2025-12-01, but data/changes.yml has no entry for /extra/ on that "
                                   "date: add one where its date belongs, newest first (date: 2025-12-01, pages: [/extra/], what: Dr B "
                                   "reviewed this page against its sources.)")
    _set(root, "extra.md", "on: 2025-12-01", "on: 2026-02-01")
    assert _tiny_refusal(root).endswith("on that date: add one at the top (date: 2026-02-01, pages: [/extra/], what: Dr B reviewed this "
                                        "page against its sources.) and write `last_updated: 2026-02-01` on line 5")


def test_the_citation_reviews_are_read_when_there_are_reviews_or_citations(tmp_path):
    root = tiny_site(tmp_path)
    assert [(r.key, r.verdict) for r in site_model.load_site(root, tiny_settings(), TINY_NAV).reviews] == [("abdallah2018", "supports")]
    _set(root, "index.md", " [@abdallah2018]", "")
    assert len(site_model.load_site(root, tiny_settings(), TINY_NAV).reviews) == 1  # no citation left: still read, and checked
    (root / "data/reviews/citations.yml").unlink()
    assert site_model.load_site(root, tiny_settings(), TINY_NAV).reviews == ()  # neither: nothing to read
    _set(root, "index.md", "anesthesia.", "anesthesia. [@abdallah2018]")
    assert _tiny_refusal(root).startswith("data/reviews/citations.yml")  # citations need their reviews


def test_the_model_holds_the_history_of_published_text(tmp_path):
    root = tiny_site(tmp_path)
    assert dict(site_model.load_site(root, tiny_settings(), TINY_NAV).history) == {}
    (root / "data/published-text.yml").write_text("pages:\n  /:\n    text: abc\n    entry: 2026-01-01 x\n", encoding="utf-8")
    assert site_model.load_site(root, tiny_settings(), TINY_NAV).history == {"/": {"2026-01-01 x": "abc"}}


def test_the_handouts_review_is_read_with_the_handout_and_refused_at_its_line(tmp_path):
    # Which edition it scores is held against the built handout's (pipeline.build; tests/test_edition.py).
    root = tiny_site(tmp_path)
    review = root / "data/reviews/pemat-p-handout.yml"
    review.parent.mkdir(parents=True, exist_ok=True)
    review.write_text("handout: 2026-01-01.abcdef\nunderstandability:\n- item: 1\n  score: 1\nactionability:\n- item: 20\n  score: 1\n",
                      encoding="utf-8")
    assert site_model.load_site(root, tiny_settings(), TINY_NAV).handout_review is None  # no handout, nothing it scores
    (root / "docs/handout.md").write_text("---\ntitle: Handout\ndescription: About Handout.\nlast_updated: 2026-01-01\n"
                                          "next_review: 2027-01-01\nsearch:\n  exclude: true\n---\n\n# Handout\n\nPrint me.\n", encoding="utf-8")
    edit(root, "data/public-urls.yml", "  /extra/: []\n", "  /extra/: []\n  /handout/: []\n")
    edit(root, "data/changes.yml", "pages: [/, ", "pages: [/handout/, /, ")
    loaded = site_model.load_site(root, tiny_settings(), TINY_NAV)
    assert loaded.handout_review == ("2026-01-01.abcdef", "data/reviews/pemat-p-handout.yml, line 1")
    edit(root, "data/reviews/pemat-p-handout.yml", "score: 1\nactionability", "score: 0\nactionability")
    assert _tiny_refusal(root).startswith("data/reviews/pemat-p-handout.yml, line 2: understandability: the handout scores 0/1")
