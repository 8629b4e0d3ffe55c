"""Which built pages `scripts/pdf` prints, and the file each one becomes."""

from __future__ import annotations

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
