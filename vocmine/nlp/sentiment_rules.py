"""The rule machinery every lexicon baseline scores with (Polish, Ukrainian, Chinese): VADER's rules.

Why a module of its own: the languages differ in how they cut a text into tokens and look a token
up, but they weigh what they find the same way (negation, boosters, contrast, concession, the
normalisation), so a rule fixed here is fixed for all of them. ``vocmine.nlp.sentiment`` (pl, uk)
and ``vocmine.nlp.sentiment_zh`` build on it; ``docs/sentiment.md`` describes the rules.

    >>> rules = LexiconRules(negators={"nie": -0.4}, boosters={"bardzo": 0.293}, contrast=frozenset({"ale"}))
    >>> round(vader_like(["nie", "dobry"], {"dobry": 1.9}.get, rules), 4)
    -0.3412
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

NEGATION_SCALAR = -0.74  # VADER's N_SCALAR: "nie dobry" is less negative than "zły"
NEGATION_WINDOW = 3      # a negator reaches the next sentiment word up to 3 tokens on ("nie jest zbyt dobry")


@dataclass(frozen=True)
class LexiconRules:
    """The VADER-like rules a small lexicon baseline scores with, for one language."""

    negators: dict[str, float]  # flip the next sentiment word; the value is added when none follows
    boosters: dict[str, float]  # added to the next sentiment word's magnitude (negative: dampeners)
    contrast: frozenset[str]    # "but": words before weigh x0.5, words after x1.5
    breaks: frozenset[str] = frozenset()  # tokens that end a negation or booster's reach (punctuation)
    not_negating: frozenset[tuple[str, str]] = frozenset()  # ("nie", "tylko"): "not only" negates nothing
    not_only: frozenset[tuple[str, str]] = frozenset()  # "not only ... but": the "but" is no contrast
    concessive: frozenset[str] = frozenset()  # "although", "except": their clause weighs half (no "but" after)
    dampen_after: frozenset[str] = frozenset()  # "差了点": halves the sentiment word just before it


def vader_like(tokens: list[str], valence: Callable[[str], float | None], rules: LexiconRules) -> float:
    """Sum of token scores with negation, boosters and contrast, normalised as s / sqrt(s^2 + 15)."""
    return normalise(valence_sum(tokens, valence, rules))


def normalise(total: float) -> float:
    return total / math.sqrt(total * total + 15.0)


def valence_sum(tokens: list[str], valence: Callable[[str], float | None], rules: LexiconRules) -> float:
    """The sum of token scores (negation, boosters, dampeners, contrast and concession applied), unnormalised."""
    valences: list[float] = []
    contrast_at, conceded, conceding, scored_at = None, set(), False, -2
    negator, negation_left, boost = None, 0, 0.0
    not_only = False  # "nie tylko X, ale Y" adds Y to X: that "ale" is no contrast
    for i, token in enumerate(tokens):
        if token in rules.negators:
            pair = (token, next(iter(tokens[i + 1:i + 2]), ""))
            not_only = not_only or pair in rules.not_only
            if pair not in rules.not_negating:
                negator, negation_left = token, NEGATION_WINDOW
                continue
        if token in rules.boosters:
            boost += rules.boosters[token]
            continue
        if token in rules.dampen_after:
            if scored_at == i - 1:
                valences[-1] *= 0.5  # "差了点": only a little poor
            continue
        if token in rules.contrast and contrast_at is None and not not_only:
            contrast_at = len(valences)
        conceding = token in rules.concessive or (conceding and token not in rules.breaks | rules.contrast)
        score = None if token in rules.breaks else valence(token)
        if score is None:
            negation_left = 0 if token in rules.breaks else negation_left - 1
            boost = 0.0 if token in rules.breaks else boost
            if negator and negation_left <= 0:
                valences.append(rules.negators[negator])
                negator = None
            continue
        score = (score + math.copysign(1.0, score) * boost) * (NEGATION_SCALAR if negator else 1.0)  # boost < 0 dampens
        conceded |= {len(valences)} if conceding else set()
        valences.append(score)
        negator, negation_left, boost, scored_at = None, 0, 0.0, i
    if negator:
        valences.append(rules.negators[negator])
    if contrast_at is not None:
        return sum(valences[:contrast_at]) * 0.5 + sum(valences[contrast_at:]) * 1.5
    return sum(v * 0.5 if i in conceded else v for i, v in enumerate(valences))  # "虽然 X，Y", "Y，就是 X"


def read_lexicon(name: str) -> dict[str, float]:
    """entry -> score from ``lexicons/<name>``; errors name the file, the line and the reason."""
    path = resources.files("vocmine.nlp") / "lexicons" / name
    lexicon: dict[str, float] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            entry, value = line.split("\t")
            score = float(value)
        except ValueError:
            raise ValueError(f"{path}:{number}: expected 'entry<TAB>score', got {line!r}") from None
        if not -4.0 <= score <= 4.0:
            raise ValueError(f"{path}:{number}: score {score} outside [-4, 4]")
        lexicon[entry.strip().lower()] = score
    return lexicon
