"""The for-clinics page: every public address with a copy button, and link-card snippets.

Pages come from the built navigation, sections from the ids recorded in
`data/public-urls.yml` (only those are promised to stay), titles from the built headings.
Nothing here is typed by hand, so the page cannot drift from the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape




@dataclass
class LinkedPage:
    title: str
    url: str  # absolute, from site_url
    description: str
    sections: list[tuple[str, str]] = field(default_factory=list)  # (id, heading text)


def _slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-")


def _copy_button(text: str, label: str, *, value: str | None = None, source: str | None = None) -> str:
    # Hidden until copy.js finds a working clipboard; the address stays selectable text anyway.
    target = f'data-copy="{escape(value)}"' if value is not None else f'data-copy-from="{escape(source)}"'
    return (
        f'<button type="button" class="md-button copy-button" {target} hidden>'
        f'{escape(text)}<span class="visually-hidden"> {escape(label)}</span></button>'
    )


def render_link_table(pages: list[LinkedPage]) -> str:
    rows = []
    for page in pages:
        rows.append(
            '<tr class="link-table__page">'
            f'<th scope="row">{escape(page.title)}</th>'
            f'<td><a href="{escape(page.url)}">{escape(page.url)}</a></td>'
            f"<td>{_copy_button('Copy link', f'to the page {page.title}', value=page.url)}</td></tr>"
        )
        for ident, heading in page.sections:
            link = f"{page.url}#{ident}"
            rows.append(
                '<tr class="link-table__section">'
                f'<th scope="row"><span class="visually-hidden">{escape(page.title)}, section: </span>{escape(heading)}</th>'
                f'<td><a href="{escape(link)}">{escape(link)}</a></td>'
                f"<td>{_copy_button('Copy link', f'to the section {heading}', value=link)}</td></tr>"
            )
    return (
        '<div class="link-table">\n<table>\n'
        "<caption>Every page, then each of its sections, with its full address</caption>\n"
        '<thead><tr><th scope="col">Page or section</th><th scope="col">Address</th>'
        '<th scope="col"><span class="visually-hidden">Copy</span></th></tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>"
    )


def link_card(page: LinkedPage, site_name: str) -> str:
    """A plain link card a clinic can paste into its own page: no script, no iframe, no styles."""
    return (
        f'<div class="ketamine-info-link">\n'
        f'  <p><a href="{escape(page.url)}"><strong>{escape(page.title)}</strong></a></p>\n'
        f"  <p>{escape(page.description)}</p>\n"
        f"  <p>{escape(page.url)} ({escape(site_name)})</p>\n"
        f"</div>"
    )


def render_cards(pages: list[LinkedPage], site_name: str) -> str:
    blocks = []
    for page in pages:
        card = link_card(page, site_name)
        code_id = f"card-{_slug(page.url.split('//', 1)[-1])}"
        blocks.append(
            '<div class="link-card-snippet">\n'
            f'<p class="link-card-snippet__title"><strong>{escape(page.title)}</strong></p>\n'
            f'<pre><code id="{code_id}">{escape(card)}</code></pre>\n'
            f"<p>{_copy_button('Copy HTML', f'for the link card to {page.title}', source=code_id)}</p>\n"
            "</div>"
        )
    return "\n".join(blocks)


def render_handout(handout: LinkedPage | None) -> str:
    if handout is None:
        return "<p>Every page of this site can be printed from your browser's Print command.</p>"
    return (
        f'<p>To print for a patient, use the handout: <a href="{escape(handout.url)}">{escape(handout.title)}</a> '
        f"({escape(handout.url)}). Print it from your browser.</p>"
    )


