"""Which language each piece of feedback is in, so it gets the right pipeline and sentiment.

py3langid ships its model inside the package (no download) and, restricted to the
languages a company actually receives, is both faster and more accurate on short
feedback than open-set identification. When it is unsure (a two-word text), the
configured default language wins rather than a confident-looking guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier


@cache
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    unknown = sorted(set(languages) - set(identifier.nb_classes))
    if unknown:
        raise ValueError(f"language identification does not know {unknown}")
    identifier.set_languages(list(languages))
    return identifier


def identify_languages(
    texts: Sequence[str], languages: Sequence[str], default: str, min_confidence: float = 0.5
) -> list[str]:
    """An ISO 639-1 code per text, from ``languages``; ``default`` when confidence is low.

    >>> identify_languages(["Where is my card?", "Gdzie jest moja karta?"], ["en", "pl"], "en")
    ['en', 'pl']
    """
    if len(languages) == 1:
        return [languages[0]] * len(texts)
    identifier = _identifier(tuple(sorted(languages)))
    result = []
    for text in texts:
        language, confidence = identifier.classify(text)
        result.append(language if confidence >= min_confidence else default)
    return result
