"""The finished HTML judged as a browser reads it: an allow-list of markup, and crisis help where readers see a mention.

The checks on the Markdown read it line by line; a browser reads the HTML MkDocs made of it. Anything
that makes the two disagree (an odd code fence, a snippet, a setting, an entity) is caught here, on
the page as built, before anything opens it: the printing browser included.

- Markup: only the elements and attributes the theme, the site's templates and Markdown produce.
  No `on*` handler, no `style`, no `base`, `meta http-equiv`, frames, objects or forms from content;
  links and sources are https:, mailto:, tel:, sms: or relative; a tooltip (`title`) is plain text.
  An image is the site's own; <link> and <meta> are in the head; no id is given twice (the theme
  reads its settings from the first #__config); headings go down one level at a time.
  Scripts are only those the project names (mkdocs.yml's extra_javascript, bundled, and the theme's).
- Crisis help: text normalised as a reader sees it (entities, NFKC, no soft hyphens or zero-width
  characters), matched against PHRASES; a page that matches shows the urgent-help box, not hidden,
  folded away or shown as code.
"""

from __future__ import annotations

import json
import posixpath
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from types import MappingProxyType
from urllib.parse import urlsplit

from . import security
from .prose import split_lines

# Element -> the attributes it may carry besides GLOBAL ones. Anything else is refused.
_TEXT = frozenset()
ELEMENTS: Mapping[str, frozenset[str]] = MappingProxyType({
    **{name: _TEXT for name in (
        "abbr b blockquote body br caption dd del details dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 "
        "head header hr html i ins kbd main mark nav p pre q s section small span strong sub summary sup "
        "table tbody tfoot thead title tr u wbr article aside code div em ul dfn cite var samp"
    ).split()},
    "a": frozenset({"href", "rel", "type", "hreflang", "download"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "td": frozenset({"headers", "colspan", "rowspan"}),
    "th": frozenset({"headers", "colspan", "rowspan", "scope", "abbr"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "label": frozenset({"for"}),
    "button": frozenset({"type"}),
    "input": frozenset({"type", "name", "placeholder", "autocapitalize", "autocorrect", "autocomplete",
                        "spellcheck", "required", "checked"}),
    "link": frozenset({"rel", "href", "type", "sizes", "hreflang"}),
    "meta": frozenset({"charset", "name", "content", "property", "http-equiv"}),  # http-equiv: refused below
    "script": frozenset({"src", "type"}),
    "form": frozenset({"name"}),
    # The theme's icons: drawing elements only (no <use>, <a>, <foreignObject>, <animate> or <style>).
    "svg": frozenset({"xmlns", "viewbox", "width", "height", "fill", "focusable"}),
    **{name: frozenset({"d", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "fill-rule",
                        "clip-rule", "transform", "cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2",
                        "width", "height", "points", "opacity"})
       for name in ("path", "g", "circle", "rect", "line", "polyline", "polygon", "ellipse")},
})
GLOBAL = frozenset({"class", "id", "title", "role", "dir", "lang", "hidden", "tabindex"})
GLOBAL_PREFIXES = ("aria-", "data-")
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
SCHEMES = frozenset({"https", "mailto", "tel", "sms"})
LINK_RELS = frozenset({"stylesheet", "icon", "canonical", "prev", "next", "alternate", "manifest"})
DATA_SCRIPTS = frozenset({"application/json", "application/ld+json"})
# The theme's one form, the search box; no other form may be published (it could post elsewhere).
THEME_FORM = MappingProxyType({"class": "md-search__form", "name": "search"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_NOISE = re.compile(r"[\t\n\r]")
# What a browser strips from both ends of an address before it reads one: every C0 control, and space.
_URL_EDGES = "".join(map(chr, range(0x21)))

# Safe-messaging guidance (988 Lifeline, reportingonsuicide.org, Samaritans) names suicide, self-harm and
# the phrases people use for them. "Overdose" alone is a drug fact on these pages, so only its deliberate
# forms count. Matched on normalised, lower-case text.
PHRASES = re.compile(
    r"suicid|self[- ]?harm|self[- ]?injur|\bkill(?:s|ed|ing)? (?:my|your|him|her|them|our|one)sel(?:f|ves)\b"
    r"|\b(?:end|ending|ended|take|taking|took|taken) (?:my|your|his|her|their|our|one's) (?:own )?life\b"
    r"|\bwant(?:s|ed)? to die\b|\bbetter off dead\b|\b(?:deliberate|intentional) overdose",
)
URGENT_HELP_CLASS = "urgent-help"
# Inside these a box is not shown as help: folded away, shown as code, or never rendered.
_HIDING = frozenset({"details", "pre", "code", "template", "noscript", "textarea", "script", "style"})
_NOT_TEXT = frozenset({"script", "style", "template"})
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
_BLOCKS = frozenset({"p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br", "section", "dt", "dd",
                     "tr", "summary", "caption", "blockquote", "pre", "title", "option", "figcaption", "aside"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
                   "path", "circle", "rect", "line", "polyline", "polygon", "ellipse"})
# What a reader never sees as letters: soft hyphen, zero-width and bidi controls (all category Cf).
_HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")


def normalise(text: str) -> str:
    """Text as a reader sees it: compatibility forms folded, invisible characters gone, one space, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_HYPHENS)
    text = text.translate({ord(c): None for c in set(text) if unicodedata.category(c) == "Cf"})  # each distinct character judged once
    return " ".join(text.split()).lower()


@dataclass
class Finding:
    """One problem in a page, with what to look for in its source."""

    problem: str
    needle: str  # text that likely appears on the source line (a tag or attribute name, a value)
    shared: bool = True  # may come from a snippet or a setting; a page's own mention is its own


@dataclass
class _Reader(HTMLParser):
    scripts: frozenset[str] = frozenset()  # site paths of the scripts the project names
    page: str = "index.html"  # this page's path in the site, for relative script addresses
    base: str = "/"  # the site's path on its host, for root-relative ones (the 404 page's)
    own: str = ""  # the site's own address (a local preview's is http:)
    findings: list[Finding] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    boxes: int = 0
    _open: list[tuple[str, bool]] = field(default_factory=list)  # (element, hides what is inside)
    _script: list[str] | None = None  # the text of the inline script being read
    _data: bool = False  # whether it is a data script (JSON)
    _ids: set[str] = field(default_factory=set)
    _heading: int = 0  # the level of the last heading read

    def __post_init__(self):
        super().__init__(convert_charrefs=True)

    # --- markup ---
    def handle_starttag(self, tag, attrs):
        self._check_element(tag, attrs)
        if tag in _HEADINGS:
            self._check_level(int(tag[1]))
        hiding = tag in _HIDING or any(n == "hidden" for n, _ in attrs) or dict(attrs).get("aria-hidden") == "true"
        classes = (dict(attrs).get("class") or "").split()
        if tag == "section" and URGENT_HELP_CLASS in classes and not hiding and not self._hidden():
            self.boxes += 1
        for name, value in attrs:
            if name in ("title", "alt", "aria-label") and value:
                self.text.append(f" {value} ")
            if tag == "meta" and name == "content" and dict(attrs).get("name", dict(attrs).get("property", "")) in (
                    "description", "og:description", "og:title"):
                self.text.append(f" {value} ")
        if tag in _BLOCKS:
            self.text.append(" ")
        if tag not in _VOID:
            self._open.append((tag, hiding))

    def handle_startendtag(self, tag, attrs):
        self._check_element(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            body, self._script = "".join(self._script), None
            self._check_inline(body)
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break
        if tag in _BLOCKS:
            self.text.append(" ")

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        if not any(tag in _NOT_TEXT for tag, _ in self._open):
            self.text.append(data)

    def handle_comment(self, data):
        # Python's parser ends a comment only at "-->"; browsers also at "--!>" and at "<!-->", so a
        # comment holding ">" could hide live markup from this check.
        if ">" in data or data.startswith("-"):
            self.findings.append(Finding("a comment with '>' in it, which browsers may end early; take the '>' out", "<!--"))

    def unknown_decl(self, data):
        self.findings.append(Finding(f"a <!{data[:20]}...> declaration, which browsers read differently; take it out", "<!["))

    def handle_pi(self, data):
        self.findings.append(Finding(f"a <?{data[:20]}> instruction; pages hold text, not code", "<?"))

    def _hidden(self) -> bool:
        return any(hides for _, hides in self._open)

    def _check_element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = ELEMENTS.get(tag)
        if allowed is None:
            self.findings.append(Finding(f"a <{tag}> element, which the site does not publish; pages hold text, "
                                         "and the site's scripts and styles are files named in mkdocs.yml", f"<{tag}"))
            return
        values = dict(attrs)
        self._check_id_and_image(tag, values)
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(Finding(f"<{tag} {name}=...>: an event handler; pages hold text, not code", name))
            elif name == "style":
                self.findings.append(Finding(
                    f"<{tag} style=...>: an inline style, which the policy blocks; use the site's stylesheets "
                    "(a table's alignment colons, :---:, make one: take them out)", "style"))
            elif not (name in allowed or name in GLOBAL or name.startswith(GLOBAL_PREFIXES)):
                self.findings.append(Finding(f"<{tag} {name}=...>: an attribute the site does not publish", name))
            elif name in URL_ATTRIBUTES and value is not None and not (self.own and value.startswith(self.own)) and (
                    problem := url_problem(value)):
                self.findings.append(Finding(f"<{tag} {name}=\"{value[:60]}\">: {problem}", value[:40]))
            elif name == "title" and value and "<" in value:
                self.findings.append(Finding(
                    f"<{tag} title=\"{value[:60]}\">: a tooltip with markup in it; the theme shows tooltips as HTML, "
                    "so write it as plain words, without < or >", value[:40]))
        if tag == "meta" and "http-equiv" in values:
            self.findings.append(Finding("a <meta http-equiv> element", "http-equiv"))
        elif tag == "form" and values != dict(THEME_FORM):
            self.findings.append(Finding("a <form>; only the theme's search box is published", "<form"))
        elif tag == "link" and not set((values.get("rel") or "").split()) <= LINK_RELS:
            self.findings.append(Finding(f"<link rel=\"{values.get('rel')}\">: not a kind of link the site publishes", "<link"))
        elif tag in ("link", "meta") and not any(name == "head" for name, _ in self._open):
            self.findings.append(Finding(f"a <{tag}> in the page's text; the site's templates set the page's links and "
                                         "details in its head", f"<{tag}"))
        elif tag == "script":
            self._check_script(values)

    def _check_level(self, level: int) -> None:
        # Screen readers list a page by its headings; a skipped level reads as a missing section
        # (the HTML checker, vnu, warns of it too).
        if self._heading and level > self._heading + 1:
            self.findings.append(Finding(f"an <h{level}> after an <h{self._heading}>: headings go down one level at a time, "
                                         f"so write this one with {'#' * (self._heading + 1)}", "#" * level + " "))
        self._heading = level

    def _check_id_and_image(self, tag: str, values: dict[str, str | None]) -> None:
        # The theme reads its settings (#__config) and finds its parts by id, taking the first element
        # that has one: content before them with the same id would take their place.
        if (given := values.get("id")) is not None:
            if given in self._ids:
                self.findings.append(Finding(f"id=\"{given[:60]}\" is given twice on the page; the theme uses the first, "
                                             "so give each element an id of its own", given[:40]))
            self._ids.add(given)
        src = values.get("src") or ""
        # urlsplit drops what a browser drops before the address (controls and spaces), as it reads one.
        if tag == "img" and urlsplit(src).netloc and not (self.own and src.startswith(self.own)):
            self.findings.append(Finding(f"<img src=\"{src[:60]}\">: an image from another host, which every reader's "
                                         "browser would ask for; put the image in docs/ and give its path", src[:40]))

    def _check_inline(self, body: str) -> None:
        # A browser ends a script at "</script" and a space, "/" or ">"; Python's parser only at "</script>",
        # so what a browser reads as markup after "</script x>" would be judged here as the script's text.
        if re.search(r"</script[\s/>]", body, re.I):
            self.findings.append(Finding("a script that holds '</script', where a browser ends it early and reads what follows "
                                         "as the page; pages hold text, and the site's scripts are files named in mkdocs.yml", "</script"))
        elif self._data:
            try:
                json.loads(body)
            except ValueError:
                self.findings.append(Finding(f"a data script that is not JSON ({' '.join(body.split())[:50]!r}); only the theme "
                                             "and the build write data scripts", "<script"))
        elif not security.allowed_inline(body):
            self.findings.append(Finding(f"an inline script that is not the theme's own ({' '.join(body.split())[:50]!r}); "
                                         "pages hold text, and the site's scripts are files named in mkdocs.yml", "<script"))

    def _check_script(self, values: dict[str, str | None]) -> None:
        src, kind = values.get("src"), (values.get("type") or "").strip().lower()
        if src is None:
            self._script, self._data = [], kind in DATA_SCRIPTS  # judged whole at its end tag
            if self._data:
                return
            if kind not in ("", "text/javascript", "module"):
                self.findings.append(Finding(f"a <script type=\"{kind}\">", "<script"))
            return
        address = urlsplit(src).path
        if address.startswith(self.base):
            path = address[len(self.base):]
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), address))
        if urlsplit(src).scheme or urlsplit(src).netloc or path not in self.scripts:
            self.findings.append(Finding(f"<script src=\"{src[:60]}\">: not a script the project names in mkdocs.yml", src[:40]))


def url_problem(value: str) -> str | None:
    """Why an address may not be published, or None: https:, mailto:, tel:, sms: and relative only."""
    url = _URL_NOISE.sub("", value).strip(_URL_EDGES)
    scheme = _SCHEME.match(url)
    if scheme and scheme[1].lower() not in SCHEMES:
        if scheme[1].lower() == "http":
            return "an http: address; write it with https:"
        return f"a {scheme[1].lower()}: address; links go to https:, mailto:, tel: or sms: addresses, or to the site's own pages"
    if not scheme and url.startswith(("//", "\\\\", "/\\", "\\/")):
        return "an address without https:; write it out in full"
    if "\\" in url:  # a browser reads it as "/", so https:\\host is another host, which no check here would see
        return "an address with a backslash; write it with forward slashes"
    if scheme and scheme[1].lower() == "https" and not url[len(scheme[0]):].startswith("//"):
        return "an https: address without its //; write it out in full, like https://example.org/"
    return None


@dataclass
class Report:
    findings: list[Finding]
    mention: str | None  # the first crisis phrase readers see, in context
    phrase: str | None  # the phrase itself
    boxes: int  # urgent-help boxes shown


def read_page(html: str, *, page: str = "index.html", scripts: frozenset[str] = frozenset(), base: str = "/", own: str = "") -> Report:
    """Everything the two checks need from one page, in one parse."""
    reader = _Reader(scripts=scripts, page=page, base=base, own=own)
    reader.feed(html)
    reader.close()
    text = normalise("".join(reader.text))
    match = PHRASES.search(text)
    mention = text[max(0, match.start() - 30): match.end() + 30] if match else None
    return Report(reader.findings, mention, match[0] if match else None, reader.boxes)


def problems(html: str, *, page: str = "index.html", scripts: frozenset[str] = frozenset(), base: str = "/", own: str = "") -> list[Finding]:
    """The page's markup problems and, if it mentions suicide or self-harm, a missing help box."""
    report = read_page(html, page=page, scripts=scripts, base=base, own=own)
    found = list(report.findings)
    if report.mention and not report.boxes:
        found.append(Finding(
            f"mentions suicide or self-harm (\"…{report.mention}…\") but shows no urgent-help box; add the line "
            '--8<-- "urgent-help.md" after that paragraph, with blank lines around it, outside any '
            "code block, comment or folded section", report.phrase or "", shared=False))
    return found


def source_line(source: str, needle: str) -> int | None:
    """The first line (1-based) of `source` that holds `needle`, ignoring case; None if none does."""
    needle = needle.lower().strip()
    if not needle:
        return None
    for number, line in enumerate(split_lines(source), 1):  # numbered as the editor's file is
        if needle in line.lower() or needle in unescape(line).lower():
            return number
    return None


@dataclass(frozen=True)
class Source:
    """A file whose text may be where a page's problem came from: `where` is its name for messages."""

    where: str
    text: str


def check_folder(folder, pages: dict[str, Source], shared: list[Source], *, scripts: frozenset[str], base: str = "/", own: str = "") -> list[str]:
    """Every problem in the HTML files under `folder`, each named by the source file and line it can be
    traced to (the page's Markdown, then the snippets and settings every page shares), else by the file."""
    found = []
    for path in sorted(folder.rglob("*.html")):
        name = path.relative_to(folder).as_posix()
        for finding in problems(path.read_text(encoding="utf-8"), page=name, scripts=scripts, base=base, own=own):
            found.append(f"{_where(finding.needle, pages.get(name), shared if finding.shared else [], name)}: {finding.problem}")
    return found


def _where(needle: str, page: Source | None, shared: list[Source], name: str) -> str:
    for source in ([page] if page else []) + shared:
        line = source_line(source.text, needle)
        if line is not None:
            return f"{source.where}, line {line} (built as {name})"
    return f"{page.where} (built as {name})" if page else name
