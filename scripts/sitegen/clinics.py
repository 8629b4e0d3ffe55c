"""The for-clinics page, organised by task: link to a page or section, print the handout, print any page.

Pages come from the built navigation, sections from the ids recorded in
`data/public-urls.yml` (only those are promised to stay), titles from the built headings,
PDFs from the names the build prints them under (sitegen.pdfs). Nothing here is typed by
hand, so the page cannot drift from the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from types import MappingProxyType

from .pdfs import PAPERS

PAPER_LABELS = MappingProxyType({"Letter": "US Letter", "A4": "A4"})


def _text(value: str) -> str:
    """Text content escaped once, quotes left as they are: a snippet pasted elsewhere reads `site's`, not `site&#x27;s`."""
    return escape(value, quote=False)


@dataclass
class LinkedPage:
    title: str
    url: str  # absolute, from site_url
    description: str
    sections: list[tuple[str, str]] = field(default_factory=list)  # (id, heading text)
    pdfs: dict[str, str] = field(default_factory=dict)  # paper -> the PDF's link from the for-clinics page


def _breakable(url: str) -> str:
    """The address as text that wraps on a phone only after a slash (<wbr>): a part with a hyphen
    is kept whole (link-picker__part), as a break after "ketamine-" reads as a hyphenated word."""
    parts = re.findall(r"[^/]*/+|[^/]+$", url)
    return "<wbr>".join(f'<span class="link-picker__part">{_text(part)}</span>' if "-" in part else _text(part) for part in parts)


def _slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-")


def _copy_button(text: str, label: str, *, source: str | None = None) -> str:
    # Hidden until copy.js finds a working clipboard; the address stays selectable text anyway.
    # Without a source it copies the address of the link beside it (data-copy-link), which the row
    # already holds twice (the link and the address shown): a third copy would only add bytes.
    target = f'data-copy-from="{escape(source)}"' if source is not None else "data-copy-link"
    return (
        f'<button type="button" class="md-button copy-button" {target} hidden>'
        f'{escape(text)}<span class="visually-hidden"> {escape(label)}</span></button>'
    )


def _row(title: str, url: str, label: str, *, context: str = "") -> str:
    # The name is the link; the address is shown as text to select, and the button copies the
    # link's address. On paper the address prints after the link from its href (for-clinics.css).
    return (
        '<div class="link-picker__row">'
        f'<a class="link-picker__link" href="{escape(url)}">{context}{_text(title)}</a>'
        f'<span class="link-picker__address">{_breakable(url)}</span>'
        f"{_copy_button('Copy link', label)}</div>"
    )


def render_link_table(pages: list[LinkedPage]) -> str:
    """One row per page (its name, address and copy button); its sections open below it on request."""
    items = []
    for page in pages:
        parts = [_row(page.title, page.url, f"to the page {page.title}")]
        if page.sections:
            rows = "".join(
                "<li>" + _row(heading, f"{page.url}#{ident}", f"to the section {heading}",
                              context=f'<span class="visually-hidden">{_text(page.title)}, section: </span>') + "</li>"
                for ident, heading in page.sections
            )
            count = len(page.sections)
            parts.append(
                '<details class="link-picker__sections">'
                f'<summary>{count} section{"s" if count != 1 else ""}<span class="visually-hidden"> of {_text(page.title)}</span></summary>'
                f'<ul>{rows}</ul></details>'
            )
        items.append('<li class="link-picker__page">' + "".join(parts) + "</li>")
    return '<ul class="link-picker">\n' + "\n".join(items) + "\n</ul>"


def link_card(page: LinkedPage, site_name: str) -> str:
    """A plain link card a clinic can paste into its own page: no script, no iframe, no styles."""
    return (
        f'<div class="ketamine-info-link">\n'
        f'  <p><a href="{escape(page.url)}"><strong>{_text(page.title)}</strong></a></p>\n'
        f"  <p>{_text(page.description)}</p>\n"
        f"  <p>{_text(page.url)} ({_text(site_name)})</p>\n"
        f"</div>"
    )


def render_cards(pages: list[LinkedPage], site_name: str) -> str:
    """Each page's card as it will look, beside the HTML to copy; one page open at a time, on request."""
    blocks = []
    for page in pages:
        card = link_card(page, site_name)
        code_id = f"card-{_slug(page.url.split('//', 1)[-1])}"
        blocks.append(
            '<details class="link-card-snippet">\n'
            f"<summary>{_text(page.title)}</summary>\n"
            '<div class="link-card-snippet__body">\n'
            # The card itself: the same HTML the box holds, so what you see is what you paste.
            f'<div class="link-card-snippet__preview" aria-label="How the card looks" role="group">\n{card}\n</div>\n'
            '<div class="link-card-snippet__code">\n'
            # A bare <pre>: the theme's script measures and rewires every `pre > code` as the page
            # loads, which on this page's sixteen boxes was most of its main-thread time.
            f'<pre id="{code_id}" class="link-card-snippet__html">{_text(card)}</pre>\n'
            f"<p>{_copy_button('Copy HTML', f'for the link card to {page.title}', source=code_id)}</p>\n"
            "</div>\n</div>\n</details>"
        )
    return '<div class="link-cards">\n' + "\n".join(blocks) + "\n</div>"


def _pdf_links(page: LinkedPage) -> str:
    return " ".join(
        f'<a class="md-button pdf-link print-address" href="{escape(href)}" type="application/pdf">'
        f'{PAPER_LABELS.get(paper, paper)} PDF<span class="visually-hidden"> of {_text(page.title)}</span></a>'
        for paper, href in page.pdfs.items() if paper in PAPERS
    )


def render_handout(handout: LinkedPage | None) -> str:
    """The handout, and its PDFs on both papers: the one job front-desk staff come for."""
    if handout is None:
        return "<p>Every page of this site can be printed from your browser's Print command.</p>"
    return (
        '<div class="clinic-task__actions">'
        f'<a class="clinic-task__page" href="{escape(handout.url)}">{_text(handout.title)}</a>'
        f' <span class="clinic-task__pdfs">Download the PDF: <span class="clinic-task__pair">{_pdf_links(handout)}</span></span>'
        "</div>"
    )


def render_pdf_list(pages: list[LinkedPage]) -> str:
    """Every page's PDF on each paper, in menu order."""
    rows = "".join(
        f'<li><span class="pdf-list__title">{_text(page.title)}</span> <span class="pdf-list__links">{_pdf_links(page)}</span></li>'
        for page in pages if page.pdfs
    )
    return f'<ul class="pdf-list">{rows}</ul>'


def render_tasks(handout: LinkedPage | None) -> str:
    """The page's top: three jobs, each with its one action (the handout's PDFs right here)."""
    if handout is not None and handout.pdfs:
        print_action = f'<span class="clinic-task__pdfs">{_pdf_links(handout)}</span>'
    else:
        print_action = '<a href="#clinics-print">How to print</a>'
    tasks = [
        ("Link to a page or section", '<a class="md-button" href="#clinics-links">Choose a page</a>'),
        ("Print or download the handout", print_action),
        ("Print any page", '<a class="md-button" href="#clinics-print-pages">Choose a page to print</a>'),
    ]
    cards = "".join(
        f'<li class="clinic-task"><p class="clinic-task__title">{_text(title)}</p>{action}</li>' for title, action in tasks
    )
    return f'<ul class="clinic-tasks" aria-label="What you can do here">{cards}</ul>'
