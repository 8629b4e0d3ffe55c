"""Printouts: link addresses and the list of sources a page cites, added at build time.

Paper has no hyperlinks, so a printed page must spell out where each link goes
(NHS.UK frontend prints every link's address after its text). CSS alone can
print `attr(href)`, but internal links are relative (`../uses/`), so the full
address is computed here and stored in `data-print-href`, which print.css shows.
Citation numbers are the exception: they print as `[3]` and the page ends with
its numbered sources instead.
"""

from __future__ import annotations

import html as htmllib
import re
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from .errors import SiteDataError
from .public_urls import page_path

# Links that are not destinations a reader would type in: marks, in-page jumps and the
# references page's back-links (not printed: see bibliography.css). The for-clinics link picker's
# links carry their full address in href already, and for-clinics.css prints it from there.
_SKIP_CLASSES = frozenset({"headerlink", "footnote-ref", "footnote-backref", "backlink", "md-button", "link-picker__link"})
_SKIP_SCHEMES = frozenset({"mailto", "tel", "sms", "javascript", "data"})
# A citation links to the references page's entry: `../references/#ref-berman2000`.
_CITATION = re.compile(r"(?:^|/)references(?:/(?:index\.html)?|\.html)#ref-(?P<key>[^\s\"'#]+)$")


class _Anchors(HTMLParser):
    """Finds each <a> start tag: where it is, its attributes, its text, whether it sits in a <sup>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors: list[dict] = []
        self._sup = 0
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "sup":
            self._sup += 1
        elif tag == "a":
            self._open = {
                "pos": self.getpos(),
                "tag": self.get_starttag_text(),
                "attrs": dict(attrs),
                "in_sup": self._sup > 0,
                "text": "",
            }
            self.anchors.append(self._open)

    def handle_startendtag(self, tag, attrs):
        if tag == "a":  # <a/> has no text and ends at once
            self.handle_starttag(tag, attrs)
            self._open = None

    def handle_endtag(self, tag):
        if tag == "sup" and self._sup:
            self._sup -= 1
        elif tag == "a":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


def _anchors(html: str) -> list[dict]:
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    # HTMLParser reports (line, column), counting lines by "\n" alone; turn them into offsets into
    # `html` the same way (str.splitlines also breaks at U+2028, \x0c, \x85 and others).
    starts = [0]
    for line in html.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    for anchor in parser.anchors:
        line, column = anchor["pos"]
        anchor["offset"] = starts[line - 1] + column
    return parser.anchors


def print_address(href: str, page_url: str, site_url: str | None = None) -> str | None:
    """The full address to print after a link to `href` on the page at `page_url`, or None.

    With `site_url` (the offline copy, whose pages link file to file: `privacy.html`),
    a link into the site prints the page's public address (`https://.../privacy/`).
    """
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    parts = urlsplit(href)
    if parts.scheme in _SKIP_SCHEMES:
        return None
    address = urljoin(page_url, href)
    if site_url and address.startswith(site_url):
        path, hash_, fragment = address[len(site_url):].partition("#")
        if path.endswith(".html") or path == "":
            address = site_url + page_path(path).lstrip("/") + hash_ + fragment
    return address


def add_print_addresses(html: str, page_url: str, site_url: str | None = None) -> str:
    """Give every link in `html` a `data-print-href` with its full address, for print.css.

    `page_url` is the page's own full address (its canonical URL). Links inside a
    <sup> (citation and footnote numbers), in-page jumps, permalink marks, buttons,
    marks without letters (back-link arrows) and links whose text already is their
    address get none.
    """
    edits = []
    for anchor in _anchors(html):
        attrs = anchor["attrs"]
        if "href" not in attrs or "data-print-href" in attrs or anchor["in_sup"]:
            continue
        classes = set((attrs.get("class") or "").split())
        if _SKIP_CLASSES & classes and "print-address" not in classes:  # a button that still leads somewhere on paper
            continue
        address = print_address(attrs["href"] or "", page_url, site_url)
        text = anchor["text"].strip()
        if address is None or text in (address, attrs["href"]) or address.split("://", 1)[-1].rstrip("/") in text:
            continue  # the text already says where it goes
        if not re.search(r"[^\W\d_]", text):  # no letters: a mark such as a back-link arrow
            continue
        tag = anchor["tag"]
        close = len(tag) - (2 if tag.endswith("/>") else 1)
        new_tag = f'{tag[:close].rstrip()} data-print-href="{htmllib.escape(address, quote=True)}"{tag[close:]}'
        edits.append((anchor["offset"], tag, new_tag))
    for offset, old, new in reversed(edits):
        assert html.startswith(old, offset), "start tag not where the parser said"
        html = html[:offset] + new + html[offset + len(old):]
    return html


class Cited(NamedTuple):
    """A source a page cites: its number as the text shows it ("3", or "?" where it has none) and its key."""

    number: str
    key: str


def cited_sources(html: str) -> list[Cited]:
    """Each source cited in `html`, once each, in number order.

    A citation is a link inside <sup> to `references/#ref-KEY` whose text is its number.
    """
    seen: dict[str, str] = {}
    for anchor in _anchors(html):
        match = _CITATION.search(anchor["attrs"].get("href") or "")
        if anchor["in_sup"] and match and match["key"] not in seen:
            seen[match["key"]] = anchor["text"].strip().strip("[]") or "?"
    order = list(seen.items())
    order.sort(key=lambda item: (0, int(item[1])) if item[1].isdigit() else (1, 0))
    return [Cited(number, key) for key, number in order]


def sources_block(entries: list[tuple[str, str, str]]) -> str:
    """A print-only numbered list of the page's sources from (number, key, entry HTML) triples.

    Empty when the page cites nothing. The numbers are the site-wide ones shown in
    the text, so `[3]` on paper finds entry 3 here.
    """
    if not entries:
        return ""
    items = []
    for number, _key, text in entries:
        value = f' value="{number}"' if str(number).isdigit() else ""
        items.append(f'<li{value}><span class="reference">{text}</span></li>')
    return (
        '\n<section class="print-only print-sources" aria-labelledby="print-sources" hidden>\n'
        '<h2 id="print-sources">Sources cited on this page</h2>\n'
        f'<ol>\n{"".join(items)}\n</ol>\n</section>\n'
    )


def page_sources(html: str, sources: dict, where: str) -> str:
    """The print-only sources block for a page: its citations matched to the bibliography."""
    cited = cited_sources(html)
    missing = [source.key for source in cited if source.key not in sources]
    if missing:
        raise SiteDataError(where, f"cites {', '.join(missing)}, not in references.bib")
    return sources_block([(source.number, source.key, sources[source.key].html) for source in cited])


_ARTICLE = re.compile(r"(<article\b[^>]*>)(.*)(</article>)", re.S)


def add_print_furniture(page_html: str, page_url: str, sources: dict, where: str, *, offline_site: str | None = None) -> str:
    """A built page made ready for paper: full link addresses and its cited sources, in its <article>.

    Print-only, so it is added by the finishing pass, after search has indexed what
    readers see on screen. `page_url` is the page's full address as built; for the
    offline copy, `offline_site` is the site's address, so links print public addresses.
    """
    match = _ARTICLE.search(page_html)
    if match is None:
        return page_html
    article = add_print_addresses(match.group(2), page_url, offline_site)
    # The sources end the page's text, before the note and dates that close every page.
    end = article.find('<aside class="page-furniture"')
    end = len(article) if end < 0 else end
    article = article[:end] + page_sources(article[:end], sources, where) + article[end:]
    return page_html[: match.start(2)] + article + page_html[match.end(2):]


_CITATION_SUP = re.compile(r"<sup\b[^>]*>\s*(?:<a\b[^>]*references[^\"']*#ref-[^>]*>[^<]*</a>[\s,;–-]*)+</sup>")
_RAW_CITATION = re.compile(r"\s?\[@[^\]\n]+\]")


def strip_citations(html: str) -> str:
    """Remove citation numbers (rendered or still raw `[@key]`) from `html`.

    The handout repeats article text in a small space; its sources stay one scan
    away, on the online version.
    """
    return _RAW_CITATION.sub("", _CITATION_SUP.sub("", html))
