"""From a processed spaCy doc to what is stored: redacted text and its segments.

Everything leaving this module is redacted: segment text is cut from the redacted feedback
text (offsets point into it), and lemmas and key phrases skip tokens inside personal data
or brand handles, so neither names nor handles can drive a theme. The words the journey
rules read keep a placeholder where personal data was, so a pattern never spans it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from vocmine.nlp.pii import PiiSpan
from vocmine.nlp.redact import placeholder, redact

# Function words dropped before rule matching: "closed my account" meets "close account".
# Prepositions stay, so "on the phone" (the call centre) differs from "my phone" (the handset).
FUNCTION_POS = frozenset({"DET", "PRON", "AUX", "CCONJ", "SCONJ", "PART"})


@dataclass(frozen=True)
class Segment:
    position: int
    text: str
    start_char: int  # into the redacted feedback text
    end_char: int
    lemmas: str  # content-word lemmas, space-separated, for theme keywords
    key_phrases: tuple[str, ...]
    rule_lemmas: tuple[str, ...] = ()  # what journey rules match on (match_tokens)
    rule_words: tuple[str, ...] = ()


@dataclass
class EnrichedFeedback:
    feedback_id: str
    language: str
    text: str  # redacted
    segments: list[Segment] = field(default_factory=list)
    pii_counts: dict[str, int] = field(default_factory=dict)
    brands: list[str] = field(default_factory=list)
    sentiments: list[float | None] = field(default_factory=list)  # one per segment


def enrich_doc(doc: Doc, feedback_id: str, language: str) -> EnrichedFeedback:
    redaction = redact(doc.text, (PiiSpan(s, e, kind) for s, e, kind in doc._.pii))
    hidden = [(s, e) for s, e, *_ in (*doc._.pii, *doc._.brands)]
    result = EnrichedFeedback(
        feedback_id=feedback_id, language=language, text=redaction.text, pii_counts=redaction.counts(),
        brands=sorted({handle for *_, handle in doc._.brands}),
    )
    for sent in doc.sents:
        start, end = redaction.to_redacted(sent.start_char), redaction.to_redacted(sent.end_char)
        text = redaction.text[start:end]
        stripped = text.strip()
        if not any(ch.isalnum() for ch in stripped):
            continue
        start += len(text) - len(text.lstrip())
        lemmas = [_lemma(t) for t in sent if _is_content(t) and not _inside(t, hidden)]
        phrases = tuple(p for s, e, p in doc._.key_phrases if sent.start_char <= s and e <= sent.end_char)
        rule_lemmas, rule_words = match_tokens(sent, doc._.pii)
        result.segments.append(Segment(len(result.segments), stripped, start, start + len(stripped),
                                       " ".join(lemmas), phrases, rule_lemmas, rule_words))
    return result


def match_tokens(tokens: Doc | Span, pii=()) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lowercase lemmas, lowercase words) of ``tokens`` without punctuation, spaces and function
    words that are stop words; a word the tagger is unsure of ("webchat") stays. Each stretch of
    personal data (``pii``: start, end, kind) becomes its placeholder, as in the redacted text.
    Enrichment stores them, so tagging needs no second pass of the language model."""
    lemmas: list[str] = []
    words: list[str] = []
    last_span = None
    for token in tokens:
        span = next((s for s in pii if token.idx < s[1] and s[0] < token.idx + len(token)), None)
        if span is not None:
            if span is not last_span:
                lemmas.append(placeholder(span[2]).lower())
                words.append(lemmas[-1])
            last_span = span
            continue
        if token.is_punct or token.is_space or (token.is_stop and token.pos_ in FUNCTION_POS):
            continue
        lemmas.append(_lemma(token))
        words.append(token.lower_)
    return tuple(lemmas), tuple(words)


def _is_content(token) -> bool:
    if token.is_stop or token.is_punct or token.is_space or token.like_num:
        return False
    return token.is_alpha and (len(token) > 1 or not token.text.isascii())


def _lemma(token) -> str:
    return (token.lemma_ or token.text).lower()


def _inside(token, hidden: list[tuple[int, int]]) -> bool:
    return any(token.idx < e and s < token.idx + len(token) for s, e in hidden)


def count_kinds(items: list[EnrichedFeedback]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for item in items:
        total.update(item.pii_counts)
    return dict(total)
