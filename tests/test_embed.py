"""Embedding backends and the cache; the cache logic runs on a fake backend (tests only)."""

from __future__ import annotations

import numpy as np
import pytest
from support.fakes import FailsOn, RandomTextBackend

from vocmine.embed import embed_segments, load_backend, segment_embeddings

MODEL_ERROR = "CUDA error: device-side assert triggered\nat line 2"  # as a model fails on one odd text


def _add_segments(con, rows: list[tuple[str, str]]) -> None:
    for segment_id, text in rows:
        con.execute(
            "INSERT INTO segments VALUES (?, 'f', 0, ?, 'en', NULL, 0, 1, '', [], 'v', 'r')", [segment_id, text])


def test_embed_cache_encodes_each_text_once(fresh_db):
    backend = RandomTextBackend()
    _add_segments(fresh_db, [("a-0", "late courier"), ("b-0", "late courier"), ("c-0", "refund missing")])
    assert embed_segments(fresh_db, backend) == 2
    assert sorted(backend.encoded) == ["late courier", "refund missing"]
    _add_segments(fresh_db, [("d-0", "refund missing"), ("e-0", "app crashes")])
    assert embed_segments(fresh_db, backend) == 1
    assert backend.encoded[-1] == "app crashes"
    assert embed_segments(fresh_db, backend) == 0


def test_embed_cache_returns_vectors_in_segment_order(fresh_db):
    backend = RandomTextBackend()
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
    first, second = RandomTextBackend(), RandomTextBackend()
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


def _add_feedback(con, rows: list[tuple[str, str, list[str]]]) -> None:
    """Feedback (id, file, segment texts) as ingest and enrichment would leave them."""
    for number, (feedback_id, file, texts) in enumerate(rows, start=1):
        con.execute("INSERT INTO feedback (feedback_id, source, kind, text, content_hash, dedup_key, file, row_number, "
                    "run_id, ingested_at) VALUES (?, 'notes', 'call_note', ?, ?, ?, ?, ?, 'r', now())",
                    [feedback_id, " ".join(texts), feedback_id, feedback_id, file, number])
        for position, text in enumerate(texts):
            con.execute("INSERT INTO segments VALUES (?, ?, ?, ?, 'en', NULL, 0, 1, '', [], 'v', 'r')",
                        [f"{feedback_id}-{position}", feedback_id, position, text])


def test_embed_sets_aside_the_segment_the_model_fails_on_and_embeds_the_rest(fresh_db):
    _add_feedback(fresh_db, [("f1", "a.csv", ["late courier", "odd \u202e text"]), ("f2", "a.csv", ["refund missing"]),
                             ("f3", "b.csv", ["app crashes", "card blocked"])])
    backend = FailsOn(RandomTextBackend(), "odd \u202e text", error=MODEL_ERROR)
    assert embed_segments(fresh_db, backend) == 4
    ids, _ = segment_embeddings(fresh_db, backend.name)
    assert ids == ["f1-0", "f2-0", "f3-0", "f3-1"]  # the feedback stays; only its bad segment has no vector
    rows = fresh_db.execute("SELECT step, feedback_id, file, row_number, reason, raw FROM quarantine").fetchall()
    reason = "embedding by fake:hash failed on segment f1-1: RuntimeError: CUDA error: device-side assert triggered"
    assert rows == [("embed", "f1", "a.csv", 1, reason, "odd \u202e text")]
    assert fresh_db.execute("SELECT count(*) FROM feedback").fetchone() == (3,)
    counts = fresh_db.execute("SELECT counts->>'set_aside' FROM runs WHERE kind = 'embed'").fetchone()
    assert counts == ("1",)
    backend.encoded.clear()
    assert embed_segments(fresh_db, backend) == 0 and backend.encoded == []  # not tried again the next night
    assert embed_segments(fresh_db, RandomTextBackend()) == 0  # the fake model name is the same: still set aside
    _add_feedback(fresh_db, [("f4", "c.csv", ["odd \u202e text", "new words"])])  # the same text in new feedback
    assert embed_segments(fresh_db, backend) == 1 and backend.encoded == ["new words"]
    assert fresh_db.execute("SELECT feedback_id, reason FROM quarantine WHERE feedback_id = 'f4'").fetchall() == [
        ("f4", "embedding by fake:hash failed on segment f4-0: the same text failed before")]
    assert fresh_db.execute("SELECT counts->>'set_aside' FROM runs WHERE kind = 'embed' ORDER BY started_at DESC "
                            "LIMIT 1").fetchone() == ("1",)
    assert embed_segments(fresh_db, backend) == 0
    assert fresh_db.execute("SELECT count(*) FROM quarantine").fetchone() == (2,)


def test_embed_sets_aside_a_long_feedbacks_whole_text_the_model_fails_on(fresh_db):
    from vocmine.embed.cache import embed_long_feedback

    _add_feedback(fresh_db, [("f1", "a.csv", ["late courier", "no call back"]), ("f2", "a.csv", ["refund", "missing"])])
    backend = FailsOn(RandomTextBackend(), "late courier no call back", error=MODEL_ERROR)
    assert embed_segments(fresh_db, backend) == 4
    assert embed_long_feedback(fresh_db, backend, min_segments=2) == 1
    reason = ("embedding by fake:hash failed on the whole text of feedback f1: RuntimeError: "
              "CUDA error: device-side assert triggered")
    assert fresh_db.execute("SELECT step, feedback_id, reason FROM quarantine").fetchall() == [("embed", "f1", reason)]
    assert embed_long_feedback(fresh_db, backend, min_segments=2) == 0


def test_embed_a_model_failing_on_every_text_fails_the_step(fresh_db):
    _add_feedback(fresh_db, [("f1", "a.csv", ["late courier", "refund missing", "app crashes"])])
    with pytest.raises(RuntimeError, match="CUDA error"):
        embed_segments(fresh_db, FailsOn(RandomTextBackend(), everything=True, error=MODEL_ERROR))
    assert fresh_db.execute("SELECT count(*) FROM quarantine").fetchone() == (0,)
    assert fresh_db.execute("SELECT status FROM runs WHERE kind = 'embed'").fetchone() == ("failed",)


def test_embed_static_model_is_found_without_the_checkout(tmp_path):
    """The static model is package data: a copy of the package with no ``models/`` folder beside
    it (what a pip install leaves) finds and loads it, with the same cache key as the checkout."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import vocmine
    from vocmine.embed.backends import backend_key

    site = tmp_path / "site-packages"
    shutil.copytree(Path(vocmine.__file__).parent, site / "vocmine", ignore=shutil.ignore_patterns("__pycache__"))
    script = ("import vocmine, vocmine.embed.backends as b; print(vocmine.__file__); print(b.backend_key('static')); "
              "print(b.load_backend('static').encode(['the courier was late']).shape)")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False,
                          env={**__import__("os").environ, "PYTHONPATH": str(site)})
    assert done.returncode == 0, done.stderr
    where, key, shape = done.stdout.split("\n")[:3]
    assert Path(where).is_relative_to(site) and not (tmp_path / "models").exists()
    assert key == backend_key("static") and shape == "(1, 256)"
