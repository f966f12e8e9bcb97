"""Embedding backends and the cache; the cache logic runs on a fake backend (tests only)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from vocmine.embed import embed_segments, load_backend, segment_embeddings


class FakeBackend:
    """Deterministic pseudo-random vectors per text, counting what it was asked to encode."""

    name = "fake:hash"
    dim = 8

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += texts
        rows = [np.random.default_rng(int(hashlib.md5(t.encode()).hexdigest()[:8], 16)).normal(size=self.dim)
                for t in texts]
        vectors = np.array(rows, dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _add_segments(con, rows: list[tuple[str, str]]) -> None:
    for segment_id, text in rows:
        con.execute(
            "INSERT INTO segments VALUES (?, 'f', 0, ?, 'en', NULL, 0, 1, '', [], 'v', 'r')", [segment_id, text])


def test_embed_cache_encodes_each_text_once(fresh_db):
    backend = FakeBackend()
    _add_segments(fresh_db, [("a-0", "late courier"), ("b-0", "late courier"), ("c-0", "refund missing")])
    assert embed_segments(fresh_db, backend) == 2
    assert sorted(backend.encoded) == ["late courier", "refund missing"]
    _add_segments(fresh_db, [("d-0", "refund missing"), ("e-0", "app crashes")])
    assert embed_segments(fresh_db, backend) == 1
    assert backend.encoded[-1] == "app crashes"
    assert embed_segments(fresh_db, backend) == 0


def test_embed_cache_returns_vectors_in_segment_order(fresh_db):
    backend = FakeBackend()
    _add_segments(fresh_db, [("b-0", "late courier"), ("a-0", "late courier"), ("c-0", "refund missing")])
    embed_segments(fresh_db, backend)
    ids, matrix = segment_embeddings(fresh_db, backend.name)
    assert ids == ["a-0", "b-0", "c-0"] and matrix.shape == (3, 8) and matrix.dtype == np.float32
    np.testing.assert_allclose(matrix[0], matrix[1])
    np.testing.assert_allclose(matrix[2], backend.encode(["refund missing"])[0], rtol=1e-6)
    ids, matrix = segment_embeddings(fresh_db, backend.name, ["c-0"])
    assert ids == ["c-0"] and matrix.shape == (1, 8)


def test_embed_cache_is_per_model(fresh_db):
    _add_segments(fresh_db, [("a-0", "late courier")])
    first, second = FakeBackend(), FakeBackend()
    second.name = "fake:other"
    assert embed_segments(fresh_db, first) == 1 and embed_segments(fresh_db, second) == 1
    assert segment_embeddings(fresh_db, "fake:none") == ([], pytest.approx(np.zeros((0, 0))))


@pytest.mark.slow
@pytest.mark.parametrize(("name", "dim"), [("minilm", 384), ("static", 256), ("multilingual", 512)])
def test_embed_real_backends_load_offline_and_normalise(name, dim):
    backend = load_backend(name)
    vectors = backend.encode(["the courier was late", "the parcel arrived late", "I love the new app"])
    assert vectors.shape == (3, dim) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, rtol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]  # similar complaints are closer
