"""Fake embedding backends, for unit tests only: deterministic, instant, and with a geometry a test
can reason about. The slow tests and every measurement use the real models.

A backend is anything with ``name`` and ``encode(texts) -> rows`` (L2-normalised float rows), like
``vocmine.embed.load_backend`` returns; ``FailsOn`` wraps one to fail the way a model may.
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

from vocmine.embed.backends import normalise_rows


class VocabularyBackend:
    """One dimension per word of ``vocabulary`` (found anywhere in the text), plus a trace of every
    dimension so that no row is zero: texts naming the same known words are the same vector.

    >>> VocabularyBackend(("bill", "refund")).encode(["my bill"]).round(3).tolist()
    [[1.0, 0.0]]
    """

    def __init__(self, vocabulary: tuple[str, ...], name: str = "words") -> None:
        self.vocabulary, self.name = vocabulary, name

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = np.array([[float(w in t.lower()) for w in self.vocabulary] for t in texts]) + 1e-6
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


class HashedWordsBackend:
    """The set of words (``words``, a pattern over the lower-cased text) hashed into ``dim``
    dimensions: texts sharing words are close, texts sharing none are orthogonal (a text with no
    word is a zero row). ``calls`` records every batch asked for."""

    def __init__(self, name: str = "fake:words", dim: int = 512, words: str = r"[a-z]{4,}") -> None:
        self.name, self.dim, self.words = name, dim, re.compile(words)
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in set(self.words.findall(text.lower())):
                vectors[row, int(hashlib.md5(word.encode()).hexdigest()[:6], 16) % self.dim] = 1
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


class CompressedBackend:
    """Another backend's vectors with one shared dimension added, so every cosine is squeezed high the
    way multilingual-e5's are: cosine ``shared + (1 - shared) * cosine`` (0.8 by default: texts with
    nothing in common are 0.8 apart, like "Дякую." and the support stage on e5).

    >>> late, weather = CompressedBackend(HashedWordsBackend()).encode(["late parcel", "nice weather"])
    >>> round(float(late @ weather), 3)
    0.8
    """

    def __init__(self, backend, shared: float = 0.8, name: str = "fake:compressed") -> None:
        self.backend, self.shared, self.name = backend, shared, name
        self.dim = getattr(backend, "dim", None)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.backend.encode(texts)
        extra = np.full((len(vectors), 1), np.sqrt(self.shared), dtype=vectors.dtype)
        return np.hstack([vectors * np.sqrt(1 - self.shared), extra]).astype(np.float32)


class RandomTextBackend:
    """A pseudo-random unit vector per distinct text (seeded by the text): the same text always gets
    the same vector, two texts are unrelated. ``encoded`` lists every text it was asked for."""

    def __init__(self, name: str = "fake:hash", dim: int = 8) -> None:
        self.name, self.dim = name, dim
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += texts
        rows = [np.random.default_rng(int(hashlib.md5(t.encode()).hexdigest()[:8], 16)).normal(size=self.dim)
                for t in texts]
        vectors = np.array(rows, dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def random_word_vectors(texts: list[str], dim: int = 64) -> np.ndarray:
    """Each text the sum of a random direction per word (seeded by the word, punctuation stripped):
    texts sharing most words are close. An ``encode`` function, not a backend."""
    rows = []
    for text in texts:
        vector = np.zeros(dim)
        for word in text.lower().split():
            vector += np.random.default_rng(zlib.crc32(word.strip(".,!?").encode())).standard_normal(dim)
        rows.append(vector)
    return normalise_rows(np.array(rows))


class FailsOn:
    """``backend`` that raises ``error`` on any batch holding one of ``bad`` (as a model may on one odd
    text), or on every batch while ``everything`` is set. ``encoded`` lists the texts it did encode;
    its name is the wrapped backend's, so what it set aside stays set aside for the same model."""

    def __init__(self, backend, *bad: str, error: str, everything: bool = False) -> None:
        self.backend, self.bad, self.error, self.everything = backend, set(bad), error, everything
        self.name = backend.name
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        if self.everything or self.bad & set(texts):
            raise RuntimeError(self.error)
        self.encoded += texts
        return self.backend.encode(texts)
