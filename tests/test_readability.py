"""Unit tests of sitegen.readability: the reading level of a page's sentences."""

from __future__ import annotations

import pytest

from sitegen import readability

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# Survivors in readability (issue 21): each test states what an editor or a clinic would see go wrong


def test_the_reading_level_is_flesch_kincaid_of_the_sentences_as_written():
    # 15 words in 3 sentences, 20 syllables: 0.39 × 5.0 + 11.8 × 1.3 − 15.59 = 1.70, given to one decimal.
    html = "<p>Your doctor checks your dose. A nurse stays with you. Rest quietly before going home.</p>"
    assert readability.measure(html) == {"grade": 1.7, "words_per_sentence": 5.0, "sentences": 3}
