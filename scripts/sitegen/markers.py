"""One marker form for everything the build writes into a page: `<!-- insert: NAME [ARGUMENT] -->`.

A marker stands on a line of its own, with blank lines around it. The site model
finds and checks every marker when it loads (unknown name, missing or unknown
argument: an error naming the page and line); the hooks replace them in the page's
HTML, where a marker shown inside a code example has been escaped and so is left alone.

Two other forms come from the Markdown tools themselves and stay as they are:
citations `[@key]` and pymdownx.snippets' `--8<--` includes and section marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .errors import SiteDataError
from .prose import prose_lines

# What each marker inserts, and what its argument names. An argument list of None: no argument.
KINDS: dict[str, str] = {
    "table": "a comparison table from data/*.yml: <!-- insert: table NAME -->",
    "lists": "a comparison table as one list per medicine, as the article gives it: <!-- insert: lists NAME -->",
    "addition": "a fact the site added from a reference, recorded in data/changes.yml: <!-- insert: addition ID -->",
    "bibliography": "the numbered reference list from references.bib",
    "glossary": "the list of glossary terms from data/glossary.yml",
    "changes": "the record of changes",
    "citation-review": "how many citations the review ledger (data/reviews/citations.yml) found supported, partly, and so on",
    "contact": "how to reach the site's editors: <!-- insert: contact error --> or <!-- insert: contact accessibility -->",
    "link-table": "every page and recorded section with its full address (for clinics)",
    "link-cards": "a copyable link card for every page (for clinics)",
    "handout-link": "where to find the printable handout and its PDFs (for clinics)",
    "pdf-list": "every page's PDF, on US Letter and A4 (for clinics)",
    "clinic-tasks": "the for-clinics page's three tasks, each with its one action",
    "print-actions": "the handout's print button and PDF link",
    "online-version": "the handout's QR code, online address and date",
    "words-to-know": "the glossary's definitions of the terms the page uses (the handout, on paper)",
}
# Markers that need every page built first (they list or link to other pages).
SITE_WIDE = frozenset({"bibliography", "link-table", "link-cards", "handout-link", "pdf-list", "clinic-tasks", "words-to-know"})

_ANY = re.compile(r"<!--\s*insert\b")
LINE = re.compile(r"^ {0,3}<!--\s*insert:\s*(?P<name>[a-z][a-z0-9-]*)(?:[ \t]+(?P<arg>[a-z0-9][a-z0-9-]*))?\s*-->[ \t]*$")
# In built HTML: Python-Markdown passes an HTML comment on its own line through unchanged.
_HTML = re.compile(r"<!--\s*insert:\s*(?P<name>[a-z][a-z0-9-]*)(?:[ \t]+(?P<arg>[a-z0-9][a-z0-9-]*))?\s*-->")


@dataclass(frozen=True)
class Marker:
    name: str
    arg: str | None
    line: int

    def __str__(self) -> str:
        return f"<!-- insert: {self.name}{' ' + self.arg if self.arg else ''} -->"


def find_markers(markdown: str, where: str, first_line: int, arguments: dict[str, frozenset[str] | None]) -> list[Marker]:
    """Every marker in a page's Markdown, checked; `arguments[name]` is the set of allowed arguments (None: none).

    Raises SiteDataError naming the page and line for a marker that is malformed, unknown,
    inside a paragraph, or has a missing or unknown argument.
    """
    found = []
    for number, line in prose_lines(markdown, first_line):
        if not _ANY.search(line):
            continue
        at = f"{where}, line {number}"
        match = LINE.match(line)
        if not match:
            if _ANY.match(line.strip()):
                raise SiteDataError(at, f"'{line.strip()}' is not a marker; write it as <!-- insert: NAME --> on a line of its own (names: {', '.join(KINDS)})")
            raise SiteDataError(at, "a marker must stand on a line of its own, with blank lines around it")
        name, arg = match["name"], match["arg"]
        if name not in KINDS:
            raise SiteDataError(at, f"unknown marker '{name}' (known: {', '.join(KINDS)})")
        allowed = arguments.get(name)
        if allowed is None and arg:
            raise SiteDataError(at, f"<!-- insert: {name} --> takes no argument, got '{arg}'")
        if allowed is not None and arg not in allowed:
            got = f"'{arg}'" if arg else "none"
            raise SiteDataError(at, f"<!-- insert: {name} NAME --> needs one of: {', '.join(sorted(allowed))}; got {got}")
        found.append(Marker(name, arg, number))
    return found


def fill(html: str, render: Callable[[str, str | None], str | None]) -> str:
    """Replace each marker in built HTML with `render(name, arg)`; a None result leaves it for later."""

    def replace(match: re.Match) -> str:
        out = render(match["name"], match["arg"])
        return match.group(0) if out is None else out

    return _HTML.sub(replace, html)


def remaining(html: str) -> list[str]:
    """Markers still in built HTML (none should be, once every page is finished)."""
    return [m.group(0) for m in _HTML.finditer(html)]
