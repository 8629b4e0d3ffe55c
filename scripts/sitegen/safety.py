"""Rules every page's source must keep, checked by the site model with the page and line.

- No active markup: content is text, never code. A raw `<script>`, an inline event handler
  (`onclick=`), a `javascript:` link or an element that loads or submits elsewhere could run
  on every reader's page; the site's own scripts are files named in mkdocs.yml.
- Crisis help where suicide is mentioned: a page that mentions suicide or self-harm carries
  the urgent-help box.
- Only the repository's own files: nothing reached through a symbolic link or from outside
  the project can be read into a page or published.
"""

from __future__ import annotations

import re
import stat
from html import unescape
from pathlib import Path

from . import htmlcheck, markup, svgcheck
from .errors import SiteDataError
from .prose import prose_lines

URGENT_HELP = '--8<-- "urgent-help.md"'

_ACTIVE = (
    (re.compile(r"<\s*(script|iframe|object|embed|base|form|meta|link|style)\b", re.I),
     "a raw <{0}> element; pages hold text, and the site's scripts and styles are files named in mkdocs.yml"),
    (re.compile(r"<[a-z][^>]*?\s(on[a-z]+)\s*=", re.I),
     "an inline event handler ({0}=); pages hold text, not code"),
    (re.compile(r"(javascript)\s*:", re.I),
     "a javascript: link; link to a page or an address instead"),
    # The build writes the data- attributes it needs (the address a printout shows, an edition, ...);
    # one written here would change what the page or its printout says.
    (re.compile(r"(?<![\w-])(data-[\w-]*)\s*=", re.I),
     "a {0}= attribute; the build writes the data- attributes a page needs, so take it out"),
)
_MENTION = re.compile(r"suicid|self[- ]harm", re.I)
# The box's class given by hand, in an HTML class or an attribute list ({: .urgent-help }).
_HAND_MADE_BOX = re.compile(rf"(?:class\s*=\s*[\"']?[^\"'>]*|\{{[^}}]*\.){htmlcheck.URGENT_HELP_CLASS}\b", re.I)
# pymdownx.snippets: `--8<-- "file.md"` or `--8<-- "page.md:section"`, on a line of its own.
_INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"\s*$')


def check_active_markup(text: str, where: str, first_line: int = 1) -> None:
    """Refuse markup that could run script; code examples (fences, code spans) may show it."""
    for number, line in prose_lines(text, first_line):
        prose = markup.blank_code_spans(line)
        for pattern, problem in _ACTIVE:
            found = pattern.search(prose)
            if found:
                raise SiteDataError(f"{where}, line {number}", problem.format(found.group(1).lower()))


def check_includes(text: str, where: str, first_line: int, docs: Path) -> None:
    """Every snippet a page includes is a file in docs/_snippets/ or docs/ (a page's marked section)."""
    for number, line in prose_lines(text, first_line):
        match = _INCLUDE.match(line)
        if not match:
            continue
        name = match[1].rsplit(":", 1)[0] if re.search(r":[\w-]+$", match[1]) else match[1]
        found = [base / name for base in (docs / "_snippets", docs) if (base / name).is_file()]
        if not name.endswith(".md") or ".." in Path(name).parts or Path(name).is_absolute() or not found or not found[0].resolve().is_relative_to(docs.resolve()):
            raise SiteDataError(
                f"{where}, line {number}",
                f"includes {name}, which is not a Markdown file in docs/_snippets/ or docs/ (only the site's own text can be included)",
            )


def check_urgent_help(body: str, where: str, first_line: int, shown_texts: list[str] = ()) -> None:
    """A page that mentions suicide or self-harm (in its text or a table it shows) carries the box."""
    lines = list(prose_lines(body, first_line))
    for number, line in lines:
        if _HAND_MADE_BOX.search(line):
            raise SiteDataError(f"{where}, line {number}", f"'{htmlcheck.URGENT_HELP_CLASS}' is the site's own box for getting help "
                                f"now, with its crisis lines; include it with the line {URGENT_HELP} instead")
    if any(line.strip() == URGENT_HELP for _, line in lines):
        return
    # As readers see it: an entity (suic&#105;de) or an invisible character does not hide a mention.
    mention = next(((n, line) for n, line in lines if _MENTION.search(htmlcheck.normalise(unescape(line)))), None)
    if mention:
        raise SiteDataError(
            f"{where}, line {mention[0]}",
            f"mentions suicide or self-harm but has no urgent-help box; add the line {URGENT_HELP} "
            "after the paragraph, with blank lines around it",
        )
    if any(_MENTION.search(text) for text in shown_texts):
        raise SiteDataError(where, f"shows a table that mentions suicide but has no urgent-help box; add the line {URGENT_HELP}")


def check_own_files(root: Path, folders: tuple[str, ...], files: tuple[str, ...]) -> None:
    """No symbolic or hard link, pipe or device in the folders the build reads, and no input outside
    the project; from docs/, only what an editor may publish (PUBLISHABLE)."""
    root = root.resolve()
    for name in files:
        path = root / name
        if path.is_symlink():
            raise SiteDataError(name, "is a symbolic link; the build reads only the project's own files")
    for folder in folders:
        base = root / folder
        if base.is_symlink() or not base.resolve().is_relative_to(root):
            raise SiteDataError(folder, "is a symbolic link or outside the project; the build reads only the project's own files")
        for path in sorted(base.rglob("*")):
            name = path.relative_to(root).as_posix()
            if _BAD_NAME.search(name):
                raise SiteDataError(repr(name), "has a control or invisible character in its name; rename it with letters, digits and hyphens")
            if path.is_symlink():
                raise SiteDataError(
                    name, f"is a symbolic link (to {path.readlink()}); the build publishes only the project's own files: replace it with the file itself",
                )
            mode = path.lstat()
            if not (stat.S_ISREG(mode.st_mode) or stat.S_ISDIR(mode.st_mode)):
                raise SiteDataError(name, "is not a file or a folder (a pipe, socket or device); take it out")
            if stat.S_ISREG(mode.st_mode) and mode.st_nlink > 1:
                raise SiteDataError(name, "is a hard link, which may share its text with a file outside the project; replace it with a copy")
            if folder == "docs" and stat.S_ISREG(mode.st_mode):
                check_publishable(path, path.relative_to(base).as_posix(), name)


# What docs/ may hold: every file there is published. Pages are Markdown; the site's own styles,
# scripts and their licences live in docs/assets/; pictures anywhere, SVGs only without active parts.
PAGE_SUFFIXES = frozenset({".md"})
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"})
ASSET_SUFFIXES = frozenset({".css", ".js", ".txt", ".woff2"}) | IMAGE_SUFFIXES
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def check_publishable(path: Path, inside: str, name: str) -> None:
    """Refuse a file in docs/ (at `inside`, relative to docs/) that an editor may not publish."""
    suffix = path.suffix.lower()
    allowed = ASSET_SUFFIXES if inside.startswith("assets/") else (
        PAGE_SUFFIXES if inside.startswith("_snippets/") else PAGE_SUFFIXES | IMAGE_SUFFIXES)
    if suffix not in allowed:
        raise SiteDataError(name, f"is a {suffix or 'suffix-less'} file, which the site does not publish from there: pages are "
                            "Markdown (.md), snippets are .md files in docs/_snippets/, pictures are PNG, JPEG, GIF, WebP, "
                            "AVIF or SVG, and styles and scripts belong in docs/assets/; take it out")
    if suffix == ".svg":
        svgcheck.check_svg(path.read_bytes(), name)


# Limits that keep every parser's work bounded (Python-Markdown's link and footnote patterns slow
# down steeply with many "[" in one paragraph; deep nesting ends in a RecursionError). Today's
# longest line is under 1,000 characters; nothing an editor writes comes near these.
PARSED_SUFFIXES = frozenset({".md", ".yml", ".yaml", ".bib", ".txt"})
MAX_FILE = 1_000_000
MAX_LINE = 2_000
MAX_INDENT = 40
MAX_BRACKETS = 200  # "[" or "{" in one paragraph
MAX_DEPTH = 20  # nested quotes (">") or block elements (<div>, <details>...)
_QUOTES = re.compile(r"[>\s]*")
_BLOCK_OPEN = re.compile(r"<(div|details|section|article|aside|blockquote)\b", re.I)
_BLOCK_CLOSE = re.compile(r"</(div|details|section|article|aside|blockquote)\s*>", re.I)


def check_bounds(text: str, name: str) -> None:
    """Refuse text the build could not parse in bounded time, naming the line and the limit."""
    if len(text) > MAX_FILE:
        raise SiteDataError(name, f"is {len(text):,} characters long; the limit is {MAX_FILE:,}: split it into pages")
    depth, block, block_start = 0, {"[": 0, "{": 0}, 1
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{name}, line {number}"
        if len(line) > MAX_LINE:
            raise SiteDataError(where, f"is {len(line):,} characters long; the limit is {MAX_LINE:,}: break it into shorter paragraphs")
        stripped = line.expandtabs(4)
        if len(stripped) - len(stripped.lstrip()) > MAX_INDENT:
            raise SiteDataError(where, f"is indented more than {MAX_INDENT} columns; lists and quotes nest at most a few levels deep")
        if _QUOTES.match(line)[0].count(">") > MAX_DEPTH:
            raise SiteDataError(where, f"nests quotes more than {MAX_DEPTH} deep")
        if not line.strip():
            block, block_start = {"[": 0, "{": 0}, number + 1
        for mark in block:
            block[mark] += line.count(mark)
            if block[mark] > MAX_BRACKETS:
                raise SiteDataError(f"{name}, line {block_start}", f"the paragraph from this line holds more than {MAX_BRACKETS} "
                                    f"'{mark}'; split it, or write the brackets as &#{ord(mark)};")
        if name.endswith(".md"):
            depth += len(_BLOCK_OPEN.findall(line)) - len(_BLOCK_CLOSE.findall(line))
            if depth > MAX_DEPTH:
                raise SiteDataError(where, f"nests <div>, <details> or similar elements more than {MAX_DEPTH} deep")
