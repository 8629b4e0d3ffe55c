"""The record of changes (`data/changes.yml`): what changed on which page, in words for readers.

It is also the only way to change the source article's words, a table's wording or the
reference list: an entry's `edits`, `retire` and `add` are applied by the build and
checked against the pages. An entry's `additions` are facts the site adds from one of the
article's own references, each naming the reference and its section; a page shows one
with `<!-- insert: addition ID -->`, styled as added by this site (sitegen/additions.py). An entry's
`definitions` name the glossary terms whose definitions it took from one of those references
(data/glossary.yml holds them: sitegen/glossary.py). Each page's `last_updated` is the date of the latest entry that
names it, so the date a reader sees always has its reason on /changes/, where each entry also names
the edition (sitegen/edition.py) it produced on each page, where that is known.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, NamedTuple, Sequence

from . import datafile, edition
from .errors import SiteDataError
from .pages import human_date

WHERE = "data/changes.yml"
FIELDS = ("date", "pages", "what", "why", "edits", "sources", "typo", "retire", "add", "additions", "definitions")
ADDITION_FIELDS = ("id", "text", "source", "section")
_SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
# Addition text is shown as plain text with a citation after it: no Markdown or HTML in it.
_MARKUP = re.compile(r"[<>\[\]*_`\\{}|#]")


@dataclass(frozen=True)
class Edit:
    replace: str  # the article's words, as they are
    with_: str  # what the site says instead ("" removes them)
    where: str  # file and line, for messages


@dataclass(frozen=True)
class Addition:
    """A fact the site adds from one of the article's own references, in words close to its own."""

    id: str  # what a page's <!-- insert: addition ID --> names
    text: str  # plain text, shown as written
    source: str  # the citation key of the reference it comes from
    section: str  # where in that reference: "Spravato package insert: Boxed Warning"
    where: str  # file and line, for messages
    replaces: str | None = None  # the id of an older entry's addition this one rewords (that one keeps its words there)


@dataclass(frozen=True)
class Change:
    date: dt.date
    pages: tuple[str, ...]  # public addresses, as recorded in data/public-urls.yml
    what: str
    why: str | None = None
    edits: tuple[Edit, ...] = ()
    sources: tuple[str, ...] = ()  # citation keys behind new wording
    typo: bool = False
    retire: tuple[str, ...] = ()  # references no page cites any more, kept in the list
    add: tuple[str, ...] = ()  # references that are not in the article's list
    where: str = WHERE
    additions: tuple[Addition, ...] = ()
    definitions: tuple[str, ...] = ()  # glossary terms defined from a reference (data/glossary.yml)


class Dated(NamedTuple):
    """A page's date as its front matter gives it, for `check_dates`."""

    where: str  # its Markdown file, for messages: "docs/uses.md"
    line: int  # the line of its last_updated
    last_updated: dt.date


class Linked(NamedTuple):
    """A page as the record of changes links it (`render`)."""

    title: str
    url: str  # relative to the record's page


def load_record(path: Path) -> tuple[Change, ...]:
    return validate(datafile.load(path, WHERE))


def validate(doc: datafile.DataFile) -> tuple[Change, ...]:
    top = doc.mapping(doc.data, (), required=("changes",))
    out: list[Change] = []
    for i, raw in enumerate(doc.items(top["changes"], ("changes",), "changes")):
        path = ("changes", i)
        entry = doc.mapping(raw, path, required=("date", "pages", "what"), optional=FIELDS)
        date = entry["date"]
        if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
            raise doc.error(path + ("date",), f"must be a date written YYYY-MM-DD, got {datafile.describe(date)}")
        pages = tuple(doc.text(p, path + ("pages", j)) for j, p in enumerate(doc.items(entry["pages"], path + ("pages",), "pages")))
        edits = []
        for j, raw_edit in enumerate(entry.get("edits") or []):
            epath = path + ("edits", j)
            edit = doc.mapping(raw_edit, epath, required=("replace", "with"))
            new = edit["with"]
            edits.append(Edit(
                doc.text(edit["replace"], epath + ("replace",)),
                "" if new in (None, "") else doc.text(new, epath + ("with",)),
                doc.where(epath),
            ))
        keys = {}
        for name in ("sources", "retire", "add", "definitions"):
            value = entry.get(name) or []
            if not isinstance(value, list):
                example = "glossary terms, like [Dissociation]" if name == "definitions" else "citation keys, like [berman2000]"
                raise doc.error(path + (name,), f"must be a list of {example}, got {datafile.describe(value)}")
            keys[name] = tuple(doc.text(k, path + (name, j)) for j, k in enumerate(value))
        typo = entry.get("typo", False)
        if not isinstance(typo, bool):
            raise doc.error(path + ("typo",), "must be true or false")
        why = doc.text(entry["why"], path + ("why",)) if entry.get("why") is not None else None
        additions = _additions(doc, entry.get("additions"), path + ("additions",))
        if additions and not why:
            raise doc.error(path, "adds facts to the site, so it needs 'why': the reason, in a sentence")
        if keys["definitions"] and not why:
            raise doc.error(path, "adds definitions from a reference to the glossary, so it needs 'why': the reason, in a sentence")
        if (edits or keys["retire"] or keys["add"]) and not why:
            raise doc.error(path, "changes the article's words or the reference list, so it needs 'why': the reason, in a sentence")
        if any(e.with_ for e in edits) and not (keys["sources"] or typo):
            raise doc.error(path, "puts new words in the article's place: list the citation keys behind them under 'sources', "
                                  "or say 'typo: true' if it only corrects a typing error")
        change = Change(date, pages, doc.text(entry["what"], path + ("what",)), why, tuple(edits), keys["sources"], typo,
                        keys["retire"], keys["add"], doc.where(path), additions, keys["definitions"])
        if out and change.date > out[-1].date:
            raise doc.error(path + ("date",), f"{change.date} is newer than the entry above it ({out[-1].date}): keep the newest first")
        out.append(change)
    return tuple(out)


def _additions(doc: datafile.DataFile, raw, path: tuple) -> tuple[Addition, ...]:
    if raw is None:
        return ()
    out = []
    for j, item in enumerate(doc.items(raw, path, "additions")):
        apath = path + (j,)
        entry = doc.mapping(item, apath, required=ADDITION_FIELDS, optional=("replaces",))
        ident = doc.text(entry["id"], apath + ("id",))
        if not _SLUG.match(ident):
            raise doc.error(apath + ("id",), f"'{ident}' is not an id: use lower-case letters, digits and hyphens, like spravato-driving")
        text = doc.text(entry["text"], apath + ("text",))
        found = _MARKUP.search(text)
        if found:
            raise doc.error(apath + ("text",), f"holds '{found.group(0)}': an addition is plain text, shown as written, with its "
                            "citation added after it; write it without Markdown or HTML")
        replaces = doc.text(entry["replaces"], apath + ("replaces",)) if "replaces" in entry else None
        out.append(Addition(ident, text, doc.text(entry["source"], apath + ("source",)),
                            doc.text(entry["section"], apath + ("section",)), doc.where(apath), replaces))
    return tuple(out)


def additions(record: tuple[Change, ...]) -> dict[str, Addition]:
    """Every recorded addition by id, reworded ones included; an id is used once, and an addition that
    `replaces` another rewords one from an older entry that nothing else has reworded."""
    out: dict[str, Addition] = {}
    age: dict[str, int] = {}  # the entry's place in the record: newest first, so older is higher
    for n, change in enumerate(record):
        for addition in change.additions:
            if addition.id in out:
                raise SiteDataError(addition.where, f"id '{addition.id}' is already used at {out[addition.id].where}; give each addition its own id")
            out[addition.id], age[addition.id] = addition, n
    reworded: dict[str, Addition] = {}
    for addition in out.values():
        old = addition.replaces
        if old is None:
            continue
        if old not in out or age[old] <= age[addition.id]:
            raise SiteDataError(addition.where, f"replaces: '{old}' is not an addition of an older entry; name the id of the box "
                                "this one rewords, from an entry below this one")
        if old in reworded:
            raise SiteDataError(addition.where, f"replaces: '{old}' is already reworded by '{reworded[old].id}' at {reworded[old].where}; "
                                f"reword that one instead (replaces: {reworded[old].id})")
        reworded[old] = addition
    return out


def replaced(added: Mapping[str, Addition]) -> dict[str, Addition]:
    """Each reworded addition's id -> the addition that rewords it (pages show that one)."""
    return {a.replaces: a for a in added.values() if a.replaces is not None}


def entry_keys(record: tuple[Change, ...]) -> list[str]:
    """Each entry's lasting name, in the record's order: its date and its place among that date's
    entries counted from the oldest (`2026-12-06-3`: the third recorded that day).

    A new entry goes on top, so no entry's key changes when others are added, and none changes when
    an entry's wording is corrected; the feed's ids and the anchors on /changes/ are made from it.
    """
    counted: dict[dt.date, int] = {}
    keys = []
    for change in reversed(record):  # oldest first
        counted[change.date] = counted.get(change.date, 0) + 1
        keys.append(f"{change.date.isoformat()}-{counted[change.date]}")
    return keys[::-1]


def anchor(key: str) -> str:
    """The id of an entry's item on /changes/."""
    return f"change-{key}"


def edits(record: tuple[Change, ...]) -> list[Edit]:
    """Every recorded edit of the article, oldest first (the order they were made)."""
    return [edit for change in reversed(record) for edit in change.edits]


def latest_entries(record: tuple[Change, ...], moved: dict[str, str]) -> dict[str, Change]:
    """The newest entry naming each address (an old address counted as the one it moved to)."""
    latest: dict[str, Change] = {}
    for change in record:  # newest first
        for address in change.pages:
            latest.setdefault(moved.get(address, address), change)
    return latest


def check_dates(record: tuple[Change, ...], pages: Mapping[str, Dated], moved: dict[str, str]) -> None:
    """Each page's last_updated is the date of the latest entry naming it.

    `pages` maps a public address to its date; an address in the record may be an old one
    that `moved` maps to the current one.
    """
    latest = latest_entries(record, moved)
    for address, change in latest.items():
        if address not in pages:
            close = difflib.get_close_matches(address, list(pages), n=1, cutoff=0.8)  # a slip of a letter or two, not a rename
            raise SiteDataError(change.where, f"pages: {address} is not a page of the site"
                                              + (f"; did you mean {close[0]}? If not, and" if close else "; if")
                                              + f" it moved, add `{address}: /new-address/` under moved: in data/public-urls.yml "
                                              "(addresses are as there, like /uses/)")
    for address, page in pages.items():
        change, updated = latest.get(address), page.last_updated
        if change is None or change.date < updated:
            raise SiteDataError(
                f"{page.where}, line {page.line}",
                f"last_updated is {updated}, but data/changes.yml has no entry for {address} on that date: "
                f"add one at the top (date: {updated}, pages: [{address}], what: what changed, in a sentence for readers)",
            )
        if change.date > updated:
            raise SiteDataError(
                change.where,
                f"records a change to {address} on {change.date}, after its last_updated ({updated}): "
                f"in {page.where}, line {page.line}, write `last_updated: {change.date}`",
            )


def render(record: tuple[Change, ...], pages: Mapping[str, Linked], sources: dict, glossary=None,
           editions: Sequence[Mapping[str, str | None]] | None = None) -> str:
    """The list for /changes/, newest first. `pages` maps an address to the page as linked from /changes/
    (a (title, url) pair will do); `glossary` (sitegen.glossary.Glossary) gives the definitions an entry names;
    `editions`, for each entry, the edition it produced on each page it names (sitegen.published.produced:
    None for the page's current one, which the build fills in: edition.slot)."""
    if not record:
        return '<p class="changes-note">No changes have been recorded yet.</p>'
    items = []
    e = html.escape
    every = {addition.id: addition for change in record for addition in change.additions}
    for n, (change, entry) in enumerate(zip(record, entry_keys(record))):
        links = ", ".join(f'<a href="{e(page.url)}">{e(page.title)}</a>' for page in (Linked(*pages[a]) for a in change.pages if a in pages))
        parts = [
            f'<p class="change__date"><time datetime="{change.date.isoformat()}">{human_date(change.date)}</time></p>',
            f'<p class="change__what">{e(change.what)}</p>',
        ]
        for edit in change.edits:
            was = f"<q>{e(edit.replace)}</q>"
            now = f"<q>{e(edit.with_)}</q>" if edit.with_ else "removed"
            parts.append(f'<p class="change__edit">The source article said {was}; this site now says {now}.</p>' if edit.with_
                         else f'<p class="change__edit">The source article’s words {was} were removed.</p>')
        for key in change.retire:
            parts.append(f'<p class="change__edit">A source is no longer cited: {sources[key].html}</p>')
        for key in change.add:
            parts.append(f'<p class="change__edit">A source was added: {sources[key].html}</p>')
        for addition in change.additions:
            old = every.get(addition.replaces)
            said = (f"Reworded by this site, from the {e(addition.section)}: the box that said <q>{e(old.text)}</q> now says" if old
                    else f"Added by this site, from the {e(addition.section)}:")
            parts.append(f'<p class="change__edit change__addition">{said} <q>{e(addition.text)}</q> Source: {sources[addition.source].html}</p>')
        terms = {term.term: term for term in glossary.terms} if glossary else {}
        for name in change.definitions:
            term = terms[name]
            parts.append(f'<p class="change__edit change__addition">Added to the Glossary by this site, from the {e(term.section)}: '
                         f'{e(term.term)}, <q>{e(term.definition)}</q> Source: {sources[term.source].html}</p>')
        if change.why:
            parts.append(f'<p class="change__why">Why: {e(change.why)}</p>')
        parts.append(f'<p class="change__pages">Pages: {links}</p>')
        if editions is not None and editions[n]:
            parts.append(render_editions(editions[n], pages))
        items.append(f'<li class="change" id="{anchor(entry)}">' + "".join(parts) + "</li>")
    return '<ol class="changes" data-search-exclude>\n' + "\n".join(items) + "\n</ol>"


def render_editions(produced: Mapping[str, str | None], pages: Mapping[str, Linked]) -> str:
    """"Editions: Handout 2026-12-06.ac8162, …" under an entry: a page's current edition as a slot, filled
    once the build knows it. Inside the list, which is not the text an edition is made from (sitegen.published)."""
    shown = ", ".join(f"{html.escape(Linked(*pages[address]).title)} "
                      + (edition.slot(address) if made is None else html.escape(made)) for address, made in produced.items())
    return f'<p class="change__editions">{"Edition" if len(produced) == 1 else "Editions"}: {shown}</p>'
