"""Which built pages `scripts/pdf` prints, and the file each one becomes."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from .errors import SiteDataError

_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def pdf_targets(sitemap_xml: str, site_url: str) -> list[tuple[str, str]]:
    """(page path, PDF file name) for every page in the sitemap: `side-effects/` -> `side-effects.pdf`.

    The sitemap already lists every page once, so new pages get a PDF without
    touching the script. The home page becomes `home.pdf`.
    """
    try:
        root = ET.fromstring(sitemap_xml)
    except ET.ParseError as error:
        raise SiteDataError("sitemap.xml", f"is not valid XML: {error}") from None
    targets = []
    for loc in root.iterfind("sm:url/sm:loc", _NS):
        url = (loc.text or "").strip()
        if not url.startswith(site_url):
            raise SiteDataError("sitemap.xml", f"{url} is not under the site address {site_url}")
        path = url[len(site_url):]
        name = path.strip("/").replace("/", "-") or "home"
        targets.append((path, f"{name}.pdf"))
    return targets


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+\-Z][^)]*\)")


def pin_pdf_dates(pdf: bytes, epoch: int) -> bytes:
    """Set a PDF's creation and modification dates to `epoch` (SOURCE_DATE_EPOCH), for reproducible files.

    Chromium's PDFs differ between runs only by these two dates. The new date has
    the same length as the old, so the file's byte offsets stay valid.
    """
    stamp = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'").encode()

    def replace(match: re.Match) -> bytes:
        new = b"/" + match[1] + b" (" + stamp + b")"
        return new if len(new) == len(match[0]) else match[0]

    return _PDF_DATE.sub(replace, pdf)
