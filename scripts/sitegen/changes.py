"""The record of content changes (/changes/), made from `git log` at build time.

`read_history` runs git; everything else is pure: parse its output, decide what the
page can honestly say, render HTML. The record depends only on the commits, never
on the build time, so one commit always gives the same page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import SiteDataError
from .markup import inert
from .pages import human_date

# What counts as content: the pages, the data behind tables, the bibliography.
# docs/assets/ holds the look and code of the site, not what it says.
CONTENT_PATHS = ("docs/", "data/", "references.bib")
NOT_CONTENT = ("docs/assets/",)

SHALLOW_ARGS = ("rev-parse", "--is-shallow-repository")
# Fixed options so a user's git config (renames, encoding, merges) cannot change the record.
LOG_ARGS = (
    "log",
    "--full-history",
    "--no-merges",
    "--no-renames",
    "--encoding=UTF-8",
    "-z",
    "--format=%x1e%H%x1f%cI%x1f%s",
    "--name-only",
    "--",
    "docs",
    "data",
    "references.bib",
    ":(exclude)docs/assets",
)

SHALLOW_NOTE = (
    "This copy of the site was built without its full history (from a shallow clone), "
    "so the record of changes cannot be listed here. Each page still shows when it was "
    "last updated."
)
NO_HISTORY_NOTE = (
    "This copy of the site was built from files without their version history, "
    "so the record of changes cannot be listed here. Each page still shows when it was "
    "last updated."
)
EMPTY_NOTE = "No changes to the pages or data have been recorded yet."

_RECORD = re.compile(r"\x1e(?=[0-9a-f]{40}\x1f)")


@dataclass(frozen=True)
class Commit:
    sha: str
    when: dt.datetime  # committer date, with the committer's UTC offset
    subject: str
    paths: tuple[str, ...]


def is_content(path: str) -> bool:
    return (path == "references.bib" or path.startswith(CONTENT_PATHS)) and not path.startswith(NOT_CONTENT)


def parse_log(output: str) -> list[Commit]:
    """Commits from `git <LOG_ARGS>` output that touched content, newest first.

    Sorted by committer date (stable, so equal dates keep git's order) rather than
    trusting git's walk order, which interleaves branches.
    """
    commits = []
    for n, record in enumerate(_RECORD.split(output)[1:], start=1):
        header, _, names = record.partition("\0")
        try:
            sha, when, subject = header.split("\x1f", 2)
            when = dt.datetime.fromisoformat(when)
        except ValueError:
            raise SiteDataError("git log", f"commit record {n} is not in the expected format: {header[:80]!r}") from None
        paths = tuple(p for p in (name.strip("\n") for name in names.split("\0")) if p and is_content(p))
        if paths:
            commits.append(Commit(sha, when, subject.strip(), paths))
    return sorted(commits, key=lambda c: c.when.timestamp(), reverse=True)


def _describe(path: str, pages: dict[str, tuple[str, str]]) -> str:
    """One changed file as HTML: a link to its page when it is published, else its path."""
    if path in pages:
        title, url = pages[path]
        return f'<a href="{html.escape(url)}">{inert(title)}</a>'
    if path.startswith("docs/_snippets/"):
        return f"<code>{inert(path)}</code> (text shared by several pages)"
    return f"<code>{inert(path)}</code>"


def render_record(commits: list[Commit], pages: dict[str, tuple[str, str]]) -> str:
    """The list of changes as one raw-HTML block (no blank lines, so Markdown leaves it whole).

    `pages` maps a source path (`docs/uses.md`, `references.bib`) to the title and
    the URL, relative to the changes page, of the page that shows it.
    """
    if not commits:
        return f'<p class="changes-note">{EMPTY_NOTE}</p>'
    items = []
    for commit in commits:
        day = commit.when.date()
        changed = ", ".join(_describe(path, pages) for path in commit.paths)
        items.append(
            '<li class="change">'
            f'<p class="change__date"><time datetime="{day.isoformat()}">{human_date(day)}</time></p>'
            f'<p class="change__subject">{inert(commit.subject)}</p>'
            f'<p class="change__files">Changed: {changed}</p>'
            "</li>"
        )
    # Out of search: commit subjects would crowd the results for every page they name.
    return '<ol class="changes" data-search-exclude>\n' + "\n".join(items) + "\n</ol>"


@dataclass(frozen=True)
class History:
    """What the version history says: the content commits, or a note saying why there are none."""

    commits: tuple[Commit, ...] = ()
    note: str | None = NO_HISTORY_NOTE


def history_from_git(shallow_output: str | None, log_output: str | None) -> History:
    """The history, given the output of the two git commands (None: git failed).

    A shallow clone's oldest commit looks as if it added every file, so it gets a
    note instead of a misleading list; so does a copy without git history.
    """
    if shallow_output is not None and shallow_output.strip() == "true":
        return History(note=SHALLOW_NOTE)
    if shallow_output is None or log_output is None:
        return History(note=NO_HISTORY_NOTE)
    commits = tuple(parse_log(log_output))
    return History(commits=commits, note=None if commits else EMPTY_NOTE)


def read_history(root: Path) -> History:
    shallow = _git(root, SHALLOW_ARGS)
    log = _git(root, LOG_ARGS) if shallow is not None and shallow.strip() == "false" else None
    return history_from_git(shallow, log)


def _git(root: Path, args) -> str | None:
    """stdout of one git command in the project; None when git or the history is missing."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, encoding="utf-8", errors="replace")
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def render_changes(history: History, pages: dict[str, tuple[str, str]]) -> str:
    """What the changes page shows: the list, or the note."""
    if history.note:
        return f'<p class="changes-note">{history.note}</p>'
    return render_record(list(history.commits), pages)
