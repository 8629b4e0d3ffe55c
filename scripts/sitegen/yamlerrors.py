"""A YAML mistake in plain words: the line where it is, and what to check or write there.

PyYAML reports where it gave up, in a parser's terms: a missing colon on line 53 comes out as
"line 54: mapping values are not allowed here", because only on line 54 does YAML see a colon it
cannot place. `explain` reads the error's marks (where YAML stopped, and where the thing it was
reading began), the tokens YAML read before it stopped and the text of the lines, and names the
line an editor has to change: a key without its colon, indentation that lines up with nothing
above, a quote or bracket never closed, a tab, a value that needs quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import MappingProxyType

import yaml

# PyYAML's line breaks, so that line numbers agree with its marks.
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# Characters YAML keeps for itself at the start of a value.
_RESERVED = MappingProxyType({"alias": "'*'", "anchor": "'&'", "block scalar": "'|' or '>'", "directive": "'%'", "keys": "'?'", "sequence": "'- '"})
# A `key: value` line; a comment after it (` # ...`) is neither, so a fix never quotes it into the value.
_KEY = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[^\s#'\"][^#]*?)\s*:(?:\s+(?P<value>[^\s#].*?))?(?:\s+#.*)?\s*$")
# A line that starts, after its indentation and any '- ', with a colon: a value with no key.
_NO_KEY = re.compile(r"^[\s-]*:(?:\s|$)")
_LEVELS = "spaces, two per level"


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def explain(error: yaml.YAMLError, source: str, offset: int = 0, keys: Iterable[str] = ()) -> tuple[int | None, str]:
    """(line of the file, what is wrong and what to do) for a YAML error raised on `source`.

    `offset` is how many lines of the file come before `source` (front matter: 1); `keys` are
    keys the text may hold (a page's front matter fields), to suggest the fix for a missing colon.
    The line is None when YAML gave no place and none can be found.
    """
    return _Explainer(error, source, offset, keys).explain()


class _Explainer:
    def __init__(self, error: yaml.YAMLError, source: str, offset: int, keys: Iterable[str] = ()):
        self.error = error
        self.known = set(keys)
        self.source = source
        self.offset = offset
        self.lines = _BREAK.split(source)
        self.problem = getattr(error, "problem", None) or ""
        self.context = getattr(error, "context", None) or ""
        self.mark = getattr(error, "problem_mark", None)
        self.start = getattr(error, "context_mark", None)

    # --- helpers -------------------------------------------------------------------------------

    def n(self, index: int) -> int:
        """The file's line number for a 0-based line of `source`."""
        return index + 1 + self.offset

    def text(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def shown(self, index: int) -> str:
        """A line as the editor wrote it, trimmed to fit a message: `label Dizziness`."""
        line = self.text(index).strip()
        return f"`{line if len(line) <= 50 else line[:47] + '...'}`"

    def above(self, index: int) -> int | None:
        """The nearest line above `index` that holds something (not blank, not only a comment)."""
        for i in range(index - 1, -1, -1):
            stripped = self.text(i).strip()
            if stripped and not stripped.startswith("#"):
                return i
        return None

    def below(self, index: int) -> int | None:
        """The nearest line below `index` that holds something."""
        for i in range(index + 1, len(self.lines)):
            stripped = self.text(i).strip()
            if stripped and not stripped.startswith("#"):
                return i
        return None

    def tokens(self) -> list:
        """The tokens YAML read before the place it stopped."""
        found = []
        try:
            for token in yaml.scan(self.source, Loader=yaml.SafeLoader):
                if token.start_mark.index >= self.mark.index:
                    break
                found.append(token)
        except yaml.YAMLError:
            pass
        return found

    def last_scalar(self):
        """The last value or key YAML read before it stopped, and the token before that one."""
        tokens = self.tokens()
        for i in range(len(tokens) - 1, -1, -1):
            if isinstance(tokens[i], yaml.ScalarToken):
                return tokens[i], tokens[i - 1] if i else None
        return None, None

    def previous_token(self):
        tokens = self.tokens()
        return tokens[-1] if tokens else None

    # --- the mistakes --------------------------------------------------------------------------

    def explain(self) -> tuple[int | None, str]:
        if isinstance(self.error, yaml.reader.ReaderError):
            return self.control_character()
        if self.mark is None:
            return None, f"YAML cannot read it ({self.problem or self.error}): check it for a missing colon, uneven indentation or an unclosed quote"
        line = self.mark.line
        if "'\\t'" in self.problem:
            return self.tab(line)
        if self.context == "while scanning a quoted scalar":
            return self.unclosed_quote()
        if self.problem == "could not find expected ':'" and self.start is not None:
            return self.key_without_colon(self.start.line)
        if self.problem == "mapping values are not allowed here":
            return self.colon_not_allowed(line)
        if self.problem.startswith("expected '<document start>'") and (directive := self.directive(line)):
            return directive
        if self.problem.startswith(("expected <block end>", "expected '<document start>'")):
            return self.block_end(line)
        if self.context in ("while parsing a flow sequence", "while parsing a flow mapping") and self.start is not None:
            return self.unclosed_bracket()
        if self.context == "while parsing a flow node" and self.problem.endswith("','"):
            return self.n(line), "this line has a comma with nothing before it between [ and ]: delete the extra comma"
        reserved = self.reserved()
        if reserved:
            return self.n(line), self.needs_quotes(line, reserved)
        if self.problem == "but found another document":
            return self.n(line), f"this line, {self.shown(line)}, starts a second document in YAML: delete it"
        return self.n(line), self.unreadable()

    def control_character(self) -> tuple[int, str]:
        # PyYAML's reader names the character by its code point and its place in the text.
        line = self.source[: self.error.position].count("\n")
        return self.n(line), (
            f"this line holds an invisible control character (#x{self.error.character:04x}), which a data file cannot hold: delete it "
            "(if your editor does not show it, retype the line)"
        )

    def tab(self, line: int) -> tuple[int, str]:
        text = self.text(line)
        lead = text[: len(text) - len(text.lstrip())]
        if "\t" in lead:
            return self.n(line), f"this line is indented with a tab character, and YAML accepts only spaces: indent it with {_LEVELS}, lined up with the lines it goes with"
        before = text[: self.mark.column].strip()
        return self.n(line), f"this line has a tab character after `{before}`, and YAML accepts only spaces there: replace the tab with one space"

    def unclosed_quote(self) -> tuple[int, str]:
        line = self.start.line
        quote = self.text(line)[self.start.column]  # where the quoted value starts: its opening quote
        return self.n(line), f"a quote ({quote}) opened on this line is never closed: end the value with the same quote mark ({quote})"

    def key_without_colon(self, line: int, *, continuation: bool = True) -> tuple[int, str]:
        body = re.sub(r"^(-\s+)+", "", self.text(line).strip())
        glued = re.match(r"^([^\s:]+):(\S.*)$", body)
        if glued:
            key, value = glued.groups()
            return self.n(line), f"this line needs a space after the colon ({self.shown(line)}): write `{key}: {value}`"
        # Or is it text broken onto a second line? Only under a key whose value is plain text, and
        # with nothing indented under it (a key may have lines under it, a sentence does not).
        above, below = self.above(line), self.below(line)
        match = _KEY.match(self.text(above)) if continuation and above is not None else None
        wrapped = bool(
            match and match.group("value") and match.group("value")[0] not in "[{\"'|>"
            and (below is None or _indent(self.text(below)) <= _indent(self.text(line)))
        )
        # The fix, when the first word is surely the key: the line cannot be text, or the word is a key elsewhere.
        words = re.match(r"^([A-Za-z_][\w-]*)(?:\s+([^:]*))?$", body)
        example = ""
        if words and (not wrapped or words.group(1) in self.keys()):
            example = f", here `{words.group(1)}:{' ' + words.group(2) if words.group(2) else ''}`"
        message = f"a key on this line has no colon after it ({self.shown(line)}): write `name: value`{example}"
        if wrapped:
            message += f"; or, if the line continues the text of line {self.n(above)}, indent it further than `{match.group('key')}:`"
        return self.n(line), message

    def no_key(self, line: int) -> tuple[int, str]:
        return self.n(line), f"this line starts with a colon, with no key before it ({self.shown(line)}): write the key before the colon, as in `name: value`"

    def keys(self) -> set[str]:
        """The keys written elsewhere in the text, and those it may hold."""
        return self.known | {match.group("key") for match in map(_KEY.match, self.lines) if match}

    def colon_not_allowed(self, line: int) -> tuple[int, str]:
        scalar, before = self.last_scalar()
        if scalar is None or scalar.start_mark.line == line:
            return self.n(line), self.colon_in_value(line)
        is_value = isinstance(before, yaml.ValueToken) and before.start_mark.line == scalar.start_mark.line
        if is_value:
            uneven = self.uneven(line, [scalar.start_mark.line])
            if uneven is not None:
                return uneven
            return self.n(line), (
                f"the indentation of this line does not line up with the lines above: YAML reads it as more of the "
                f"text on line {self.n(scalar.start_mark.line)}; indent it exactly as far as the key it goes with ({_LEVELS})"
            )
        return self.key_without_colon(scalar.start_mark.line, continuation=False)

    def directive(self, line: int) -> tuple[int, str] | None:
        """The line above `line` that starts with '%', which YAML read as a directive ending the text."""
        at = next((i for i in range(line, -1, -1) if self.text(i).startswith("%")), None)
        if at is None:
            return None
        match = _KEY.match(self.text(at))
        example = f", as in `\"{match.group('key')}\": {match.group('value')}`" if match and match.group("value") else ""
        return self.n(at), (
            f"this line starts with '%', which YAML keeps for itself at the start of a line ({self.shown(at)}): "
            f"put the text that starts with it in quotes{example}, or delete the line"
        )

    def colon_in_value(self, line: int) -> str:
        before = self.text(line)[: self.mark.column].rstrip()  # the mark is the colon, on this line
        if before.endswith(("]", "}")):
            closed = before[-1]
            return (
                f"this line has a colon after a closing '{closed}' ({self.shown(line)}), which YAML cannot place: "
                f"delete what comes after the '{closed}', or, if it belongs to the value, put the whole value in quotes"
            )
        match = _KEY.match(self.text(line))
        if match and match.group("value"):
            key, value = match.group("key"), match.group("value")
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            return (
                f"the value holds a colon and a space ({self.shown(line)}), which YAML reads as another key: "
                f"put the whole value in quotes, `{key}: {quoted}`"
            )
        return f"this line has a colon YAML cannot place ({self.shown(line)}): check the line for a missing line break, or put the value in quotes"

    def block_end(self, line: int) -> tuple[int, str]:
        """YAML found something where the block it was reading should have ended."""
        found = self.problem.rpartition("but found ")[2]
        previous = self.previous_token()
        quoted = isinstance(previous, yaml.ScalarToken) and previous.style in ("'", '"')
        text = self.text(line)
        if not re.fullmatch(r"[\s-]*", text[: self.mark.column]):
            return self.after_value(line, previous, quoted)
        if found in ("']'", "'}'"):
            return self.n(line), f"this line starts with {found}, which closes no list or mapping ({self.shown(line)}): delete it"
        above = self.above(line)
        if above is not None and self.text(above).rstrip().endswith(("{}", "[]")) and _indent(text) >= _indent(self.text(above)) + 2:
            empty = self.text(above).rstrip()[-2:]
            return self.n(above), (
                f"ends in '{empty}' (an empty value), so the indented lines under it cannot belong to it: delete the '{empty}'"
            )
        if self.start is not None and re.match(r"^\s*-\s+-\s", self.text(self.start.line)):
            return self.n(self.start.line), (
                f"this line starts with two dashes ({self.shown(self.start.line)}): a list item takes one '- '; delete the other"
            )
        if found == "'?'" and self.start is not None:
            return self.not_an_item(line)
        if found == "'-'":
            return self.n(line), (
                f"this line starts a list item ('- ') among `name: value` lines ({self.shown(line)}): if it is one more `name: value`, "
                "delete the '- '; if it is an item of a list under the key above, indent it further than that key"
            )
        if _NO_KEY.match(text):
            return self.no_key(line)
        levels = self.levels(line)
        uneven = self.uneven(line, list(levels.values()))
        if uneven is not None:
            return uneven
        if _indent(text) in levels:  # lined up after all: not an indentation mistake
            if _KEY.match(text):
                return self.n(line), self.unreadable()
            return self.key_without_colon(line, continuation=False)
        choices = " or ".join(str(level) for level in levels)
        return self.n(line), (
            f"the indentation of this line ({_spaces(_indent(text))}) does not line up with the lines "
            f"above it ({choices}): indent it exactly as far as the lines it goes with ({_LEVELS})"
        )

    def after_value(self, line: int, previous: yaml.Token | None, quoted: bool) -> tuple[int, str]:
        """Something after a value, on the value's line."""
        if quoted and previous.start_mark.line != previous.end_mark.line:
            return self.text_after_quote(previous)  # a quote left open, closed by the next one
        if re.match(r"^\s*(?:-\s+)*[^\s:#'\"]+:[^\s:]", self.text(line)):
            return self.key_without_colon(line)
        if quoted:
            return self.text_after_quote(previous)
        if isinstance(previous, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
            return self.n(line), (
                f"text follows a closing bracket ({self.shown(line)}): a value that starts with [ or {{ is read as a list; "
                "put the whole value in quotes"
            )
        return self.n(line), self.unreadable()

    def not_an_item(self, line: int) -> tuple[int, str]:
        """A line lined up with the list items above it that does not start with '- '."""
        items = [i for i in range(self.start.line, line) if re.match(r"^\s*-\s", self.text(i)) and _indent(self.text(i)) == self.start.column]
        if len(items) == 1:
            return self.n(line), (
                f"{self.shown(line)} is lined up with the list item on line {self.n(items[0])} (which starts with '- ') but does not "
                f"start with '- ' itself: if line {self.n(items[0])} should not be a list item, delete its '- '; "
                "if this line starts a new item, write '- ' before it"
            )
        return self.n(line), (
            f"{self.shown(line)} is lined up with the list items above it (lines that start with '- ') but does not start "
            "with '- ' itself: if it starts a new item, write '- ' before it; if it belongs to the item above, "
            "indent it as far as that item's text"
        )

    def unreadable(self) -> str:
        """What YAML said, when no common mistake explains it, with where to look."""
        return (
            f"YAML cannot read this line ({self.problem}, at column {self.mark.column + 1}): check this line and the one above it "
            "for a missing colon, uneven indentation, or an unclosed quote or bracket"
        )

    def text_after_quote(self, quoted) -> tuple[int, str]:
        first, last = quoted.start_mark.line, quoted.end_mark.line
        mark = quoted.style
        if first != last:
            return self.n(first), (
                f"a quote ({mark}) opened on this line is not closed on it: YAML reads on to the next quote mark, on line "
                f"{self.n(last)}, and cannot make sense of what follows; end the value with a closing quote ({mark})"
            )
        return self.n(first), (
            f"text follows the closing quote ({self.shown(first)}): a value that starts with a quote mark must end with it. "
            "Put the whole value in double quotes; in single quotes, write an apostrophe twice ('don''t')"
        )

    def levels(self, line: int) -> dict[int, int]:
        """How far the lines above `line` that it could line up with are indented (deepest first), and which line each is."""
        levels: dict[int, int] = {}
        index = line
        while (index := self.above(index)) is not None:
            text = self.text(index)
            item = re.match(r"^(\s*(?:-\s+)+)", text)
            for level in ([len(item.group(1))] if item else []) + [_indent(text)]:
                if not levels or level < min(levels):
                    levels[level] = index
            if _indent(text) == 0:
                break
        return levels

    def uneven(self, line: int, above: list[int]) -> tuple[int, str] | None:
        """Where YAML stopped at `line`, evenly indented, one line `above` it indented by an odd number of
        spaces, among evenly indented ones: that line is the one to fix."""
        odd = [i for i in above if _indent(self.text(i)) % 2]
        if _indent(self.text(line)) % 2 or len(odd) != 1:
            return None
        spaces = _spaces(_indent(self.text(odd[0])))
        return self.n(odd[0]), (
            f"the indentation of this line ({spaces}) is uneven, so the lines after it cannot line up with it: "
            f"indent it exactly as far as the lines it goes with ({_LEVELS})"
        )

    def unclosed_bracket(self) -> tuple[int, str]:
        line = self.start.line
        opened, closed = ("[", "]") if "sequence" in self.context else ("{", "}")
        if self.mark.line != line:
            return self.n(line), f"a '{opened}' opened on this line is never closed: close it with '{closed}' after its last item"
        example = "[first, second]" if opened == "[" else "{first: 1, second: 2}"
        return self.n(line), f"the items between '{opened}' and '{closed}' need a comma between each two, as in `{example}`"

    def reserved(self) -> str | None:
        """The character a value may not start with, if that is what stopped YAML."""
        problem, context = self.problem, self.context
        for word in ("alias", "anchor", "block scalar", "directive"):
            if context == f"while scanning an {word}" or context == f"while scanning a {word}":
                return _RESERVED[word]
        if problem == "mapping keys are not allowed here":
            return _RESERVED["keys"]
        if problem == "sequence entries are not allowed here":
            return _RESERVED["sequence"]
        found = re.match(r"found character '(.)' that cannot start any token", problem)
        if found:
            return f"'{found.group(1)}'"
        found = re.match(r"expected the node content, but found '([\]}])'", problem)
        return f"'{found.group(1)}'" if found else None

    def needs_quotes(self, line: int, character: str) -> str:
        match = _KEY.match(self.text(line))
        example = ""
        if match and match.group("value"):
            example = f", as in `{match.group('key')}: \"{match.group('value')}\"`"
        return f"the value begins with {character}, which YAML keeps for itself ({self.shown(line)}): put the whole value in quotes{example}"
