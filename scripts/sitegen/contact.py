"""The optional contact address (`extra.contact_email` in mkdocs.yml): on the About pages, and on every page
and printout as its "Report a problem with this page" link."""

from __future__ import annotations

import html
import re
from types import MappingProxyType
from urllib.parse import quote

from .errors import SiteDataError
from .markup import inert

SETTING = "mkdocs.yml: extra.contact_email"

# Plain addr-spec only: nothing that could break out of a mailto: link.
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")

# What to report, per topic; each has a version for copies of the site without an address.
_WITH_ADDRESS = MappingProxyType({
    "error": "To report a mistake, an out-of-date page or a broken link, email {link}. "
    "Say which page it is on and what looks wrong. "
    "This address cannot give advice about your own health or treatment.",
    "accessibility": "If you find a part of this site hard to use, email {link}. "
    "Say which page it was, what you were trying to do and, if you like, which browser "
    "or assistive technology you use.",
})
# Honest when no address is configured: whoever shared the link is the one party the reader can reach.
_WITHOUT_ADDRESS = MappingProxyType({
    "error": "This copy of the site does not list a contact address. If a clinic, healthcare "
    "provider or another organization gave you the link to it, you can tell them about the problem.",
    "accessibility": "This copy of the site does not list a contact address. If a clinic, "
    "healthcare provider or another organization gave you the link to it, you can tell them "
    "about the problem.",
})


def check_email(value) -> str:
    """The configured address, stripped; '' when unset. Raise SiteDataError when malformed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SiteDataError(SETTING, f"must be an email address in quotes or empty, got {value!r}")
    value = value.strip()
    if value and not _EMAIL.match(value):
        raise SiteDataError(SETTING, f"{value!r} is not a plain email address like name@example.org")
    return value


TOPICS = tuple(_WITH_ADDRESS)


def render_contact(topic: str, email: str) -> str:
    """The paragraph for one `<!-- insert: contact TOPIC -->` marker (the site model checked TOPIC)."""
    # Marked as this copy's setting (extra.contact_email), not the page's text (sitegen/published.py).
    if not email:
        return f'<p data-copy-setting>{_WITHOUT_ADDRESS[topic]}</p>'
    link = f'<a href="mailto:{html.escape(email)}">{inert(email)}</a>'
    return f'<p data-copy-setting>{_WITH_ADDRESS[topic].format(link=link)}</p>'


def feedback(email: str, page_url: str, edition: str = "") -> dict[str, str] | None:
    """"Report a problem with this page" (page-furniture.html): a mailto: link whose subject names the page's
    address and edition, so a report says which version it is about; None when no address is set.
    Both values are HTML, ready for the template."""
    if not email:
        return None
    subject = f"Problem with {page_url}" + (f" (edition {edition})" if edition else "")
    return {"href": html.escape(f"mailto:{email}?subject={quote(subject, safe='')}"), "address": inert(email)}
