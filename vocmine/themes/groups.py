"""Theme groups (level 1) as analysts read them: their centroids, keywords and keyword labels,
and whether a phrase is said across a group. The refit (``registry.py``) labels groups with
these; the groups themselves come from the fit (``discover._groups``)."""

from __future__ import annotations

import numpy as np

from vocmine.embed.backends import normalise_rows
from vocmine.themes.discover import OUTLIER
from vocmine.themes.label_words import distinct_keywords
from vocmine.themes.labels import LANGUAGE_SEPARATOR


def said_across(labels: list[str], texts: list[str], assignments: np.ndarray, groups: np.ndarray) -> list[bool]:
    """Whether customers say each group's phrase (``labels[g]``) in at least half of its themes
    (``groups``: the group of each theme; ``assignments``: the theme of each segment of ``texts``).

    A phrase said in one corner of a group names the group after a few of its themes: on
    food-delivery and hotel reviews the food group's best phrase, "送餐很快" (delivery was
    fast), is said in 4 of its 16 themes, while the hotel group's "不错的酒店" (a good hotel) is
    said in 6 of its 7. A group whose phrase is not said across it is named by the words its
    themes share (its keyword label) instead.

    >>> texts = ["Late  delivery again", "late delivery", "refund please", "wrong size"]
    >>> said_across(["late delivery"], texts, np.array([0, 0, 1, 2]), np.array([0, 0, 0]))
    [False]
    >>> said_across(["late delivery"], texts, np.array([0, 1, 1, 2]), np.array([0, 0, 0]))
    [True]
    """
    parts = [[" ".join(p.lower().split()) for p in label.split(LANGUAGE_SEPARATOR)] for label in labels]
    saying: list[set[int]] = [set() for _ in labels]
    for text, theme in zip(texts, assignments.tolist(), strict=True):
        if theme == OUTLIER:
            continue
        group = int(groups[theme])
        if theme not in saying[group] and any(p in " ".join(text.lower().split()) for p in parts[group]):
            saying[group].add(theme)
    themes = np.bincount(groups, minlength=len(labels))
    return [bool(2 * len(saying[g]) >= themes[g]) for g in range(len(labels))]


def centroids_of_groups(fit) -> np.ndarray:
    return normalise_rows(np.array([fit.centroids[fit.groups == g].mean(axis=0)
                                    for g in range(int(fit.groups.max()) + 1)]))


def group_keywords(fit, group: int) -> list[tuple[str, float]]:
    """Its themes' keywords, each theme's scores weighted by its share of the group's segments:
    the words of the group's bulk, not of its smallest theme."""
    sizes = np.bincount(fit.assignments[fit.assignments != OUTLIER], minlength=len(fit.groups)).astype(float)
    themes = np.flatnonzero(fit.groups == group)
    share = sizes[themes] / sizes[themes].sum() if sizes[themes].sum() else np.ones(len(themes))
    scores: dict[str, float] = {}
    for t, weight in zip(themes, share, strict=True):
        for word, score in fit.keywords[t]:
            scores[word] = scores.get(word, 0.0) + score * weight
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def group_label(fit, group: int) -> str:
    """A group's keyword label, for a group whose segments offer no phrase said across it:
    up to three keywords that each add a word ("早餐 · 价格", not "早餐 · 早餐 早餐")."""
    return " · ".join(w for w, _ in distinct_keywords(group_keywords(fit, group))[:3]) or f"group {group}"
