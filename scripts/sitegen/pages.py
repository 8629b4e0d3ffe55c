"""Page front matter: the editorial dates and description every page carries."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from .errors import SiteDataError

REQUIRED = ("title", "description", "last_updated", "next_review")


def _as_date(value, where: str, key: str) -> dt.date:
    # YAML turns 2026-11-27 into a date; anything else (a string, 2026-13-01) is an error.
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SiteDataError(where, f"front matter '{key}' must be a date written YYYY-MM-DD, got {value!r}")


def _reread_front_matter(markdown: str, where: str) -> dict:
    # MkDocs silently drops front matter it cannot parse (an impossible date is one
    # cause); read it again as plain strings so the checks below can name the key.
    block = re.match(r"^---\s*\n(.*?)\n---\s*$", markdown, re.S | re.M)
    if not block:
        return {}
    try:
        meta = yaml.load(block.group(1), Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 2}" if mark else ""
        raise SiteDataError(where, f"front matter{line} is not valid YAML: {getattr(error, 'problem', error)}") from None
    return meta if isinstance(meta, dict) else {}


def check_front_matter(meta: dict, where: str, markdown: str = "") -> dict:
    """Return the page's dates, or raise SiteDataError naming the missing or malformed key.

    `markdown` is the page text MkDocs passed on; it still starts with the front
    matter block only when MkDocs could not parse it.
    """
    if not meta:
        meta = _reread_front_matter(markdown, where)
    for key in REQUIRED:
        if meta.get(key) in (None, ""):
            raise SiteDataError(where, f"front matter is missing '{key}'")
    if not isinstance(meta["description"], str) or "<" in meta["description"]:
        raise SiteDataError(where, "front matter 'description' must be plain text")
    updated = _as_date(meta["last_updated"], where, "last_updated")
    review = _as_date(meta["next_review"], where, "next_review")
    if review <= updated:
        raise SiteDataError(where, f"front matter 'next_review' ({review}) must be after 'last_updated' ({updated})")
    return {"last_updated": updated, "next_review": review}


def human_date(day: dt.date) -> str:
    """US style, as the site's readers write it: November 27, 2026."""
    return f"{day:%B} {day.day}, {day.year}"
