"""Stable addresses: the recorded page URLs and section ids, moves, and redirect pages.

`data/public-urls.yml` is the promise made to every clinic that links here. The build
compares it with what was built and stops, naming the page or id, when a promise breaks.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import datafile
from .errors import SiteDataError
from .prose import prose_lines

WHERE = "data/public-urls.yml"
_PAGE = re.compile(r"^/([a-z0-9][a-z0-9._-]*/)*$")
_ID = re.compile(r"^[A-Za-z][\w-]*$")
# Folders the build fills itself: the theme's and the site's files (assets/), the search index
# (search/) and the PDFs (pdf/). A redirect page at an old address is a folder with an index.html,
# so one under these, or at a file the build writes (every such name has a dot: sitemap.xml,
# pages.json, robots.txt, 404.html, changes/feed.xml), would collide with the build's own output.
BUILT_FOLDERS = frozenset({"assets", "search", "pdf"})

# An ATX heading of level 2 or 3 (`## Text {#id}`); the attribute list must carry an id.
_HEADING = re.compile(r"^ {0,3}(#{2,3})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_HEADING_ID = re.compile(r"\{[^}]*#([A-Za-z][\w-]*)[^}]*\}\s*$")


@dataclass
class PublicUrls:
    # Each page's section ids as they are now: the file's, each renamed section under its new id
    # (`/page/#old-id: /page/#new-id` under moved: is the whole record of a rename).
    pages: dict[str, list[str]] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)


def page_path(url: str) -> str:
    """MkDocs' page URL (`side-effects/`, `` for home) as recorded (`/side-effects/`).

    The offline copy uses file URLs (`side-effects.html`, `index.html`); they map to
    the same public addresses.
    """
    if url.endswith(".html"):
        url = url[: -len(".html")]
        url = "" if url == "index" else url.removesuffix("/index") + "/"
    return "/" + url


def _check_address(doc: datafile.DataFile, value, path: tuple) -> tuple[str, str | None]:
    if not isinstance(value, str):
        raise doc.error(path, f"an address must be text like /side-effects/ or /side-effects/#id, got {datafile.describe(value)}")
    page, _, anchor = value.partition("#")
    if not _PAGE.match(page):
        raise doc.error(path, f"{value!r} is not a page address like /side-effects/ (start and end with /, lower case)")
    if "#" in value and not _ID.match(anchor):
        raise doc.error(path, f"{value!r} has no valid section id after #")
    return page, (anchor if "#" in value else None)


def _check_moved_from(doc: datafile.DataFile, old: str, path: tuple) -> None:
    """An old address under moved: is where a page was, never a file or folder the build writes."""
    segments = old.partition("#")[0].strip("/").split("/")
    if any("." in segment for segment in segments):
        raise doc.error(path, f"{old!r} has a dot, as the build's own files do (sitemap.xml, pages.json, robots.txt, "
                        "404.html, changes/feed.xml) and a page's address does not; a redirect page there would "
                        "collide with them: write the address the page had, like /old-name/")
    if segments[0] in BUILT_FOLDERS:
        folders = ", ".join(f"/{folder}/" for folder in sorted(BUILT_FOLDERS))
        raise doc.error(path, f"{old!r} starts with /{segments[0]}/, a folder the build fills itself ({folders}), where a "
                        "redirect page could collide with its files; write the address the page had, like /old-name/")


def parse_public_urls(text: str, where: str = WHERE) -> PublicUrls:
    """Validate the file's shape; raise SiteDataError naming the line and key that is wrong.

    Read with the checked loader: a page listed twice is a duplicate key, not a silent
    loss of the first entry's promised ids.
    """
    doc = datafile.load_text(text, where)
    top = doc.mapping(doc.data, (), required=("pages",), optional=("moved",))
    pages = doc.mapping(top["pages"], ("pages",))
    result = PublicUrls()
    for page, ids in pages.items():
        path = ("pages", page)
        _, anchor = _check_address(doc, page, path)
        if anchor is not None:
            raise doc.error(path, "a page address has no #id; list the ids under it")
        ids = ids or []
        if not isinstance(ids, list):
            raise doc.error(path, f"must be a list of section ids, got {datafile.describe(ids)}")
        for i, ident in enumerate(ids):
            if not isinstance(ident, str) or not _ID.match(ident):
                raise doc.error(path + (i,), f"{ident!r} is not a section id (letters, digits, - and _)")
            if ident in ids[:i]:
                raise doc.error(path + (i,), f"lists {ident} more than once")
        result.pages[page] = list(ids)
    moved = top.get("moved") or {}
    if not isinstance(moved, dict):
        raise doc.error(("moved",), "must be a mapping of old address -> new address, one per line (`/old/: /new/`)")
    for old, new in moved.items():
        path = ("moved", old)
        _, old_anchor = _check_address(doc, old, path)
        _check_moved_from(doc, old, path)
        _, new_anchor = _check_address(doc, new, path)
        if (old_anchor is None) != (new_anchor is None):
            raise doc.error(path, "map a page to a page and a section (#id) to a section")
        result.moved[old] = new
    result.pages = _renamed(result.pages, result.moved)
    return result


def _renamed(pages: dict[str, list[str]], moved: dict[str, str]) -> dict[str, list[str]]:
    """The recorded ids with each moved section under its new id, in the old one's place: a renamed
    heading needs only its line under moved:, and every list of sections (for clinics) shows the new id."""
    out = {page: list(ids) for page, ids in pages.items()}
    for old, new in moved.items():
        old_page, _, old_id = old.partition("#")
        new_page, _, new_id = new.partition("#")
        if not old_id:
            continue
        ids = out.get(old_page, [])
        if old_id in ids:
            place = ids.index(old_id)
            ids.remove(old_id)
            if new_page == old_page and new_id not in ids:
                ids.insert(place, new_id)
        if new_page in out and new_id not in out[new_page]:
            out[new_page].append(new_id)
    return out


def load_public_urls(path: Path) -> PublicUrls:
    return parse_public_urls(datafile.read_text(path, WHERE))


def check_public_urls(recorded: PublicUrls, built: dict[str, set[str]], where: str = WHERE) -> None:
    """Every recorded page and id must still be served, directly or through `moved`.

    `built` maps each built page address (`/uses/`) to the ids of its headings.
    """
    for old, new in recorded.moved.items():
        key = f"{where}: moved[{old!r}]"
        old_page, old_anchor = old.split("#")[0], ("#" in old)
        new_page, _, new_id = new.partition("#")
        if new_page not in built:
            raise SiteDataError(key, f"points to {new}, but {new_page} is not a page of the site; point it at the current address")
        if "#" in new and new_id not in built[new_page]:
            raise SiteDataError(key, f"points to {new}, but {new_page} has no heading with id {new_id!r}")
        if not old_anchor and old_page in built:
            raise SiteDataError(key, f"{old} is still a page of the site; remove the entry or the page")
    problems = []
    for page, ids in recorded.pages.items():
        target = recorded.moved.get(page, page)
        if target not in built:
            problems.append(
                f"page {page} is recorded but no longer built; restore it, or add `{page}: /new-address/` under moved"
            )
            continue
        new_ids = sorted(built[target] - set(ids))  # a renamed heading's new id is one of these
        for ident in ids:
            if f"{page}#{ident}" in recorded.moved or ident in built[target]:
                continue
            new_id = new_ids[0] if len(new_ids) == 1 else "new-id"
            problems.append(
                f"section {page}#{ident} is recorded but {target} has no heading with id {ident!r}; "
                f"restore the {{#{ident}}} on its heading, or, if you renamed it, add the line `  {page}#{ident}: {target}#{new_id}` "
                "under moved: (links to the old id keep working)"
            )
    if problems:
        raise SiteDataError(where, "a public address would break:\n  " + "\n  ".join(problems))


def unrecorded(recorded: PublicUrls, built: dict[str, set[str]]) -> list[str]:
    """Built pages and ids that are not recorded yet (not promised to anyone)."""
    missing = []
    for page, ids in built.items():
        if page not in recorded.pages:
            missing.append(page)
            continue
        missing += [f"{page}#{i}" for i in sorted(ids - set(recorded.pages[page]))]
    return missing


def check_recorded(recorded: PublicUrls, built: dict[str, set[str]], where: str = WHERE) -> None:
    """Every built page and h2/h3 id is recorded, so a promise made to linking sites is written down."""
    missing = unrecorded(recorded, built)
    if missing:
        pages = [m for m in missing if "#" not in m]
        ids = [m for m in missing if "#" in m]
        lines = [f"under pages:, add `{p}: [{', '.join(sorted(built[p]))}]`" for p in pages]
        lines += [f"under {m.split('#')[0]}:, add the line `    - {m.split('#')[1]}`" for m in ids if m.split("#")[0] not in pages]
        raise SiteDataError(where, "records every page and section id that other sites may link to; add what is new:\n  " + "\n  ".join(lines))


def page_redirects(recorded: PublicUrls) -> dict[str, str]:
    """Old page address -> new page address, for the redirect pages."""
    return {old: new for old, new in recorded.moved.items() if "#" not in old}


def anchor_aliases(recorded: PublicUrls, page: str) -> dict[str, str]:
    """New id -> old ids on `page`, so old #links keep landing on the moved section.

    An old id counts as on `page` when its old page is `page` or was moved to it.
    """
    redirects = page_redirects(recorded)
    aliases: dict[str, list[str]] = {}
    for old, new in recorded.moved.items():
        old_page, _, old_id = old.partition("#")
        new_page, _, new_id = new.partition("#")
        if old_id and new_page == page and redirects.get(old_page, old_page) == page:
            aliases.setdefault(new_id, []).append(old_id)
    return aliases


def add_anchor_aliases(content: str, aliases: dict[str, list[str]]) -> str:
    """Put an empty anchor with each old id just before the heading that now has the new id."""
    for new_id, old_ids in aliases.items():
        anchors = "".join(f'<span id="{html.escape(o)}"></span>' for o in old_ids)
        content = re.sub(rf'(<h[23][^>]*\bid="{re.escape(new_id)}")', lambda m: anchors + m.group(1), content, count=1)
    return content


REDIRECT_SCRIPT = "/assets/javascripts/redirect.js"


def render_redirect(old: str, new: str, site_url: str, title: str) -> str:
    """A redirect page: meta refresh (relative, so any host works) and a canonical.

    The meta refresh alone works without JavaScript; the small script (a file, no inline
    code) only carries a #section over, which a meta refresh drops.
    """
    relative = posixpath.relpath(new, old)
    target = "./" if relative == "." else relative + "/"
    script = posixpath.relpath(REDIRECT_SCRIPT, old)
    absolute = site_url.rstrip("/") + new
    t, a, c = html.escape(target), html.escape(title), html.escape(absolute)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved: {a}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{c}">\n'
        f'<meta http-equiv="refresh" content="0; url={t}">\n'
        f'<script src="{html.escape(script)}"></script>\n'
        "</head>\n<body>\n"
        f'<p>This page has moved to <a href="{t}">{a}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def headings_without_ids(markdown: str, where: str, first_line: int = 1) -> list[str]:
    """Each h2/h3 written without an explicit `{#id}`, as `where, line N: heading`."""
    problems = []
    for number, line in prose_lines(markdown, first_line):
        match = _HEADING.match(line)
        if match and not _HEADING_ID.search(match.group(2)):
            problems.append(f"{where}, line {number}: '{line.strip()}' has no explicit id; write it as '{line.strip()} {{#an-id}}'")
    return problems


def robots_txt(site_url: str) -> str:
    """robots.txt pointing at the sitemap by its absolute address (crawlers need one).

    Crawlers read robots.txt only at a host's root; when site_url has a path, the host's
    own robots.txt should carry this Sitemap line.
    """
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url.rstrip('/')}/sitemap.xml\n"
