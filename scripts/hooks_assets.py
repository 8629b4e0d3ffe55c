"""MkDocs hook: publish the stylesheets and scripts listed in mkdocs.yml as one file each.

`extra_css` and `extra_javascript` keep naming the source files (one per concern);
the build swaps them for a fingerprinted bundle and leaves the sources unpublished.

It also publishes the search-worker stand-in (see its source) under a fingerprinted name,
which `overrides/main.html` gives the theme in place of its own worker. The offline copy
keeps the theme's worker: there, search runs through the iframe-worker shim.
"""

from __future__ import annotations

from types import MappingProxyType

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from hooks_shared import fail, offline
from sitegen.assets import bundle_css, bundle_js, fingerprinted, strip_js
from sitegen.errors import SiteDataError

_BUNDLES = MappingProxyType({
    "extra_css": ("assets/stylesheets/site.min.css", bundle_css),
    "extra_javascript": ("assets/javascripts/site.min.js", bundle_js),
})
SEARCH_WORKER = "assets/javascripts/workers/search-on-demand.js"
# A stylesheet only one page uses, published on its own under a fingerprinted name and linked from that
# page alone (overrides/main.html): no other page downloads it.
PAGE_CSS = MappingProxyType({"for-clinics.md": "assets/stylesheets/for-clinics.css", "handout.md": "assets/stylesheets/handout.css"})


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # Before any template reads the lists: they name the bundle instead of its sources.
    for key, (path, bundle) in _BUNDLES.items():
        sources, config[key] = [str(item) for item in config[key]], []
        parts = []
        for src in sources:
            file = files.get_file_from_path(src)
            if file is None:
                raise PluginError(f"mkdocs.yml: {key} lists '{src}', which is not in docs/")
            parts.append((f"docs/{src}", file.content_string))
            files.remove(file)
        if not parts:
            continue
        try:
            content = bundle(parts)
        except SiteDataError as error:
            fail(error)
        name = fingerprinted(path, content)
        files.append(File.generated(config, name, content=content))
        config[key].append(name)

    for css in PAGE_CSS.values():
        file = files.get_file_from_path(css)
        if file is None:
            raise PluginError(f"docs/{css} is missing")
        try:
            content = bundle_css([(f"docs/{css}", file.content_string)])
        except SiteDataError as error:
            fail(error)
        files.remove(file)
        files.append(File.generated(config, fingerprinted(css.replace(".css", ".min.css"), content), content=content))

    worker = files.get_file_from_path(SEARCH_WORKER)
    if worker is None:
        raise PluginError(f"docs/{SEARCH_WORKER} is missing")
    files.remove(worker)
    if not offline(config):
        content = strip_js(worker.content_string)
        files.append(File.generated(config, fingerprinted(SEARCH_WORKER.replace(".js", ".min.js"), content), content=content))
    return files


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    # The fingerprinted stand-in is among the files unless this is the offline copy.
    published = _published(files, SEARCH_WORKER.removesuffix("js"))
    env.globals["search_worker"] = published and published.rpartition("/")[2]
    env.globals["page_css"] = {page: _published(files, css.removesuffix("css")) for page, css in PAGE_CSS.items()}
    return env


def _published(files: Files, stem: str) -> str | None:
    """Where the file whose name starts `stem` (before its fingerprint) is published."""
    return next((f.dest_uri for f in files if f.dest_uri.startswith(stem)), None)
