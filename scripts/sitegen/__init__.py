"""Build-time generation for the site: pure functions, no MkDocs imports.

Each module loads, validates and renders one kind of content; `scripts/hooks.py`
only connects them to MkDocs events.
"""
