"""The finished-HTML allow-list and the crisis-help check (sitegen/htmlcheck.py), on small pages."""

from __future__ import annotations

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


def test_the_sites_own_address_may_be_a_local_http_one():
    html = '<link rel="canonical" href="http://127.0.0.1:8000/uses/"><a href="http://127.0.0.1:8000/">home</a>'
    assert htmlcheck.problems(html, own="http://127.0.0.1:8000/") == []
    assert htmlcheck.problems(html, own="https://example.org/")
