"""Language-neutral vectors: each language's segments moved onto the store's common centre.

Multilingual encoders place every text of a language a little off in the same direction (a
per-language offset; Libovický et al. 2020, "On the language neutrality of pre-trained
multilingual representations": subtracting each language's mean vector makes translations
each other's nearest neighbours far more often). Clustering then tends to split by language
before it splits by subject, so the same complaint in Chinese and in Ukrainian lands in two
themes. Moving each language's vectors by (mean of all segments - mean of its segments)
removes that offset and keeps everything else: a store in one language is not moved at all.

A language with fewer than ``min_segments`` segments is left where it is: its mean would be
the mean of a few subjects, not of the language, and moving it would mostly move those.

    >>> v = np.array([[1.0, 0.1], [1.0, -0.1], [0.1, 1.0], [-0.1, 1.0]])
    >>> shifts = language_shifts(v, ["zh", "zh", "uk", "uk"], min_segments=2)
    >>> moved = shift_vectors(v, ["zh", "zh", "uk", "uk"], shifts)
    >>> bool(np.allclose(moved[0], moved[2], atol=0.2))
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from vocmine.embed.backends import normalise_rows


def language_shifts(vectors: np.ndarray, languages: Sequence[str], min_segments: int,
                    keep_centre: bool = True) -> dict[str, np.ndarray]:
    """{language: vector to add to its segments} for every language with ``min_segments`` or
    more segments, when the store holds two or more such languages; otherwise nothing to move.

    ``keep_centre``: each language is moved onto the mean of all segments, so cosines keep the
    scale the similarity floors were set on; without it each language's mean is only
    subtracted (Libovický et al.'s centring), which also removes what all segments share and
    spreads cosines out."""
    languages = np.asarray(languages)
    names, counts = np.unique(languages, return_counts=True)
    kept = [str(n) for n, c in zip(names, counts, strict=True) if c >= min_segments]
    if len(kept) < 2:
        return {}
    overall = vectors.mean(axis=0, dtype=np.float64) if keep_centre else np.zeros(vectors.shape[1])
    return {name: (overall - vectors[languages == name].mean(axis=0, dtype=np.float64)).astype(np.float32)
            for name in kept}


def shift_vectors(vectors: np.ndarray, languages: Sequence[str], shifts: Mapping[str, np.ndarray]) -> np.ndarray:
    """``vectors`` with each row moved by its language's shift and L2-normalised again; rows of a
    language without a shift (too few segments at the fit, or new since) stay as they are."""
    if not shifts or not len(vectors):
        return vectors
    moved = np.array(vectors, dtype=np.float32, copy=True)
    languages = np.asarray(languages)
    for name, shift in shifts.items():
        rows = languages == name
        if rows.any():
            moved[rows] = normalise_rows(moved[rows] + shift)
    return moved


__all__ = ["language_shifts", "shift_vectors"]
