"""Reading editors' files so that every later error can name the file and line.

`yaml.safe_load` forgets where values came from and silently keeps the last of
two equal keys; composing the node tree ourselves keeps both the line of every
key and the chance to refuse duplicates. Anchors, aliases and explicit tags are
refused before anything is built from them: no data file needs them, nested aliases
can expand a few kilobytes into gigabytes ("billion laughs"), and a tag can make
text into a value no check expects.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from . import markup, yamlerrors
from .errors import SiteDataError

# Far above any real data file or bibliography (the largest is about 12 KB), far below
# what could slow a build down.
MAX_BYTES = 512 * 1024

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
# A tag or comment, not a lone "<" as in "< 18": only tags could be interpreted.
_HTML_TAG = re.compile(r"<\s*[/!?]?\s*[A-Za-z!]")
# Control characters (tab and line ends aside) and lone surrogates: YAML's escapes in quotes ("\0",
# "\e", "\ud800") make them, though the file itself may not hold them; no page can show them.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class DataFile:
    """Plain data from one YAML file, plus the line on which each key path starts."""

    def __init__(self, name: str, data, lines: dict[tuple, int]):
        self.name = name
        self.data = data
        self.lines = lines

    def where(self, path: tuple) -> str:
        """`name, line N` for `path` (keys and list indexes), at the nearest known line."""
        line = self.line(path)
        return f"{self.name}, {line}" if line else self.name

    def line(self, path: tuple) -> str:
        """`line N` for `path`, at the nearest known line ("" if none): where an earlier entry is, for a
        message about a later one."""
        for depth in range(len(path), -1, -1):
            if path[:depth] in self.lines:
                return f"line {self.lines[path[:depth]]}"
        return ""

    def error(self, path: tuple, problem: str) -> SiteDataError:
        """An error at `path`, located at the nearest known line."""
        return SiteDataError(self.where(path), f"{dotted(path)}: {problem}" if path else problem)

    # Small typed getters: each returns the value or raises naming the key.

    def mapping(self, value, path: tuple, required: tuple = (), optional: tuple = ()) -> dict:
        if not isinstance(value, dict):
            raise self.error(path, f"must be a mapping of fields, got {describe(value)}")
        allowed = tuple(dict.fromkeys(required + optional))  # a field may be listed as both
        for key in value:
            if allowed and key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise self.error(path + (key,), f"unknown field '{key}' ({hint}expected one of: {', '.join(allowed)})")
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
        hidden = markup.invisible(value)
        if hidden:
            raise self.error(path, f"contains an invisible character ({hidden}) that can reverse or disguise the words; delete it")
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


def read_text(path: Path, name: str, *, max_bytes: int = MAX_BYTES) -> str:
    """A file an editor wrote, as text; every failure names the file and what to do."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SiteDataError(name, f"cannot be read: {error.strerror}") from None
    if len(raw) > max_bytes:
        raise SiteDataError(name, f"is {len(raw) // 1024} KiB, over the {max_bytes // 1024} KiB a file of this kind may have")
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped), or an error naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise SiteDataError(
            f"{name}, line {line}",
            f"is not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8 in your editor",
        ) from None


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses anchors, aliases and explicit tags as it reads each event,
    so the text is parsed once. `at(mark)` names the line."""

    def __init__(self, source: str, at: Callable[[yaml.Mark], str]):
        super().__init__(source)
        self.at = at

    def get_event(self):
        event = super().get_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise SiteDataError(self.at(event.start_mark), "uses a YAML anchor or alias (& or *); write each value out in full")
        # An explicit tag (!!bool maybe, !!binary, !!set) turns text into another kind of value,
        # or into an error PyYAML does not explain; no data file needs one.
        tag = getattr(event, "tag", None)
        if tag:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise SiteDataError(self.at(event.start_mark), f"uses the YAML tag '{shown}'; write the value without it (in quotes if it is text)")
        return event


def load(path: Path, name: str) -> DataFile:
    """Parse `path`; `name` is how messages refer to it (e.g. `data/glossary.yml`)."""
    return load_text(read_text(path, name), name)


def load_text(source: str, name: str, first_line: int = 1, keys: tuple = ()) -> DataFile:
    """Parse YAML text; `first_line` is the file line the text starts on (front matter: 2).

    `keys`, the keys the text may hold, help a syntax error's message suggest the fix."""
    offset = first_line - 1

    def at(mark) -> str:
        return f"{name}, line {mark.line + 1 + offset}"

    try:
        loader = _Loader(source, at)
        try:
            root = loader.get_single_node()
        except yaml.composer.ComposerError:
            # A second document: what the rest of the file holds (an anchor, a tag, a syntax error) is
            # named first, as when the whole file was read before composing.
            while loader.check_event():
                loader.get_event()
            raise
    except yaml.YAMLError as error:
        # PyYAML names the place it gave up, in its own terms; the editor needs the line to change.
        line, problem = yamlerrors.explain(error, source, offset, keys)
        raise SiteDataError(f"{name}, line {line}" if line else name, problem) from None
    if root is None:
        raise SiteDataError(name, "is empty")
    lines: dict[tuple, int] = {(): root.start_mark.line + 1 + offset}
    data = _plain(root, (), lines, name, offset)
    return DataFile(name, data, lines)


def _characters(node, path: tuple, name: str, offset: int) -> str:
    """A scalar's text, refused if it holds a character that is not text."""
    found = _NOT_TEXT.search(node.value)
    if found:
        raise SiteDataError(f"{name}, line {node.start_mark.line + 1 + offset}",
                            f"{dotted(path) or 'top level'}: holds the character U+{ord(found.group()):04X}, which is not text "
                            "(an escape in quotes, such as \\0, \\e or \\ud800, makes one); take it out")
    return node.value


def _plain(node, path: tuple, lines: dict, name: str, offset: int):
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            if not isinstance(key_node, yaml.ScalarNode):
                raise SiteDataError(f"{name}, line {line}", f"{dotted(path) or 'top level'}: a key must be a plain word")
            key = _characters(key_node, path, name, offset)
            if key in out:
                first = lines[path + (key,)]
                raise SiteDataError(f"{name}, line {line}", f"{dotted(path + (key,))}: duplicate key '{key}' (first given on line {first}); keep one of them")
            lines[path + (key,)] = line
            out[key] = _plain(value_node, path + (key,), lines, name, offset)
        return out
    if isinstance(node, yaml.SequenceNode):
        out = []
        for index, child in enumerate(node.value):
            lines[path + (index,)] = child.start_mark.line + 1 + offset
            out.append(_plain(child, path + (index,), lines, name, offset))
        return out
    _characters(node, path, name, offset)
    if node.tag == _STR:
        return node.value
    if node.tag == _NULL:
        return None
    # Numbers, yes/no, dates (tags are refused, so YAML chose the type): build the real value so
    # the type check can name it.
    try:
        return yaml.SafeLoader("").construct_object(node)
    except (yaml.YAMLError, ValueError) as error:
        # An impossible date (2026-02-30) or number (0x_) looks right to YAML and fails here, and
        # a lone '=' is YAML's "value" type, which nothing builds.
        problem = getattr(error, "problem", None) or str(error)
        if node.tag.endswith(":timestamp"):
            problem = f"is not a real date ({problem})"
        else:
            problem = f"is not a value ({problem}); put it in quotes if it is text"
        raise SiteDataError(f"{name}, line {node.start_mark.line + 1 + offset}", f"{dotted(path)}: {node.value!r} {problem}") from None
