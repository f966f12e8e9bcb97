"""Matching a refit's themes to the themes analysts already know, so IDs survive refits.

A refit produces new clusters in an arbitrary order. Each new theme is paired with at most
one existing theme (one-to-one, maximising total centroid similarity: the Hungarian
algorithm), and only when they are similar enough to be "the same theme"; an unpaired new
theme is genuinely new, an unpaired old one has gone (retired, or absorbed by a neighbour).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Matching:
    pairs: dict[int, int]  # new theme index -> existing theme id
    new: list[int]  # new theme indexes with no existing counterpart
    gone: list[int]  # existing theme ids nothing matched
    similarity: dict[int, float]  # new theme index -> similarity to its match


def match_themes(
    existing_ids: list[int], existing_centroids: np.ndarray, new_centroids: np.ndarray, min_similarity: float = 0.8
) -> Matching:
    """Pair new centroids with existing ones (rows L2-normalised) one to one.

    >>> m = match_themes([7, 9], np.eye(2, dtype=np.float32), np.array([[0, 1], [1, 0]], dtype=np.float32))
    >>> m.pairs
    {0: 9, 1: 7}
    """
    if len(existing_ids) == 0 or len(new_centroids) == 0:
        return Matching({}, list(range(len(new_centroids))), list(existing_ids), {})
    similarity = new_centroids @ existing_centroids.T
    rows, cols = linear_sum_assignment(-similarity)
    pairs, scores = {}, {}
    for row, col in zip(rows, cols, strict=True):
        if similarity[row, col] >= min_similarity:
            pairs[int(row)] = int(existing_ids[col])
            scores[int(row)] = float(similarity[row, col])
    matched = set(pairs.values())
    return Matching(
        pairs=pairs,
        new=[i for i in range(len(new_centroids)) if i not in pairs],
        gone=[t for t in existing_ids if t not in matched],
        similarity=scores,
    )
