"""The theme's stylesheet without the rules for parts of the theme this site never uses.

mkdocs-material's main.css styles every feature it offers (code highlighting, tabs, blog,
versions, dozens of admonition icons); each reader downloads all of it on a first visit. A rule
is dropped only when every one of its selectors names a class that appears nowhere the site
could use it: in no built page and in no script (the theme's own script builds parts of the page,
search results for one, so any word in a script counts as used). Classes inside :not(), :is(),
:where() and :has() are not counted against a selector, and at-rules other than @media and
@supports are kept whole. Pure functions over text; scripts/build applies them.

Two refinements (`unscripted` and `drop_unused_properties`):

- A word in the script is not proof enough for the parts the script builds only around markup
  or a setting no page carries: highlighted code, content tabs, code annotations and copy
  buttons, version menus, repository facts, tags, and the admonition types and Markdown
  extras (`note`, `keys`, `result`...) that only Markdown writes. Their classes count only when
  a page carries their trigger: a class in a built page or a feature in the page's `__config`.
- A custom property (`--md-admonition-icon--note: url(data:...)`) goes when nothing reads it: no
  `var()` in the trimmed stylesheet or the site's own, and no mention in a script.
"""

from __future__ import annotations

import hashlib
import json
import re

from . import markup

_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_WORD = re.compile(r"[-\w]+")


def used_words(pages: list[str], scripts: list[str]) -> set[str]:
    """Every class in the pages and every word in the scripts."""
    used: set[str] = set()
    for html in pages:
        used |= markup.classes(html)
    for script in scripts:
        used.update(_WORD.findall(script))
    return used


# (triggers, classes): the classes count as used only when some page carries a trigger: a class in
# its markup, or a feature or setting in its __config. Triggers are the theme's own names.
SCRIPTED_PARTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("highlight",), ("highlight", "highlighttable", "hll", "filename", "linenos", "linenodiv")),  # pymdownx.highlight
    (("tabbed-set",), ("tabbed-set", "tabbed-labels", "tabbed-labels--linked", "tabbed-button", "tabbed-control")),
    (("content.code.annotate",), ("md-annotation", "md-annotation__index", "md-annotation-list")),
    (("content.code.copy", "content.code.select"), ("md-code__nav", "md-code__button", "md-code__button--active", "md-code__content")),
    (("md-source",), ("md-source__fact", "md-source__facts", "md-source__repository--active")),
    (("version",), ("md-version", "md-version__alias", "md-version__current", "md-version__item",
                    "md-version__link", "md-version__list")),
    (("md-tag",), ("md-tag", "md-tag-icon", "md-tags")),
    # Written only by Markdown (admonition types, pymdownx.keys, examples, inline admonitions,
    # mermaid) or by a page's front matter (status): each is its own trigger.
    *(((name,), (name,)) for name in (
        "note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger",
        "bug", "example", "quote", "keys", "result", "inline", "mermaid", "md-status",
    )),
)
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def unscripted(pages: list[str]) -> set[str]:
    """The classes of SCRIPTED_PARTS whose triggers no page carries, to take out of `used_words`."""
    carried = used_words(pages, [])
    for html in pages:
        for found in _CONFIG.findall(html):
            config = json.loads(found)
            carried.update(config.get("features") or [])
            carried.update(key for key, value in config.items() if value not in (None, [], {}, ""))
    off: set[str] = set()
    for triggers, classes in SCRIPTED_PARTS:
        if not carried & set(triggers):
            off.update(classes)
    return off


_PROPERTY = re.compile(r"(?<![\w-])(--[\w-]+)\s*:")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_NAME = re.compile(r"(?<![\w-])(--[\w-]+)")


def drop_unused_properties(css: str, stylesheets: list[str], scripts: list[str]) -> str:
    """`css` without the custom-property declarations nothing reads: no var() in `css` or in the
    other `stylesheets`, no mention in the `scripts`. Repeated until nothing changes, as a property
    may be read only by one that goes."""
    read_elsewhere = {name for text in stylesheets for name in _VAR.findall(text)}
    read_elsewhere |= {name for text in scripts for name in _NAME.findall(text)}
    while True:
        unread = set(_PROPERTY.findall(css)) - read_elsewhere - set(_VAR.findall(css))
        if not unread:
            return css
        css = _drop_declarations(css, unread)


def _drop_declarations(css: str, names: set[str]) -> str:
    """`css` without the declarations of `names`; a rule left with none goes, and so does an
    @media or @supports block left empty."""
    def clean(match: re.Match) -> str:
        prelude, body = match.group(1), match.group(2)
        kept = [d for d in _split_top(body, ";") if d.strip() and d.split(":", 1)[0].strip() not in names]
        return f"{prelude}{{{';'.join(kept)}}}" if kept else ""

    css = re.sub(r"([^{};]*)\{([^{}]*)\}", clean, css)  # innermost blocks: the declarations
    return re.sub(r"@(?:media|supports)[^{}]*\{\}", "", css)


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
    """`main.57a0d79d.min.css` renamed for new content: `main.<sha256[:8]>.min.css` (a theme script's likewise)."""
    digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:8]
    return re.sub(r"\.[0-9a-f]{8}\.min\.(css|js)$", lambda m: f".{digest}.min.{m[1]}", name)
