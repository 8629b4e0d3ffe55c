"""A clinic's own details on the handout: "Questions? Contact …", set when the site is built.

A clinic that hands the printout to patients says who to call, in `mkdocs.yml`:

    extra:
      clinic:
        name: !ENV [CLINIC_NAME, ""]
        phone: !ENV [CLINIC_PHONE, ""]
        web: !ENV [CLINIC_WEB, ""]

or, with that file as it ships, in the environment (`CLINIC_NAME=... make build`), as
`SITE_URL` sets the site's address. Every part is optional; with none set the handout says
nothing (no invented contact). Values are text: checked here, escaped where they land.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from types import MappingProxyType
from urllib.parse import urlsplit

from . import markup
from .errors import SiteDataError

SETTINGS = MappingProxyType({
    "name": "mkdocs.yml: extra.clinic.name (or CLINIC_NAME)",
    "phone": "mkdocs.yml: extra.clinic.phone (or CLINIC_PHONE)",
    "web": "mkdocs.yml: extra.clinic.web (or CLINIC_WEB)",
})
MAX_NAME = 80  # one printed line beside the QR code
# What people write in a phone number: digits, spaces, + ( ) - . and a few more for extensions.
_PHONE = re.compile(r"^\+?[0-9(][0-9 ().\-]*[0-9](?: ?(?:ext\.?|x) ?[0-9]{1,6})?$", re.I)
_HOST = re.compile(r"^(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Clinic:
    name: str = ""
    phone: str = ""
    web: str = ""

    def __bool__(self) -> bool:
        return bool(self.name or self.phone or self.web)


def one_line(where: str, value: str) -> str:
    """A setting's text, stripped; refused, naming `where`, if it holds a line break, a control or an
    invisible character (the clinic's and the publisher's settings print on every page and PDF)."""
    value = value.strip()
    if _CONTROL.search(value):
        raise SiteDataError(where, "must be one line of plain text (no line breaks or control characters)")
    hidden = markup.invisible(value)
    if hidden:
        raise SiteDataError(where, f"contains an invisible character ({hidden}) that can reverse or disguise the words; delete it")
    return value


def _text(key: str, value) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise SiteDataError(SETTINGS[key], f"must be text in quotes, or empty; got {value!r}")
    return one_line(SETTINGS[key], str(value))


def check_name(value) -> str:
    name = _text("name", value)
    if len(name) > MAX_NAME:
        raise SiteDataError(SETTINGS["name"], f"is {len(name)} characters long; keep it to {MAX_NAME}, so it fits on one printed line")
    return name


def check_phone(value) -> str:
    """A phone number as written (`(555) 010-4477`, `+44 20 7946 0018`): 7 to 15 digits, no letters."""
    phone = _text("phone", value)
    if not phone:
        return ""
    digits = re.sub(r"(?i)\s*(ext\.?|x)\s*\d+$", "", phone)
    count = sum(c.isdigit() for c in digits)
    if not _PHONE.match(phone) or not 7 <= count <= 15:
        raise SiteDataError(
            SETTINGS["phone"],
            f"{phone!r} is not a phone number: write 7 to 15 digits, with spaces, + ( ) - or . if you like, "
            "for example (555) 010-4477 or +44 20 7946 0018",
        )
    return phone


def check_web(value) -> str:
    """The clinic's web address: https, a real host name, nothing else."""
    web = _text("web", value)
    if not web:
        return ""
    parts = urlsplit(web)
    host = (parts.hostname or "") if parts.scheme in ("http", "https") else ""
    if not host or not _HOST.match(host.lower()) or parts.username or parts.password or " " in web or '"' in web:
        raise SiteDataError(SETTINGS["web"], f"{web!r} is not a web address like https://clinic.example.org/")
    if parts.scheme != "https":
        # The finished pages' check refuses http: links, naming every page that shows this one.
        raise SiteDataError(SETTINGS["web"], f"{web!r} starts with http:, and the site links only to https: addresses; "
                                             "write it with https://")
    return web


def check_clinic(value) -> Clinic:
    """`extra.clinic` from mkdocs.yml (a mapping, or absent), checked; raise SiteDataError naming the setting."""
    if value in (None, ""):
        return Clinic()
    if not isinstance(value, dict):
        raise SiteDataError("mkdocs.yml: extra.clinic", f"must list name, phone and web (each optional), got {value!r}")
    unknown = sorted(set(map(str, value)) - set(SETTINGS))
    if unknown:
        raise SiteDataError("mkdocs.yml: extra.clinic", f"unknown setting {unknown[0]!r}; the settings are: {', '.join(SETTINGS)}")
    return Clinic(check_name(value.get("name")), check_phone(value.get("phone")), check_web(value.get("web")))


def tel_href(phone: str) -> str:
    """`tel:` link for a checked phone number: its + and digits (an extension is dropped)."""
    main = re.sub(r"(?i)\s*(ext\.?|x)\s*\d+$", "", phone)
    return "tel:" + re.sub(r"[^\d+]", "", main)


def contact_line(clinic: Clinic) -> str:
    """The handout's "Questions? Contact …" paragraph, or '' when no detail is set (nothing invented)."""
    if not clinic:
        return ""
    parts = []
    if clinic.phone:
        parts.append(f'<a href="{escape(tel_href(clinic.phone))}">{escape(clinic.phone)}</a>')
    if clinic.web:
        parts.append(f'<a href="{escape(clinic.web)}">{escape(clinic.web)}</a>')
    who = escape(clinic.name)
    if who and parts:
        text = f"{who}: {' or '.join(parts)}"
    else:
        text = who or " or ".join(parts)
    return f'<p class="site-note clinic-contact"><strong>Questions? Contact</strong> {text}</p>'
