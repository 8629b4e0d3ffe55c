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
