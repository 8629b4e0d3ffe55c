"""The BibTeX syntax of `references.bib`, read before pybtex reads it, for messages an editor can act on.

pybtex reports a mistake where it notices it, which is often a line later or an entry later
("'}' expected", on the line after a missing comma), and it silently skips what it cannot
read as an entry: a stray `}` ends an entry early, and the rest of it is dropped. This reader
follows the grammar pybtex reads (entries, fields, values in braces or quotes, numbers,
@string names, `#` joins) and stops at the first mistake with the line where it is and what to
write instead. The rare mistake it lets through that pybtex still cannot read (a quote in an
entry type) is reported with pybtex's words and a general remedy (citations.parse_bibliography).
"""

from __future__ import annotations

import re
from string import ascii_letters, digits
from types import MappingProxyType

from .errors import SiteDataError

# pybtex's own: what a field name, an entry type or an @string name may be made of.
_NAME_CHARS = ascii_letters + "@!$&*+-./:;<>?[\\]^_`|~\x7f"
_NAME = re.compile(rf"[{re.escape(_NAME_CHARS)}][{re.escape(_NAME_CHARS + digits)}]*")
_TYPE = re.compile(r"[^\s{(%]*")  # as pybtex reads "@misc@{": the build then names the type
_KEY = MappingProxyType({"}": re.compile(r"[^\s,}]+"), ")": re.compile(r"[^\s,]+")})
_NUMBER = re.compile(r"\d+")
_SPACE = re.compile(r"\s*")
# A line inside a value that reads as the start of a field or an entry: the value was not closed.
_STARTS_SOMETHING = re.compile(r"^[ \t]*(?:@\s*\w+\s*[{(]|[A-Za-z][\w-]*\s*=\s*[{\"\d])", re.M)
_CLOSER = MappingProxyType({"{": "}", "(": ")"})
SPECIAL = ("comment", "preamble", "string")
FIELD_EXAMPLE = "title = {The title},"


class _Mistake(Exception):
    def __init__(self, pos: int, problem: str):
        self.pos = pos
        self.problem = problem


def check(text: str, where: str = "references.bib", types: tuple[str, ...] = ("article", "misc", "manual")) -> None:
    """Stop at the first syntax mistake in `text`, naming its line and what to write. `types` are
    the entry types the file uses, for the message when the { after one is missing."""
    try:
        _Reader(text, types).read()
    except _Mistake as mistake:
        raise SiteDataError(f"{where}, line {text.count(chr(10), 0, mistake.pos) + 1}", mistake.problem) from None


def _show(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Reader:
    def __init__(self, text: str, types: tuple[str, ...]):
        self.text = text
        self.types = types
        self.pos = 0
        self.last_value = None  # (where the last braced or quoted value opens, where it closes, its field)

    # --- small steps ------------------------------------------------------------------------

    def skip_space(self) -> None:
        self.pos = _SPACE.match(self.text, self.pos).end()

    def at(self, chars: str) -> bool:
        return self.pos < len(self.text) and self.text[self.pos] in chars

    def line_end(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    def rest_of_line(self, pos: int) -> str:
        return self.text[pos:self.line_end(pos)]

    def same_line(self, a: int, b: int) -> bool:
        return "\n" not in self.text[a:b]

    # --- the file: entries, comments, and nothing else ------------------------------------------

    def read(self) -> None:
        closed = None  # (where the last entry's closing bracket is, its key)
        while True:
            self.skip_space()
            if self.pos >= len(self.text):
                return
            char = self.text[self.pos]
            if char == "%":
                line = self.rest_of_line(self.pos)
                if "@" in line:
                    # pybtex reads every @ as the start of an entry, in a comment too.
                    raise _Mistake(self.pos, "this comment holds an @, which BibTeX reads as the start of an entry, "
                                             "even after %: leave the @ out of the comment")
                self.pos = self.line_end(self.pos)
            elif char == "@":
                closed = self.entry()
            elif char == "," and closed and self.same_line(closed[0], self.pos) and re.match(r",[ \t]*(\n\s*)?(@|%|$)", self.text[self.pos:]):
                self.pos += 1  # "}," after an entry: BibTeX skips the comma, and nothing is lost
            else:
                raise self.stray(closed)

    def stray(self, closed) -> _Mistake:
        """Text outside any entry: BibTeX would skip it without a word."""
        found = _show(self.rest_of_line(self.pos))
        if closed and self.same_line(closed[0], self.pos):
            found = _show(" ".join(self.text[self.pos:].partition("@")[0].split()))  # what the entry lost, up to the next entry
            return _Mistake(closed[0], f"entry '{closed[1]}' ends at a }} on this line, and '{found}' follows it: there is one }} "
                                       "too many on this line, and BibTeX would drop the rest of the entry; each { needs exactly one }")
        if re.match(r"[A-Za-z]+\s*[{(]", found):
            return _Mistake(self.pos, f"'{found}' is outside any entry: an entry starts with @, like @{found}")
        if closed and re.match(r"[\w-]+\s*=", found):
            return _Mistake(self.pos, f"'{found}' is outside any entry: entry '{closed[1]}' was closed before it "
                                      f"(line {self.text.count(chr(10), 0, closed[0]) + 1}); check the braces of the lines above: "
                                      "each { needs exactly one }")
        return _Mistake(self.pos, f"'{found}' is outside any entry: an entry starts with @ (@article{{key,); "
                                  "a comment line starts with %")

    def entry(self) -> tuple[int, str]:
        start = self.pos
        self.last_value = None
        self.pos += 1
        self.skip_space()
        kind = _TYPE.match(self.text, self.pos).group(0)
        if not kind:
            raise _Mistake(start, "an @ starts an entry, and its type follows it: @article{key, (or @misc, @manual)")
        self.pos += len(kind)
        self.skip_space()
        if not self.at("{("):
            known = next((t for t in self.types if kind.lower().startswith(t) and len(kind) > len(t)), None)
            if known:  # "@articlesmith2020,": the { between the type and the key left out
                key = kind[len(known):].rstrip(",")
                raise _Mistake(start, f"the {{ between @{kind[:len(known)]} and its key is missing: write @{kind[:len(known)]}{{{key},")
            raise _Mistake(start, f"@{kind} needs {{ after it: write @{kind}{{key, and then the fields")
        closer = _CLOSER[self.text[self.pos]]
        self.pos += 1
        if kind.lower() in SPECIAL:
            return self.special(start, kind, closer)
        self.skip_space()
        key = _KEY[closer].match(self.text, self.pos)
        if not key or key.group(0).startswith(closer):
            raise _Mistake(start, f"@{kind} has no key: write @{kind}{{smith2020, (the first author's surname and the year)")
        if "{" in key.group(0):
            raise _Mistake(start, f"the key '{key.group(0)}' has a {{ in it: write @{kind}{{{key.group(0).replace('{', '')},")
        key_end = key.end()
        self.pos = key_end
        self.skip_space()
        if not self.at("," + closer) and self.same_line(key_end, self.pos) and self.pos < len(self.text):
            word = _show(self.rest_of_line(self.pos).split(",")[0], 20)
            raise _Mistake(key.start(), f"the key '{key.group(0)} {word}' has a space in it: a key is one word, like smith2020, "
                                        "and a comma follows it")
        return self.fields(key.group(0), closer, key_end)

    def special(self, start: int, kind: str, closer: str) -> tuple[int, str]:
        """@string, @preamble, @comment: skipped whole, their brackets paired."""
        depth, pos = 1, self.pos
        opener = "{" if closer == "}" else "("
        while pos < len(self.text):
            char = self.text[pos]
            depth += (char == opener) - (char == closer)
            if depth == 0:
                self.pos = pos + 1
                return pos, kind
            pos += 1
        raise _Mistake(start, f"@{kind} is not closed: end it with {closer}")

    # --- fields -------------------------------------------------------------------------------

    def fields(self, key: str, closer: str, last: int) -> tuple[int, str]:
        """`name = value` pairs split by commas, then the entry's closing bracket. `last` is
        where the last thing read ended: a missing bracket is named there."""
        while True:
            self.skip_space()
            if self.at(closer):
                self.pos += 1
                return self.pos - 1, key
            if self.pos >= len(self.text) or self.at("%") or re.match(r"@\s*[^\s{(]+\s*[{(]", self.text[self.pos:self.pos + 200]):
                raise self.unclosed(key, closer, last)  # it runs into the next entry, a comment, or the end
            if self.at(","):  # pybtex, like BibTeX, lets a comma stand alone
                self.pos += 1
                continue
            name = _NAME.match(self.text, self.pos)
            if not name:
                raise _Mistake(self.pos, f"'{_show(self.rest_of_line(self.pos), 20)}' is not a field: "
                                         f"entry '{key}' holds fields written {FIELD_EXAMPLE} and ends with {closer}")
            field = name.group(0)
            self.pos = name.end()
            self.skip_space()
            if not self.at("="):
                if field.endswith(":"):
                    raise _Mistake(name.start(), f"'{field}' has a colon: a field is written with =, like {field[:-1]} = {{...}},")
                raise _Mistake(name.start(), f"the field '{field}' has no = after its name: write {field} = {{...}},")
            self.pos += 1
            last = self.value(field, closer)
            self.skip_space()
            if self.at(","):
                last = self.pos
                self.pos += 1
                continue
            if self.at(closer) or self.pos >= len(self.text) or self.at("@%"):
                continue  # the top of the loop ends the entry, or names the missing bracket
            following = _NAME.match(self.text, self.pos)
            if following and re.match(r"\s*=", self.text[following.end():]):
                raise _Mistake(last, f"a comma is missing at the end of this line, after the value of '{field}': "
                                     f"fields are separated by commas ({FIELD_EXAMPLE})")
            raise _Mistake(self.pos, f"'{_show(self.rest_of_line(self.pos), 20)}' follows the value of '{field}': "
                                     f"a value is written in braces, like {field} = {{...}}, and each {{ needs exactly one }}")

    def unclosed(self, key: str, closer: str, last: int) -> _Mistake:
        """An entry that runs into the next one, or the end of the file."""
        value = self.last_value
        if value and self.same_line(value[1], last) and not self.same_line(*value[:2]) and self.rest_of_line(self.text.rfind("\n", 0, last) + 1).strip() in ("}", "},"):
            # The } meant to end the entry, alone on its line, closed a value left open above it.
            return _Mistake(value[0], f"the braces on this line do not pair up: the {{ that opens the value of '{value[2]}' "
                                      f"is closed only by the }} on line {self.text.count(chr(10), 0, last) + 1}, which was meant "
                                      "to end the entry; each { needs its }")
        return _Mistake(last, f"entry '{key}' is not closed: its last field ends on this line; put a {closer} "
                              "on the line after it, to end the entry")

    def value(self, field: str, closer: str) -> int:
        """One value, parts joined by #; returns where it ends (the position of its last character)."""
        while True:
            self.skip_space()
            start = self.pos
            if self.at("{") or self.at('"'):
                end = self.delimited(field)
            elif (bare := _NUMBER.match(self.text, self.pos) or _NAME.match(self.text, self.pos)) and self.braces_left_out(bare.start()):
                raise _Mistake(start, f"the value of '{field}' needs braces around it: write {field} = {{{self.braces_left_out(bare.start())}}},")
            elif (number := _NUMBER.match(self.text, self.pos)):
                end = number.end() - 1
            elif (word := _NAME.match(self.text, self.pos)):
                end = word.end() - 1
                self.pos = word.end()
                self.skip_space()
                after = self.rest_of_line(self.pos)
                if after and after[0] not in ",#" + closer and self.same_line(end, self.pos):
                    # "title = First words}," : the braces were left out.
                    raise _Mistake(start, f"the value of '{field}' needs braces around it: write {field} = {{{_show(word.group(0) + ' ' + after.rstrip(',').rstrip('}'))}}},")
            else:
                raise _Mistake(start, f"the field '{field}' has no value after its =: write {field} = {{...}},")
            self.pos = end + 1
            self.skip_space()
            if not self.at("#"):
                return end
            self.pos += 1

    def braces_left_out(self, start: int) -> str:
        """For a value written without its opening {: the words up to the } that was meant to close
        it (one the entry goes on after), or "" if the value is a bare word as BibTeX allows."""
        line = self.rest_of_line(start)
        depth = 0
        for i, char in enumerate(line):
            depth += (char == "{") - (char == "}")
            if depth < 0:
                after = self.text[start + i + 1:]
                if re.match(r"\s*,\s*[^\s@%]", after) or re.match(r"[ \t]*[^\s,%]", after):
                    return _show(line[:i])
                return ""
        return ""

    def delimited(self, field: str) -> int:
        """A value in braces or quotes, whose braces must pair up; returns where it closes."""
        start, quoted = self.pos, self.text[self.pos] == '"'
        depth, pos = 0 if quoted else 1, self.pos + 1
        end = None
        while pos < len(self.text):
            char = self.text[pos]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth < 0:  # in quotes: a } with no { before it
                    break
                if depth == 0 and not quoted:
                    end = pos
                    break
            elif char == '"' and quoted and depth == 0:
                end = pos
                break
            pos += 1
        # A value the editor meant to close on its line runs on into the next field or entry.
        # (Its first line starts with the { or " that opens it, which starts nothing.)
        if end is None or _STARTS_SOMETHING.search(self.text[start:pos]):
            if quoted:
                raise _Mistake(start, f"the value of '{field}' opens with \" on this line and is not closed: "
                                      f"end it with \" (or write it in braces, {field} = {{...}},), and check its braces pair up")
            raise _Mistake(start, f"the braces on this line do not pair up: the {{ that opens the value of '{field}' "
                                  "is not closed; each { needs its }")
        self.last_value = (start, end, field)
        return end
