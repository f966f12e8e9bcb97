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
- ``zh`` (``sentiment_zh.py``): a small, project-written lexicon baseline (``lexicons/zh.tsv``),
  longest-match tokens and the same VADER-like rules as Polish (``sentiment_rules.py``), applied
  sentence by sentence, plus a few Chinese ones (conceded flaws weigh half, measured noun + adjective
  pairs, no praise in a question, opening and summing-up sentences weigh more, a business's appended
  reply is not read). snownlp was measured and not used:
  it scores neutral enquiries as strongly negative, half of ChnSentiCorp is in its training text (57%
  on the rest), and it does 52-289 segments/s.
- ``uk``: a small, project-written lexicon baseline (``lexicons/uk.tsv``), built like the Polish one.
- ``pl``: a small, project-written lexicon baseline (``lexicons/pl.tsv``), stems for inflection.

Redaction placeholders (``[PERSON]``, ``[PHONE]``, ...) are removed before scoring, and a text
with no words left scores 0.0. A better model plugs in as a function with the same signature as
``score_segments`` (see ``docs/sentiment.md``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from vocmine.nlp.sentiment_rules import NEGATION_SCALAR, LexiconRules, read_lexicon, vader_like
from vocmine.nlp.sentiment_zh import score_zh

SUPPORTED: dict[str, str] = {"en": "vader+cx", "zh": "lexicon-zh", "pl": "lexicon-pl", "uk": "lexicon-uk"}

PLACEHOLDER = re.compile(r"\[ ?[A-Z][A-Z_]* ?\]")  # [PERSON], [PHONE]; tolerates "[ EMAIL]"
HAS_WORD = re.compile(r"\w")

# Customer-service words VADER's lexicon lacks or scores for social media rather than complaints.
# Written for vocmine from general CX vocabulary, on VADER's scale (about -4..4).
EN_CX_LEXICON: dict[str, float] = {
    "late": -1.5, "delays": -1.3, "overdue": -1.3, "overcharged": -2.2, "overcharge": -2.0,
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
    ('lexicon-zh', None, None)
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


# ---------------------------------------------------------------- inflected languages: stem lexicons (pl, uk)
@dataclass(frozen=True)
class StemLexicon:
    """A lexicon of whole words and stems ("dobr*") for a language that inflects, with its rules.

    Words are looked up as written, then folded (diacritics typed or not), then, when they start
    with the glued negation prefix ("nie" in Polish, "не" in Ukrainian), as that prefix plus a
    known word: "niewygodny", "незручно"."""

    file: str
    rules: LexiconRules
    negation_prefix: str
    fold: Callable[[str], str]

    def tokens(self, text: str) -> list[str]:
        """Words, emoticons (as ":)" or ":(") and the punctuation that ends a negation's reach
        ("nie dzwonią, świetnie": nothing negated)."""
        return [EMOTICON_SIDE[token[-1]] if token[0] in ":;" and len(token) > 1 else token
                for token in WORD_OR_BREAK.findall(text.lower())]


# Smileys as customers type them, tokenised or not: ":)", ": )", ":-)", ": - (", ";)", ":D", ":/".
_EMOTICON = r"[:;]\s?-?\s?(?:\)+|\(+(?!\w)|d\b|/(?![/\w]))"  # not ": (a)", "http://", ": /path"
EMOTICON = re.compile(_EMOTICON)
EMOTICON_SIDE = {")": ":)", "d": ":)", "(": ":(", "/": ":("}
EMOTICONS = {":)": 2.0, ":(": -2.0}  # VADER's ":)" is 2.0 and ":(" -1.9
# words (apostrophes inside Ukrainian words: м'ясо, обов’язково), emoticons and clause punctuation
WORD_OR_BREAK = re.compile(_EMOTICON + r"|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*|[,.;:!?()]")
CLAUSE_BREAKS = frozenset(",.;:!?()")


def _fold_pl(word: str) -> str:
    """Drop Polish diacritics (ł too), for texts typed without them: "swietny" -> as "świetny"."""
    return unicodedata.normalize("NFKD", word.replace("ł", "l")).encode("ascii", "ignore").decode()


def _fold_uk(word: str) -> str:
    """One apostrophe for the three customers type (', ’, ʼ), and ґ as г."""
    return word.replace("’", "'").replace("ʼ", "'").replace("ґ", "г")


@lru_cache(maxsize=4)
def _stem_tables(file: str, fold: Callable[[str], str]
                 ) -> tuple[dict[str, float], dict[str, float], dict[str, float], dict[str, float]]:
    """(exact, stems, exact folded, stems folded) from ``lexicons/<file>``; "dobr*" is a stem."""
    exact: dict[str, float] = {}
    stems: dict[str, float] = {}
    for entry, score in read_lexicon(file).items():
        (stems if entry.endswith("*") else exact)[entry.rstrip("*")] = score
    return exact, stems, {fold(k): v for k, v in exact.items()}, {fold(k): v for k, v in stems.items()}


def _match(word: str, exact: dict[str, float], stems: dict[str, float]) -> float | None:
    if word in exact:
        return exact[word]
    for end in range(len(word), 2, -1):  # longest stem first
        if word[:end] in stems:
            return stems[word[:end]]
    return None


def _stem_valence(lexicon: StemLexicon, word: str) -> float | None:
    """A word's score, or None: as written, then folded, then as the negation prefix + a known word."""
    if word in EMOTICONS:
        return EMOTICONS[word]
    exact, stems, exact_folded, stems_folded = _stem_tables(lexicon.file, lexicon.fold)
    score = _match(word, exact, stems)
    if score is None:
        score = _match(lexicon.fold(word), exact_folded, stems_folded)
    prefix = lexicon.negation_prefix
    if score is None and word.startswith(prefix) and len(word) > len(prefix) + 2:
        inner = _stem_valence(lexicon, word[len(prefix):])  # niewygodny, niezły, незручно
        score = None if inner is None else inner * NEGATION_SCALAR
    return score or None  # a 0 entry blocks a stem and scores nothing


PL_RULES = LexiconRules(
    # "brak odpowiedzi": a lack is negative on its own; "mało stabilna", "niezbyt wygodny", "ledwo działa"
    negators={"nie": -0.4, "bez": 0.0, "brak": -1.0, "mało": 0.0, "niezbyt": -0.3, "ledwo": -0.3, "ledwie": -0.3},
    boosters={
        "bardzo": 0.293, "mega": 0.293, "naprawdę": 0.293, "strasznie": 0.293, "niezwykle": 0.293,
        "wyjątkowo": 0.293, "totalnie": 0.293, "kompletnie": 0.293, "całkowicie": 0.293, "zupełnie": 0.293,
        "ogromnie": 0.293, "szalenie": 0.293, "niesamowicie": 0.293, "absolutnie": 0.293, "zdecydowanie": 0.293,
        "najbardziej": 0.293, "wręcz": 0.2, "zbyt": 0.2, "trochę": -0.293, "nieco": -0.293, "lekko": -0.293,
        "dość": -0.293, "dosyć": -0.293, "raczej": -0.293,
        "wcale": 0.293, "taki": 0.1, "taka": 0.1, "takie": 0.1, "tak": 0.1,  # "nie jest wcale taki świetny"
    },
    contrast=frozenset({"ale", "lecz", "jednak", "jednakże", "natomiast"}),
    breaks=CLAUSE_BREAKS,
    not_negating=frozenset({("nie", "tylko")}),
    not_only=frozenset({("nie", "tylko")}),
)
UK_RULES = LexiconRules(
    # "немає відповіді": a lack is negative on its own, as "brak" in Polish
    negators={"не": -0.4, "ні": 0.0, "без": 0.0, "немає": -1.0, "нема": -1.0, "ніхто": -0.5, "ніколи": -0.5},
    boosters={
        "дуже": 0.293, "надзвичайно": 0.293, "неймовірно": 0.293, "максимально": 0.293, "абсолютно": 0.293,
        "цілком": 0.293, "зовсім": 0.293, "вкрай": 0.293, "справді": 0.293, "дійсно": 0.293, "щиро": 0.293,
        "найбільш": 0.293, "особливо": 0.2, "занадто": 0.2, "надто": 0.2, "так": 0.2, "такий": 0.2,
        "трохи": -0.293, "трішки": -0.293, "дещо": -0.293, "частково": -0.293, "досить": -0.2,
    },
    contrast=frozenset({"але", "проте", "однак", "зате", "натомість"}),
    breaks=CLAUSE_BREAKS,
    not_negating=frozenset({("не", "тільки"), ("не", "лише"), ("ні", "в"), ("не", "дивлячись")}),
    not_only=frozenset({("не", "тільки"), ("не", "лише")}),
)
LEXICONS: dict[str, StemLexicon] = {
    "lexicon-pl": StemLexicon("pl.tsv", PL_RULES, "nie", _fold_pl),
    "lexicon-uk": StemLexicon("uk.tsv", UK_RULES, "не", _fold_uk),
}


def _stem_scorer(lexicon: StemLexicon) -> Callable[[list[str]], list[float]]:
    """The scorer of one stem lexicon, with a cache of its word scores of its own (words repeat across
    segments, and a stem lookup tries every prefix)."""
    valence = lru_cache(maxsize=65536)(partial(_stem_valence, lexicon))

    def score(texts: list[str]) -> list[float]:
        return [vader_like(lexicon.tokens(text), valence, lexicon.rules) for text in texts]

    return score


_SCORERS: dict[str, Callable[[list[str]], list[float]]] = {
    "vader+cx": _score_vader,
    "lexicon-pl": _stem_scorer(LEXICONS["lexicon-pl"]),
    "lexicon-zh": score_zh,
    "lexicon-uk": _stem_scorer(LEXICONS["lexicon-uk"]),
}
