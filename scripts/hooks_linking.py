"""MkDocs hook for linking from other sites: stable addresses, previews, for-clinics page.

Wires build events to `sitegen.public_urls`, `sitegen.social`, `sitegen.card` and
`sitegen.clinics`; the logic and its tests live there. Kept apart from `hooks.py` so the
two can change without touching each other.
"""

from __future__ import annotations

from html import unescape
from datetime import date
from pathlib import Path

from hooks_shared import fail
from sitegen import public_urls
from sitegen.card import render_card
from sitegen.clinics import LinkedPage, check_markers, fill_markers
from sitegen.errors import SiteDataError
from sitegen.social import card_name, page_social

HANDOUT_URL = "handout/"
CLINICS_URL = "for-clinics/"

# One build's state; reset in on_config because `mkdocs serve` reuses the module.
_state: dict = {}


def _where(page) -> str:
    return f"docs/{page.file.src_uri}"


def _title(page) -> str:
    # The front matter title is the page's full name; nav labels are shortened for the menu.
    return page.meta.get("title") or page.title


def _heading_ids(toc) -> set[str]:
    ids = set()
    for item in toc:
        if item.level in (2, 3) and item.id:
            ids.add(item.id)
        ids |= _heading_ids(item.children)
    return ids


def _headings(toc) -> list[tuple[str, str]]:
    found = []
    for item in toc:
        if item.level in (2, 3):
            # The toc keeps headings as escaped HTML text; the renderers escape plain text.
            found.append((item.id, unescape(item.title)))
        found += _headings(item.children)
    return found


def on_config(config):
    try:
        recorded = public_urls.load_public_urls(Path(config.config_file_path).parent / public_urls.WHERE)
    except SiteDataError as error:
        fail(error)
    _state.clear()
    _state.update(recorded=recorded, built={}, titles={})
    return config


def on_page_markdown(markdown, page, config, files):
    source = page.file.content_string
    try:
        problems = public_urls.headings_without_ids(source, _where(page))
        if problems:
            raise SiteDataError(_where(page), "every h2/h3 needs an explicit id, so links survive rewording:\n  " + "\n  ".join(problems))
        check_markers(source, _where(page))
    except SiteDataError as error:
        fail(error)
    return markdown


def on_page_content(html, page, config, files):
    address = public_urls.page_path(page.url)
    _state["built"][address] = _heading_ids(page.toc)
    _state["titles"][address] = _title(page)
    return public_urls.add_anchor_aliases(html, public_urls.anchor_aliases(_state["recorded"], address))


def on_env(env, config, files):
    # Every page is rendered by now and none is written yet: the moment to check promises.
    try:
        public_urls.check_public_urls(_state["recorded"], _state["built"])
    except SiteDataError as error:
        fail(error)
    return env


def _linked(page, site_url: str) -> LinkedPage:
    recorded = _state["recorded"].pages.get(public_urls.page_path(page.url), [])
    titles = dict(_headings(page.toc))
    return LinkedPage(
        title=_title(page),
        url=site_url + page.url,
        description=page.meta.get("description", ""),
        sections=[(ident, titles[ident]) for ident in recorded if ident in titles],
    )


def on_page_context(context, page, config, nav):
    site_url = config.site_url or ""
    dates = page.meta.get("dates") or {}
    if site_url and "last_updated" in dates:
        page.meta["social"] = page_social(
            site_name=config.site_name,
            site_url=site_url,
            url=page.url,
            canonical=page.canonical_url,
            title=_title(page),
            description=page.meta.get("description", ""),
            language=config.theme["language"],
            last_updated=date.fromisoformat(dates["last_updated"]["iso"]),
        )
    if page.url == CLINICS_URL:
        listed = [p for p in nav.pages if p.url != CLINICS_URL]
        handout = next((p for p in nav.pages if p.url == HANDOUT_URL), None)
        try:
            page.content = fill_markers(
                page.content,
                _where(page),
                pages=[_linked(p, site_url) for p in listed],
                site_name=config.site_name,
                handout=_linked(handout, site_url) if handout else None,
            )
        except SiteDataError as error:
            fail(error)
    return context


def on_post_build(config):
    site_dir = Path(config.site_dir)
    site_url = config.site_url or ""
    if not site_url:
        return
    (site_dir / "robots.txt").write_text(public_urls.robots_txt(site_url), encoding="utf-8")
    cards = site_dir / "assets" / "social"
    cards.mkdir(parents=True, exist_ok=True)
    for address, title in _state["titles"].items():
        (cards / card_name(address)).write_bytes(render_card(title, config.site_name, site_url))
    for old, new in public_urls.page_redirects(_state["recorded"]).items():
        target = site_dir / old.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            public_urls.render_redirect(old, new, site_url, _state["titles"].get(new, new)), encoding="utf-8"
        )
