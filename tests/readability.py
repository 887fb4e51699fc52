"""The Flesch-Kincaid grade of plain English text, worked out here (no library): 0.39 times the
words per sentence, plus 11.8 times the syllables per word, minus 15.59. Syllables are counted
by the usual rule of thumb (groups of vowels, a silent final e), which is close enough to tell
plain words from hard ones."""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
SENTENCE_END = re.compile(r"[.!?:;]+(?:\s|$)")


def syllables(word: str) -> int:
    word = word.lower().removesuffix("'s")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]+", word)))


def sentences(text: str) -> int:
    return max(1, len([s for s in SENTENCE_END.split(text.strip()) if WORD.search(s)]))


def grade(text: str) -> float:
    """The Flesch-Kincaid grade level of `text` (sentences end with . ! ? : or ;)."""
    words = WORD.findall(text)
    if not words:
        return 0.0
    per_sentence = len(words) / sentences(text)
    per_word = sum(syllables(w) for w in words) / len(words)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59
