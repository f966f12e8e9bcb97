"""Vectors of short fixed phrases (the taxonomy's, the cosine scale's reference), kept on disk.

The same model and phrases give the same vectors, so a night reads them back instead of
loading and running the model for them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import numpy as np

from vocmine.embed.backends import EmbeddingBackend

log = logging.getLogger(__name__)


def phrase_vectors(backend: EmbeddingBackend, texts: list[str], cache: Path | None = None) -> np.ndarray:
    """``backend.encode(texts)``, kept in ``cache`` under a hash of the model's versioned name and the
    texts. Why: every night embedded the taxonomy's ~350 phrases (descriptions and examples in four
    languages) again, about 7 CPU seconds with any of the built-in models, a quarter of a small
    night. The same model and phrases give the same vectors, so they are read back instead. A model
    whose name carries no version (``@``) is never cached: its vectors could change under one name."""
    if cache is None or "@" not in backend.name:
        return backend.encode(texts)
    key = hashlib.sha256("\x1f".join([backend.name, *texts]).encode("utf-8")).hexdigest()[:24]
    path = cache / f"phrases-{key}.npy"
    try:
        vectors = np.load(path, allow_pickle=False)
        if vectors.shape[0] == len(texts):
            return vectors
    except (OSError, ValueError):
        pass  # not written yet, or damaged: encode and write it again
    vectors = backend.encode(texts)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache, prefix=path.stem, suffix=".npy")
        with os.fdopen(handle, "wb") as out:
            np.save(out, vectors, allow_pickle=False)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("taxonomy phrase vectors cannot be kept in %s (%s): they are embedded every night", cache, exc)
    return vectors


__all__ = ["phrase_vectors"]
