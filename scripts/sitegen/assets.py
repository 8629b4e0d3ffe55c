"""One stylesheet and one script for the whole site, made from the files listed in mkdocs.yml.

Each concern keeps its own small source file; readers download one of each, so a first
visit costs two requests instead of a dozen. Comments stay in the sources: what readers
download has none. What only some pages hold has a sheet of its own, which a page links when
its content calls for it (`called_for`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from . import markup
from .errors import SiteDataError

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# Whole-line comments only: a "//" or "/*" later in a line may be inside a string.
_JS_COMMENT_LINES = re.compile(r"^[ \t]*(?://[^\n]*|/\*(?:[^*]|\*(?!/))*\*/[ \t]*)$\n?", re.M)


def bundle_css(parts: list[tuple[str, str]]) -> str:
    """Concatenate stylesheets in order, without comments or blank lines."""
    out = []
    for name, text in parts:
        if "/*" in _CSS_COMMENT.sub("", text):
            raise SiteDataError(name, "a /* comment is not closed")
        lines = (line.strip() for line in _CSS_COMMENT.sub("", text).splitlines())
        out.append("\n".join(line for line in lines if line))
    return "\n".join(out) + "\n"


def strip_js(text: str) -> str:
    """A script without its whole-line comments and blank lines."""
    lines = _JS_COMMENT_LINES.sub("", text).splitlines()
    return "\n".join(line for line in lines if line.strip()) + "\n"


def bundle_js(parts: list[tuple[str, str]]) -> str:
    # Each file is a complete script; the semicolon keeps one from running into the next.
    return "".join(f"{strip_js(text)};\n" for _, text in parts)


def fingerprinted(path: str, content: str) -> str:
    """`assets/x/site.min.css` -> `assets/x/site.1a2b3c4d.min.css`, so hosts may cache it for a year."""
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:8]
    stem, dot, suffix = path.partition(".min.")
    return f"{stem}.{digest}.min.{suffix}"


def called_for(html: str, sheets: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The sheets, in their order, for which `html` has an element of one of the classes that call for it."""
    held = markup.classes(html)
    return [sheet for sheet, classes in sheets.items() if held.intersection(classes)]
