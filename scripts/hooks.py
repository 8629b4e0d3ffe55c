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


# --- Valid HTML (issue 7): the theme's toggle checkboxes carry an invalid attribute. ---
from sitegen.themefix import drop_checkbox_autocomplete  # noqa: E402


def on_post_page(output, page, config):
    return drop_checkbox_autocomplete(output)


def on_post_template(output_content, template_name, config):
    # 404.html is a static template, not a page.
    return drop_checkbox_autocomplete(output_content) if template_name.endswith(".html") else output_content
