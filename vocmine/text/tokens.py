"""The words of a spaCy doc that rules match on, and the trained pipeline that reads them.

Enrichment stores each segment's words read this way (``nlp.segments``) and the journey rules
read their patterns and any segment enriched without them the same way (``journey.rules``): the
two steps must agree on what a word is, so both take it from here rather than one from the other.

- ``match_tokens``: lowercase lemmas and words without punctuation and function words
  ("closed my account" meets the pattern "close account"); personal data is its placeholder.
- ``load_trained`` and ``keep_placeholders``: a trained pipeline by name or path, with each
  ``[KIND]`` placeholder one token, so redacted text read again never spells the word "phone".

Example::

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> keep_placeholders(nlp)
    >>> [t.text for t in nlp("call [PHONE] now")]
    ['call', '[PHONE]', 'now']
"""

from __future__ import annotations

from collections.abc import Iterable

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc, Span

# The kinds of personal data redaction writes as placeholders (nlp.pii detects them); a
# configured pattern (`nlp.pii_patterns`) adds its own kind.
STANDARD_KINDS = ("EMAIL", "PHONE", "CARD", "IBAN", "SSN", "URL", "HANDLE", "PERSON", "ACCOUNT", "ADDRESS")
# Function words dropped before rule matching: "closed my account" meets "close account".
# Prepositions stay, so "on the phone" (the call centre) differs from "my phone" (the handset).
FUNCTION_POS = frozenset({"DET", "PRON", "AUX", "CCONJ", "SCONJ", "PART"})


def placeholder(kind: str) -> str:
    """``[KIND]``: no digits, '@' or '/', so no detector ever matches a placeholder (redaction is idempotent)."""
    return f"[{kind}]"


def keep_placeholders(nlp: Language, extra_kinds: Iterable[str] = ()) -> None:
    """Make each PII placeholder one token: redacted text is processed again (enrich --rebuild,
    tagging), and '[PHONE]' must not read as the word 'phone'."""
    if hasattr(nlp.tokenizer, "add_special_case"):  # the Chinese character tokenizer has none
        for kind in (*STANDARD_KINDS, *extra_kinds):
            nlp.tokenizer.add_special_case(placeholder(kind), [{ORTH: placeholder(kind)}])


def load_trained(model: str, exclude: tuple[str, ...] = ()) -> Language:
    """A trained spaCy pipeline by package name or path, or an error that says what to do."""
    try:
        return spacy.load(model, exclude=list(exclude))
    except (OSError, SystemExit) as exc:  # some spaCy paths exit the process instead of raising
        raise RuntimeError(f"nlp.model: spaCy pipeline {model!r} is not installed (pip install it, or set "
                           "nlp.model)") from exc


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
        lemmas.append(lemma(token))
        words.append(token.lower_)
    return tuple(lemmas), tuple(words)


def lemma(token) -> str:
    """The token's lemma in lower case, or its text where the pipeline has no lemmatizer."""
    return (token.lemma_ or token.text).lower()
