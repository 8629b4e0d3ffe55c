"""MkDocs hook: publish the stylesheets and scripts listed in mkdocs.yml as one file each.

`extra_css` and `extra_javascript` keep naming the source files (one per concern);
the build swaps them for a fingerprinted bundle and leaves the sources unpublished.

It also publishes the search-worker stand-in (see its source) under a fingerprinted name,
which `overrides/main.html` gives the theme in place of its own worker. The offline copy
keeps the theme's worker: there, search runs through the iframe-worker shim.
"""

from __future__ import annotations

from functools import partial
from types import MappingProxyType
from typing import NamedTuple

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from hooks_shared import fail, offline
from sitegen.assets import bundle_css, bundle_js, called_for, fingerprinted, strip_js
from sitegen.errors import SiteDataError

_BUNDLES = MappingProxyType({
    "extra_css": ("assets/stylesheets/site.min.css", bundle_css),
    "extra_javascript": ("assets/javascripts/site.min.js", bundle_js),
})
SEARCH_WORKER = "assets/javascripts/workers/search-on-demand.js"
# Sheets for what only some pages hold: each is made of its sources (in docs/assets/stylesheets/), published
# under a fingerprinted name, and linked after the bundle from each page whose content has an element of
# one of its classes (overrides/main.html), so no other page downloads it. They come after dark.css, so
# each source carries its own dark colours.
class ContentCss(NamedTuple):
    sources: tuple[str, ...]
    classes: tuple[str, ...]  # any one of them calls for the sheet


CONTENT_CSS = MappingProxyType({
    "assets/stylesheets/article.min.css": ContentCss(
        ("citations.css", "tables.css", "guide.css"),
        ("citation", "footnote-ref", "site-addition", "data-table__added", "data-table", "data-lists", "guide-contents", "guide-overview")),
    "assets/stylesheets/bibliography.min.css": ContentCss(("bibliography.css",), ("bibliography",)),
    "assets/stylesheets/for-clinics.min.css": ContentCss(("for-clinics.css",), ("clinic-tasks", "link-picker", "pdf-list", "link-cards")),
    "assets/stylesheets/handout.min.css": ContentCss(("handout.css",), ("handout-actions", "handout-columns")),
})


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # Before any template reads the lists: they name the bundle instead of its sources.
    for key, (path, bundle) in _BUNDLES.items():
        sources, config[key] = [str(item) for item in config[key]], []
        parts = [(f"docs/{src}", _take(files, src, f"mkdocs.yml: {key} lists '{src}', which is not in docs/")) for src in sources]
        if parts:
            config[key].append(_publish(files, config, path, _bundled(bundle, parts)))

    for path, sheet in CONTENT_CSS.items():
        parts = [(f"docs/{src}", _take(files, src, f"docs/{src} is missing")) for src in (f"assets/stylesheets/{name}" for name in sheet.sources)]
        _publish(files, config, path, _bundled(bundle_css, parts))

    worker = _take(files, SEARCH_WORKER, f"docs/{SEARCH_WORKER} is missing")
    if not offline(config):
        _publish(files, config, SEARCH_WORKER.replace(".js", ".min.js"), strip_js(worker))
    return files


def _take(files: Files, src: str, missing: str) -> str:
    """The text of `src` in docs/, which is then not published as it is; `missing` if it is not there."""
    file = files.get_file_from_path(src)
    if file is None:
        raise PluginError(missing)
    files.remove(file)
    return file.content_string


def _bundled(bundle, parts: list[tuple[str, str]]) -> str:
    try:
        return bundle(parts)
    except SiteDataError as error:
        fail(error)


def _publish(files: Files, config: MkDocsConfig, path: str, content: str) -> str:
    """`content` published under `path` with its fingerprint in the name; returns that name."""
    name = fingerprinted(path, content)
    files.append(File.generated(config, name, content=content))
    return name


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    # The fingerprinted stand-in is among the files unless this is the offline copy.
    published = _published(files, SEARCH_WORKER.removesuffix("js"))
    env.globals["search_worker"] = published and published.rpartition("/")[2]
    published_css = {_published(files, path.removesuffix("min.css")): sheet.classes for path, sheet in CONTENT_CSS.items()}
    env.globals["content_css"] = partial(called_for, sheets=MappingProxyType(published_css))
    return env


def _published(files: Files, stem: str) -> str | None:
    """Where the file whose name starts `stem` (before its fingerprint) is published."""
    return next((f.dest_uri for f in files if f.dest_uri.startswith(stem)), None)
