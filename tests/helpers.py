"""Plain helpers the test modules share (tests/conftest.py keeps the fixtures and the hooks):
the project's paths and pages, editing and building a copy, reading a built page, local servers."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sitegen import site
from sitegen.errors import SiteDataError
from sitegen.glossary import Glossary, Term

ROOT = Path(__file__).resolve().parent.parent
SHARED_SOURCE = ROOT.parent / "shared/source/ketamine-esketamine-article.txt"
# The build checks the site against the repository's copy of the article (data/source/); where
# the shared original is present, the tests check that the copy is still that article.
SOURCE_COPY = ROOT / "data/source/ketamine-esketamine-article.txt"
SOURCE = SOURCE_COPY
OUTPUT = ROOT / "test-output"
# Shared with `make build`: entries are keyed by a hash of everything that goes into them.
CACHE = ROOT / "build" / "cache"


def front_matter(src: str) -> dict:
    """The front matter of the page `src` (a file of docs/)."""
    text = (ROOT / "docs" / src).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def _page(src: str) -> tuple[str, str, str]:
    """(source file, URL path, title), the title read from the page itself so an edited title breaks no test."""
    return src, "" if src == "index.md" else src.removesuffix(".md") + "/", front_matter(src)["title"]


# The article's pages, in the menu's order: those whose front matter says `source: article`.
_NAV = [line.split(": ")[-1].strip() for line in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines() if line.strip().endswith(".md")]
ARTICLE_PAGES = [_page(src) for src in _NAV if front_matter(src).get("source") == "article"]
REFERENCES_PAGE = _page("references.md")
GLOSSARY_PAGE = _page("glossary.md")  # after References in the nav


def build_site(project: Path, site_dir: Path, **options):
    """Build `project` into `site_dir` exactly as `make build` does (model, MkDocs, finishing pass,
    checks, swap); PDFs and previews come from the shared cache when unchanged. Returns the report."""
    from pipeline.build import build  # the one pipeline `make build` runs, in this process

    options.setdefault("cache", CACHE)
    return build(site_dir, root=project, **options)


def build_fails(project: Path, site_dir: Path, **options) -> str:
    """The message of a build that must stop."""
    from pipeline.build import BuildFailed

    with pytest.raises(BuildFailed) as failed:
        build_site(project, site_dir, **options)
    return str(failed.value)


def model_of(project: Path):
    """The site model of `project`, loaded and checked as `scripts/build` does before MkDocs starts.

    Bad input that the model refuses needs no build to test; raises SiteDataError.
    """
    from mkdocs.config import load_config

    from hooks_shared import load_model

    return load_model(load_config(str(project / "mkdocs.yml")))


def edit(project: Path, path: str, before: str, after: str, count: int = 1) -> None:
    """Replace `before` (which must be there) with `after` in one of the project's files."""
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert before in text, (path, before)
    file.write_text(text.replace(before, after, count), encoding="utf-8")


def day_after_record(project: Path) -> str:
    """The day after the newest entry of the project's data/changes.yml (YYYY-MM-DD): the record is
    kept newest first, so an entry a test puts at its top must be no older than those below."""
    newest = max(entry["date"] for entry in yaml.safe_load((project / "data/changes.yml").read_text(encoding="utf-8"))["changes"])
    return (newest + dt.timedelta(days=1)).isoformat()


def record(project: Path, pages: list[str], what: str, extra: str = "") -> str:
    """Record a change as the README says: an entry atop data/changes.yml naming `pages` (public
    addresses), dated the day after the newest, and that date as each page's last_updated."""
    day = day_after_record(project)
    entry = f"  - date: {day}\n    pages: [{', '.join(pages)}]\n    what: {what}\n{extra}\n"
    edit(project, "data/changes.yml", "changes:\n", "changes:\n" + entry)
    for address in pages:
        page = project / "docs" / ((address.strip("/") or "index") + ".md")
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"^last_updated: .*$", f"last_updated: {day}", text, count=1, flags=re.M), encoding="utf-8")
    return day


def build_scored_again(project: Path, site_dir: Path, **options):
    """`build_site`; where it stops asking for the handout's PEMAT-P review again (README: a changed handout is
    scored again), the review is scored (these scores stand for a person's) and names the edition the build
    names, as it says, and the build runs again. Returns the report."""
    from pipeline.build import BuildFailed

    try:
        return build_site(project, site_dir, **options)
    except BuildFailed as failed:
        told = re.search(r"^(data/reviews/pemat-p-handout\.yml), line (\d+): handout: .* then write `(handout: '[\d.a-f-]+')` on this line$",
                         str(failed), re.M)
        if told is None:
            raise
        review = project / told[1]
        lines = review.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[int(told[2]) - 1] = told[3] + "\n"
        day = told[3].split("'")[1].split(".")[0]  # scored the day the handout's edition is dated
        text = re.sub(r"^date: .*$", f"date: '{day}'", "".join(lines), count=1, flags=re.M)
        review.write_text(text, encoding="utf-8")
    return build_site(project, site_dir, **options)


def line_of(file: Path, text: str) -> int:
    """The first line of `file` that holds `text`: tests name lines by finding their own edits,
    so a legitimate edit elsewhere in the file never breaks them."""
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} is not in {file}")


def unresolved(site: Path, base: str, url: str) -> str | None:
    """Why the absolute address `url` does not lead to a file of the site built in `site` for the
    address `base`, and to the element its #id names; None when it does."""
    if not url.startswith(base):
        return f"{url} is not on the site's address {base}"
    path, _, fragment = url[len(base):].partition("#")
    file = site / path
    if path == "" or path.endswith("/"):
        file = file / "index.html"
    if not file.is_file():
        return f"{url}: no such file"
    if fragment and f'id="{fragment}"' not in file.read_text(encoding="utf-8"):
        return f"{url}: no element with id {fragment}"
    return None


def add_page(project: Path, name: str = "test-page", title: str = "A test page") -> str:
    """A page of the test's own in a copy, made with the new-page scaffold as an editor would, with two
    recorded sections (#first-section, #second-section): tests that move or break pages use it, so
    no edit to the real pages can break them. Returns its address."""
    result = subprocess.run([sys.executable, "scripts/new-page", "--title", title, "--name", name], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    page = project / "docs" / f"{name}.md"
    text = page.read_text(encoding="utf-8")
    front = text[: text.index("\n---\n", 4) + 5].replace('"TODO: one sentence about this page, for search results and link previews."', "A page a test made.")
    filler = "Some text.\n\n" * 40  # tall enough that a link to a section has to scroll
    page.write_text(front + f"\n# {title}\n\n## First section {{#first-section}}\n\n{filler}## Second section {{#second-section}}\n\n{filler}", encoding="utf-8")
    edit(project, "data/public-urls.yml", f"  /{name}/:\n", f"  /{name}/:\n    - first-section\n    - second-section\n")
    return f"/{name}/"


def copy_project(dest: Path) -> Path:
    """A throwaway copy of the project's sources, for tests that edit them."""
    project = dest / "project"
    anywhere = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis")
    # What builds, tests and tools make at the top (scripts/build is a source file, build/ is not).
    made = {".venv", "site", "node_modules", ".git", "test-output", "build", "dist"}

    def ignore(folder, names):
        top = made.intersection(names) if Path(folder) == ROOT else set()
        return top | anywhere(folder, names)

    shutil.copytree(ROOT, project, ignore=ignore)
    return project


def share_tools(project: Path, node: bool = False) -> None:
    """Link a copy to this checkout's PDF and preview cache (keyed by their inputs, so shared safely)
    and, with `node`, to its Node tools (axe-core and the rest, which copies leave out)."""
    links = {project / "build" / "cache": CACHE} | ({project / "node_modules": ROOT / "node_modules"} if node else {})
    for link, target in links.items():
        if not link.exists():
            link.parent.mkdir(parents=True, exist_ok=True)
            target.mkdir(parents=True, exist_ok=True)
            link.symlink_to(target, target_is_directory=True)


def make(project: Path, target: str, **env) -> subprocess.CompletedProcess:
    """`make TARGET` in `project`, the command users run, with this interpreter (no venv per copy).

    The copy shares the PDF and preview cache, whose entries are keyed by their inputs, and (after
    share_tools(node=True)) this checkout's Node tools, which it never installs again itself.
    """
    share_tools(project)
    return subprocess.run(
        ["make", "--no-print-directory", "-o", "node_modules/.installed", target, f"PY={sys.executable}"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **env},
        timeout=600,
    )


# A title full of web-server configuration syntax: whatever a page says must not reach the server's configuration.
HOSTILE_TITLE = """Privacy"; } server { listen 666; } # $uri ${x} \\ Header set X-Evil 1 '"""
DIST_SETTINGS = {"SERVER_NAME": "clinic.example.org", "LISTEN": "8080", "WEB_ROOT": "/srv/ketamine"}
# The address `other_address_site` (conftest.py) is built for.
OTHER_ADDRESS = "https://clinic.example.net/info/"


# Python's file server (`python -m http.server`), which also answers with a `LinkChecker` header:
# linkchecker then takes the request rate of tests/test_links.py's configuration for it rather than
# sleeping 0.1-0.6 s before each request (about 20 s a crawl, three crawls a run).
FILE_SERVER = """
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("LinkChecker", "a local test server")
        super().end_headers()
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), functools.partial(Handler, directory=sys.argv[2])).serve_forever()
"""


def free_port() -> int:
    """A local port the system hands out, free when asked."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(directory: Path):
    """Serve `directory` on a free local port; yields the base URL ending in `/`."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", FILE_SERVER, str(port), str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# A policy violation is reported as a console error, so it lands with the page's other problems.
WATCH_CSP = """document.addEventListener('securitypolicyviolation', e =>
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"""


def watch(target, problems: list[str] | None = None) -> list[str]:
    """Console errors and warnings, policy violations and script errors of a page, or of every page
    of a context, added to `problems` as they happen."""
    problems = [] if problems is None else problems
    target.add_init_script(WATCH_CSP)
    target.on("console", lambda m: problems.append(f"{m.type}: {m.text} ({m.location.get('url')})") if m.type in ("error", "warning") else None)
    target.on("weberror" if hasattr(target, "new_page") else "pageerror", lambda e: problems.append(f"page error: {getattr(e, 'error', e)}"))
    return problems


def soup_of(site: Path, url: str) -> BeautifulSoup:
    """The built page at `url` (its address below the site's, with or without a leading `/`) of the site in `site`."""
    return BeautifulSoup((site / url.lstrip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by its path relative to it: its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- Unit-test data several modules share -------------------------------------------------------

# A small source article (tests/test_article.py, tests/test_fidelity.py).
SMALL_ARTICLE = """Ketamine, an overview
It’s  “old” — and new.  Second sentence! Third?

Key takeaways:
Takeaway here.
• Nausea • Dizziness | • Dissociation •Sedation
Abdallah, C. G., et al. (2018). A title. Journal.
National Center for Drug Abuse Statistics. (n.d.). Stats. Web.
*Footnote text. Second footnote sentence.
"""

# What a message about the article's words tells the editor to do (tests/test_fidelity.py, tests/test_site_model.py).
REMEDY = ("write the article's words, or change them on the record: an entry in data/changes.yml with "
          "edits (replace: the article's words, with: the new ones), why, and sources; ")


def refusal_message(call, *args) -> str:
    """The message of the SiteDataError that `call(*args)` must raise."""
    with pytest.raises(SiteDataError) as refused:
        call(*args)
    return str(refused.value)


# Two glossary terms, the second the site's own definition (tests/test_glossary.py, tests/test_fidelity.py).
NMDA = Term("NMDA receptor", "A receptor.", ["NMDA receptor"], 3)
DISSOCIATION = Term("Dissociation", "Feeling detached.", ["dissociation"], 5, ours=True)
TWO_TERMS = Glossary("data/glossary.yml", [NMDA, DISSOCIATION])


# A tiny site of its own for site.load_site (the real one takes seconds to load): tests/test_site_model.py,
# tests/test_additions.py and tests/test_pages_unit.py load it. Its article and bibliography are the ones
# tests/test_fidelity.py checks its rules on.
ARTICLE = textwrap.dedent("""\
    Key takeaways:
    Ketamine was created for anesthesia. It’s sometimes used off-label.
    Glutamate: Ketamine affects glutamate. Glutamate is a chemical messenger.
    • Anxiety or fear • Nausea, vomiting | • Anxiety • Pain when peeing |
    It may also help suicidal thoughts go away.
    Abdallah, C. G., et al. (2018). The effects of ketamine. Neuropsychopharmacology.
    National Center for Drug Abuse Statistics. (n.d.). Drug abuse statistics.
    Keep in mind that psilocybin is legal in some states.
""")


BIB = """@article{abdallah2018, refnumber = {1}, author = {Abdallah, C. G. and others}, year = {2018}, title = {The effects of ketamine}, journal = {N}}
@misc{ncdas, refnumber = {2}, author = {{National Center for Drug Abuse Statistics}}, year = {n.d.}, title = {Drug abuse statistics}}
"""


TINY_TABLES = {
    "data/side-effects.yml": """columns:
  ketamine: Ketamine
  esketamine: Esketamine
tables:
  side-effects:
    caption: Side effects
    row_heading: Side effect
    empty: Not on its list in the article
    rows:
      - label: Anxiety
        cells:
          ketamine: Anxiety or fear
          esketamine: Anxiety
      - label: Nausea
        cells:
          ketamine: Nausea, vomiting
      - label: Pain when peeing
        cells:
          esketamine: Pain when peeing
""",
    "data/at-a-glance.yml": """columns:
  ketamine: Ketamine
tables:
  at-a-glance:
    caption: At a glance
    row_heading: Topic
    empty: The source article does not say
    rows:
      - label: Use
        cells:
          ketamine: created for anesthesia
""",
}


def _front(title: str, body: str, updated: str = "2026-01-01") -> str:
    return f"---\ntitle: {title}\ndescription: About {title}.\nlast_updated: {updated}\nnext_review: 2027-01-01\n---\n{body}"


def tiny_site(root: Path) -> Path:
    files = {
        "mkdocs.yml": "site_name: Tiny\n",
        "references.bib": BIB,
        "data/source/ketamine-esketamine-article.txt": ARTICLE,
        "data/glossary.yml": "terms:\n  - term: Glutamate\n    definition: Glutamate is a chemical messenger.\n",
        "data/public-urls.yml": "pages:\n  /: []\n  /references/: []\n  /extra/: []\nmoved:\n  /old/: /extra/\n",
        "data/changes.yml": ("changes:\n  - date: 2026-01-01\n    pages: [/, /references/, /old/]\n    what: Made.\n"
                             "    why: Not cited any more.\n    retire: [ncdas]\n"),
        "docs/index.md": _front("Home", "\n# Home\n\n## Uses {#uses}\n\nKetamine was created for anesthesia. [@abdallah2018]\n\n"
                                        "<!-- insert: table side-effects -->\n\n<!-- insert: table at-a-glance -->\n"),
        "docs/references.md": _front("References", "\n# References\n\n<!-- insert: bibliography -->\n"),
        "docs/extra.md": _front("Extra", "\n# Extra\n\nMore.\n"),
        "docs/_snippets/note.md": "A note.\n",
        "overrides/main.html": "{% extends 'base.html' %}\n",
        "data/reviews/citations.yml": ("reviews:\n  - page: docs/index.md\n    sentence: Ketamine was created\n    key: abdallah2018\n"
                                       "    verdict: supports\n    source_words: Ketamine.\n    read_at: abstract\n"),
        **TINY_TABLES,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


TINY_NAV = [{"Home": "index.md"}, {"Sources": [{"References": "references.md"}]}]


def tiny_settings():
    return site.check_settings("Tiny", "https://example.org/k")


def clone(tmp_path: Path) -> Path:
    """A copy that is a git checkout of itself, as an editor's clone is: the build then holds what pages
    say against the last commit and keeps data/published-text.yml for the editor to commit."""
    project = copy_project(tmp_path)
    env = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "editor@example.org", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "PATH": os.environ["PATH"]}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "The site as the editor found it"]):
        subprocess.run(["git", *command], cwd=project, env=env, check=True, capture_output=True)
    return project
