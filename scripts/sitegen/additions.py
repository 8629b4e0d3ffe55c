"""Facts the site adds from the article's own references, shown where a page asks for them.

An addition is recorded in data/changes.yml (its text, the reference and the section it
comes from). A page places it with `<!-- insert: addition ID -->`, a marker of markdown scope (sitegen.markers):
its line becomes one line of Markdown, `render()`, before anything reads the page, so the site
model finds its citation, the safety rules read its words, and its line numbers stay the page's own.
The box says that the site added it, and where from; its text is never the article's.
"""

from __future__ import annotations

import html

from .changes import Addition
from .errors import SiteDataError

CLASS = "site-addition"


def render(addition: Addition) -> str:
    """The box, as one line of Markdown: md_in_html reads its text, so the citation is numbered like any other."""
    e = html.escape
    # A note, not an <aside>: a complementary landmark may not sit inside the page's main one.
    return (f'<div class="{CLASS}" role="note" markdown="1">'
            f'<p class="{CLASS}__label">Added by this site, from the {e(addition.section)}</p>'
            f'<p markdown="span">{e(addition.text, quote=False)}[@{addition.source}]</p></div>')


def check_hand_written(body: str, where: str, first_line: int) -> None:
    """Only the record makes an addition box: hand-written, it would carry prose past the article check."""
    for number, line in enumerate(body.splitlines(), first_line):
        if CLASS in line:
            raise SiteDataError(f"{where}, line {number}", f"'{CLASS}' is the record's box for an addition; add the fact to "
                                "data/changes.yml (additions: id, text, source, section) and place it with <!-- insert: addition ID -->")
