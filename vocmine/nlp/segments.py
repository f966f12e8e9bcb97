"""From a processed spaCy doc to what is stored: redacted text and its segments.

Everything leaving this module is redacted: segment text is cut from the redacted feedback
text (offsets point into it), and lemmas and key phrases skip tokens inside personal data
or brand handles, so neither names nor handles can drive a theme. The words the journey
rules read keep a placeholder where personal data was, so a pattern never spans it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from vocmine.nlp.pii import PiiSpan
from vocmine.nlp.redact import redact
from vocmine.text.tokens import lemma, match_tokens


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
        lemmas = [lemma(t) for t in sent if _is_content(t) and not _inside(t, hidden)]
        phrases = tuple(p for s, e, p in doc._.key_phrases if sent.start_char <= s and e <= sent.end_char)
        rule_lemmas, rule_words = match_tokens(sent, doc._.pii)
        result.segments.append(Segment(len(result.segments), stripped, start, start + len(stripped),
                                       " ".join(lemmas), phrases, rule_lemmas, rule_words))
    return result


def _is_content(token) -> bool:
    if token.is_stop or token.is_punct or token.is_space or token.like_num:
        return False
    return token.is_alpha and (len(token) > 1 or not token.text.isascii())


def _inside(token, hidden: list[tuple[int, int]]) -> bool:
    return any(token.idx < e and s < token.idx + len(token) for s, e in hidden)


def count_kinds(items: list[EnrichedFeedback]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for item in items:
        total.update(item.pii_counts)
    return dict(total)
