"""Unit tests of scripts/equivalent_mutants.py: how `make mutation` reads tests/equivalent-mutants.yml
and holds a run against it, on a small made-up run (the live list only has to load)."""

from __future__ import annotations

import pytest

import equivalent_mutants as em

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

# A mutated module as mutmut writes it (trimmed): each mutant a copy of its function beside the
# unchanged copy, methods named xǁClassǁmethod.
MUTATED = '''
from mutmut.mutation.trampoline import wrap_in_trampoline as _mutmut_mutated, MutantDict
mutants_x_greet__mutmut: MutantDict = {}  # type: ignore
@_mutmut_mutated(mutants_x_greet__mutmut)
def greet(name, greeting="hello"):
    text = f"{greeting}, {name}"
    return text.strip(
        "!",
    )
def x_greet__mutmut_orig(name, greeting="hello"):
    text = f"{greeting}, {name}"
    return text.strip(
        "!",
    )
def x_greet__mutmut_1(name, greeting="XXhelloXX"):
    text = f"{greeting}, {name}"
    return text.strip(
        "!",
    )
def x_greet__mutmut_3(name, greeting="hello"):
    text = None
    return text.strip(
        "!",
    )
def x_greet__mutmut_6(name, greeting="hello"):
    text = f"{greeting}, {name}"
    return text.strip(
    )
mutants_xǁBoxǁsize__mutmut: MutantDict = {}  # type: ignore


class Box:
    @_mutmut_mutated(mutants_xǁBoxǁsize__mutmut)
    def size(self, items):
        return len(items) + 1
    def xǁBoxǁsize__mutmut_orig(self, items):
        return len(items) + 1
    def xǁBoxǁsize__mutmut_1(self, items):
        return len(items) - 1
    def xǁBoxǁsize__mutmut_2(self, items):
        return len(items) + 2
'''

LIST = """\
equivalent:
  - reason: The greeting is never shown.
    mutants:
      tiny.greet:
        - code: 'def greet(name, greeting="hello"):'
          mutant: 'def greet(name, greeting="XXhelloXX"):'
        - code: '"!",'
          mutant: ''
  - reason: >-
      A box is never measured.
    mutants:
      tiny.Box.size:
        - code: return len(items) + 1
          mutant: return len(items) - 1
        - code: return len(items) + 1
          mutant: return len(items) * 1
      other.unrun:
        - code: x = 1
          mutant: x = 2
"""

# `mutmut results`: every mutant not killed, with its status.
RESULTS = """\
    sitegen.tiny.x_greet__mutmut_1: survived
    sitegen.tiny.x_greet__mutmut_3: survived
    sitegen.tiny.x_greet__mutmut_6: no tests
    sitegen.tiny.xǁBoxǁsize__mutmut_1: survived
    sitegen.tiny.xǁBoxǁsize__mutmut_2: timeout
"""


@pytest.fixture
def run(tmp_path):
    """A scratch project after a mutmut run of the module `tiny`, and the list beside it."""
    (tmp_path / "mutants" / "sitegen").mkdir(parents=True)
    (tmp_path / "mutants" / "sitegen" / "tiny.py").write_text(MUTATED, encoding="utf-8")
    (tmp_path / "equivalent-mutants.yml").write_text(LIST, encoding="utf-8")
    return tmp_path


def test_a_mutant_is_named_by_module_and_function():
    assert em.function_of("sitegen.tiny.x_greet__mutmut_12") == ("tiny", "greet")
    assert em.function_of("sitegen.tiny.xǁBoxǁsize__mutmut_2") == ("tiny", "Box.size")
    assert em.function_of("sitegen.datafile.xǁDataFileǁ__init____mutmut_1") == ("datafile", "DataFile.__init__")
    assert em.function_of("sitegen.tiny.x__private__mutmut_1") == ("tiny", "_private")


def test_a_mutant_is_its_change_to_the_code():
    changed = em.changed_lines(MUTATED, [f"sitegen.tiny.x_greet__mutmut_{n}" for n in (1, 3, 6)] + ["sitegen.tiny.xǁBoxǁsize__mutmut_2"])
    assert changed == {
        # A default argument: the def line, under the function's own name.
        "sitegen.tiny.x_greet__mutmut_1": em.Mutant("tiny.greet", 'def greet(name, greeting="hello"):', 'def greet(name, greeting="XXhelloXX"):'),
        "sitegen.tiny.x_greet__mutmut_3": em.Mutant("tiny.greet", 'text = f"{greeting}, {name}"', "text = None"),
        "sitegen.tiny.x_greet__mutmut_6": em.Mutant("tiny.greet", '"!",', ""),  # a line removed
        "sitegen.tiny.xǁBoxǁsize__mutmut_2": em.Mutant("tiny.Box.size", "return len(items) + 1", "return len(items) + 2"),
    }
    assert em.show(changed["sitegen.tiny.x_greet__mutmut_3"], "") == '- text = f"{greeting}, {name}"\n+ text = None'


def test_only_mutants_no_test_caught_are_read_from_the_results():
    assert em.not_caught(RESULTS) == {
        "sitegen.tiny.x_greet__mutmut_1": "survived",
        "sitegen.tiny.x_greet__mutmut_3": "survived",
        "sitegen.tiny.x_greet__mutmut_6": "no tests",
        "sitegen.tiny.xǁBoxǁsize__mutmut_1": "survived",
    }


def test_a_run_is_held_against_the_list(run):
    verdict = em.review(run, RESULTS, [], run / "equivalent-mutants.yml")
    assert verdict.equivalent == ["sitegen.tiny.x_greet__mutmut_1", "sitegen.tiny.xǁBoxǁsize__mutmut_1"]
    # A survivor the list does not explain, and a listed change that no test reaches: both to act on.
    assert verdict.to_act_on == [
        ("sitegen.tiny.x_greet__mutmut_3", "survived", em.Mutant("tiny.greet", 'text = f"{greeting}, {name}"', "text = None")),
        ("sitegen.tiny.x_greet__mutmut_6", "no tests", em.Mutant("tiny.greet", '"!",', "")),
    ]
    # Entries no survivor matches: the removed line (its mutant was not a survivor), a change no
    # longer made, and one of a module the run did not mutate, since the run was of every module.
    assert [(e.mutant.function, e.mutant.mutant) for e in verdict.stale] == [
        ("tiny.greet", ""), ("tiny.Box.size", "return len(items) * 1"), ("other.unrun", "x = 2")]
    report = em.report(verdict, "the list")
    assert report.startswith("Equivalent, as listed in the list: 2 survivors.")
    assert "To act on: 2 mutants not caught and not listed as equivalent" in report
    assert "  sitegen.tiny.x_greet__mutmut_3 (survived), in tiny.greet:\n    - text = f\"{greeting}, {name}\"\n    + text = None" in report
    assert "Stale: 3 entries of the list matching no surviving mutant" in report
    assert "  other.unrun:\n    - x = 1\n    + x = 2" in report


def test_entries_of_modules_not_run_are_not_stale(run):
    verdict = em.review(run, RESULTS, ["tiny"], run / "equivalent-mutants.yml")
    assert "other.unrun" not in [e.mutant.function for e in verdict.stale]
    assert len(verdict.stale) == 2


def test_a_run_that_agrees_with_the_list_reports_nothing_to_do(run):
    (run / "equivalent-mutants.yml").write_text(
        "equivalent:\n"
        "  - reason: The greeting is never shown.\n"
        "    mutants:\n"
        "      tiny.greet:\n"
        "        - {code: 'def greet(name, greeting=\"hello\"):', mutant: 'def greet(name, greeting=\"XXhelloXX\"):'}\n",
        encoding="utf-8",
    )
    verdict = em.review(run, "    sitegen.tiny.x_greet__mutmut_1: survived\n", ["tiny"], run / "equivalent-mutants.yml")
    assert verdict == em.Verdict(["sitegen.tiny.x_greet__mutmut_1"], [], [])
    assert em.report(verdict) == "Equivalent, as listed in tests/equivalent-mutants.yml: 1 survivor."


@pytest.mark.parametrize(
    "text, message",
    [
        ("- reason: x\n", "expected a top-level `equivalent:` list"),
        ("equivalent:\n  - reason: x\n", "group 1: each group has exactly `reason` and `mutants`"),
        ("equivalent:\n  - reason: ' '\n    mutants: {m.f: [{code: a, mutant: b}]}\n", "group 1: the reason is empty"),
        ("equivalent:\n  - reason: x\n    mutants: []\n", "group 1: `mutants` maps each function to its changes"),
        ("equivalent:\n  - reason: x\n    mutants: {m.f: a}\n", "group 1, m.f: give a list of changes"),
        ("equivalent:\n  - reason: x\n    mutants: {m.f: [{code: a}]}\n", "group 1, m.f: each change has exactly `code` and `mutant`"),
        ("equivalent:\n  - reason: x\n    mutants: {m.f: [{code: a, mutant: 2}]}\n", "each change has exactly `code` and `mutant`, both text"),
        ("equivalent:\n  - reason: x\n    mutants: {m.f: [{code: '', mutant: b}]}\n", "group 1, m.f: `code` is empty"),
        ("equivalent:\n  - reason: x\n    mutants: {m.f: [{code: a, mutant: b}]}\n  - reason: y\n    mutants: {m.f: [{code: ' a', mutant: b}]}\n",
         "m.f: 'a' -> 'b' is listed twice"),
    ],
)
def test_a_malformed_list_is_refused_naming_the_place(tmp_path, text, message):
    listed = tmp_path / "equivalent-mutants.yml"
    listed.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="^equivalent-mutants.yml") as refused:
        em.load(listed)
    assert message in str(refused.value)


def test_the_list_loads_and_gives_every_entry_a_reason():
    entries = em.load()
    assert entries and all(entry.reason and entry.mutant.function.count(".") in (1, 2) for entry in entries)
