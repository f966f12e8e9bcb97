"""Zero-shot tagging: how close a segment is to each stage's and touchpoint's own words.

Each stage (touchpoint) is represented by the embeddings of its description and examples;
a segment's score for it is the best cosine to any of them, so a stage with varied examples
("my card never arrived", "the engineer did not turn up") covers each of its sub-topics
instead of one blurred average.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vocmine.embed.backends import EmbeddingBackend
from vocmine.embed.phrases import phrase_vectors


class Prototypes:
    def __init__(self, items: list[tuple[str, list[str]]], backend: EmbeddingBackend,
                 cache: Path | None = None) -> None:
        """items: (id, [description, example, ...]) in taxonomy order; ``cache``: a folder where the
        phrases' vectors are kept between nights (see ``phrase_vectors``)."""
        self.ids = [item_id for item_id, _ in items]
        texts = [text for _, phrases in items for text in phrases]
        self.owner = np.array([i for i, (_, phrases) in enumerate(items) for _ in phrases])
        self.vectors = phrase_vectors(backend, texts, cache) if texts else np.zeros((0, 0), dtype=np.float32)

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


__all__ = ["Prototypes"]
