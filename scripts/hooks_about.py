"""MkDocs hook for the About pages: the optional contact line and the record of changes.

The git calls live here; parsing and rendering are pure functions in `sitegen.changes`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from hooks_shared import fail
from sitegen import changes, contact
from sitegen.errors import SiteDataError


def _git(root: Path, args) -> str | None:
    """stdout of one git command in the project; None when git or the history is missing."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, encoding="utf-8", errors="replace")
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def _published(page, config, files) -> dict:
    # Source path -> (nav title, URL relative to `page`) for every page a change can link to.
    pages = {}
    for f in files.documentation_pages():
        pages[f"docs/{f.src_uri}"] = (f.page.title if f.page and f.page.title else f.src_uri, f.url_relative_to(page.file))
    if "docs/references.md" in pages:
        pages["references.bib"] = pages["docs/references.md"]
    return pages


def on_page_markdown(markdown, page, config, files):
    where = f"docs/{page.file.src_uri}"
    try:
        if contact.MARKER.search(markdown):
            email = contact.check_email(config.extra.get("contact_email"))
            markdown = contact.fill_contact(markdown, email, where)
        if changes.MARKER.search(markdown):
            root = Path(config.config_file_path).parent
            shallow = _git(root, changes.SHALLOW_ARGS)
            log = _git(root, changes.LOG_ARGS) if shallow and shallow.strip() == "false" else None
            markdown = changes.fill_changes(markdown, changes.render_changes(shallow, log, _published(page, config, files)))
    except SiteDataError as error:
        fail(error)
    return markdown


