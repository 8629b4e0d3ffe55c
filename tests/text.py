"""Reading the source article and the built pages' article text, for fidelity tests."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
_BLOCKS = ["p", "li", "td", "th", "caption", "h1", "h2", "h3", "h4", "dt", "dd", "div", "summary"]

ROOT = Path(__file__).resolve().parent.parent


def recorded_edits() -> dict[str, str]:
    """The article's words the site changes on the record (data/changes.yml): old -> new.

    Read here with plain YAML and applied by plain replacement, apart from the build's own code,
    so the fidelity tests do not take the build's word for it.
    """
    record = yaml.safe_load((ROOT / "data/changes.yml").read_text(encoding="utf-8"))["changes"]
    return {normalise(e["replace"]): normalise(e["with"] or "") for change in reversed(record) for e in change.get("edits") or []}


def normalise(text: str) -> str:
    text = text.replace("''", '"').translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


def source_parts(path: Path) -> dict:
    """Split the article into body lines, the side-effects table line, references and footnote."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    table = next(i for i, line in enumerate(lines) if "•" in line and "|" in line)
    first_ref = next(i for i, line in enumerate(lines) if re.match(r"^Abdallah, C\. G\.", line))
    body = lines[:first_ref]
    return {
        "body": [line for i, line in enumerate(body) if i != table],
        "table": lines[table],
        "references": lines[first_ref:-1],
        "footnote": lines[-1],
    }


def sentences(lines: list[str]) -> list[str]:
    edits = recorded_edits()
    out = []
    for line in lines:
        line = normalise(line)
        for before, after in edits.items():
            line = line.replace(before, after)
        out.extend(s for s in re.split(r"(?<=[.!?])\s+", line) if s)
    return out


def table_columns(line: str) -> list[list[str]]:
    """The side-effects line: '• a • b | • c • d |' -> [[a, b], [c, d]]."""
    columns = [col for col in line.split("|") if col.strip()]
    return [[item.strip() for item in col.split("•") if item.strip()] for col in columns]


def article_text(html: str) -> str:
    """The visible article text of a built page, without citation or footnote numbers."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article")
    for junk in article.select("sup, .headerlink, .page-furniture, script, style"):
        junk.decompose()
    for block in article.find_all(_BLOCKS):
        block.append("\n")
    return normalise(article.get_text())
