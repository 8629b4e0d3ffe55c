"""Reading a YAML data file so that every later error can name its line.

`yaml.safe_load` forgets where values came from and silently keeps the last of
two equal keys; composing the node tree ourselves keeps both the line of every
key and the chance to refuse duplicates.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .errors import SiteDataError

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
# A tag or comment, not a lone "<" as in "< 18": only tags could be interpreted.
_HTML_TAG = re.compile(r"<\s*[/!?]?\s*[A-Za-z!]")


class DataFile:
    """Plain data from one YAML file, plus the line on which each key path starts."""

    def __init__(self, name: str, data, lines: dict[tuple, int]):
        self.name = name
        self.data = data
        self.lines = lines

    def error(self, path: tuple, problem: str) -> SiteDataError:
        """An error at `path` (keys and list indexes), located at the nearest known line."""
        for depth in range(len(path), -1, -1):
            if path[:depth] in self.lines:
                where = f"{self.name}, line {self.lines[path[:depth]]}"
                break
        else:
            where = self.name
        return SiteDataError(where, f"{dotted(path)}: {problem}" if path else problem)

    # Small typed getters: each returns the value or raises naming the key.

    def mapping(self, value, path: tuple, required: tuple = (), optional: tuple = ()) -> dict:
        if not isinstance(value, dict):
            raise self.error(path, f"must be a mapping of fields, got {describe(value)}")
        allowed = required + optional
        for key in value:
            if allowed and key not in allowed:
                raise self.error(path + (key,), f"unknown field '{key}' (expected one of: {', '.join(allowed)})")
        for key in required:
            if key not in value:
                raise self.error(path, f"missing field '{key}'")
        return value

    def items(self, value, path: tuple, what: str) -> list:
        if not isinstance(value, list):
            raise self.error(path, f"must be a list of {what}, got {describe(value)}")
        if not value:
            raise self.error(path, f"is empty: list at least one {what[:-1] if what.endswith('s') else what}")
        return value

    def text(self, value, path: tuple) -> str:
        if not isinstance(value, str):
            raise self.error(path, f"must be text, got {describe(value)} (put it in quotes if it is meant as text)")
        value = " ".join(value.split())
        if not value:
            raise self.error(path, "must not be empty")
        tag = _HTML_TAG.search(value)
        if tag:
            raise self.error(path, f"contains HTML ({value[tag.start():tag.start() + 12]!r}...): write plain text, it is shown exactly as written")
        return value


def dotted(path: tuple) -> str:
    """('rows', 3, 'cells', 'ketamine') -> 'rows[3].cells.ketamine'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a yes/no value ({'true' if value else 'false'})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text ({value!r})"
    return f"a {type(value).__name__} ({value})"


def load(path: Path, name: str) -> DataFile:
    """Parse `path`; `name` is how messages refer to it (e.g. `data/glossary.yml`)."""
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SiteDataError(name, f"cannot be read: {error.strerror}") from None
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{name}, line {mark.line + 1}" if mark else name
        column = f" (column {mark.column + 1})" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        # The context says where the unfinished thing began, often the line to fix.
        context, start = getattr(error, "context", None), getattr(error, "context_mark", None)
        began = f"; {context} that starts on line {start.line + 1}" if context and start and mark and start.line != mark.line else ""
        raise SiteDataError(where, f"is not valid YAML: {problem}{column}{began}") from None
    if root is None:
        raise SiteDataError(name, "is empty")
    lines: dict[tuple, int] = {(): root.start_mark.line + 1}
    data = _plain(root, (), lines, name)
    return DataFile(name, data, lines)


def _plain(node, path: tuple, lines: dict, name: str):
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise SiteDataError(f"{name}, line {line}", f"{dotted(path) or 'top level'}: a key must be a plain word")
            key = key_node.value
            if key in out:
                first = lines[path + (key,)]
                raise SiteDataError(f"{name}, line {line}", f"{dotted(path + (key,))}: duplicate key '{key}' (first given on line {first})")
            lines[path + (key,)] = line
            out[key] = _plain(value_node, path + (key,), lines, name)
        return out
    if isinstance(node, yaml.SequenceNode):
        out = []
        for index, child in enumerate(node.value):
            lines[path + (index,)] = child.start_mark.line + 1
            out.append(_plain(child, path + (index,), lines, name))
        return out
    if node.tag == _STR:
        return node.value
    if node.tag == _NULL:
        return None
    # Numbers, yes/no, dates: build the real value so the type check can name it.
    return yaml.SafeLoader("").construct_object(node)
