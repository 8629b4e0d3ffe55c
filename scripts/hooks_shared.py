"""Helpers the hook files share. Not a hook itself: mkdocs.yml does not list it."""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from sitegen.errors import SiteDataError


def fail(error: SiteDataError):
    """Stop the build with the data error's message (file, line or key, and the problem)."""
    raise PluginError(str(error)) from error


def offline(config) -> bool:
    """Whether this build is the offline copy (`make dist`), opened from disk."""
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)
