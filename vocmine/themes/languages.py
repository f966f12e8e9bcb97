"""Aligning languages before themes are fitted: opt in when a store's languages share one business.

A multilingual model puts a text in Polish and its English translation close, but not together:
every language sits a little apart, so vocmine's themes split by language first (the same
request in English and Chinese shares a theme 0.03-0.10 of the time). Moving each language
onto a common centre fixes that where customers write about the same products in several
languages, and puts businesses together where each language is its own business (Polish
product reviews beside Ukrainian public services: Polish domain purity 0.00-0.40 against
1.00). No statistic of a store's own vectors tells the two kinds apart (docs/languages.md,
"Tried, not adopted: a gate that aligns only languages sharing one business"), so it is a
setting, ``[themes] align_languages``, that the company which knows its customers chooses:

- ``"never"`` (default): vectors as the model gives them;
- ``"partial"``: each language moves only along its *language direction*, the offset of that
  language's taxonomy examples from the mean of the store's languages' examples (the journey
  taxonomy holds the same stages and touchpoints in en, zh, uk and pl). The component of the
  language's mean deviation from the store's mean along that direction is removed, so what
  lies in other directions (a domain of its own) stays. Measured on Home Assistant requests
  (one business, e5, seed 42): same-request pairs in one theme across languages 0.03-0.10 ->
  0.10-0.18; on real feedback with a business per language it keeps most of each domain
  (Polish purity 0.86-0.93, Ukrainian 0.97-1.00) but leaves 1-7 themes mixing domains
  (5.6-16.6% of feedback) where Polish products sit beside other businesses;
- ``"full"``: every language shifted onto the store's mean (across 0.12-0.21, but Polish
  purity 0.00-0.40 where the businesses differ).

A language with fewer than ``MIN_SEGMENTS`` segments is not moved (its mean is noise), and
under ``"partial"`` neither is one the taxonomy has no examples in. The shift is a constant
vector per language (``language_offsets``), kept with the fit so that nightly placement
moves new segments exactly as the fit moved its own (``apply_offsets``).

    offsets = language_offsets(vectors, languages, "partial", {"en": m_en, "pl": m_pl})
    moved = apply_offsets(vectors, languages, offsets)   # rows renormalised, float32
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np

from vocmine.embed.backends import normalise_rows

ALIGNMENTS = ("never", "partial", "full")
MIN_SEGMENTS = 50  # a language with fewer segments is not moved


def language_offsets(vectors: np.ndarray, languages: Iterable[str], how: str,
                     taxonomy_means: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """{language: the vector subtracted from its segments} (float64); empty for ``"never"``.

    ``taxonomy_means`` (``"partial"`` only): per language, the mean over the taxonomy's entries
    with examples in every language of the entry's mean vector in that language
    (``taxonomy_language_means``), from the same model as ``vectors``."""
    if how not in ALIGNMENTS:
        raise ValueError(f"themes.align_languages must be one of {', '.join(ALIGNMENTS)}, not {how!r}")
    languages = np.asarray(list(languages))
    if how == "never" or len(vectors) == 0:
        return {}
    if how == "partial" and not taxonomy_means:
        raise ValueError('themes.align_languages = "partial" needs the journey taxonomy\'s examples in the '
                         "store's model (none were given)")
    names, counts = np.unique(languages, return_counts=True)
    kept = [str(n) for n, c in zip(names, counts, strict=True)
            if c >= MIN_SEGMENTS and (how == "full" or str(n) in taxonomy_means)]
    if len(kept) < 2:  # one language (or none big enough) has nothing to be aligned with
        return {}
    centre = vectors[np.isin(languages, kept)].mean(axis=0, dtype=np.float64)
    offsets = {}
    if how == "partial":
        taxonomy_centre = np.mean([taxonomy_means[lang] for lang in kept], axis=0)
    for lang in kept:
        deviation = vectors[languages == lang].mean(axis=0, dtype=np.float64) - centre
        if how == "partial":
            direction = taxonomy_means[lang] - taxonomy_centre
            direction = direction / np.linalg.norm(direction)
            deviation = (deviation @ direction) * direction
        offsets[lang] = deviation
    return offsets


def apply_offsets(vectors: np.ndarray, languages: Iterable[str], offsets: Mapping[str, np.ndarray]) -> np.ndarray:
    """``vectors`` with each language's offset subtracted, rows renormalised (float32); languages
    without an offset (too few segments at the fit, or new since) stay where they are."""
    if not offsets or len(vectors) == 0:
        return vectors
    languages = np.asarray(list(languages))
    out = vectors.astype(np.float64)  # a copy: the caller's vectors are not changed
    for lang, offset in offsets.items():
        out[languages == lang] -= offset
    return normalise_rows(out)


def align_languages(vectors: np.ndarray, languages: Iterable[str], how: str,
                    taxonomy_means: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """The vectors moved as ``how`` says (``language_offsets`` then ``apply_offsets``)."""
    languages = list(languages)
    return apply_offsets(vectors, languages, language_offsets(vectors, languages, how, taxonomy_means))


def taxonomy_phrases(taxonomy) -> list[dict[str, list[str]]]:
    """Per stage and touchpoint of a journey taxonomy (vocmine.journey.taxonomy, read through
    its loader by the caller), {language: its phrases}: English its description and examples,
    another language its examples in that language."""
    return [{"en": [entry.description, *entry.examples]}
            | {lang: list(words.examples) for lang, words in entry.languages.items()}
            for entry in (*taxonomy.stages, *taxonomy.touchpoints)]


def shared_entries(entries: list[Mapping[str, list[str]]]) -> tuple[list[str], list[Mapping[str, list[str]]]]:
    """(every language any entry has phrases in, the entries with phrases in all of them)."""
    everywhere = sorted({lang for entry in entries for lang, phrases in entry.items() if phrases})
    return everywhere, [entry for entry in entries if all(entry.get(lang) for lang in everywhere)]


def taxonomy_language_means(entries: list[Mapping[str, list[str]]],
                            encode: Callable[[list[str]], np.ndarray]) -> dict[str, np.ndarray]:
    """{language: mean over ``entries`` of the entry's mean vector in that language} (float64).

    ``entries``: per taxonomy stage or touchpoint, {language: its phrases in it}; only entries
    with phrases in every language that any entry has are used, so each language's mean is over
    the same stages and touchpoints and their difference is language, not subject. ``encode``:
    the store's model (all phrases in one call, so a cache such as ``phrase_vectors`` serves)."""
    everywhere, shared = shared_entries(entries)
    if not shared:
        return {}
    texts = [text for entry in shared for lang in everywhere for text in entry[lang]]
    v = np.asarray(encode(texts), dtype=np.float64)
    means: dict[str, list[np.ndarray]] = {lang: [] for lang in everywhere}
    start = 0
    for entry in shared:
        for lang in everywhere:
            means[lang].append(v[start:start + len(entry[lang])].mean(axis=0))
            start += len(entry[lang])
    return {lang: np.mean(np.vstack(rows), axis=0) for lang, rows in means.items()}


__all__ = ["ALIGNMENTS", "MIN_SEGMENTS", "align_languages", "apply_offsets", "language_offsets", "shared_entries",
           "taxonomy_language_means", "taxonomy_phrases"]
