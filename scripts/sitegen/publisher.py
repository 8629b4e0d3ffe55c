"""Who publishes this copy of the site, and the short name the phone header shows.

In `mkdocs.yml`:

    extra:
      short_name: Ketamine and esketamine
      publisher:
        name: !ENV [PUBLISHER_NAME, "Ketamine and esketamine for depression"]
        logo: !ENV [PUBLISHER_LOGO, ""]
        web: !ENV [PUBLISHER_WEB, ""]

The publisher is named in the header (wide screens), the footer, the printouts' heading and the
search engines' data (JSON-LD); its logo, a picture in docs/, takes the place of the site's own
mark in the header. A clinic's copy sets them in the environment, as it sets its details for the
handout (sitegen/clinic.py). Values are text: checked here, escaped wherever they land.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from . import clinic
from .errors import SiteDataError

SETTINGS = MappingProxyType({
    "name": "mkdocs.yml: extra.publisher.name (or PUBLISHER_NAME)",
    "logo": "mkdocs.yml: extra.publisher.logo (or PUBLISHER_LOGO)",
    "web": "mkdocs.yml: extra.publisher.web (or PUBLISHER_WEB)",
})
SHORT_NAME = "mkdocs.yml: extra.short_name"
MAX_NAME = 80  # one printed line, as a clinic's name on the handout
# Two lines of the phone header's 375 px beside "Get help now" and search: about 12 characters a line.
MAX_SHORT = 24
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp")


@dataclass(frozen=True)
class Publisher:
    name: str
    logo: str = ""  # a picture's path inside docs/, or ""
    web: str = ""


def _text(where: str, value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SiteDataError(where, f"must be text in quotes, or empty; got {value!r}")
    return clinic.one_line(where, value)


def check_logo(value, docs: Path | None = None) -> str:
    """A picture in docs/, written as its path there (`assets/images/clinic-logo.svg`); '' for none."""
    logo = _text(SETTINGS["logo"], value)
    if not logo:
        return ""
    norm = posixpath.normpath(logo)
    if ("://" in logo or logo.startswith(("/", "\\")) or norm.startswith("..") or "\\" in logo
            or not logo.lower().endswith(LOGO_SUFFIXES) or any(c in logo for c in "\"'<>?#% ")):
        raise SiteDataError(SETTINGS["logo"], f"{logo!r} is not a picture in docs/: write its path there, like "
                            f"assets/images/clinic-logo.svg ({', '.join(s[1:].upper() for s in LOGO_SUFFIXES)}); "
                            "the site loads nothing from other hosts")
    if docs is not None and not (docs / norm).is_file():
        raise SiteDataError(SETTINGS["logo"], f"{logo!r} is not in docs/: put the picture at docs/{norm}, or leave the setting empty")
    return norm


def check_publisher(value, site_name: str, docs: Path | None = None) -> Publisher:
    """`extra.publisher` from mkdocs.yml (a mapping, or absent), checked. Without a name, the site names
    itself; raises SiteDataError naming the setting."""
    if value in (None, ""):
        return Publisher(site_name)
    if not isinstance(value, dict):
        raise SiteDataError("mkdocs.yml: extra.publisher", f"must list name, logo and web (each optional), got {value!r}")
    unknown = sorted(set(map(str, value)) - set(SETTINGS))
    if unknown:
        raise SiteDataError("mkdocs.yml: extra.publisher", f"unknown setting {unknown[0]!r}; the settings are: {', '.join(SETTINGS)}")
    name = _text(SETTINGS["name"], value.get("name"))
    if len(name) > MAX_NAME:
        raise SiteDataError(SETTINGS["name"], f"is {len(name)} characters long; keep it to {MAX_NAME}, so it fits on one printed line")
    web = value.get("web")
    try:
        web = clinic.check_web(web)
    except SiteDataError as error:
        raise SiteDataError(SETTINGS["web"], error.problem.replace("clinic.example.org", "publisher.example.org")) from None
    return Publisher(name or site_name, check_logo(value.get("logo"), docs), web)


def check_short_name(value, site_name: str) -> str:
    """The name the phone header shows; the site's name when unset."""
    short = _text(SHORT_NAME, value)
    if not short:
        if len(site_name) > MAX_SHORT:
            raise SiteDataError(SHORT_NAME, f"is not set, and the site's name is {len(site_name)} characters long: a phone's header "
                                f"shows at most {MAX_SHORT}; write a shorter name here, like: short_name: Ketamine and esketamine")
        return site_name
    if len(short) > MAX_SHORT:
        raise SiteDataError(SHORT_NAME, f"is {len(short)} characters long; keep it to {MAX_SHORT}, so that a phone's header "
                            "shows it whole (two short lines beside \"Get help now\")")
    return short
