"""MkDocs hook for publishing: hardened pages, reproducible dates, the offline copy.

A separate file from hooks.py so its events can run last without merging handlers.

The Content-Security-Policy hashes the inline scripts of the finished page, so this
step must follow every other `on_post_page` step: priority -100 puts it after all
default-priority hooks and plugins. Logic lives in `sitegen.security`.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from hooks_shared import offline
from sitegen.security import harden_page, headers_file, inline_script_hashes, page_problems

# `scripts/serve` sets this: its live-reload script is inline and changes on every
# rebuild, so the preview carries no CSP (published builds always do).
PREVIEW = os.environ.get("SITE_PREVIEW") == "1"
OFFLINE_SHIM = "assets/javascripts/vendor/iframe-worker-shim.js"


@event_priority(100)
def on_config(config):
    # Before the offline plugin, which otherwise adds the shim from a third-party CDN.
    if offline(config):
        config.extra["polyfills"] = [*config.extra.get("polyfills", []), OFFLINE_SHIM]
    return config


@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    # The sitemap's <lastmod> (and sitemap.xml.gz's gzip time) would otherwise be the
    # day of the build; the editorial date makes them the same on every rebuild.
    dates = page.meta.get("dates")
    if dates:
        page.update_date = dates["last_updated"]["iso"]
    return markdown


def _harden(html, where, config):
    from_disk = offline(config)
    html = harden_page(html, config.site_url or "", csp=not PREVIEW, offline=from_disk)
    problems = [] if PREVIEW else page_problems(html, offline=from_disk)
    if problems:
        raise PluginError(f"{where}: {'; '.join(problems)}")
    return html


@event_priority(-100)
def on_post_page(output, page, config):
    return _harden(output, page.file.dest_uri, config)


@event_priority(-100)
def on_post_template(output_content, template_name, config):
    # The theme's own pages (404.html) skip on_post_page.
    if not template_name.endswith(".html"):
        return output_content
    return _harden(output_content, template_name, config)


@event_priority(-100)
def on_post_build(config):
    site = Path(config.site_dir)
    hashes = set()
    for path in site.rglob("*.html"):
        hashes.update(inline_script_hashes(path.read_text(encoding="utf-8")))
    assets = ["/" + p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    (site / "_headers").write_text(headers_file(sorted(hashes), assets), encoding="utf-8")
