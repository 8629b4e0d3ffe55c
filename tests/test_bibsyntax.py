"""Unit tests of sitegen.bibsyntax: the .bib's syntax mistakes between the common ones, named at their lines.

tests/test_citations.py makes the common mistakes in a fixture .bib through parse_bibliography; these
call `check` on small texts of their own, for the edges: text cut to fit a message, a file that ends
without a line break or starts with a blank line, @comment and @string written with ( ), and values
written without their opening brace.
"""

from __future__ import annotations

import pytest

from sitegen import bibsyntax
from sitegen.errors import SiteDataError

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

ENTRY = "@misc{k,\n  title = {T},\n}\n"
OUTSIDE = "is outside any entry: an entry starts with @ (@article{key,); a comment line starts with %"


def refusal(text: str) -> str:
    with pytest.raises(SiteDataError) as caught:
        bibsyntax.check(text)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Text outside any entry is shown whole up to 40 characters, and cut after 39 beyond that.
        (ENTRY + "A note of forty characters, all but two.\n", f"line 4: 'A note of forty characters, all but two.' {OUTSIDE}"),
        (ENTRY + "A note of forty-one characters, all but 2.\n", f"line 4: 'A note of forty-one characters, all but…' {OUTSIDE}"),
        # The file's last line, with no line break after it, is shown to its last character.
        (ENTRY + "A note at the end", f"line 4: 'A note at the end' {OUTSIDE}"),
        # An entry type in capitals, its @ left out.
        ("Article{one2000,\n  title = {T},\n}\n", "line 1: 'Article{one2000,' is outside any entry: an entry starts with @, like @Article{one2000,"),
        # One } too many near the end of the file: what the entry loses is still named.
        ("@article{one2000,\n  title   = {First title}},\n  journal = {Journal One},\n}\n",
         "line 2: entry 'one2000' ends at a } on this line, and ', journal = {Journal One}, }' follows it: there is one } too many "
         "on this line, and BibTeX would drop the rest of the entry; each { needs exactly one }"),
        # Line numbers count a blank first line.
        ("\n@article{k,\n  title = {T},\n}\n  journal = {J},\n}\n",
         "line 5: 'journal = {J},' is outside any entry: entry 'k' was closed before it (line 4); check the braces of the lines "
         "above: each { needs exactly one }"),
        ("\n@article{k,\n  title = {T},\n  journal = {J\n}\n",
         "line 4: the braces on this line do not pair up: the { that opens the value of 'journal' is closed only by the } on line 5, "
         "which was meant to end the entry; each { needs its }"),
        # The entry's }, written "},", closed a value left open above it.
        ("@article{k,\n  title = {T},\n  journal = {J\n},\n@misc{j,\n  title = {T},\n}\n",
         "line 3: the braces on this line do not pair up: the { that opens the value of 'journal' is closed only by the } on line 4, "
         "which was meant to end the entry; each { needs its }"),
        # A value without its opening {: the words up to the } meant to close it, braces inside them kept.
        ("@article{k,\n  title = First {word} title},\n}\n", "line 2: the value of 'title' needs braces around it: write title = {First {word} title},"),
        ("@article{k,\n  title = First title}  journal = {J},\n}\n", "line 2: the value of 'title' needs braces around it: write title = {First title},"),
        # ...or without its braces at all, the words shown as written, up to the comma or the } meant to close it.
        ("@article{k,\n  title = First Xylazine study,\n}\n", "line 2: the value of 'title' needs braces around it: write title = {First Xylazine study},"),
        ("@article{k,\n  title = First LaTeX,\n}\n", "line 2: the value of 'title' needs braces around it: write title = {First LaTeX},"),
        ("@article{k,\n  title = First title}\n" + ENTRY, "line 2: the value of 'title' needs braces around it: write title = {First title},"),
        ("@article{k,\n  title = First title},\n" + ENTRY, "line 2: the value of 'title' needs braces around it: write title = {First title},"),
        # Words after a closed value.
        ("@article{k,\n  title = {T} Xtra,\n}\n", "line 2: 'Xtra,' follows the value of 'title': a value is written in braces, like "
         "title = {...}, and each { needs exactly one }"),
        # Keys: a space in one, on any line (a long word cut to 19 characters), or no { before it.
        (ENTRY + "@article{one Xu2000,\n  title = {T},\n}\n",
         "line 4: the key 'one Xu2000' has a space in it: a key is one word, like smith2020, and a comma follows it"),
        ("@article{one abcdefghijklmnopqrst,\n}\n",
         "line 1: the key 'one abcdefghijklmnopqrst' has a space in it: a key is one word, like smith2020, and a comma follows it"),
        ("@article{one abcdefghijklmnopqrstu,\n}\n",
         "line 1: the key 'one abcdefghijklmnopqrs…' has a space in it: a key is one word, like smith2020, and a comma follows it"),
        ("@article Xu2020,\n  title = {T},\n}\n", "line 1: @article needs { after it: write @article{key, and then the fields"),
        # An entry with no fields that runs into the next one, or into the end of the file.
        ("@article{k,\n" + ENTRY, "line 1: entry 'k' is not closed: its last field ends on this line; put a } on the line after it, to end the entry"),
        ("@article{k", "line 1: entry 'k' is not closed: its last field ends on this line; put a } on the line after it, to end the entry"),
        # Fields: no = after the name, and what is no field or follows a value, cut to 19 characters.
        ("@misc{k,\n  title X {T},\n}\n", "line 2: the field 'title' has no = after its name: write title = {...},"),
        ("@misc{k,\n  {First title that is long},\n}\n",
         "line 2: '{First title that i…' is not a field: entry 'k' holds fields written title = {The title}, and ends with }"),
        ("@misc{k,\n  year = {2000} 2001 and more words here,\n}\n", "line 2: '2001 and more words…' follows the value of 'year': "
         "a value is written in braces, like year = {...}, and each { needs exactly one }"),
    ],
)
def test_each_mistake_is_named_at_its_line(text, message):
    assert refusal(text) == f"references.bib, {message}"


@pytest.mark.parametrize(
    "text",
    [
        "@comment(nested (parens) here)\n" + ENTRY,
        "@string(jo = {Journal (One)})\n" + ENTRY,
        "@comment{x}@misc{k,\n  title = {T},\n}\n",  # the next entry right after the closing brace
        "@comment{Kept {for} later}%a note\n" + ENTRY,
        "@comment{a{b}c{{d}}e}\n" + ENTRY,
        "@article{k,\n  title = {A} #{B},\n}\n",  # parts joined by #, with no space after it
        "@misc{j,\n  title = {T},\n},@misc{k,\n  title = {T},\n}\n",  # "}," with the next entry right after it
        "@misc{k,\n  Xtra = {1},\n  X = {2},\n}\n",  # any field name
        "@misc{k,\n  title ={T},\n}\n",
        "@misc{k, title = {T},}\n",
        "@misc{k, title = {T},,}\n",
        "@string{Xjournal = {J}}\n@article{k,\n  journal = Xjournal,\n}\n",  # an @string name as a value, whatever its first letter
    ],
)
def test_what_bibtex_allows_is_let_through(text):
    bibsyntax.check(text)
