"""MkDocs hook: connects build events to the pure functions in `sitegen`.

MkDocs loads this file by path and puts its folder on sys.path, so `sitegen`
imports as a top-level package. Nothing here holds logic worth testing alone.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from sitegen.errors import SiteDataError
from sitegen.pages import check_front_matter, human_date


def _fail(error: SiteDataError):
    raise PluginError(str(error)) from error


def on_page_markdown(markdown, page, config, files):
    where = f"docs/{page.file.src_uri}"
    try:
        dates = check_front_matter(page.meta, where, markdown)
    except SiteDataError as error:
        _fail(error)
    page.meta["dates"] = {
        key: {"iso": day.isoformat(), "text": human_date(day)} for key, day in dates.items()
    }
    return markdown


# --- Generated tables and glossary from data/*.yml ----------------------------
# Data is loaded and checked once per build (on_config), before any page is read.

from pathlib import Path

from sitegen import glossary, tables

TABLE_FILES = ("data/side-effects.yml", "data/at-a-glance.yml")
GLOSSARY_FILE = "data/glossary.yml"
_site_data: dict = {}


def on_config(config):
    root = Path(config.config_file_path).parent
    try:
        _site_data["tables"] = tables.load_tables([root / name for name in TABLE_FILES], root)
        _site_data["glossary"] = glossary.load_glossary(root / GLOSSARY_FILE, GLOSSARY_FILE)
    except SiteDataError as error:
        _fail(error)
    _site_data["placed"], _site_data["used"] = set(), set()
    # Python-Markdown's abbr extension marks the terms on every page.
    config.mdx_configs.setdefault("abbr", {})["glossary"] = _site_data["glossary"].abbreviations()
    return config


def on_page_content(html, page, config, files):
    try:
        html, placed = tables.place_tables(html, _site_data["tables"], f"docs/{page.file.src_uri}")
        html, used = glossary.process_page(html, _site_data["glossary"])
    except SiteDataError as error:
        _fail(error)
    _site_data["placed"].update(placed)
    _site_data["used"].update(used)
    return html


def on_env(env, config, files):
    # Every page is rendered by now and nothing is written yet.
    error = tables.unplaced(_site_data["tables"], _site_data["placed"]) or glossary.unused(_site_data["glossary"], _site_data["used"])
    if error:
        _fail(error)
    return env
