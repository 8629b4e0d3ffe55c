"""Reading the source article and the built pages' article text, for fidelity tests."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
_BLOCKS = ["p", "li", "td", "th", "caption", "h1", "h2", "h3", "h4", "dt", "dd", "div", "summary"]

# Obvious typos in the article, fixed on the site: source wording -> site wording.
TYPO_FIXES = {
    "Have a history or bleeding in the brain": "Have a history of bleeding in the brain",
    "“magic mushrooms''": "“magic mushrooms”",
}


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
    out = []
    for line in lines:
        for before, after in TYPO_FIXES.items():
            line = line.replace(before, after)
        out.extend(s for s in re.split(r"(?<=[.!?])\s+", normalise(line)) if s)
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
