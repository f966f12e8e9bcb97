"""Per-segment sentiment in [-1, 1], honest per language: a score only where a method exists.

Why: a CX analyst compares themes by how negative their segments are. A number invented for a
language we cannot read (English VADER run over German text scores almost everything 0.0, i.e.
"neutral") would quietly pull those themes towards neutral, so unsupported languages get ``None``
(NULL in the store) and are counted as "not scored", never as neutral.

    >>> score_segments(["the courier was late", "the agent sorted it out"], "en")
    [-0.3612, 0.3612]
    >>> score_segments(["Der Kurier war zu spät"], "de")
    [None]

Methods (measured in ``benchmarks/sentiment_eval.py``, discussed in ``docs/sentiment.md``):

- ``en``: VADER's compound score, with a small customer-service supplement (``EN_CX_LEXICON``) for
  words VADER's social-media lexicon lacks ("late", "overcharged", "sorted") or reads the wrong
  way for complaints ("joke").
- ``zh``: snownlp's naive-Bayes P(positive), mapped to ``2p - 1``.
- ``pl``: a small, project-written lexicon baseline (``lexicons/pl.tsv``) with a VADER-like scorer.

Redaction placeholders (``[PERSON]``, ``[PHONE]``, ...) are removed before scoring, and a text
with no words left scores 0.0. To plug in a better model, see ``docs/sentiment.md``: any function
``(texts: list[str]) -> list[float]`` can be registered in ``_SCORERS`` under a new method name.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources

SUPPORTED: dict[str, str] = {"en": "vader+cx", "zh": "snownlp", "pl": "lexicon-pl"}

PLACEHOLDER = re.compile(r"\[ ?[A-Z][A-Z_]* ?\]")  # [PERSON], [PHONE]; tolerates "[ EMAIL]"
HAS_WORD = re.compile(r"\w")

# Customer-service words VADER's lexicon lacks or scores for social media rather than complaints.
# Written for vocmine from general CX vocabulary, on VADER's scale (about -4..4).
EN_CX_LEXICON: dict[str, float] = {
    "late": -1.5, "later": 0.0, "delays": -1.3, "overdue": -1.3, "overcharged": -2.2, "overcharge": -2.0,
    "overcharging": -2.2, "overpriced": -1.8, "expensive": -1.0, "pricey": -1.0, "rip-off": -2.5,
    "ripoff": -2.5, "crashed": -1.8, "crashes": -1.8, "crashing": -1.8, "freezes": -1.3, "frozen": -1.0,
    "glitch": -1.3, "glitches": -1.3, "buggy": -1.6, "laggy": -1.3, "outage": -1.8, "outages": -1.8,
    "unreliable": -1.8, "unresolved": -1.6, "unhelpful": -1.8, "unreachable": -1.3, "incorrect": -1.3,
    "misled": -1.8, "nightmare": -2.5, "hassle": -1.3, "slow": -1.2, "slowly": -0.8, "patchy": -1.3,
    "spotty": -1.3, "joke": -1.5, "chasing": -1.0, "chased": -0.8, "waited": -0.6, "disconnected": -1.2,
    "sorted": 1.5, "fixed": 1.5, "reliable": 1.6, "seamless": 2.0, "smooth": 1.5, "smoothly": 1.5,
    "hassle-free": 2.0, "quick": 1.0, "quickly": 1.0, "fast": 1.0, "promptly": 1.3, "prompt": 1.0,
    "polite": 1.8, "patient": 1.5, "knowledgeable": 1.8, "professional": 1.5, "cheaper": 0.8,
}


def method_for(language: str | None) -> str | None:
    """The method that scores ``language`` (ISO 639-1, region tags ignored), or None if unsupported.

    >>> method_for("zh-CN"), method_for("de"), method_for(None)
    ('snownlp', None, None)
    """
    if not language:
        return None
    return SUPPORTED.get(language.strip().lower().replace("_", "-").split("-")[0])


def score_segments(texts: Sequence[str], language: str | None) -> list[float | None]:
    """One score in [-1, 1] per text for a supported ISO 639-1 language; None for every text otherwise.

    Duplicate texts in a batch are scored once (short segments such as "great service" repeat a lot).
    """
    if isinstance(texts, str):
        raise TypeError("score_segments takes a sequence of texts, not one string")
    method = method_for(language)
    if method is None:
        return [None] * len(texts)
    cleaned = [" ".join(PLACEHOLDER.sub(" ", text).split()) for text in texts]
    unique = [text for text in dict.fromkeys(cleaned) if HAS_WORD.search(text)]
    scores = dict(zip(unique, _SCORERS[method](unique)))
    return [_clip(scores[text]) if text in scores else 0.0 for text in cleaned]


def _clip(score: float) -> float:
    return round(max(-1.0, min(1.0, float(score))), 4)


# ---------------------------------------------------------------- English: VADER + CX supplement
@lru_cache(maxsize=1)
def _vader():
    """VADER's analyzer, built once (it parses its lexicon file) with the CX supplement added."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(EN_CX_LEXICON)  # an instance dict: the package's own state is untouched
    return analyzer


def _score_vader(texts: list[str]) -> list[float]:
    polarity = _vader().polarity_scores
    return [polarity(text)["compound"] for text in texts]


# ---------------------------------------------------------------- Chinese: snownlp
@lru_cache(maxsize=1)
def _snownlp_classify() -> Callable[[str], float]:
    """snownlp's sentiment classifier; importing it loads its models (~2 s), so only on first use."""
    from snownlp import sentiment

    return sentiment.classify


def _score_snownlp(texts: list[str]) -> list[float]:
    classify = _snownlp_classify()  # same as SnowNLP(text).sentiments, without building a SnowNLP per text
    return [2.0 * classify(text) - 1.0 for text in texts]


# ---------------------------------------------------------------- Polish: lexicon baseline
PL_NEGATORS = {"nie": 0.0, "bez": 0.0, "brak": -1.0}  # value added when no sentiment word follows
PL_BOOSTERS = {
    "bardzo": 0.293, "mega": 0.293, "naprawdę": 0.293, "strasznie": 0.293, "niezwykle": 0.293,
    "wyjątkowo": 0.293, "totalnie": 0.293, "kompletnie": 0.293, "całkowicie": 0.293, "zupełnie": 0.293,
    "ogromnie": 0.293, "szalenie": 0.293, "niesamowicie": 0.293, "absolutnie": 0.293, "zdecydowanie": 0.293,
    "najbardziej": 0.293, "wręcz": 0.2, "zbyt": 0.2, "trochę": -0.293, "nieco": -0.293, "lekko": -0.293,
    "dość": -0.293, "dosyć": -0.293, "raczej": -0.293,
}
PL_CONTRAST = {"ale", "lecz", "jednak", "jednakże", "natomiast"}
PL_NEGATION_SCALAR = -0.74  # VADER's N_SCALAR: "nie dobry" is less negative than "zły"
PL_NEGATION_WINDOW = 3      # "nie" reaches the next sentiment word up to 3 words on ("nie jest zbyt dobry")
PL_WORD = re.compile(r"[^\W\d_]+")


def _fold(word: str) -> str:
    """Drop Polish diacritics (ł too), for texts typed without them: "swietny" -> as "świetny"."""
    return unicodedata.normalize("NFKD", word.replace("ł", "l")).encode("ascii", "ignore").decode()


@lru_cache(maxsize=1)
def _pl_lexicon() -> tuple[dict[str, float], dict[str, float], dict[str, float], dict[str, float]]:
    """(exact, stems, exact folded, stems folded) from ``lexicons/pl.tsv``; errors name the line."""
    exact: dict[str, float] = {}
    stems: dict[str, float] = {}
    path = resources.files("vocmine.nlp") / "lexicons" / "pl.tsv"
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
        entry = entry.strip().lower()
        (stems if entry.endswith("*") else exact)[entry.rstrip("*")] = score
    return exact, stems, {_fold(k): v for k, v in exact.items()}, {_fold(k): v for k, v in stems.items()}


def _match(word: str, exact: dict[str, float], stems: dict[str, float]) -> float | None:
    if word in exact:
        return exact[word]
    for end in range(len(word), 2, -1):  # longest stem first
        if word[:end] in stems:
            return stems[word[:end]]
    return None


@lru_cache(maxsize=65536)
def _pl_valence(word: str) -> float | None:
    """A word's score, or None: as written, then without diacritics, then as "nie" + a known word."""
    exact, stems, exact_folded, stems_folded = _pl_lexicon()
    score = _match(word, exact, stems)
    if score is None:
        score = _match(_fold(word), exact_folded, stems_folded)
    if score is None and word.startswith("nie") and len(word) > 5:
        inner = _pl_valence(word[3:])  # niewygodny, niezły, nieprzydatny
        score = None if inner is None else inner * PL_NEGATION_SCALAR
    return score or None  # a 0 entry blocks a stem and scores nothing


def _score_pl_text(text: str) -> float:
    """VADER-like: sum of word scores with negation, boosters and "ale" contrast; s / sqrt(s^2 + 15)."""
    words = PL_WORD.findall(text.lower())
    valences: list[float] = []
    contrast_at = None
    negator, negation_left, boost = None, 0, 0.0
    for i, word in enumerate(words):
        if word in PL_NEGATORS and not (word == "nie" and words[i + 1:i + 2] == ["tylko"]):
            negator, negation_left = word, PL_NEGATION_WINDOW
            continue
        if word in PL_BOOSTERS:
            boost += PL_BOOSTERS[word]
            continue
        if word in PL_CONTRAST and contrast_at is None:
            contrast_at = len(valences)
        score = _pl_valence(word)
        if score is None:
            negation_left -= 1
            if negator and negation_left == 0:
                valences.append(PL_NEGATORS[negator])
                negator = None
            continue
        score += math.copysign(boost, score) if boost else 0.0
        if negator:
            score *= PL_NEGATION_SCALAR
        valences.append(score)
        negator, negation_left, boost = None, 0, 0.0
    if negator:
        valences.append(PL_NEGATORS[negator])
    if contrast_at is not None:  # as VADER does for "but": what follows "ale" weighs more
        valences = [v * 0.5 for v in valences[:contrast_at]] + [v * 1.5 for v in valences[contrast_at:]]
    total = sum(valences)
    return total / math.sqrt(total * total + 15.0)


def _score_pl(texts: list[str]) -> list[float]:
    return [_score_pl_text(text) for text in texts]


_SCORERS: dict[str, Callable[[list[str]], list[float]]] = {
    "vader+cx": _score_vader,
    "snownlp": _score_snownlp,
    "lexicon-pl": _score_pl,
}
