"""Which words may make a theme label, where a label's phrases start and end, how a label is
compared with those it must not repeat or overlap (``avoid=``), how the chosen words are
spelled, and the keyword label a theme falls back to: what the labeller
(:mod:`vocmine.themes.labels`) reads, kept apart so its ranking logic reads alone.

Most lists are English, the language of most letter formulas and modifiers; negations carry
Polish, Ukrainian and Chinese too, since a complaint may start with them in any language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from vocmine.text.words import UNSPACED
from vocmine.text.words import join as join_words
from vocmine.text.words import stop_words as stop_words_of

PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*\]")  # what redaction leaves: [PERSON], [EMAIL], ...
# clause boundaries: punctuation that ends a thought, PII placeholders, brand handles and links
CLAUSE = re.compile(r"\[[A-Z][A-Z_]*\]|[@#]\w+|https?://\S+|www\.\S+|[,;:!?()\"“”{}\[\]|…]|\.(?=\s|$)|\s[-–—/]\s|\n"
                     r"|[，。！？；：、（）《》【】「」『』～]")  # Chinese and Japanese punctuation ends a clause too
EDGE = "'\"‘’“”*.#…-–—"
# words that may start a phrase although they are stop words: they carry the complaint
NEGATIONS = {"no", "not", "never", "cannot", "can't", "won't", "didn't", "doesn't", "isn't", "wasn't",
              "couldn't", "hasn't", "haven't", "don't", "unable", "nothing",
              "nie", "nigdy", "brak",  # Polish
              "не", "ні", "немає", "нема", "ніколи",  # Ukrainian
              "不", "没", "没有", "未", "无法", "不能", "别"}  # Chinese
# greetings, sign-offs and letter formulas: never part of a label
FORMULA_WORDS = {"dear", "hi", "hello", "hey", "regards", "sincerely", "faithfully", "truly", "thanks", "thank",
                 "cheers", "concern", "writing", "attached", "enclosed", "kind", "best", "yours", "madam", "sir",
                 "complaint", "complain", "complaining", "reference", "ref", "letter", "email", "mr", "mrs", "ms",
                 "formal", "formally", "satisfactory", "wish", "hereby", "regarding", "herewith", "aforementioned"}
# modifiers that leave a phrase hanging when it ends on them ("phone that had clearly")
NO_END = {"same", "last", "next", "first", "second", "third", "previous", "current", "different", "whole", "old",
           "new", "absolute", "total", "recent", "general", "other", "several", "very", "really", "quite", "just",
           "still", "even", "also", "already", "again", "ever", "way", "lot", "bit", "thing", "things", "time"}
# one customer's particulars (amounts, dates, counts, model numbers) make a label about that
# customer; network generations (4G, 5G) are not particulars
PARTICULAR = re.compile(r"^(?![2-5]g$|[2-5]g/[2-5]g$).*\d|^(january|february|march|april|may|june|july|"
                         r"august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|"
                         r"saturday|sunday|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)$")
LY_NOUNS = {"monthly", "weekly", "daily", "yearly", "reply", "apply", "supply", "family", "early", "only", "ally"}
# scikit-learn's English stop words include words customers complain about ("bill", "call",
# "system", "amount"); in a label they are content
NOT_STOP = {"bill", "call", "system", "amount", "detail", "fire", "interest", "name", "show", "move", "side", "top",
             "find", "found", "fill", "back", "front", "full", "empty", "bottom", "give", "made", "put", "see", "keep",
             "take", "get", "done", "part"}
CONTRACTIONS = {"i'm", "i've", "i'd", "i'll", "it's", "that's", "there's", "you're", "we're", "they're", "he's",
                 "she's", "let's", "what's", "i’m", "it’s"}


def label_stop_words(language: str, extra: Iterable[str]) -> set[str]:
    """English keeps its tuned list; other languages use spaCy's, both with the formulas."""
    own = (ENGLISH_STOP_WORDS - NOT_STOP) | CONTRACTIONS if language == "en" else stop_words_of(language)
    return {w.lower() for w in extra} | set(own) | FORMULA_WORDS


def is_content(word: str, stops: set[str]) -> bool:
    return any(ch.isalpha() for ch in word) and word not in stops


def can_end(word: str, stops: set[str], language: str = "en") -> bool:
    """A phrase ends on a content word that is not a dangling modifier or an English -ly adverb."""
    return (is_content(word, stops) and word not in NO_END
            and not (language == "en" and word.endswith("ly") and word not in LY_NOUNS))


def can_start(word: str, stops: set[str]) -> bool:
    return is_content(word, stops) or word in NEGATIONS


def compared(label: str, language: str) -> str:
    """How labels are compared: lower-cased words; Chinese and Japanese without spaces, as their
    labels are written (a candidate is a tuple of words, "送餐 速度", its label "送餐速度")."""
    words = label.lower().split()
    return "".join(words) if language in UNSPACED else " ".join(words)


def overlaps(form: str, other: str, language: str) -> bool:
    """One label holds the other whole ("两个小时才送到" and "小时才送到"; "late delivery" and
    "very late delivery", not "bill" and "billing")."""
    if not form or not other:
        return False
    if language in UNSPACED:
        return form in other or other in form
    return f" {form} " in f" {other} " or f" {other} " in f" {form} "


def casing(clauses: Iterable[list[list[str]]]) -> dict[str, str]:
    """Each word's most common spelling inside a clause (a clause's first word is often
    capitalised only because it comes first, so it votes only when nothing else does)."""
    inside: dict[str, Counter] = {}
    first: dict[str, Counter] = {}
    for segment in clauses:
        for words in segment:
            for position, word in enumerate(words):
                (first if position == 0 else inside).setdefault(word.lower(), Counter())[word] += 1
    cases = {}
    for lower in inside.keys() | first.keys():
        votes = inside.get(lower) or first[lower]
        form = votes.most_common(1)[0][0]
        if lower in first and lower not in inside and form[:1].isupper() and form[1:] == form[1:].lower():
            form = lower  # only ever seen first: "Charged" is "charged"
        cases[lower] = form
    return cases


def cased(key: tuple[str, ...], cases: dict[str, str], language: str = "en") -> str:
    words = [cases.get(w, w) for w in key]
    if language == "en":
        words = ["I" if w == "i" else w for w in words]
    return join_words(words, language)


def distinct_labels(labels: list[str], taken: Iterable[str]) -> list[str]:
    """Where two themes still share a label (fallbacks), number the later ones."""
    used = {t.lower() for t in taken}
    out = []
    for label in labels:
        name, n = label, 2
        while name.lower() in used:
            name, n = f"{label} ({n})", n + 1
        used.add(name.lower())
        out.append(name)
    return out


def keyword_label(words: list[tuple[str, float]], theme: int) -> str:
    """The older label, up to three keywords that each add a word ("late delivery · courier"):
    what a theme shows when its segments offer no phrase."""
    return " · ".join(w for w, _ in distinct_keywords(words)[:3]) or f"theme {theme}"


def distinct_keywords(words: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Keywords that add a word: 'late delivery', then not 'delivery' nor 'delivery late'."""
    chosen: list[tuple[str, float]] = []
    used: set[str] = set()
    for word, score in words:
        parts = word.split()
        if used & set(parts) or len(set(parts)) < len(parts):  # also 'contract contract'
            continue
        chosen.append((word, score))
        used.update(word.split())
    return chosen
