"""The finished-HTML allow-list and the crisis-help check (sitegen/htmlcheck.py), on small pages."""

from __future__ import annotations

import locale

import pytest

from sitegen import htmlcheck

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

BOX = ('<section class="urgent-help"><p>Get help now if you are thinking about suicide</p>'
       '<a href="tel:988">Call 988</a></section>')
SCRIPTS = frozenset({"assets/javascripts/site.min.js"})


def found(body: str, *, page: str = "x/index.html", head: str = "") -> list[str]:
    html = f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"
    return [f.problem for f in htmlcheck.problems(html, page=page, scripts=SCRIPTS)]


@pytest.mark.parametrize("body", [
    "<p>Plain <em>text</em> with <a href=\"https://www.fda.gov/\" title=\"The FDA\">a link</a>.</p>",
    '<p><a href="../uses/#x">relative</a> <a href="mailto:a@b.example">mail</a> <a href="tel:988">call</a> '
    '<a href="sms:988">text</a> <a href="#top">top</a></p>',
    '<table><thead><tr><th scope="col" id="h">A</th></tr></thead><tbody><tr><td headers="h" data-label="A">1</td></tr></tbody></table>',
    '<p><abbr title="A chemical messenger" tabindex="0">glutamate</abbr></p>',
    '<details class="note"><summary>More</summary><p>Folded</p></details>',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0h24v24H0z"/></svg>',
    '<script src="../assets/javascripts/site.min.js"></script><script type="application/json" id="__config">{"a": 1}</script>',
    '<form class="md-search__form" name="search"><input type="text" name="query" placeholder="Search"></form>',
    "<!-- a note to editors -->",
    '<p><img src="../assets/images/x.png" alt="A picture"> <img src="/assets/x.png" alt=""></p>',
    "<h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2><h3>E</h3><h1>F</h1>",  # down one level at a time, up any number
    '<script>var target=document.getElementById(location.hash.slice(1));'
    'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))</script>',
])
def test_what_the_theme_and_markdown_make_passes(body):
    assert found(body) == []


@pytest.mark.parametrize("body, words", [
    ('<a href="https://www.fda.gov/" title="<meta http-equiv=refresh content=0;url=https://evil.example/>FDA">x</a>', "tooltip"),
    ('<abbr title="&lt;img src=x onerror=alert(1)&gt;">WHO</abbr>', "tooltip"),
    ('<meta http-equiv="refresh" content="8;url=https://evil.example/">', "http-equiv"),
    ('<base href="https://evil.example/">', "<base>"),
    ('<iframe src="https://evil.example/"></iframe>', "<iframe>"),
    ('<object data="x.swf"></object>', "<object>"),
    ('<embed src="x.swf">', "<embed>"),
    ('<form action="https://evil.example/"><input name="q"></form>', "form"),
    ("<style>body{display:none}</style>", "<style>"),
    ('<img src="x.png" onerror="alert(1)">', "event handler"),
    ('<img src=x\nonerror=alert(1)>', "event handler"),
    ('<p id="x" onmouseover="alert(1)">x</p>', "event handler"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<a href="java\tscript:alert(1)">x</a>', "javascript:"),
    ('<a href=" JAVASCRIPT:alert(1)">x</a>', "javascript:"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:"),
    ('<a href="http://example.org/">x</a>', "https:"),
    ('<a href="//evil.example/">x</a>', "without https:"),
    ('<script src="offer.js"></script>', "not a script the project names"),
    ('<script src="https://cdn.example/x.js"></script>', "not a script the project names"),
    ('<script type="text/vbscript">x</script>', "<script type"),
    ("<script>alert(1)</script>", "inline script"),
    ("<script>while(1){}</script>", "inline script"),
    ('<script type="module">fetch("//evil.example")</script>', "inline script"),
    ('<svg><use href="#x"></use></svg>', "<use>"),
    ('<svg><foreignObject><p>x</p></foreignObject></svg>', "<foreignobject>"),
    ('<math><mi>x</mi></math>', "<math>"),
    ('<p style="color:red">x</p>', "inline style"),
    ('<td style="text-align: center">x</td>', "alignment colons"),
    ('<link rel="import" href="x.html">', "kind of link"),
    # The theme reads its settings from the first #__config: content before it would replace them.
    ('<div id="__config" hidden>{"search": "x.js"}</div><script type="application/json" id="__config">{}</script>', "given twice"),
    ('<h2 id="x">A</h2><h2 id="x">B</h2>', "given twice"),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', "in the page's text"),
    ('<meta name="robots" content="noindex">', "in the page's text"),
    ('<img src="https://tracker.example/p.png" alt="">', "another host"),
    ("<h1>A</h1><h2>B</h2><h4>C</h4>", "an <h4> after an <h2>: headings go down one level at a time, so write this one with ###"),
    ("<h1>A</h1><h3>B</h3>", "an <h3> after an <h1>"),
    ('<img src="//tracker.example/p.png" alt="">', "another host"),
    ('<img src=" HTTPS://tracker.example/p.png" alt="">', "another host"),
    ('<img src="\x01https://tracker.example/p.png" alt="">', "another host"),  # browsers strip controls too
    ("<!-- a --!><img src=x onerror=alert(1)> -->", "comment"),
    ("<!--><img src=x onerror=alert(1)>-->", "comment"),
    ("<![CDATA[ ><img src=x onerror=alert(1)> ]]>", "declaration"),
    ("<?php echo 1 ?>", "instruction"),
])
def test_anything_else_is_refused_with_a_reason(body, words):
    problems = found(body)
    assert problems, body
    assert any(words in p for p in problems), problems


@pytest.mark.parametrize("mention", [
    "Some people have suicidal thoughts.",
    "It is not known to prevent suicide.",
    "Ask about self-harm.",
    "Ask about self harm.",
    "I want to kill myself.",
    "Some people try to end their life.",
    "Thoughts of taking their own life.",
    "sui&#99;idal thoughts",  # an entity
    "sui\u00adcidal thoughts",  # a soft hyphen
    "sui\u200bcidal thoughts",  # a zero-width space
    "self\u2011harm",  # a non-breaking hyphen
    "<em>sui</em>cidal thoughts",  # split by markup
    "ＳＵＩＣＩＤＥ",  # full-width letters
])
def test_a_mention_needs_the_help_box(mention):
    assert any("urgent-help box" in p for p in found(f"<p>{mention}</p>")), mention
    assert found(f"<p>{mention}</p>{BOX}") == []


@pytest.mark.parametrize("where", [
    '<meta name="description" content="For people with suicidal thoughts">',
    "<title>Suicide and ketamine</title>",
])
def test_a_mention_in_the_head_needs_the_box_too(where):
    assert any("urgent-help box" in p for p in found("<p>Text</p>", head=where))


@pytest.mark.parametrize("hidden", [
    f"<!-- {BOX} -->".replace(">", ""),  # a comment holds no live box (and no '>' may stand in one)
    f"<details><summary>Help</summary>{BOX}</details>",
    f"<pre><code>{BOX}</code></pre>",
    f"<div hidden>{BOX}</div>",
    f'<div aria-hidden="true">{BOX}</div>',
    BOX.replace("<section", "<section hidden"),
])
def test_a_hidden_or_folded_box_does_not_count(hidden):
    assert any("urgent-help box" in p for p in found(f"<p>Suicidal thoughts</p>{hidden}"))


@pytest.mark.parametrize("text", [
    "An overdose of ketamine can slow breathing.",  # a drug fact, not a crisis phrase
    "Self-care and harm reduction.",
    "It may end the day with tiredness.",
])
def test_drug_facts_are_not_crisis_mentions(text):
    assert found(f"<p>{text}</p>") == []


def test_a_problem_is_traced_to_its_source_line(tmp_path):
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text('<p><a href="javascript:alert(1)">x</a></p><p>suicide</p>', encoding="utf-8")
    (tmp_path / "other.html").write_text('<p style="x">y</p>', encoding="utf-8")
    page = htmlcheck.Source("docs/page.md", "# Page\n\nText\n[x](javascript:alert(1))\n\nsuicide\n")
    shared = [htmlcheck.Source("docs/_snippets/s.md", "suicide\n")]
    problems = htmlcheck.check_folder(tmp_path, {"page/index.html": page}, shared, scripts=frozenset())
    assert any(p.startswith("docs/page.md, line 4 (built as page/index.html): ") and "javascript:" in p for p in problems)
    # A mention is the page's own: never blamed on a snippet that also holds the word.
    assert any(p.startswith("docs/page.md, line 6 ") and "urgent-help" in p for p in problems), problems
    assert any(p.startswith("other.html: ") for p in problems), problems


def test_a_script_is_judged_by_where_it_resolves():
    assert found('<script src="/assets/javascripts/site.min.js"></script>', page="404.html") == []
    assert found('<script src="../../assets/javascripts/site.min.js"></script>', page="a/b/index.html") == []
    assert found('<script src="../assets/javascripts/other.js"></script>')


def test_an_image_at_the_sites_own_address_is_its_own():
    own = "https://example.org/"
    assert htmlcheck.problems('<p><img src="https://example.org/assets/x.png" alt=""></p>', own=own) == []
    assert htmlcheck.problems('<p><img src="https://tracker.example/x.png" alt=""></p>', own=own)


def test_the_sites_own_address_may_be_a_local_http_one():
    html = ('<html><head><link rel="canonical" href="http://127.0.0.1:8000/uses/"></head>'
            '<body><a href="http://127.0.0.1:8000/">home</a></body></html>')
    assert htmlcheck.problems(html, own="http://127.0.0.1:8000/") == []
    assert htmlcheck.problems(html, own="https://example.org/")


# --- What the editor reads: each problem in full, at the source line it comes from ----------------------

LONG_HTTP = "http://example.org/" + "a" * 21 + "%20b" + "c" * 30  # Markdown wrote the space at 40 as %20
LONG_TITLE = "<b>A longer tooltip that runs past forty’s characters and on and on</b>"  # smartypants' ’ at 40
LONG_SRC = "../assets/javascripts/" + "b" * 18 + "%20c" + "d" * 30
LONG_IMG = "https://tracker.example/" + "a" * 16 + "%20b" + "c" * 30  # a space at 40 again
# An id as built and as its source wrote it, alike for 40 characters (a slug is made from the source).
LONG_ID, LONG_ID_SOURCE = "a" * 40 + "-b" + "c" * 30, "a" * 40 + "_b" + "c" * 30
TABBED = ('var target=document.getElementById(location.hash.slice(1));'
          'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))')


def traced(body: str, source: str, *, shared: tuple[str, ...] = (), tmp_path, **options) -> list[str]:
    """check_folder's report for one page (page/index.html, from docs/page.md) and snippets of `shared`;
    `options`: check_folder's base and own (its defaults if not given)."""
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    snippets = [htmlcheck.Source(f"docs/_snippets/s{i}.md", text) for i, text in enumerate(shared)]
    return htmlcheck.check_folder(tmp_path, {"page/index.html": htmlcheck.Source("docs/page.md", source)}, snippets,
                                  scripts=SCRIPTS, **options)


AT_3 = "docs/page.md, line 3 (built as page/index.html): "


@pytest.mark.parametrize("body, line, problem", [
    ('<iframe src="https://x.example/"></iframe>', '<iframe src="https://x.example/"></iframe>',
     "a <iframe> element, which the site does not publish; pages hold text, and the site's scripts and styles are files named in mkdocs.yml"),
    ('<p onclick="go()">a</p>', '<p onclick="go()">a</p>', "<p onclick=...>: an event handler; pages hold text, not code"),
    ('<p style="color:red">a</p>', '<p style="color:red">a</p>',
     "<p style=...>: an inline style, which the policy blocks; use the site's stylesheets "
     "(a table's alignment colons, :---:, make one: take them out)"),
    ('<p contenteditable="true">a</p>', '<p contenteditable="true">a</p>', "<p contenteditable=...>: an attribute the site does not publish"),
    (f'<a href="{LONG_HTTP}">x</a>', f"[x](<{LONG_HTTP.replace('%20', ' ')}>)", f'<a href="{LONG_HTTP[:60]}">: an http: address; write it with https:'),
    (f'<abbr title="{LONG_TITLE}">WHO</abbr>', f"*[WHO]: {LONG_TITLE.replace('’', chr(39))}",
     f'<abbr title="{LONG_TITLE[:60]}">: a tooltip with markup in it; the theme shows tooltips as HTML, so write it as plain words, without < or >'),
    ('<meta http-equiv="refresh" content="0">', '<meta http-equiv="refresh" content="0">', "a <meta http-equiv> element"),
    ('<form class="md-search__form" name="ask"></form>', '<form class="md-search__form" name="ask"></form>', "a <form>; only the theme's search box is published"),
    ('<link rel="import" href="x.html">', '<link rel="import" href="x.html">', '<link rel="import">: not a kind of link the site publishes'),
    (f'<script type="text/vbscript">{TABBED}</script>', '<script type="text/vbscript">', 'a <script type="text/vbscript">'),
    (f'<script src="{LONG_SRC}"></script>', f'<script src="{LONG_SRC.replace("%20", " ")}"></script>',
     f'<script src="{LONG_SRC[:60]}">: not a script the project names in mkdocs.yml'),
    ("<script>alert(1);\n   var  a = 2;   var b = 3; var c = 4; var d = 5; var e = 6;</script><p>After.</p>", "<script>alert(1);",
     "an inline script that is not the theme's own ('alert(1); var a = 2; var b = 3; var c = 4; var d ='); "
     "pages hold text, and the site's scripts are files named in mkdocs.yml"),
    ("<!--- a note --->", "<!--- a note --->", "a comment with '>' in it, which browsers may end early; take the '>' out"),
    ("<?xml-stylesheet href='evil.xsl' type='text/xsl'?>", "<?xml-stylesheet href='evil.xsl'?>",
     "a <?xml-stylesheet href=> instruction; pages hold text, not code"),
    ("<![CDATA[ some long declaration text here ]]>", "<![CDATA[ some long declaration text here ]]>",
     "a <!CDATA[ some long dec...> declaration, which browsers read differently; take it out"),
    ('<link rel="stylesheet" href="x.css">', '<link rel="stylesheet" href="x.css">',
     "a <link> in the page's text; the site's templates set the page's links and details in its head"),
    (f'<p id="{LONG_ID}">a</p><h2 id="{LONG_ID}">b</h2>', f"## B {{#{LONG_ID_SOURCE}}}",
     f'id="{LONG_ID[:60]}" is given twice on the page; the theme uses the first, so give each element an id of its own'),
    (f'<p><img src="{LONG_IMG}" alt=""></p>', f"![](<{LONG_IMG.replace('%20', ' ')}>)",
     f'<img src="{LONG_IMG[:60]}">: an image from another host, which every reader\'s browser would ask for; '
     "put the image in docs/ and give its path"),
    ("<h2>A</h2><p>x</p><h4>B</h4>", "#### B", "an <h4> after an <h2>: headings go down one level at a time, so write this one with ###"),
], ids=["element", "handler", "style", "attribute", "http", "tooltip", "http-equiv", "form", "link", "script-type", "script-src",
        "inline-script", "comment", "instruction", "declaration", "link-in-text", "id-twice", "image-elsewhere", "heading-level"])
def test_each_problem_is_named_in_full_at_its_source_line(tmp_path, body, line, problem):
    assert traced(body, f"# Page\n\n{line}\n", tmp_path=tmp_path) == [AT_3 + problem]


def test_a_problem_from_a_snippet_is_traced_to_the_snippet(tmp_path):
    assert traced('<p style="x">a</p>', "# Page\n", shared=("Intro\n<p style=\"x\">a</p>\n",), tmp_path=tmp_path) == [
        "docs/_snippets/s0.md, line 2 (built as page/index.html): <p style=...>: an inline style, which the policy blocks; "
        "use the site's stylesheets (a table's alignment colons, :---:, make one: take them out)"]


def test_a_mention_is_the_pages_own_even_when_only_a_snippet_shows_the_word(tmp_path):
    problems = traced("<p>Thoughts of suicide.</p>", "# Page\n\n--8<-- \"crisis.md\"\n", shared=("Thoughts of suicide.\n",), tmp_path=tmp_path)
    assert problems == ["docs/page.md (built as page/index.html): mentions suicide or self-harm (\"…thoughts of suicide.…\") but shows "
                        'no urgent-help box; add the line --8<-- "urgent-help.md" after that paragraph, with blank lines around it, '
                        "outside any code block, comment or folded section"]


def test_the_pages_own_folder_base_and_address_judge_its_scripts_and_links(tmp_path):
    body = ('<script src="../assets/javascripts/site.min.js"></script><script src="/sub/assets/javascripts/site.min.js"></script>'
            '<a href="http://127.0.0.1:8000/sub/">home</a>')
    assert traced(body, "# Page\n", base="/sub/", own="http://127.0.0.1:8000/sub/", tmp_path=tmp_path) == []


def test_pages_are_read_as_utf8_whatever_the_locale(tmp_path):
    # A build machine may run in the C locale, whose codec is ASCII; the pages are UTF-8.
    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        problems = traced("<p>It’s about suicide.</p>", "# Page\n", tmp_path=tmp_path)
    finally:
        locale.setlocale(locale.LC_CTYPE, old)
    assert len(problems) == 1 and '("…it’s about suicide.…")' in problems[0]


@pytest.mark.parametrize("href", ["XXXX:run", "xxxx:run", "ms-settings:x"])
def test_without_the_sites_own_address_no_address_is_taken_for_it(tmp_path, href):
    # Every unknown scheme is refused, whatever its letters, when no own address is given.
    assert traced(f'<a href="{href}">x</a>', "# Page\n", tmp_path=tmp_path)
    assert htmlcheck.problems(f'<a href="{href}">x</a>') and htmlcheck.read_page(f'<a href="{href}">x</a>').findings


def test_by_default_the_site_is_at_the_hosts_root(tmp_path):
    assert traced('<script src="/assets/javascripts/site.min.js"></script>', "# Page\n", tmp_path=tmp_path) == []
    assert htmlcheck.read_page('<script src="/assets/javascripts/site.min.js"></script>', scripts=SCRIPTS).findings == []
    assert htmlcheck.problems('<script src="/assets/javascripts/site.min.js"></script>', scripts=SCRIPTS, base="/sub/")


@pytest.mark.parametrize("href, line", [
    # As written: the built address reads back as "&copy=2", which only the line as written holds.
    ("http://example.org/?a=1&amp;copy=2", "[x](http://example.org/?a=1&copy=2)"),
    # Written with an entity: found once the line is read as text.
    ("http://example.org/?a=1&amp;b=2", "[x](http://example.org/?a=1&amp;b=2)"),
])
def test_a_source_line_is_found_as_written_or_as_read(tmp_path, href, line):
    assert traced(f'<a href="{href}">x</a>', f"# Page\n\n{line}\n", tmp_path=tmp_path)[0].startswith(AT_3)


def test_a_source_line_is_numbered_as_the_file_numbers_it(tmp_path):
    # A line separator or form feed is no line break in Markdown or an editor: the link is on line 3.
    assert traced('<a href="javascript:x()">x</a>', "# Page\u2028\x0c\x85\n\n[x](javascript:x())\n", tmp_path=tmp_path)[0].startswith(AT_3)


# --- Addresses, as a browser reads them --------------------------------------------------------------------


@pytest.mark.parametrize("value, problem", [
    ("http://example.org/", "an http: address; write it with https:"),
    ("HTTP://example.org/", "an http: address; write it with https:"),
    ("\x01javascript:alert(1)", "a javascript: address; links go to https:, mailto:, tel: or sms: addresses, or to the site's own pages"),
    ("javascript:alert(1)\x1f ", "a javascript: address; links go to https:, mailto:, tel: or sms: addresses, or to the site's own pages"),
    ("XMPP:someone@example.org", "a xmpp: address; links go to https:, mailto:, tel: or sms: addresses, or to the site's own pages"),
    ("//evil.example/", "an address without https:; write it out in full"),
    ("\\\\evil.example/", "an address without https:; write it out in full"),
    ("/\\evil.example/", "an address without https:; write it out in full"),
    ("\\/evil.example/", "an address without https:; write it out in full"),
    # A browser reads https:\\host and https:/host as another host, which urlsplit would not see.
    ("https:\\\\evil.example/x", "an address with a backslash; write it with forward slashes"),
    ("../uses\\x", "an address with a backslash; write it with forward slashes"),
    ("https:/evil.example/y", "an https: address without its //; write it out in full, like https://example.org/"),
    ("HTTPS:evil.example", "an https: address without its //; write it out in full, like https://example.org/"),
    ("https://example.org/", None),
    ("../uses/#dose", None),
])
def test_an_address_is_judged_as_a_browser_reads_it(value, problem):
    # A browser drops every control character and space at either end, and reads a backslash as a slash.
    assert htmlcheck.url_problem(value) == problem


@pytest.mark.parametrize("src", [
    "//cdn.example/assets/javascripts/site.min.js",  # another host, the same path
    "https:assets/javascripts/site.min.js",  # a scheme of its own
])
def test_a_script_elsewhere_is_not_the_projects_even_on_the_same_path(src):
    problems = [f.problem for f in htmlcheck.problems(f'<script src="{src}"></script>', scripts=SCRIPTS)]
    assert f'<script src="{src}">: not a script the project names in mkdocs.yml' in problems


@pytest.mark.parametrize("kind", ["text/javascript", "module", " Module "])
def test_the_theme_script_may_name_its_type(kind):
    assert found(f'<script type="{kind}">{TABBED}</script>') == []


def test_an_inline_script_is_judged_at_its_own_end():
    # Even as the page's last element, and judged by its own text, not what follows it.
    assert [f.problem for f in htmlcheck.problems("<script>alert(1)</script>")] == [
        "an inline script that is not the theme's own ('alert(1)'); pages hold text, and the site's scripts are files named in mkdocs.yml"]


@pytest.mark.parametrize("head", [
    '<meta charset="utf-8"><meta name="description" content="About ketamine">',
    '<link href="x.css">',  # no rel: nothing it links is loaded
    '<link rel="stylesheet icon canonical prev next alternate manifest" href="x">',
])
def test_the_heads_usual_elements_pass(head):
    assert found("<p>Text</p>", head=head) == []


# --- What readers see: the text a mention is looked for in --------------------------------------------------


def test_a_mention_is_shown_to_the_editor_with_thirty_characters_either_side():
    # The phrase matched is "suicid": thirty characters before it, and thirty after it.
    assert htmlcheck.read_page(f"<p>{'a' * 35} suicide {'b' * 35}</p>").mention == f"{'a' * 29} suicide {'b' * 28}"
    assert htmlcheck.read_page("<p>Suicide, and help.</p>").mention == "suicide, and help."


def test_blocks_part_words_and_inline_elements_do_not():
    assert htmlcheck.read_page("<p>Before</p>Suicide<p>after</p>").mention == "before suicide after"
    assert htmlcheck.read_page("<p>Some sui<em>cid</em>al thoughts</p>").phrase == "suicid"


@pytest.mark.parametrize("where", [
    '<img src="x.png" alt="Suicide prevention">',
    '<a href="#x" aria-label="Suicide helplines">?</a>',
    '<abbr title="Suicidal ideation">SI</abbr>',
    '<meta property="og:description" content="Suicidal thoughts">',
    '<meta property="og:title" content="Suicide and ketamine">',
])
def test_words_readers_see_in_attributes_count_as_a_mention(where):
    assert htmlcheck.read_page(f"<p>Text</p>{where}").phrase == "suicid"


@pytest.mark.parametrize("where", [
    '<a href="/suicide-prevention/">Help</a>',
    '<p class="suicide" id="suicide-note">Text</p>',
    '<meta name="keywords" content="suicide">',
    '<meta name="description" content="Ketamine facts" lang="suicide">',
])
def test_words_readers_never_see_are_not_a_mention(where):
    assert htmlcheck.read_page(where).mention is None


def test_boxes_are_counted():
    assert htmlcheck.read_page(f"<p>Suicide</p>{BOX}").boxes == 1
    assert htmlcheck.read_page(f"{BOX}<p>Suicide</p>{BOX}").boxes == 2


@pytest.mark.parametrize("before", [
    "<details>More</details>",  # an element closed with nothing inside it
    "<details><p>More</details>",  # closed with a paragraph left open inside it
    "<div><details><summary>More</summary></details></div>",
    "</p><details></details>",  # a stray end tag first
])
def test_a_box_after_a_closed_folded_section_is_shown(before):
    assert htmlcheck.problems(f"{before}<p>Suicidal thoughts</p>{BOX}") == []


# --- Scripts, where a browser ends them ------------------------------------------------------------------


@pytest.mark.parametrize("script, problem", [
    # Python's parser ends a script only at "</script>", a browser at "</script x>": what follows would be the page.
    ('<script type="application/ld+json">{"a": 1}</script x><img src=x onerror=alert(1)></script>', "a script that holds '</script'"),
    ('<script type="application/ld+json">{"a": 1}</SCRIPT/><p>x</script>', "a script that holds '</script'"),
    ('<script>var a = 1;</script/><p>x</script>', "a script that holds '</script'"),
    ('<script type="application/ld+json">{"reviewedBy": </script>', "a data script that is not JSON"),
    ('<script type="application/json">not json</script>', "a data script that is not JSON"),
    ('<script type="application/ld+json">{"@type": "MedicalWebPage"}</script>', None),
])
def test_a_script_is_read_as_a_browser_reads_it(script, problem):
    found = htmlcheck.problems(f"<!doctype html><html><head><title>t</title>{script}</head><body><p>x</p></body></html>")
    if problem is None:
        assert found == []
    else:
        assert [f.problem for f in found if f.problem.startswith(problem)], found


def test_a_script_problem_is_named_in_full_with_what_to_look_for():
    page = "<!doctype html><html><head><title>t</title>{}</head><body><p>x</p></body></html>"
    ended = htmlcheck.problems(page.format('<script type="application/ld+json">{"a": 1}</script x><p>y</script>'))
    assert [(f.problem, f.needle) for f in ended] == [(
        "a script that holds '</script', where a browser ends it early and reads what follows as the page; pages hold "
        "text, and the site's scripts are files named in mkdocs.yml", "</script")]
    body = "not   json " + "x" * 60
    data = htmlcheck.problems(page.format(f'<script type="application/json">{body}</script>'))
    assert [(f.problem, f.needle) for f in data] == [(
        f"a data script that is not JSON ({('not json ' + 'x' * 60)[:50]!r}); only the theme and the build write data scripts", "<script")]
