"""The menu's reading order: the guide first, then References and the Glossary, then the rest.

A reader who follows "Next" from the home page reads the guide (Home and every page with
`source: article`) from start to end, then its References and Glossary; the pages for other
readers (the handout, for clinics, help, about) come after. `check_order` holds the top level of
`nav:` in mkdocs.yml to that, naming the line to move and where; `place_for_new_page` is where
`make new-page` puts a page that is not one of the guide's (after the Glossary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

from .errors import SiteDataError

REFERENCES = "references.md"
GLOSSARY = "glossary.md"
GUIDE, REFERENCE_LIST, WORD_LIST, OTHER = range(4)
_KIND = MappingProxyType({
    GUIDE: "one of the guide's pages (source: article)",
    REFERENCE_LIST: "the References page",
    WORD_LIST: "the Glossary",
    OTHER: "not one of the guide's pages (its front matter has no `source: article`)",
})
RULE = ("the menu starts with the guide (Home and every page with `source: article`), then References, "
        "then Glossary, then every other page")
# A file name in quotes or not, as YAML allows; it holds no colon, quote or #, so a quoted label may.
_ENTRY = re.compile(r"^(?P<indent>[ \t]*)- (?:(?P<label>[^\n]*?):[ \t]+)?(?P<q>[\"']?)(?P<src>[^\s:#\"'][^\n:#\"']*?\.md)(?P=q)[ \t]*(?:#.*)?$")


@dataclass(frozen=True)
class Line:
    number: int  # in mkdocs.yml, from 1
    text: str  # the line as written, without its indentation
    indent: str


def rank(src: str, source: str | None) -> int:
    """Where a page belongs in the menu's top level: the guide, References, Glossary, the rest."""
    if source == "article":
        return GUIDE
    return {REFERENCES: REFERENCE_LIST, GLOSSARY: WORD_LIST}.get(src, OTHER)


def nav_lines(config_text: str) -> dict[str, Line]:
    """Each page's line in mkdocs.yml's `nav:` (`  - Label: page.md`), by its file name."""
    found: dict[str, Line] = {}
    lines = config_text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"^nav:[ \t]*(#.*)?$", line)), None)
    if start is None:
        return found
    for number, line in enumerate(lines[start + 1:], start + 2):
        if line.strip() and not line[:1].isspace() and not line.startswith("#"):
            break  # the next top-level key
        match = _ENTRY.match(line)
        if match:
            found.setdefault(match["src"], Line(number, line.strip(), match["indent"]))
    return found


def check_order(top_level: list[tuple[str, str, str | None]], config_text: str | None = None, where: str = "mkdocs.yml") -> None:
    """`top_level` is the menu's top level as (label, src, the page's `source:`), in order; the
    guide's pages nested in a section are named too (`nested`: see check_nested)."""
    ranks = [rank(src, source) for _, src, source in top_level]
    lines = nav_lines(config_text or "")

    def at(src: str) -> str:
        line = lines.get(src)
        return f"{where}, line {line.number}" if line else f"{where}: nav"

    def quote(src: str) -> str:
        line = lines.get(src)
        return f"`{line.text}` (line {line.number})" if line else f"the entry for {src}"

    for i, here in enumerate(ranks):
        ahead = [j for j in range(i) if ranks[j] > here]
        if not ahead:
            continue
        if len(ahead) == 1:  # one entry too early: it moves down, after the last entry that precedes it by rank
            j = ahead[0]
            label, src, _ = top_level[j]
            after = max(k for k, r in enumerate(ranks) if r < ranks[j])
            raise SiteDataError(at(src), f"nav: '{label}' ({src}) is {_KIND[ranks[j]]}, but {RULE}: "
                                f"move this line below {quote(top_level[after][1])}")
        label, src, _ = top_level[i]  # this entry is too late: it moves up, above the first that should follow it
        raise SiteDataError(at(src), f"nav: '{label}' ({src}) is {_KIND[here]}, but {RULE}: "
                            f"move this line above {quote(top_level[ahead[0]][1])}")


def check_nested(nested: list[tuple[str, str]], config_text: str | None = None, where: str = "mkdocs.yml") -> None:
    """`nested` is (label, src) of each page with `source: article` inside a menu section."""
    lines = nav_lines(config_text or "")
    for label, src in nested:
        line = lines.get(src)
        raise SiteDataError(f"{where}, line {line.number}" if line else f"{where}: nav",
                            f"nav: '{label}' ({src}) is one of the guide's pages (source: article), so it is at the top level of the "
                            "menu, with the guide's other pages: move its line out of the section, among them")


def place_for_new_page(config_text: str, source_of) -> Line:
    """The top-level nav line a new page (not one of the guide's) goes right after: the last line
    before the other pages (the Glossary's, as the menu is). `source_of(src)` is a page's `source:`."""
    lines = nav_lines(config_text)
    if not lines:
        raise SiteDataError("mkdocs.yml: nav", "has no page entries (`  - Label: page.md`) to put the new page after")
    top = min(len(line.indent.expandtabs()) for line in lines.values())
    top_level = [(src, line) for src, line in lines.items() if len(line.indent.expandtabs()) == top]
    before_others = [line for src, line in top_level if rank(src, source_of(src)) < OTHER]
    return max(before_others or [top_level[-1][1]], key=lambda line: line.number)
