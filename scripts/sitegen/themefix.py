"""Fixes to markup the theme writes outside any template block, applied to each built page."""

from __future__ import annotations

import re

# mkdocs-material's base.html writes its drawer and search toggles as
# <input ... type="checkbox" id="__drawer" autocomplete="off">, and HTML allows `autocomplete`
# only on text-like inputs (Nu Html Checker error). The inputs sit in base.html outside every
# block, so no template override can reach them short of copying the whole base template.
# Only the theme's own `md-toggle` inputs are touched.
_TOGGLE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?)\s+autocomplete="off"')


def drop_checkbox_autocomplete(html: str) -> str:
    """`html` without the invalid `autocomplete` attribute on the theme's toggle checkboxes."""
    return _TOGGLE.sub(r"\1", html)
