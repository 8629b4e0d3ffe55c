"""What a page tells link previews and search engines: Open Graph values and JSON-LD.

The template `overrides/partials/social.html` writes these out; the JSON-LD goes through
Jinja's `tojson`, which escapes `<`, `>` and `&`, so no page text can end the script block.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from .publisher import Publisher

CARD_SIZE = (1200, 630)

# The medicines the whole site is about, by the names the article uses.
ABOUT = (
    MappingProxyType({"@type": "Drug", "name": "ketamine", "nonProprietaryName": "ketamine"}),
    MappingProxyType({"@type": "Drug", "name": "esketamine", "nonProprietaryName": "esketamine", "proprietaryName": "Spravato"}),
)


def card_name(url: str) -> str:
    """File name of a page's preview image: `side-effects/` -> `side-effects.png`, home -> `index.png`."""
    return (url.strip("/").replace("/", "-") or "index") + ".png"


def card_alt(site_name: str, title: str) -> str:
    """The preview image shows the page title under the site name; its alt text says so."""
    return site_name if title == site_name else f"{site_name}: {title}"


def organization(publisher: Publisher, site_url: str) -> dict:
    """schema.org Organization for the copy's publisher: its name, and its address and logo where set."""
    found = {"@type": "Organization", "name": publisher.name}
    if publisher.web:
        found["url"] = publisher.web
    if publisher.logo:
        found["logo"] = {"@type": "ImageObject", "url": site_url.rstrip("/") + "/" + publisher.logo}
    return found


def medical_web_page(*, title: str, description: str, url: str, language: str, last_updated: dt.date,
                     reviewed: tuple[str, dt.date] | None = None, publisher: dict | None = None) -> dict:
    """schema.org MedicalWebPage for one page, as a plain dict for `tojson`.

    `lastReviewed` and `reviewedBy` come only together, from a review the page records (front
    matter `reviewed: {by, on}`): a last update is not a review, and no page may suggest one.
    """
    review = {"lastReviewed": reviewed[1].isoformat(), "reviewedBy": {"@type": "Person", "name": reviewed[0]}} if reviewed else {}
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": title,
        "description": description,
        "url": url,
        "inLanguage": language,
        "dateModified": last_updated.isoformat(),
        **review,
        "about": [dict(drug) for drug in ABOUT],
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        **({"publisher": publisher} if publisher else {}),
    }


def page_social(
    *, site_name: str, site_url: str, url: str, canonical: str, title: str, description: str, language: str, last_updated: dt.date,
    reviewed: tuple[str, dt.date] | None = None, publisher: Publisher | None = None,
) -> dict:
    """Everything `social.html` needs for one page."""
    image = site_url.rstrip("/") + "/assets/social/" + card_name(url)
    is_home = url in ("", "/")
    return {
        "title": title,
        "description": description,
        "url": canonical,
        "type": "website" if is_home else "article",
        "site_name": site_name,
        "image": image,
        "image_width": CARD_SIZE[0],
        "image_height": CARD_SIZE[1],
        "image_alt": card_alt(site_name, title),
        "json_ld": medical_web_page(
            title=title, description=description, url=canonical, language=language, last_updated=last_updated, reviewed=reviewed,
            publisher=organization(publisher, site_url) if publisher else None,
        ),
    }
