"""Rule tagging for segments in languages other than English: the taxonomy's per-language patterns
(``[stages.languages.zh]`` and the like) found in the segment's own words.

English patterns are matched on spaCy lemmas (``rules.py``). For the other languages the words as
customers write them are matched instead, so the result does not depend on which lemmatizer or word
segmenter the language's pipeline has: a Chinese pattern is found anywhere in the text ("送餐" in
"送餐太慢了"), and a Polish or Ukrainian pattern is one to three words, each whole or, ending in "*",
the start of a word ("dostaw*" meets "dostawa", "dostawy", "dostawą"; "черг*" meets "черга", "черзі"
does not: list both). As in English, the longest match claims its words ("zwrot pieniędzy" counts
for billing, not also "zwrot" for another stage) and each stage or touchpoint scores the words its
matches cover.

    >>> rules = LanguagePatterns("pl", {"stage": {"delivery": ["kurier*", "dostaw*"]}})
    >>> rules.score("Kurier zgubił paczkę")
    ({'delivery': 1.0}, {})
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vocmine.journey.rules import RuleScores
from vocmine.journey.taxonomy import Taxonomy

WORD = re.compile(r"[^\W_]+(?:['’ʼ-][^\W_]+)*")
SCRIPT_LANGUAGES = frozenset({"zh", "ja", "th"})  # no spaces between words: patterns are found in the text


@dataclass(frozen=True)
class _Pattern:
    kind: str  # "stage" | "touchpoint"
    item: str
    words: tuple[str, ...]  # a word ending in "*" is a prefix; in Chinese the whole pattern
    weight: float  # the words it covers: in Chinese about one per two characters ("送餐" 1, "配送员" 2)


class LanguagePatterns:
    """One language's patterns, compiled; ``score(text)`` gives (stage scores, touchpoint scores)."""

    def __init__(self, language: str, patterns: dict[str, dict[str, list[str]]]) -> None:
        self.language = language
        self.whole_text = language in SCRIPT_LANGUAGES
        self.patterns = [self._compile(kind, item, phrase.lower().strip())
                         for kind, items in patterns.items() for item, phrases in items.items() for phrase in phrases]

    def _compile(self, kind: str, item: str, phrase: str) -> _Pattern:
        if self.whole_text:
            return _Pattern(kind, item, (phrase,), float(max(1, (len(phrase) + 1) // 2)))
        words = tuple(phrase.split())
        return _Pattern(kind, item, words, float(len(words)))

    def score(self, text: str) -> tuple[RuleScores, RuleScores]:
        matches = self._text_matches(text.lower()) if self.whole_text else self._word_matches(text.lower())
        result: tuple[RuleScores, RuleScores] = ({}, {})
        for index, kind in enumerate(("stage", "touchpoint")):
            for pattern in _longest_first([m for m in matches if m[2].kind == kind]):
                scores = result[index]
                scores[pattern.item] = scores.get(pattern.item, 0.0) + pattern.weight
        return result

    def _text_matches(self, text: str) -> list[tuple[int, int, _Pattern]]:
        found = []
        for pattern in self.patterns:
            needle = pattern.words[0]
            start = text.find(needle)
            while start >= 0:
                found.append((start, start + len(needle), pattern))
                start = text.find(needle, start + 1)
        return found

    def _word_matches(self, text: str) -> list[tuple[int, int, _Pattern]]:
        words = WORD.findall(text)
        found = []
        for pattern in self.patterns:
            size = len(pattern.words)
            for start in range(len(words) - size + 1):
                if all(_word_matches(w, p) for w, p in zip(words[start:start + size], pattern.words)):
                    found.append((start, start + size, pattern))
        return found


def _word_matches(word: str, pattern: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


def _longest_first(matches: list[tuple[int, int, _Pattern]]) -> list[_Pattern]:
    """Non-overlapping matches, the longest claiming its span first (spaCy's filter_spans, on offsets);
    between equals the more specific pattern ("reklamac*" over "reklam*")."""
    taken: set[int] = set()
    kept = []
    for start, end, pattern in sorted(matches, key=lambda m: (m[1] - m[0], sum(map(len, m[2].words)), -m[0]),
                                      reverse=True):
        if not taken.intersection(range(start, end)):
            taken.update(range(start, end))
            kept.append(pattern)
    return kept


def language_patterns(taxonomy: Taxonomy) -> dict[str, LanguagePatterns]:
    """language -> its compiled patterns, for every language the taxonomy has patterns in."""
    result = {}
    for language in taxonomy.languages:
        patterns: dict[str, dict[str, list[str]]] = {"stage": {}, "touchpoint": {}}
        for kind, items in (("stage", taxonomy.stages), ("touchpoint", taxonomy.touchpoints)):
            for item in items:
                words = item.languages.get(language)
                if words and words.patterns:
                    patterns[kind][item.id] = list(words.patterns)
        result[language] = LanguagePatterns(language, patterns)
    return result


__all__ = ["LanguagePatterns", "language_patterns"]
