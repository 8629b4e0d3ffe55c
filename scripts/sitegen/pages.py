"""Pages: each Markdown file's front matter, checked, and where the page is published.

Front matter is read with the checked loader (`datafile`), not MkDocs' own reader,
so a duplicate key, an impossible date or a typo in a key name stops the build
naming the page and line instead of being silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from . import datafile
from .errors import SiteDataError

# The pages the build writes something into, by their source in docs/.
REFERENCES_PAGE = "references.md"
HANDOUT_PAGE = "handout.md"
CLINICS_PAGE = "for-clinics.md"
LINK_CARDS_PAGE = "link-cards.md"
# Tools for clinics' staff and web editors, not pages for patients: the for-clinics lists leave them
# out, and they are not printed (sitegen.pdfs.NOT_PRINTED).
TOOL_PAGES = frozenset({CLINICS_PAGE, LINK_CARDS_PAGE})
CHANGES_PAGE = "changes.md"

REQUIRED = ("title", "description", "last_updated", "next_review")
# search: {exclude: true} is mkdocs-material's; citations: omit is ours (the handout);
# source: article (the page holds the article's sentences) or extract (it repeats some: the
# handout) makes the build check its prose against the article; hide is the theme's.
# reviewed: {by, on} records a review of the page against its sources, by a named person;
# review_note says why a page's next_review is not the site's one review date.
OPTIONAL = ("search", "citations", "source", "hide", "reviewed", "review_note")
# What the theme's `hide:` can hide on a page (mkdocs-material, "Setting up navigation" and its templates).
HIDEABLE = ("navigation", "toc", "footer", "path", "tags", "feedback")

# MkDocs' own pattern for a front matter block (mkdocs.utils.meta), so both read the same lines.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


@dataclass(frozen=True)
class Page:
    src: str  # path under docs/: "uses.md"
    title: str
    description: str
    last_updated: dt.date
    next_review: dt.date
    body: str  # the Markdown after the front matter
    body_line: int  # the file line the body starts on
    cites: bool = True  # False: the page repeats cited text and shows no citation numbers
    searchable: bool = True
    source: str | None = None  # "article" or "extract": its prose is checked against the article
    updated_line: int = 0  # the file line of last_updated, for messages
    reviewed: tuple[str, dt.date] | None = None  # (who, when): only a review that happened
    review_note: str = ""  # why its next_review differs from the other pages'
    review_line: int = 0  # the file line of next_review, for messages
    reviewed_line: int = 0  # the file line of reviewed, for messages

    @property
    def where(self) -> str:
        return f"docs/{self.src}"

    @property
    def address(self) -> str:
        """The public address, from the site root: `uses.md` -> `/uses/`, `index.md` -> `/`."""
        return "/" + url_of(self.src)

    def line_of(self, offset: int) -> int:
        """The file line of a character offset into `body`."""
        return self.body_line + self.body.count("\n", 0, offset)


def url_of(src: str, directory_urls: bool = True) -> str:
    """MkDocs' page URL for a source file: `uses.md` -> `uses/`, `index.md` -> ``, `a/index.md` -> `a/`.

    Without directory URLs (the offline copy): `uses.md` -> `uses.html`, `index.md` -> `index.html`.
    """
    stem = src.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def output_file(src: str, directory_urls: bool = True) -> str:
    """The built file for a page: `uses.md` -> `uses/index.html` (or `uses.html` offline)."""
    url = url_of(src, directory_urls)
    return url + "index.html" if url == "" or url.endswith("/") else url


def human_date(day: dt.date) -> str:
    """US style, as the site's readers write it: November 27, 2026."""
    return f"{day:%B} {day.day}, {day.year}"


def parse_page(src: str, text: str) -> Page:
    """A page's checked front matter and body; raise SiteDataError naming the line that is wrong."""
    where = f"docs/{src}"
    match = _FRONT_MATTER.match(text)
    if not match:
        raise SiteDataError(where, "does not start with front matter (a block between two '---' lines with title, description, last_updated and next_review)")
    doc = datafile.load_text(match.group(1), where, first_line=2, keys=REQUIRED + OPTIONAL)
    meta = doc.mapping(doc.data, (), required=REQUIRED, optional=OPTIONAL)
    # Titles and descriptions land in <title>, meta tags, JSON-LD and link cards: plain text only.
    title = doc.text(meta["title"], ("title",))
    description = doc.text(meta["description"], ("description",))
    for key, value in (("title", title), ("description", description)):
        if "TODO" in value:
            raise doc.error((key,), "still holds the new-page scaffold's TODO: write it, in a sentence")
    updated = _date(doc, meta["last_updated"], "last_updated")
    review = _date(doc, meta["next_review"], "next_review")
    if review <= updated:
        raise doc.error(("next_review",), f"{review} must be after last_updated ({updated})")
    cites = meta.get("citations", "show")
    if cites not in ("show", "omit"):
        raise doc.error(("citations",), f"must be 'omit' (or left out), got {datafile.describe(cites)}")
    source = meta.get("source")
    if source not in (None, "article", "extract"):
        raise doc.error(("source",), "must be 'article' (the page holds the article's sentences) or 'extract' (it repeats some), or left out")
    reviewed = None
    if meta.get("reviewed") is not None:
        if not isinstance(meta["reviewed"], dict):  # the common slip: "reviewed: Name on date"
            raise doc.error(("reviewed",), f'write it as {{by: "Name, credentials", on: YYYY-MM-DD}}, got {datafile.describe(meta["reviewed"])}')
        entry = doc.mapping(meta["reviewed"], ("reviewed",), required=("by", "on"))
        reviewed = (doc.text(entry["by"], ("reviewed", "by")), _date(doc, entry["on"], "reviewed", ("reviewed", "on")))
    searchable = _theme_settings(doc, meta)
    return Page(
        src=src,
        title=title,
        description=description,
        last_updated=updated,
        next_review=review,
        body=text[match.end():],
        body_line=text.count("\n", 0, match.end()) + 1,
        cites=cites == "show",
        searchable=searchable,
        source=source,
        updated_line=doc.lines[("last_updated",)],
        reviewed=reviewed,
        review_note=doc.text(meta["review_note"], ("review_note",)) if meta.get("review_note") is not None else "",
        review_line=doc.lines[("next_review",)],
        reviewed_line=doc.lines.get(("reviewed",), 0),
    )


def _theme_settings(doc: datafile.DataFile, meta: dict) -> bool:
    """Check the theme's own keys, `hide` and `search`; whether the page is in the search index."""
    hidden = meta.get("hide")
    if hidden is not None:
        parts = doc.items(hidden, ("hide",), "page parts")
        for index, part in enumerate(parts):
            if part not in HIDEABLE:
                raise doc.error(("hide", index), f"must be one of {', '.join(HIDEABLE)}, got {datafile.describe(part)}")
    search = meta.get("search") or {}
    if not isinstance(search, dict) or set(search) - {"exclude"} or any(not isinstance(v, bool) for v in search.values()):
        raise doc.error(("search",), f"must be `exclude: true` (indented under search:) or left out, got {datafile.describe(search)}")
    return search.get("exclude") is not True


def _date(doc: datafile.DataFile, value, key: str, path: tuple | None = None) -> dt.date:
    # YAML reads 2026-11-27 as a date; a quoted or otherwise written value is not one.
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as error:
            raise doc.error(path or (key,), f"{value.strip()!r} is not a real date ({error})") from None
    raise doc.error(path or (key,), f"must be a date written YYYY-MM-DD, got {datafile.describe(value)}")


def review_cycle(dates) -> tuple[dt.date, int] | None:
    """The site's one review date: the next_review most pages share (the earliest, on a tie), and how many."""
    counted = Counter(dates)
    return min(counted.items(), key=lambda item: (-item[1], item[0])) if counted else None
