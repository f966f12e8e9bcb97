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
- ``zh``: a small, project-written lexicon baseline (``lexicons/zh.tsv``), longest-match tokens and
  the same VADER-like rules as Polish, applied sentence by sentence, plus a few Chinese ones (conceded
  flaws weigh half, measured noun + adjective pairs, no praise in a question, opening and summing-up
  sentences weigh more, a business's appended reply is not read). snownlp was measured and not used:
  it scores neutral enquiries as strongly negative, half of ChnSentiCorp is in its training text (57%
  on the rest), and it does 52-289 segments/s.
- ``uk``: a small, project-written lexicon baseline (``lexicons/uk.tsv``), built like the Polish one.
- ``pl``: a small, project-written lexicon baseline (``lexicons/pl.tsv``), stems for inflection.

Redaction placeholders (``[PERSON]``, ``[PHONE]``, ...) are removed before scoring, and a text
with no words left scores 0.0. A better model plugs in as a function with the same signature as
``score_segments`` (see ``docs/sentiment.md``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

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


# ---------------------------------------------------------------- lexicon baselines (pl, zh)
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


def _vader_like(tokens: list[str], valence: Callable[[str], float | None], rules: LexiconRules) -> float:
    """Sum of token scores with negation, boosters and contrast, normalised as s / sqrt(s^2 + 15)."""
    return _normalise(_valence_sum(tokens, valence, rules))


def _normalise(total: float) -> float:
    return total / math.sqrt(total * total + 15.0)


def _valence_sum(tokens: list[str], valence: Callable[[str], float | None], rules: LexiconRules) -> float:
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
        score = (score + math.copysign(boost, score)) * (NEGATION_SCALAR if negator else 1.0)
        conceded |= {len(valences)} if conceding else set()
        valences.append(score)
        negator, negation_left, boost, scored_at = None, 0, 0.0, i
    if negator:
        valences.append(rules.negators[negator])
    if contrast_at is not None:
        return sum(valences[:contrast_at]) * 0.5 + sum(valences[contrast_at:]) * 1.5
    return sum(v * 0.5 if i in conceded else v for i, v in enumerate(valences))  # "虽然 X，Y", "Y，就是 X"


def _read_lexicon(name: str) -> dict[str, float]:
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
    for entry, score in _read_lexicon(file).items():
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


@lru_cache(maxsize=65536)
def _pl_valence(word: str) -> float | None:
    return _stem_valence(LEXICONS["lexicon-pl"], word)


@lru_cache(maxsize=65536)
def _uk_valence(word: str) -> float | None:
    return _stem_valence(LEXICONS["lexicon-uk"], word)


def _score_pl(texts: list[str]) -> list[float]:
    lexicon = LEXICONS["lexicon-pl"]
    return [_vader_like(lexicon.tokens(text), _pl_valence, lexicon.rules) for text in texts]


def _score_uk(texts: list[str]) -> list[float]:
    lexicon = LEXICONS["lexicon-uk"]
    return [_vader_like(lexicon.tokens(text), _uk_valence, lexicon.rules) for text in texts]


# ---------------------------------------------------------------- Chinese: lexicon baseline
ZH_RULES = LexiconRules(
    negators={"不": -0.3, "没": -0.4, "没有": -0.4, "无": 0.0, "未": 0.0, "毫无": 0.0, "并非": 0.0},
    boosters={
        "很": 0.293, "非常": 0.293, "太": 0.293, "特别": 0.293, "超": 0.293, "超级": 0.293, "十分": 0.293,
        "极": 0.293, "极其": 0.293, "最": 0.293, "相当": 0.293, "巨": 0.293, "贼": 0.293, "真": 0.2, "真的": 0.2,
        "挺": 0.2, "蛮": 0.2, "更": 0.2, "实在": 0.2, "比较": -0.2, "有点": -0.293, "有些": -0.2,
        "稍微": -0.293, "略": -0.2, "好~": 0.293,  # "好~": "好" before a sentiment word (_zh_tokens)
    },
    contrast=frozenset({"但是", "但", "可是", "不过", "然而", "却"}),
    breaks=frozenset("，。！？；、,.!?;~\n"),
    # "although", and the words that bring a minor flaw into a good review: "except", "the only", "just that"
    concessive=frozenset({"虽然", "虽", "虽说", "尽管", "除了", "唯一", "美中不足", "只是", "就是"}),
    dampen_after=frozenset({"了点", "了些", "一点", "一些", "点儿", "了一点", "了一些"}),
)
# A sentence ends at 。！？ (or !? . … and a line break): a "but" reaches to the end of its sentence, not
# of the whole review ("A，但 B。C。" weighs B over A and leaves C alone). "3.5" is no sentence end.
ZH_SENTENCE = re.compile(r"(?<=[。！？!?\n…])(?![。！？!?\n…])|(?<=\.)(?![\d.])")
# Review sites append the business's answer to the review ("酒店回复：感谢您的点评……"): its thanks and
# apologies are not the customer's voice, so scoring stops where it starts.
ZH_BUSINESS_REPLY = re.compile(r"(?:商家|店家|卖家|掌柜|酒店|宾馆|饭店|客栈|民宿|官方)(?:回复|反馈|回应)\s*(?:\d[\d年月日/-]*)?\s*[：:]")


def _scales(*groups: tuple[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """noun -> {adjective: score} from (nouns, ends) groups; a noun in two groups gets both."""
    scales: dict[str, dict[str, float]] = {}
    for nouns, ends in groups:
        for noun in nouns.split():
            scales.setdefault(noun, {}).update(ends)
    return scales


# A measured noun and the adjective after it score as a pair: "价格高" is poor value and "性价比高" good
# value, "房间小" a small room, "分量足" a full portion, "声音大" a noise. Then the noun itself scores
# nothing ("噪音小" is no complaint). Only adverbs may stand between them ("房间也还比较大"), and negation
# and boosters apply to the pair as to a word ("价格不高").
ZH_SCALES: dict[str, dict[str, float]] = _scales(
    ("价格 价钱 房价 收费 价位 费用", {"高": -1.2, "低": 1.2, "贵": -1.2, "便宜": 1.2}),
    ("性价比 素质 水平 档次 质量 效率 品质 星级", {"高": 1.5, "低": -1.5}),
    ("房间 房子 面积 空间 床 卫生间 浴室 窗户 电视 屏幕", {"大": 1.2, "小": -1.2}),
    ("设施 硬件 装修 设备 家具 房间 房子 酒店 宾馆", {"新": 1.5, "旧": -1.5, "老": -1.2}),
    ("量 分量 份量 菜量 饭量 种类 品种 花样 选择", {"多": 1.2, "少": -1.2, "足": 1.5, "大": 1.2, "小": -1.2}),
    ("声音 噪音 噪声 味道 气味 异味 霉味", {"大": -2.0, "小": 1.0, "重": -2.0}),
    ("时间 路程", {"长": -1.0, "短": 1.0}),
    ("位置 地段 地点 距离", {"近": 1.2, "远": -1.2, "偏": -1.2}),
)
ZH_SCALE_PAIRS = {noun + end: score for noun, ends in ZH_SCALES.items() for end, score in ends.items()}
ZH_SCALE_BETWEEN = frozenset("也还都较偏算是就又得的")  # besides boosters and negators: "房间也还比较大"


@lru_cache(maxsize=1)
def _zh_vocabulary() -> tuple[dict[str, float], int]:
    """Every string the Chinese tokenizer matches whole (lexicon, rule words) and the longest."""
    rules = ZH_RULES
    vocabulary = dict.fromkeys([*rules.negators, *rules.boosters, *rules.contrast, *rules.concessive,
                                *rules.dampen_after, *ZH_SCALES], 0.0)
    vocabulary.update(_read_lexicon("zh.tsv"))
    return vocabulary, max(map(len, vocabulary))


def _zh_tokens(text: str) -> list[str]:
    """Greedy longest match against the vocabulary (any other character is a token of its own), then the
    measured pairs ("价格" … "高" -> "", "价格高") and "好" as "so" before a sentiment word ("好慢")."""
    vocabulary, longest = _zh_vocabulary()
    tokens, i = [], 0
    while i < len(text):
        size = next((n for n in range(min(longest, len(text) - i), 1, -1) if text[i:i + n] in vocabulary), 1)
        tokens.append(text[i:i + size])
        i += size
    noun_at = None
    for i, token in enumerate(tokens):
        if token in ZH_SCALES:
            noun_at = i
        elif noun_at is not None and token in ZH_SCALES[tokens[noun_at]]:
            tokens[i], tokens[noun_at], noun_at = tokens[noun_at] + token, "", None
        elif not (token in ZH_SCALE_BETWEEN or token in ZH_RULES.boosters or token in ZH_RULES.negators):
            noun_at = None
        if token == "好" and i + 1 < len(tokens) and _zh_valence(tokens[i + 1]):
            tokens[i] = "好~"
    return tokens


def _zh_valence(token: str) -> float | None:
    """A token's score; negators, boosters and 0 entries score nothing."""
    return ZH_SCALE_PAIRS.get(token) or _zh_vocabulary()[0].get(token) or None


# A question asserts nothing good: "下次能快点送到吗？" ("can it come faster next time?") and "不是说好送饮料吗？" are
# complaints, so praise words in a question do not count; complaint words do ("怎么这么慢？").
ZH_QUESTION = re.compile(r"[？?]\W*$")
# Words that sum a review up ("总的来说", "总之"): the sentence that holds one weighs double.
ZH_VERDICT = re.compile(r"总之|总而言之|综上|总的来说|总的说来|总的感觉|总体|整体")
ZH_VERDICT_WEIGHT = 2.0


def _zh_sentence(sentence: str) -> float:
    total = _valence_sum(_zh_tokens(sentence), _zh_valence, ZH_RULES)
    if total > 0 and ZH_QUESTION.search(sentence):
        return 0.0
    return total * ZH_VERDICT_WEIGHT if ZH_VERDICT.search(sentence) else total


# Chinese reviews often open with the overall impression and then go through the details ("总分", whole then
# parts): of several sentences, the first weighs 1.5 times.
ZH_OPENING_WEIGHT = 1.5
HAS_LETTER = re.compile(r"[^\W\d_]")  # "1." numbering a list is no sentence


def _zh_score(text: str) -> float:
    """Sentence by sentence, so that contrast and concession stay inside their sentence."""
    customer = ZH_BUSINESS_REPLY.split(text.lower(), maxsplit=1)[0]
    scores = [_zh_sentence(sentence) for sentence in ZH_SENTENCE.split(customer) if HAS_LETTER.search(sentence)]
    if len(scores) > 1:
        scores[0] *= ZH_OPENING_WEIGHT
    return _normalise(sum(scores))


def _score_zh(texts: list[str]) -> list[float]:
    return [_zh_score(text) for text in texts]


_SCORERS: dict[str, Callable[[list[str]], list[float]]] = {
    "vader+cx": _score_vader,
    "lexicon-pl": _score_pl,
    "lexicon-zh": _score_zh,
    "lexicon-uk": _score_uk,
}
