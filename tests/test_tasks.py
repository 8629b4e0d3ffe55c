"""Every task the README's editing guide documents, done exactly as it says, on a scratch copy.

Each task in `TASKS` is a function of an `Editor`: it edits the files the README's row or checklist
names, the way it says, and builds as an editor checks. When the build stops, the editor does what
the message says (`Editor.do_as_told`), which must name a file, a line and what to write there;
until the build publishes. The task returns what readers then see: the change on its page and on
/changes/. `test_make_check_passes_after_every_task` runs them all in one clone, one after another as
an editor's day would (each once: a copy per task would repeat every build), each checked on its own
build, then `make check` (the whole build, PDFs included, and the fast tests), the command after which
the README calls a change ready: no test may re-assert what a documented edit changes. Each try on the
way is `make check`'s first step, the build, run in this process without PDFs. Pages, sentences and
words are read from the site model, never named here; only the README's own examples are taken from
the README. (A clinic's copy, the last task, is tests/test_clinics.py's: it prints every PDF again.)
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, build_site, clone, day_after_record, edit, line_of, make, model_of, share_tools, soup_of
from pipeline.report import BuildFailed
from sitegen import fidelity
from sitegen.pages import human_date

pytestmark = pytest.mark.rebuild  # this module's tier (tests/conftest.py)

REVIEWS = "data/reviews/citations.yml"
ARTICLE = "data/source/ketamine-esketamine-article.txt"
README = (ROOT / "README.md").read_text(encoding="utf-8")
Shows = Callable[[Path], None]  # what the task's readers see, checked on a built site


# --- The editor ---------------------------------------------------------------------------------------


class Editor:
    """Edits a copy as the README says and builds it after each step: `scripts/build`'s pipeline, in this
    process and without PDFs (what `make check` runs first), into a folder of its own."""

    def __init__(self, project: Path):
        self.project = project
        self.site = project / "build" / "tries"
        self.tries: list[str] = []  # each stopped build's message, in order

    def text(self, name: str) -> str:
        return (self.project / name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        (self.project / name).write_text(text, encoding="utf-8")

    def edit(self, name: str, before: str, after: str) -> None:
        edit(self.project, name, before, after)

    def line(self, name: str, text: str) -> int:
        return line_of(self.project / name, text)

    def set_line(self, name: str, number: int, text: str) -> None:
        """Line `number` of `name` becomes `text`, at the line's own indentation."""
        lines = self.text(name).splitlines(keepends=True)
        indent = re.match(r"[ \t]*", lines[number - 1]).group(0)
        lines[number - 1] = indent + text + "\n"
        self.write(name, "".join(lines))

    def model(self):
        return model_of(self.project)

    def build(self) -> str | None:
        """None if the build published, else what it said."""
        try:
            build_site(self.project, self.site, preview=True)
        except BuildFailed as failed:
            return str(failed)
        return None

    def fails(self, *expected: str) -> str:
        """The build stops, saying each of `expected`, and leaves the published site as it was."""
        home = self.site / "index.html"
        before = home.read_bytes() if home.exists() else None
        message = self.build()
        assert message is not None, "the build published what it should have stopped"
        self.tries.append(message)
        for words in expected:
            assert words in message, f"expected {words!r} in:\n{message}"
        assert (home.read_bytes() if home.exists() else None) == before, "a stopped build changed the published site"
        return message

    def builds(self, told: str | None = None, most: int = 6) -> None:
        """Do what `told` (a stopped build's message) says; build; while the build stops, do what its message
        says (it must say it), and build again."""
        if told is not None:
            self.do_as_told(told)
        for _ in range(most):
            message = self.build()
            if message is None:
                return
            self.tries.append(message)
            self.do_as_told(message)
        raise AssertionError("still stopped after doing as told:\n" + "\n---\n".join(self.tries[-2:]))

    def record(self, pages: list[str], what: str, extra: str = "") -> str:
        """An entry atop data/changes.yml naming `pages`, dated after every other, and that date as each
        page's last_updated: the README's 'say a page was changed'. Returns the date."""
        day = day_after_record(self.project)
        self.edit("data/changes.yml", "changes:\n", f"changes:\n  - date: {day}\n    pages: [{', '.join(pages)}]\n"
                                                    f"    what: {json.dumps(what, ensure_ascii=False)}\n{extra}\n")
        for address in pages:
            self.set_date(address, day)
        return day

    def set_date(self, address: str, day: str) -> None:
        name = "docs/" + (address.strip("/") or "index") + ".md"
        self.set_line(name, self.line(name, "last_updated:"), f"last_updated: {day}")

    # -- What the build says to write, written as it says ----------------------------------------------

    def do_as_told(self, message: str) -> None:
        done = 0
        # A page's date: "in docs/x.md, line 4, write `last_updated: D`", or listed "  docs/x.md, line 4: `last_updated: D`".
        told = re.findall(r"in (docs/[\w/-]+\.md), line (\d+), write `(last_updated: [\d-]+)`", message)
        told += re.findall(r"^\s*(docs/[\w/-]+\.md), line (\d+): `(last_updated: [\d-]+)`$", message, re.M)
        for name, number, text in told:
            self.set_line(name, int(number), text)
            done += 1
        # Pages to add to the editor's own entry: "add /a/, /b/ to `pages:` of your entry at data/changes.yml, line N".
        found = re.search(r"add (/[\w/-]*(?:, /[\w/-]*)*) to `pages:` of your entry at data/changes\.yml, line (\d+)", message)
        if found:
            lines = self.text("data/changes.yml").splitlines(keepends=True)
            at = next(i for i in range(int(found.group(2)), len(lines)) if lines[i].lstrip().startswith("pages: ["))
            lines[at] = lines[at].replace("]", f", {found.group(1)}]", 1)
            self.write("data/changes.yml", "".join(lines))
            done += 1
        # A review by a person, on the record: "add one at the top (date: D, pages: [/x/], what: W) and write `last_updated: D` on line N".
        found = re.search(r"(docs/[\w/-]+\.md), line \d+: reviewed: .* add one at the top \(date: ([\d-]+), pages: \[([^\]]*)\], "
                          r"what: (.*?)\) and write `(last_updated: [\d-]+)` on line (\d+)", message)
        if found:
            name, day, pages, what, text, number = found.groups()
            self.edit("data/changes.yml", "changes:\n", f"changes:\n  - date: {day}\n    pages: [{pages}]\n    what: {json.dumps(what)}\n\n")
            self.set_line(name, int(number), text)
            done += 1
        # The handout's review: "then write `handout: 'EDITION'` on this line" (scoring it again takes a person; the
        # scores here stand for theirs).
        found = re.search(r"(data/reviews/[\w-]+\.yml), line (\d+): handout: .* then write `(handout: '[\d.a-f-]+')` on this line", message)
        if found:
            self.set_line(found.group(1), int(found.group(2)), found.group(3))
            done += 1
        # A side-effects row out of order: "so it goes below the row 'X'" (or "first, above the row 'Y'").
        found = re.search(r"(data/[\w-]+\.yml), line \d+: tables\.[\w-]+, row '([^']+)': the rows are in alphabetical order.*? so it goes "
                          r"(?:below the row '([^']+)'|first, above the row '([^']+)')", message)
        if found:
            self.move_row(*found.groups())
            done += 1
        # A reworded cited sentence: "cites 'k' after 'START', which data/reviews/citations.yml has not reviewed; if you
        # reworded the sentence, write its new start in the entry at data/reviews/citations.yml, line N".
        for start, name, number in re.findall(r"cites '[\w-]+' after '(.+?)', which (data/reviews/[\w-]+\.yml) has not reviewed; if you "
                                              r"reworded the sentence, write its new start in the entry at \2, line (\d+)", message):
            lines = self.text(name).splitlines(keepends=True)
            at = next(i for i in range(int(number) - 1, len(lines)) if lines[i].lstrip().startswith("sentence:"))
            lines[at] = lines[at][: lines[at].index("sentence:")] + f"sentence: {json.dumps(start, ensure_ascii=False)}\n"
            self.write(name, "".join(lines))
            done += 1
        # A new source's number: "add the line `  refnumber = {N},` under `@misc{key,` (line L)".
        found = re.search(r"add the line `(  refnumber = \{\d+\},)` under `(@\w+\{[\w-]+,)` \(line \d+\)", message)
        if found:
            self.edit("references.bib", found.group(2) + "\n", found.group(2) + "\n" + found.group(1) + "\n")
            done += 1
        # A section's new id: "add the line `  /p/#old: /p/#new` under moved:".
        for line in sorted(set(re.findall(r"add the line `  (/[\w/-]*#[\w-]+: /[\w/-]*#[\w-]+)` under moved:", message))):
            self.add_moved(line)
            done += 1
        # A link to a page that moved: "docs/about.md, line 12: links to 'privacy.md', a page that moved (…): write 'x.md' instead".
        for name, number, link, new in sorted(set(re.findall(r"(docs/[\w/-]+\.md), line (\d+): links to '([^']+)', a page that moved "
                                                             r"\(data/public-urls\.yml, moved:\): write '([^']+)' instead", message))):
            lines = self.text(name).splitlines(keepends=True)
            lines[int(number) - 1] = lines[int(number) - 1].replace(f"]({link}", f"]({new}")
            self.write(name, "".join(lines))
            done += 1
        assert done, f"the build stopped without saying what to write where, in words an editor can follow:\n{message}"

    def move_row(self, name: str, label: str, below: str | None, above: str | None) -> None:
        text = self.text(name)
        block = re.search(rf"^      - label: {re.escape(label)}\n(?:        .*\n)*", text, re.M).group(0)
        text = text.replace(block, "", 1)
        if below:
            target = re.search(rf"^      - label: {re.escape(below)}\n(?:        .*\n)*", text, re.M).end()
        else:
            target = re.search(rf"^      - label: {re.escape(above)}\n", text, re.M).start()
        self.write(name, text[:target] + block + text[target:])

    def add_moved(self, line: str) -> None:
        """A line under `moved:` in data/public-urls.yml, as the README says (replacing `{}` if the file has it)."""
        text = self.text("data/public-urls.yml")
        if re.search(r"^moved: \{\}[ \t]*$", text, re.M):
            self.write("data/public-urls.yml", re.sub(r"^moved: \{\}[ \t]*$", f"moved:\n  {line}", text, count=1, flags=re.M))
        else:
            self.edit("data/public-urls.yml", "\nmoved:\n", f"\nmoved:\n  {line}\n")


def _words(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _entry(site: Path, what: str):
    """The entry on /changes/ that says `what`, wherever the record has it."""
    for item in soup_of(site, "/changes/").select("ol.changes > li"):
        if _words(item.select_one(".change__what")) == what:
            return item
    raise AssertionError(f"/changes/ has no entry {what!r}")


# --- What a task picks, read from the site model -------------------------------------------------------


def _cited_sentence(ed: Editor) -> tuple[str, str, str]:
    """(page, sentence, the key cited right after it): an article sentence that one `source: article`
    page holds once, as written, followed by its citation, and that the article says once."""
    site = ed.model()
    article = ed.text(ARTICLE)
    for src, page in site.pages.items():
        if page.source != "article":
            continue
        for _, sentence in site.article.sentences():
            parts = page.body.split(sentence)
            if len(parts) == 2 and parts[1].startswith("[@") and article.count(sentence) == 1 \
                    and sum(ed.text(f"docs/{other}").count(sentence) for other in site.pages) == 1:
                return src, sentence, re.match(r"\[@([\w-]+)", parts[1]).group(1)
    raise AssertionError("no cited sentence of the article found on its pages")


def _placed_on(site, name: str, arg: str) -> list[str]:
    """The addresses of the pages that place `<!-- insert: NAME ARG -->`."""
    return [site.pages[src].address for src, found in site.markers.items() if any(m.name == name and m.arg == arg for m in found)]


def _a_key_cited_on(site, address: str) -> str:
    src = next(src for src, page in site.pages.items() if page.address == address)
    return next(key for group in site.citations[src] for key in group)


# --- The tasks: the README's table, row by row, and its checklists --------------------------------------


def typo(ed: Editor) -> Shows:
    """Fix a typo or reword an article sentence: the page, and an entry like the README's example
    (`edits`, `why`, `typo: true`); the ledger's entry for its citation then takes its new start."""
    src, sentence, _ = _cited_sentence(ed)
    page, address = f"docs/{src}", ed.model().pages[src].address
    first, rest = sentence.split(" ", 1)
    new = f"{first} also {rest}"
    ed.edit(page, sentence, new)
    ed.fails(f"{page}, line {ed.line(page, new)}: '{new}' is not the article's wording", f"the article says '{sentence}'")
    what = "We corrected a typing error."
    ed.record([address], what, f"    why: It was a typing error.\n    edits:\n      - replace: {json.dumps(sentence, ensure_ascii=False)}\n"
                               f"        with: {json.dumps(new, ensure_ascii=False)}\n    typo: true")
    ed.builds()  # its citation's entry in the ledger takes the new start, as the build says

    def shows(site: Path) -> None:
        assert new in _words(soup_of(site, address).article)
        assert [q.get_text() for q in _entry(site, what).select(".change__edit q")] == [sentence, new]
    return shows


def cell_reworded(ed: Editor) -> Shows:
    """Change a table cell: the data file, and for a side effect an `edits` entry for the article's
    `• … |` line; the build names the other pages that show the table (and what to write there)."""
    site = ed.model()
    table = site.tables[fidelity.SIDE_EFFECTS_TABLE]
    article = ed.text(ARTICLE)
    row, drug, item = next((row, drug, items[0]) for row in table.rows for drug, items in row.cells.items()
                           if len(items) == 1 and article.count(f"• {items[0]} ") == 1)
    new = f"{item} (reworded by a test)"
    data, at = table.source, int(re.search(r"line (\d+)", row.where).group(1))
    cell = next(n for n, line in enumerate(ed.text(data).splitlines(), 1) if n > at and line.strip() == f"{drug}: {item}")
    ed.set_line(data, cell, f"{drug}: {new}")
    ed.fails(f"{data}, line {at}: tables.{table.name}, row '{row.label}', {drug}: '{new}' is not the article's wording")
    pages = _placed_on(site, "table", table.name)
    what = f"The side-effects table now says “{new}”."
    ed.record(pages, what, f"    why: A test rewords a cell.\n    edits:\n      - replace: {json.dumps(f'• {item} ')}\n"
                           f"        with: {json.dumps(f'• {new} ')}\n    sources: [{_a_key_cited_on(site, pages[0])}]")
    ed.builds()

    def shows(site: Path) -> None:
        assert new in [_words(td) for td in soup_of(site, pages[0]).select(f"table#table-{table.name} td")]
        assert [q.get_text().strip() for q in _entry(site, what).select(".change__edit q")] == [f"• {item}", f"• {new}"]
    return shows


def row_added(ed: Editor) -> Shows:
    """Add a side effect: a row (put first, where an editor might; the build says where it goes) and an
    `edits` entry adding it to its medicine's list on the article's `• … |` line."""
    site = ed.model()
    table = site.tables[fidelity.SIDE_EFFECTS_TABLE]
    drug = list(table.columns)[-1]
    label, item = "Zz test side effect", "Test side effect"
    data, text = table.source, ed.text(table.source)
    first = re.search(r"^      - label: ", text, re.M).start()
    ed.write(data, text[:first] + f"      - label: {label}\n        cells:\n          {drug}: {item}\n" + text[first:])
    ed.fails(f"{data}, line {ed.line(data, label)}: tables.{table.name}, row '{label}', {drug}: '{item}' is not the article's wording")
    lists = next(line for line in ed.text(ARTICLE).splitlines() if line.startswith("•"))
    last = re.findall(r"• ([^•|]*?) \|", lists)[list(table.columns).index(drug)]
    pages = _placed_on(site, "table", table.name)
    what = "The side-effects table lists one more side effect."
    ed.record(pages, what, f"    why: A test adds a row.\n    edits:\n      - replace: {json.dumps(f'• {last} |')}\n"
                           f"        with: {json.dumps(f'• {last} • {item} |')}\n    sources: [{_a_key_cited_on(site, pages[0])}]")
    ed.builds(ed.fails(f"{data}, line {ed.line(data, label)}: tables.{table.name}, row '{label}': the rows are in alphabetical order"))

    def shows(site: Path) -> None:
        rows = soup_of(site, pages[0]).select(f"table#table-{table.name} tbody tr")
        labels = [tr.th.get_text(strip=True) for tr in rows]
        assert label in labels and labels == sorted(labels, key=str.casefold)
        assert item in _words(_entry(site, what))
    return shows


def source_added_cited_retired(ed: Editor) -> Shows:
    """Add a source (anywhere in references.bib: the build names its refnumber), cite it after a
    sentence, record it (`add`, `why`) and review it in the ledger; then stop citing it: its [@key], its
    ledger entry, and `retire` on the record. It keeps its number, marked as no longer cited."""
    src, sentence, key = _cited_sentence(ed)
    page, address = f"docs/{src}", ed.model().pages[src].address
    references = ed.model().pages["references.md"].address
    new = "testsource2027"
    ed.write("references.bib", ed.text("references.bib").rstrip("\n") + f"\n\n@misc{{{new},\n  author  = {{{{Test Editors}}}},\n"
                                                                          "  year    = {2027},\n  title   = {A source the article does not list},\n}\n")
    ed.edit(page, f"{sentence}[@{key}", f"{sentence}[@{key}; @{new}")
    added = "We cite one more source."
    ed.record([address, references], added, f"    why: A test adds a source.\n    add: [{new}]")
    ed.edit(REVIEWS, "reviews:\n", f"reviews:\n- page: {page}\n  sentence: {json.dumps(sentence, ensure_ascii=False)}\n  key: {new}\n"
                                   "  verdict: supports\n  source_words: A test source says so.\n  read_at: the test's own source\n")
    ed.builds(ed.fails(f"references.bib, line {ed.line('references.bib', '@misc{' + new)}: entry '{new}': has no refnumber"))
    number = ed.model().sources[new].number

    ed.edit(page, f"[@{key}; @{new}", f"[@{key}")
    ed.fails(f"'{new}'", "retire")
    retired = "We no longer cite one source."
    ed.record([address, references], retired, f"    why: A test stops citing it.\n    retire: [{new}]")
    ed.fails(f"{REVIEWS}, line", f"no citation of '{new}' on {page}")
    text = ed.text(REVIEWS)
    ed.write(REVIEWS, text.replace(re.search(rf"^- page: {re.escape(page)}\n  sentence: .*\n  key: {new}\n(?:  .*\n)*", text, re.M).group(0), ""))
    ed.builds()

    def shows(site: Path) -> None:
        listed = soup_of(site, references).select("ol.bibliography > li")
        item = next(li for li in listed if li["id"] == f"ref-{new}")
        assert "retired" in item["class"] and "No longer cited on this site" in item.get_text()
        assert listed.index(item) + 1 == number  # it keeps its number
        assert "A source was added: Test Editors" in _words(_entry(site, added))
        assert "A source is no longer cited: Test Editors" in _words(_entry(site, retired))
        assert not soup_of(site, address).select(f'article a[href$="#ref-{new}"]')
    return shows


def addition(ed: Editor) -> Shows:
    """Add a fact from one of the article's own sources: an entry with `additions` (id, text, source,
    section) and `why`, and `<!-- insert: addition ID -->` on the page."""
    site = ed.model()
    src = next(src for src, page in site.pages.items() if page.source == "article" and site.citations[src])
    page, address = f"docs/{src}", site.pages[src].address
    key = _a_key_cited_on(site, address)
    text = "A fact a test adds, in words close to its source's own."
    ed.write(page, ed.text(page).rstrip("\n") + "\n\n<!-- insert: addition test-fact -->\n")
    ed.fails(f"{page}, line {ed.line(page, 'test-fact')}")
    what = "We added a fact from one of the article's sources."
    ed.record([address], what, f"    why: A test adds a fact.\n    additions:\n      - id: test-fact\n        text: {json.dumps(text)}\n"
                               f"        source: {key}\n        section: \"Test label, Section 1\"")
    ed.builds()

    def shows(site: Path) -> None:
        assert text in _words(soup_of(site, address).select_one("article .site-addition"))
        assert "Added by this site, from the Test label, Section 1" in _words(_entry(site, what))
    return shows


def new_page(ed: Editor) -> Shows:
    """The checklist 'A new page': `make new-page TITLE="…"`, then write it with an id on each heading,
    record each id, replace the TODO description; the menu place is the tool's."""
    title = re.search(r'make new-page TITLE="([^"…]+)"', README).group(1)
    result = make(ed.project, "new-page", TITLE=title)
    assert result.returncode == 0, result.stdout + result.stderr
    name = re.search(r"Started (docs/[\w-]+\.md) \((/[\w-]+/)\)", result.stdout)
    page, address = name.groups()
    ed.fails(f"{page}, line {ed.line(page, 'description:')}: description: still holds the new-page scaffold's TODO")
    ed.write(page, ed.text(page) + "## When to call {#when-to-call}\n\nCall your healthcare professional with any question.\n")
    ed.edit("data/public-urls.yml", f"  {address}:\n", f"  {address}:\n    - when-to-call\n")
    ed.set_line(page, ed.line(page, "description:"), "description: Questions you may want to ask.")
    ed.builds()
    what = f"We added the page “{title}”."

    def shows(site: Path) -> None:
        assert soup_of(site, address).h1.get_text(strip=True).startswith(title)
        menu = [a.get_text(" ", strip=True) for a in soup_of(site, "/").select("nav.md-nav--primary > ul > li > a.md-nav__link")]
        glossary = ed.model().label("glossary.md")
        assert menu.index(title) == menu.index(glossary) + 1, menu  # where the menu's reading order puts it
        assert f"{address}#when-to-call" in str(soup_of(site, "/for-clinics/").select_one(".link-picker"))
        _entry(site, what)
    return shows


def page_moved(ed: Editor) -> Shows:
    """The checklist 'Moving or renaming a page', with the README's own example, step by step."""
    old, new = re.search(r"\(say `([\w-]+)\.md` to `([\w-]+)\.md`\)", README).groups()
    (ed.project / f"docs/{old}.md").rename(ed.project / f"docs/{new}.md")  # 1
    ed.edit("mkdocs.yml", f": {old}.md\n", f": {new}.md\n")  # 2
    ed.edit("data/public-urls.yml", f"  /{old}/:\n", f"  /{new}/:\n")  # 3
    ed.add_moved(f"/{old}/: /{new}/")  # 4
    what = "This page has a new address; the old one leads here."
    ed.record([f"/{new}/"], what)  # 5
    ed.builds()  # 6: each link the build names

    def shows(site: Path) -> None:
        assert soup_of(site, f"/{new}/").h1
        refresh = soup_of(site, f"/{old}/").select_one('meta[http-equiv="refresh"]')["content"]
        assert refresh == f"0; url=../{new}/", refresh
        assert f"/{new}/" in str(_entry(site, what))
    return shows


def section_renamed(ed: Editor) -> Shows:
    """'A renamed section': the heading's new words and {#id}, and one line under `moved:`; the new words
    on the record, as any change to what a page says."""
    site = ed.model()
    src = next(src for src, page in site.pages.items() if page.source == "article" and site.public_urls.pages.get(page.address))
    page, address = f"docs/{src}", site.pages[src].address
    old = site.public_urls.pages[address][0]
    heading = next(line for line in ed.text(page).splitlines() if line.rstrip().endswith(f"{{#{old}}}"))
    hashes, words = re.match(r"(#+) (.*?) \{#", heading).groups()
    new = f"{old}-renamed"
    ed.edit(page, heading, f"{hashes} {words} (renamed) {{#{new}}}")
    ed.fails(f"section {address}#{old} is recorded but {address} has no heading with id '{old}'",
             f"add the line `  {address}#{old}: {address}#{new}` under moved:")
    ed.add_moved(f"{address}#{old}: {address}#{new}")
    what = "A section heading reads differently."
    ed.record([address], what)
    ed.builds()

    def shows(site: Path) -> None:
        soup = soup_of(site, address)
        heading = soup.select_one(f"h2#{new}, h3#{new}")
        assert heading is not None and "(renamed)" in heading.get_text()
        assert heading.find_previous_sibling("span", id=old) is not None  # the old id still lands here
        picker = str(soup_of(site, "/for-clinics/").select_one(".link-picker"))
        assert f"{address}#{new}" in picker and f"{address}#{old}\"" not in picker
        _entry(site, what)
    return shows


def glossary_term(ed: Editor) -> Shows:
    """Add a glossary term with the site's own definition (`source: site`), and an entry naming /glossary/;
    the build names every other page that now shows it (a tooltip, the handout's words to know)."""
    site = ed.model()
    forms = {form.casefold() for term in site.glossary.terms for form in term.forms}
    body = next(page.body for page in site.pages.values() if page.source == "article" and page.src != "index.md")
    word = next(w for w in re.findall(r"(?<![\w@#/.-])[a-z]{10,}(?![\w-])", body) if w not in forms)
    term, definition = word.capitalize(), "A word this site explains in its own plain words, for a test."
    ed.edit("data/glossary.yml", "\nterms:\n", f"\nterms:\n  - term: {term}\n    forms: [{word}]\n    source: site\n    definition: {definition}\n\n")
    glossary = site.pages["glossary.md"].address
    what = f"The Glossary now explains “{word}” in this site's own words."
    ed.record([glossary], what)
    ed.builds()

    def shows(site: Path) -> None:
        entry = next(dt for dt in soup_of(site, glossary).select("article dl.glossary dt") if dt.get_text(" ", strip=True).startswith(term))
        assert definition in _words(entry.find_next_sibling("dd")) and "this site’s own definition" in _words(entry.parent)
        assert any(abbr.get("title", "").startswith(definition) or definition in abbr.get("title", "")
                   for path in site.rglob("index.html") for abbr in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select("abbr"))
        _entry(site, what)
    return shows


def page_reviewed(ed: Editor) -> Shows:
    """Say a page was reviewed by a person: `reviewed: {by, on}` in its front matter; the build asks for
    its entry on the record and its date (and next_review stays: the site's pages share one)."""
    site = ed.model()
    src = next(src for src, page in site.pages.items() if page.source == "article" and src != "index.md")
    page, address, review = f"docs/{src}", site.pages[src].address, site.pages[src].next_review
    day = day_after_record(ed.project)
    by = "Dana Reyes, PharmD"
    ed.edit(page, "\nnext_review:", f"\nreviewed: {{by: \"{by}\", on: {day}}}\nnext_review:")
    ed.builds(ed.fails(f"{page}, line {ed.line(page, 'reviewed:')}: reviewed: on {day}, but data/changes.yml has no entry for {address} "
                       "on that date"))

    def shows(site: Path) -> None:
        soup = soup_of(site, address)
        assert _words(soup.select_one(".page-reviewed")) == f"Reviewed by {by} on {human_date(dt.date.fromisoformat(day))}"
        data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
        assert (data["lastReviewed"], data["reviewedBy"]["name"]) == (day, by)
        assert review.isoformat() in str(soup.select_one(".page-dates"))  # next_review as it was
        _entry(site, f"{by} reviewed this page against its sources.")
    return shows


def page_checked(ed: Editor) -> Shows:
    """Say a page was checked: its last_updated, and an entry with that date naming it."""
    site = ed.model()
    src = next(src for src, page in site.pages.items() if page.source is None and src not in ("changes.md", "references.md", "glossary.md"))
    page, address = f"docs/{src}", site.pages[src].address
    day = day_after_record(ed.project)
    ed.set_date(address, day)
    ed.fails(f"{page}, line {ed.line(page, 'last_updated:')}: last_updated is {day}, but data/changes.yml has no entry for {address}")
    what = "We checked this page."
    ed.record([address], what)
    ed.builds()

    def shows(site: Path) -> None:
        assert human_date(dt.date.fromisoformat(day)) in _words(soup_of(site, address).select_one(".page-dates"))
        _entry(site, what)
    return shows


TASKS = [typo, cell_reworded, row_added, source_added_cited_retired, addition, new_page, page_moved, section_renamed,
         glossary_term, page_reviewed, page_checked]


# --- The tests -------------------------------------------------------------------------------------------


@pytest.mark.rebuild
@pytest.mark.early
def test_make_check_passes_after_every_task(tmp_path):
    """Every task, one after another in one clone, as the README says, until the build publishes it:
    readers see it on that build. Then `make check`: it passes, and every change still shows in the site
    it built. `make check`'s time is printed, as an editor would see it."""
    project = clone(tmp_path)
    share_tools(project, node=True)
    ed = Editor(project)
    shown = []
    for task in TASKS:
        before = len(ed.tries)
        try:
            shows = task(ed)
            shows(ed.site)
        except Exception as failed:
            failed.add_note(f"in the task {task.__name__}, after {len(ed.tries) - before} stopped builds")
            raise
        shown.append(shows)
        stopped = len(ed.tries) - before
        print(f"{task.__name__}: {stopped + 1} builds, {stopped} of them stopped with what to write")
    start = time.monotonic()
    result = make(project, "check")
    seconds = time.monotonic() - start
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    print(f"make check after {len(TASKS)} tasks ({len(ed.tries)} stopped builds on the way): {seconds:.0f} s; "
          + result.stdout.strip().splitlines()[-1])
    for shows in shown:
        shows(project / "build" / "check" / "site")
