"""The theme's stylesheet without the rules for parts of the theme this site never uses.

mkdocs-material's main.css styles every feature it offers (code highlighting, tabs, blog,
versions, dozens of admonition icons); each reader downloads all of it on a first visit. A rule
is dropped only when every one of its selectors names a class that appears nowhere the site
could use it: in no built page and in no script (the theme's own script builds parts of the page,
search results for one, so any word in a script counts as used). Classes inside :not(), :is(),
:where() and :has() are not counted against a selector, and at-rules other than @media and
@supports are kept whole. Pure functions over text; scripts/build applies them.
"""

from __future__ import annotations

import hashlib
import re

_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"[-\w]+")
_CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')


def used_words(pages: list[str], scripts: list[str]) -> set[str]:
    """Every class in the pages and every word in the scripts."""
    used: set[str] = set()
    for html in pages:
        for value in _CLASS_ATTR.findall(html):
            used.update(value.split())
    for script in scripts:
        used.update(_WORD.findall(script))
    return used


def _strip_functions(selector: str) -> str:
    """The selector without the insides of functional pseudo-classes (balanced parentheses)."""
    out, depth = [], 0
    for ch in selector:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _split_top(text: str, sep: str = ",") -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _selector_used(selector: str, used: set[str]) -> bool:
    plain = _strip_functions(_ATTRIBUTE.sub("", selector))
    return all(name in used for name in _CLASS.findall(plain))


def _block_end(css: str, open_at: int) -> int:
    """The index just past the `}` matching the `{` at `open_at` (strings taken into account)."""
    depth, i, quote = 0, open_at, None
    while i < len(css):
        ch = css[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced braces in the stylesheet")


def trim(css: str, used: set[str]) -> str:
    """`css` without the style rules no page can match (see the module's note)."""
    out, i = [], 0
    while i < len(css):
        brace = css.find("{", i)
        semi = css.find(";", i)
        if brace < 0:
            out.append(css[i:])
            break
        if 0 <= semi < brace and css[i:semi].lstrip().startswith("@"):  # @charset, @import
            out.append(css[i : semi + 1])
            i = semi + 1
            continue
        prelude = css[i:brace]
        end = _block_end(css, brace)
        body = css[brace + 1 : end - 1]
        head = prelude.strip()
        if head.startswith(("@media", "@supports")):
            inner = trim(body, used)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        elif head.startswith("@"):
            out.append(css[i:end])
        else:
            kept = [s for s in _split_top(prelude) if _selector_used(s, used)]
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
        i = end
    return "".join(out)


def fingerprint(name: str, css: str) -> str:
    """`main.57a0d79d.min.css` renamed for new content: `main.<sha256[:8]>.min.css`."""
    digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:8]
    return re.sub(r"\.[0-9a-f]{8}\.min\.css$", f".{digest}.min.css", name)
