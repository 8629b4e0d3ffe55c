"""Reading level of a built page's prose, measured with textstat (Flesch-Kincaid grade).

A figure the benchmark prints, not a rule: the health pages keep the source
article's words, so the site reports their level honestly instead of claiming plain language.
"""

from __future__ import annotations

import textstat

from .fidelity import page_sentences


def measure(page_html: str) -> dict | None:
    """Grade level, words per sentence and sentence count of a page's prose; None when it has too little."""
    sentences = page_sentences(page_html)
    if len(sentences) < 3:
        return None
    text = " ".join(sentences)
    words = textstat.lexicon_count(text)
    return {
        "grade": round(textstat.flesch_kincaid_grade(text), 1),
        "words_per_sentence": round(words / len(sentences), 1),
        "sentences": len(sentences),
    }
