"""One scale of closeness for every embedding model: the taxonomy's own phrases calibrate it.

The thresholds of ``[journey]`` (``stage_min_similarity`` 0.35, ``touchpoint_min_similarity``
0.55, ``theme_weight`` 0.2, ``min_margin``) were tuned on MiniLM's cosines. Other models spread
their cosines very differently: multilingual-e5 (what ``auto`` picks for feedback that is not all
English) puts almost any two texts between 0.75 and 0.95, so "Дякую." ("thank you") is 0.91 from
the support stage and every segment clears 0.35, while a theme's nudge of 0.2 outweighs e5's
whole difference between two stages. A threshold means something only on the scale it was set on.

So each backend's cosines are mapped onto MiniLM's before any threshold is applied, by what the
backend itself says about the taxonomy's phrases (descriptions and examples in the entries' own
language, which every entry has), separately for the stages and the touchpoints:

- *unrelated*: the median, over every phrase and every *other* entry, of the phrase's best
  cosine to that entry's phrases: how close a text gets to an entry it does not belong to;
- *related*: the median, over every phrase, of its best cosine to the *other phrases of its own
  entry*: how close a text gets to an entry it belongs to.

Both are the statistic the tagger thresholds (a segment's best cosine to an entry's phrases),
measured where the answer is known. A cosine is placed where it stands between the backend's two
anchors and carried to the same place between MiniLM's (``REFERENCE``): an increasing affine map,
so the order of the entries for a segment never changes, differences (a margin, the theme's
nudge) are scaled with it, and MiniLM itself is left as it is (its cosines are the scale). Any
sentence-transformers model a user configures is calibrated the same way, on the user's own
taxonomy, with nothing to tune.

A multilingual model also sits higher in some languages than in others: on e5 a Chinese phrase
is 0.88 from an entry it does not belong to where an English one is 0.86, a difference worth
0.15 on MiniLM's scale, so short Chinese asides ("孩子七岁了，") cleared the floor. So for a language
the taxonomy has examples in (``[stages.languages.zh]``), the *unrelated* anchor is measured on
those examples (each one's best cosine to the other entries' phrases, in any language, as a
segment in that language is scored), and the map keeps the scale of the taxonomy's own language.

The themes' and assumptions' thresholds compare two texts, or a text and a theme, and are read
on ``vocmine.embed.scale`` (the rank among reference pairs' cosines) instead.

>>> Calibration(unrelated=0.86, related=0.88).apply(np.array([0.86, 0.88, 0.90])).round(3).tolist()
[0.29, 0.435, 0.58]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# MiniLM's anchors on the shipped taxonomy's descriptions and English examples, per list
# (tests/test_journey_calibration.py measures them again, slow): the scale the thresholds were tuned on.
REFERENCE = {"stages": (0.290, 0.435), "touchpoints": (0.251, 0.460)}
# Backends whose cosines are the reference scale itself: left as they are, bit for bit.
REFERENCE_BACKENDS = ("minilm:",)
# Anchors closer than this: the model tells an entry's own phrases from the others' no better than
# noise, and a map would blow the noise up; its cosines are left as they are.
MIN_GAP = 1e-3


@dataclass(frozen=True)
class Calibration:
    """An increasing affine map of one backend's cosines onto the reference scale, fixed by two anchors:
    ``unrelated`` goes to ``reference_unrelated`` and ``related`` to ``reference_related``."""

    unrelated: float = REFERENCE["stages"][0]
    related: float = REFERENCE["stages"][1]
    reference_unrelated: float = REFERENCE["stages"][0]
    reference_related: float = REFERENCE["stages"][1]

    @property
    def scale(self) -> float:
        """How many reference units one unit of this backend's cosine is worth."""
        gap = self.related - self.unrelated
        return (self.reference_related - self.reference_unrelated) / gap if gap >= MIN_GAP else 1.0

    @property
    def identity(self) -> bool:
        return self.related - self.unrelated < MIN_GAP or (
            (self.unrelated, self.related) == (self.reference_unrelated, self.reference_related))

    def apply(self, cosines: np.ndarray) -> np.ndarray:
        """Cosines on the reference scale, in their own dtype (they may leave [-1, 1]); the very same
        array when the map is the identity."""
        if self.identity:
            return cosines
        return (self.reference_unrelated + (cosines - self.unrelated) * self.scale).astype(cosines.dtype)


IDENTITY = Calibration()


# Examples a language needs in a list before its own unrelated anchor is measured (fewer: the
# taxonomy's own language's map is used for its segments too).
MIN_LANGUAGE_PHRASES = 8


def fit_calibration(vectors: np.ndarray, owner: np.ndarray, reference: tuple[float, float]) -> Calibration:
    """The anchors of one list of entries (the stages, or the touchpoints): ``vectors`` the
    L2-normalised vectors of their phrases, ``owner`` the index of the entry each phrase belongs to.
    Too few phrases to measure (fewer than two entries, no entry with two phrases): the identity."""
    identity = Calibration(*reference, *reference)
    if len(vectors) < 2 or len(np.unique(owner)) < 2:
        return identity
    unrelated, related = _best_cosines(vectors, owner, vectors, owner)
    if not len(related):
        return identity
    return Calibration(float(np.median(unrelated)), float(np.median(related)), *reference)


def language_calibration(base: Calibration, vectors: np.ndarray, owner: np.ndarray, phrases: np.ndarray,
                         phrase_owner: np.ndarray) -> Calibration:
    """``base`` moved to where a language's phrases (``vectors``, ``owner``) stand: their unrelated
    anchor measured against every phrase of the list (``phrases``, ``phrase_owner``), the gap between
    the anchors (the scale) kept from ``base``. ``base`` itself when there are too few to measure."""
    if base.identity or len(vectors) < MIN_LANGUAGE_PHRASES:
        return base
    unrelated, _ = _best_cosines(vectors, owner, phrases, phrase_owner)
    level = float(np.median(unrelated))
    return Calibration(level, level + (base.related - base.unrelated), base.reference_unrelated,
                       base.reference_related)


def _best_cosines(rows: np.ndarray, row_owner: np.ndarray, columns: np.ndarray, column_owner: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(unrelated, related): each row phrase's best cosine to every other entry's column phrases, and
    to its own entry's other column phrases (a phrase is not its own neighbour)."""
    similarity = rows.astype(np.float64) @ columns.T.astype(np.float64)
    similarity[np.isclose(similarity, 1.0, atol=1e-6)] = -np.inf  # the phrase itself (or its duplicate)
    unrelated, related = [], []
    for entry in np.unique(column_owner):
        best = similarity[:, column_owner == entry].max(axis=1)
        unrelated.append(best[row_owner != entry])
        related.append(best[(row_owner == entry) & np.isfinite(best)])  # an entry with one phrase has no pair
    return np.concatenate(unrelated), np.concatenate(related)


def backend_calibration(name: str, vectors: np.ndarray, owner: np.ndarray, kind: str) -> Calibration:
    """The calibration of backend ``name`` (its cache key) for the ``kind`` list (stages, touchpoints):
    none for the reference model, fitted on the phrases for any other."""
    reference = REFERENCE[kind]
    if name.startswith(REFERENCE_BACKENDS):
        return Calibration(*reference, *reference)
    return fit_calibration(vectors, owner, reference)


__all__ = ["IDENTITY", "REFERENCE", "Calibration", "backend_calibration", "fit_calibration", "language_calibration"]
