"""The source article: the baseline every page, table cell, glossary definition and reference is checked against.

The site is made from one article whose headings, links and table layout were lost in
copying (`data/source/`). Its words change only through edits recorded in
`data/changes.yml`, applied here before any check; nothing else may change them.

Text is compared normalised: curly and straight quotes, dashes and runs of spaces count
as the same, so typography is free and words are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import SiteDataError

WHERE = "data/source/ketamine-esketamine-article.txt"

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "\xa0": " "})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A reference line: "Surname, I., et al. (2018). Title. Journal." or "Agency. (n.d.). Title."
_REFERENCE = re.compile(r"^(?P<author>[^()]+?)[.,]? \((?P<year>\d{4}|n\.d\.)\)")
SUMMARY_TITLE = "Key takeaways:"


def normalise(text: str) -> str:
    text = text.replace("''", '"').translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


def sentences_of(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(normalise(text)) if s]


@dataclass(frozen=True)
class Reference:
    author: str  # as the article prints the first author: "Abdallah", "National Center for Drug Abuse Statistics"
    year: str
    line: int
    text: str


@dataclass(frozen=True)
class Article:
    body: tuple[tuple[int, str], ...]  # (source line, normalised text), without the summary title and the table
    side_effects: tuple[tuple[str, ...], ...]  # the side-effects line: one list of items a drug, in the line's order
    references: tuple[Reference, ...]
    footnote: str

    def sentences(self) -> list[tuple[int, str]]:
        """Every sentence of the body and the footnote, with its source line."""
        out = [(line, s) for line, text in self.body for s in sentences_of(text)]
        return out + [(self.footnote_line, s) for s in sentences_of(self.footnote)]

    @property
    def footnote_line(self) -> int:
        return self.references[-1].line + 1 if self.references else 0

    def text(self) -> str:
        """Everything the site may quote from, as one normalised string."""
        return " ".join([text for _, text in self.body] + [item for column in self.side_effects for item in column] + [self.footnote])

    def contains(self, fragment: str) -> bool:
        """Whether `fragment` is the article's own wording (a capital letter at its start may differ)."""
        fragment = normalise(fragment).rstrip(".")
        text = self.text()
        return bool(fragment) and (fragment in text or fragment[0].swapcase() + fragment[1:] in text)


_NUMBERS = ("no", "one", "two", "three", "four", "five", "six")


def _columns(count: int) -> str:
    """'two columns', 'one column', '12 columns'."""
    return f"{_NUMBERS[count] if count < len(_NUMBERS) else count} column{'' if count == 1 else 's'}"


def parse(raw: str, where: str = WHERE, *, drugs: int | None = None) -> Article:
    """The article's parts: body lines, the side-effects line (one list a drug, split by |), references, footnote.

    `drugs`, where given, is how many lists the side-effects line must hold; the site holds them
    against its side-effects table's drug columns instead (sitegen.fidelity.check_tables)."""
    split = f"the {_columns(drugs)} split by |" if drugs else "its lists split by |"
    lines = [(n, normalise(line)) for n, line in enumerate(raw.splitlines(), 1) if line.strip()]
    if len(lines) < 3:
        raise SiteDataError(where, "is not the article: too few lines")
    table = [i for i, (_, text) in enumerate(lines) if "•" in text and "|" in text]
    if len(table) != 1:
        raise SiteDataError(where, f"needs exactly one side-effects line (items marked • and {split}), found {len(table)}")
    first_ref = next((i for i, (_, text) in enumerate(lines) if i > table[0] and _REFERENCE.match(text)), None)
    if first_ref is None:
        raise SiteDataError(where, "has no reference list after the side-effects line")
    columns = [col for col in lines[table[0]][1].split("|") if col.strip()]
    if drugs and len(columns) != drugs:
        raise SiteDataError(f"{where}, line {lines[table[0]][0]}", f"the side-effects line needs {_columns(drugs)} split by |, found {len(columns)}")
    items = tuple(tuple(item.strip() for item in col.split("•") if item.strip()) for col in columns)
    body = [(n, text) for i, (n, text) in enumerate(lines[:first_ref]) if i != table[0] and text != SUMMARY_TITLE]
    references = []
    for n, text in lines[first_ref:-1]:
        match = _REFERENCE.match(text)
        if not match:
            raise SiteDataError(f"{where}, line {n}", f"is not a reference (Author, I. (Year). Title.): {text[:60]!r}")
        references.append(Reference(match["author"].split(",")[0].strip(), match["year"], n, text))
    return Article(tuple(body), items, tuple(references), lines[-1][1])


def apply_edits(raw: str, edits, where: str = WHERE) -> str:
    """The article with each recorded edit applied, in order; `edits` hold .replace, .with_ and .where.

    Each `replace` must be found exactly once (compared normalised), so an edit can never
    silently change the wrong words or outlive the text it changed.
    """
    text = "\n".join(normalise(line) for line in raw.splitlines())
    for edit in edits:
        old = normalise(edit.replace)
        count = text.count(old)
        if count != 1:
            found = "is not in the article (or was already changed by an earlier edit)" if count == 0 else f"is in the article {count} times; quote more of it"
            raise SiteDataError(edit.where, f"replace: '{old[:80]}' {found}")
        text = text.replace(old, normalise(edit.with_) if edit.with_ else "")
    return text
