"""Zero-shot tagging: how close a segment is to each stage's and touchpoint's own words.

Each stage (touchpoint) is represented by the embeddings of its description and examples;
a segment's score for it is the best cosine to any of them, so a stage with varied examples
("my card never arrived", "the engineer did not turn up") covers each of its sub-topics
instead of one blurred average. The tagger reads those cosines on MiniLM's scale
(``similarity``; the backend calibrated on the same phrases, ``calibration.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vocmine.embed.backends import EmbeddingBackend
from vocmine.embed.phrases import phrase_vectors
from vocmine.journey.calibration import backend_calibration, language_calibration


class Prototypes:
    def __init__(self, items: list[tuple[str, list[str]]], backend: EmbeddingBackend,
                 cache: Path | None = None, languages: list[list[str | None]] | None = None,
                 kind: str = "stages") -> None:
        """items: (id, [description, example, ...]) in taxonomy order; ``cache``: a folder where the
        phrases' vectors are kept between nights (see ``phrase_vectors``); ``languages``: per item, the
        language of each phrase (None: the taxonomy's own, the description and examples; "zh" for an
        example of ``[stages.languages.zh]``), which calibrate the backend (``calibration.py``), by
        default all in the taxonomy's own; ``kind``: "stages" or "touchpoints", the list whose
        reference scale they are mapped onto."""
        self.ids = [item_id for item_id, _ in items]
        texts = [text for _, phrases in items for text in phrases]
        self.owner = np.array([i for i, (_, phrases) in enumerate(items) for _ in phrases], dtype=int)
        if languages is None:
            languages = [[None] * len(phrases) for _, phrases in items]
        self.language = np.array([language or "" for per_item in languages for language in per_item], dtype=object)
        self.vectors = phrase_vectors(backend, texts, cache) if texts else np.zeros((0, 0), dtype=np.float32)
        own = self.language == ""
        self.calibration = backend_calibration(backend.name, self.vectors[own] if texts else self.vectors,
                                               self.owner[own], kind)
        self.calibrations = {
            language: language_calibration(self.calibration, self.vectors[self.language == language],
                                           self.owner[self.language == language], self.vectors, self.owner)
            for language in sorted(set(self.language.tolist()) - {""})}

    def similarity(self, vectors: np.ndarray, languages: Sequence[str | None] | None = None) -> np.ndarray:
        """segments x items: ``scores`` on MiniLM's scale (``calibration.py``), what the thresholds read;
        a segment in a language the taxonomy has examples in (``languages``: each segment's) by that
        language's calibration."""
        scores = self.scores(vectors)
        calibrated = self.calibration.apply(scores)
        if calibrated is scores or not languages:
            return calibrated
        by_language = np.array([base_language(language) for language in languages], dtype=object)
        for language, calibration in self.calibrations.items():
            rows = by_language == language
            if rows.any() and calibration is not self.calibration:
                calibrated[rows] = calibration.apply(scores[rows])
        return calibrated

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """segments x items: the best cosine of each segment to each item's phrases."""
        result = np.full((len(vectors), len(self.ids)), -1.0, dtype=np.float32)
        if len(vectors) == 0 or len(self.owner) == 0:
            return result
        # in float64: a float32 product's last bits depend on how BLAS splits the work (threads,
        # batch shape), and the stored cosines must not differ between a run alone and on a cluster
        similarity = vectors.astype(np.float64) @ self.vectors.T.astype(np.float64)
        for index in range(len(self.ids)):
            columns = self.owner == index
            if columns.any():
                result[:, index] = similarity[:, columns].max(axis=1)
        return result


def base_language(language: str | None) -> str:
    """"zh" for "zh", "zh-CN" or "zh_Hans"; "" for none."""
    return (language or "").strip().lower().replace("_", "-").split("-")[0]


__all__ = ["Prototypes", "base_language"]
