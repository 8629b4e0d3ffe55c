"""The printable handout's generated parts: its QR code, print button and PDF link.

`docs/handout.md` places them with markers on their own lines, replaced in the
page's HTML: `<!-- handout: actions -->` and `<!-- handout: online-version -->`.
"""

from __future__ import annotations

import html as htmllib
import posixpath

import segno

from . import pdfs


HANDOUT_PAGE = "handout.md"

# Where the build writes the handout's PDFs (US Letter, A4), relative to the site root.
PDF_PATH = pdfs.pdf_path(HANDOUT_PAGE)
PDF_PATH_A4 = pdfs.pdf_path(HANDOUT_PAGE, "A4")



def qr_svg(url: str) -> str:
    """An inline SVG QR code for `url`: medium error correction, sized by CSS, no network."""
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(
        scale=1,
        border=4,
        omitsize=True,
        svgclass="handout-qr",
        title="QR code: scan it to open the online version of this handout",
    ).replace("<svg ", '<svg role="img" aria-label="QR code for the online version of this handout" ', 1)


def relative_link(target: str, page_url: str) -> str:
    """A link from the page at site path `page_url` (e.g. `handout/`) to site path `target`."""
    start = posixpath.dirname(page_url) if not page_url.endswith("/") else page_url.rstrip("/")
    return posixpath.relpath(target, start or ".")


def actions_html(pdf_href: str, a4_href: str) -> str:
    """Screen-only tools: a print button (shown by handout.js, so never dead without JS) and the PDFs."""
    return (
        '<div class="handout-actions">\n'
        '<button type="button" class="md-button md-button--primary" data-print-page hidden>Print this handout</button>\n'
        f'<a class="md-button" href="{htmllib.escape(pdf_href, quote=True)}" type="application/pdf">'
        "Download PDF (US Letter)</a>\n"
        f'<a class="md-button" href="{htmllib.escape(a4_href, quote=True)}" type="application/pdf">'
        "Download PDF (A4)</a>\n"
        "</div>"
    )


def online_version_html(url: str, date_text: str, sources_url: str, contact: str = "", edition: str = "") -> str:
    """The QR code, the online address in full, where the sources are, and the date of this version.

    `contact` is the clinic's "Questions? Contact …" line (sitegen.clinic), or '' for none; `edition`
    the HTML of the handout's edition (sitegen.edition's slot), or '' for none.

    The handout itself shows no citation numbers: its sources are on the site's pages, each
    listed with the places that cite it on the References page.
    """
    address, sources = htmllib.escape(url, quote=True), htmllib.escape(sources_url, quote=True)
    return (
        # Before the QR block, not beside it: on paper it spans the sheet's width on one line,
        # and the QR code beside the addresses below it leaves the closing note's lines whole.
        (f"{contact}\n" if contact else "")
        + '<div class="handout-online">\n'
        f"{qr_svg(url)}\n"
        f'<p>This handout online: <a href="{address}">{address}</a><br>\n'
        f'The sources of each fact: <a href="{sources}">{sources}</a><br>\n'
        f"Last updated: {htmllib.escape(date_text)}{f' · Edition {edition}' if edition else ''}</p>\n"
        "</div>"
    )


