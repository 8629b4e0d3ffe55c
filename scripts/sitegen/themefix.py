"""Fixes to markup the theme writes outside any template block, applied to each built page."""

from __future__ import annotations

import re

from . import markup

# mkdocs-material's base.html writes its drawer and search toggles as
# <input ... type="checkbox" id="__drawer" autocomplete="off">, and HTML allows `autocomplete`
# only on text-like inputs (Nu Html Checker error). The inputs sit in base.html outside every
# block, so no template override can reach them short of copying the whole base template.
# Only the theme's own `md-toggle` inputs are touched.
_TOGGLE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?)\s+autocomplete="off"')


def drop_checkbox_autocomplete(html: str) -> str:
    """`html` without the invalid `autocomplete` attribute on the theme's toggle checkboxes."""
    return _TOGGLE.sub(r"\1", html)


# On a page without a table of contents (References, Glossary) the theme still writes the
# contents toggle, <input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">, but
# not the <label for="__toc"> that names it; checkers report an unnamed form control.
_TOC_TOGGLE = re.compile(r'<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">')


def name_toc_toggle(html: str) -> str:
    """`html` with the contents toggle named where no label names it."""
    if 'for="__toc"' in html:
        return html
    return _TOC_TOGGLE.sub('<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc" aria-label="Table of contents">', html)


# mkdocs-material reads every <link rel="alternate"> as another language's version of the site, and on
# every page fetches the sitemap.xml beside each one to map its pages. The change feed is an alternate
# too (rel="alternate" type="application/atom+xml", as feed readers look for it), so every page would
# fetch /changes/sitemap.xml, which does not exist, from the public address (another host, offline and
# in a clinic's preview). The theme's own language links always carry hreflang: it looks at those only.
_ALTERNATES = re.compile(r'(\b[\w$]+\(")link\[rel=alternate\](?="\))')


def language_links_only(script: str) -> str:
    """The theme's script, its language switcher reading only links with an hreflang; raises ValueError
    when the script no longer reads them as this expects (a new theme: look again at the feed's link)."""
    found = _ALTERNATES.findall(script)
    if len(found) != 1:
        raise ValueError(f"the theme's script reads link[rel=alternate] {len(found)} times, not once: a new "
                         "theme version? Check that a page's feed link no longer makes it fetch a sitemap")
    return _ALTERNATES.sub(r"\1link[rel=alternate][hreflang]", script)


def fix_page(html: str) -> str:
    """Every fix above, for one built page."""
    return name_toc_toggle(drop_checkbox_autocomplete(html))


# The theme's templates indent every line, and most of a built page's lines are blank or
# indentation only (about 500 bytes a page, gzipped). A run of spaces that holds a line break
# renders as one space, so it becomes one line break: text, inline spacing and every line of
# <pre>, <textarea>, <script> and <style> stay as they were, and so do the insides of tags.
_VERBATIM = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_BROKEN_RUN = re.compile(r"[ \t\r\n\f]*\n[ \t\r\n\f]*")


def _collapse_text(chunk: str) -> str:
    return markup.outside_tags(chunk, lambda text: _BROKEN_RUN.sub("\n", text))


def collapse_whitespace(html: str) -> str:
    """`html` with each run of whitespace that holds a line break, between tags and in text,
    made one line break; verbatim elements and the insides of tags are left alone."""
    out, pos = [], 0
    for block in _VERBATIM.finditer(html):
        out.append(_collapse_text(html[pos:block.start()]))
        out.append(block.group(0))
        pos = block.end()
    out.append(_collapse_text(html[pos:]))
    return "".join(out)
