"""The embedding cache: each distinct segment text (and long feedback's whole text) is embedded
once per model.

A text the model fails on is found by halving the batch it failed in and set aside in
``quarantine`` (step ``embed``, ``sql/set_aside.sql``, stored by ``vocmine.store.quarantine``);
the rest of the night is embedded.

Vectors live in DuckDB next to the segments (``embeddings``), keyed by model and the md5
of the text, so a rebuild of enrichment that reproduces a text, a refit of themes, or a
nightly run never pays for an embedding twice; only texts never seen are encoded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import duckdb
import numpy as np
import pyarrow as pa

from vocmine.config.embedding import EmbeddingConfig
from vocmine.embed.backends import EmbeddingBackend, load_backend
from vocmine.parallel import IN_PROCESS, BatchRunner, ModelUnavailable, isolate_failures, worker_model
from vocmine.store import quarantine
from vocmine.store.runs import finish_run, start_run
from vocmine.store.sqlfiles import fetch_arrow
from vocmine.store.tx import registered, transaction

BATCH = 2048
# Texts set aside for this model (sql/set_aside.sql) while quarantine keeps them: not tried again.
_NOT_SET_ASIDE = """
    md5({text}) NOT IN (
        SELECT md5(q.raw) FROM quarantine q
        WHERE q.step = 'embed' AND q.raw IS NOT NULL AND starts_with(q.reason, 'embedding by ' || $model || ' failed'))
"""


def embed_segments(
    con: duckdb.DuckDBPyConnection,
    backend: EmbeddingBackend | str,
    *,
    on_batch: Callable[[int, int], None] | None = None,
    runner: BatchRunner = IN_PROCESS,
    encode: Callable[[list[str]], np.ndarray] | None = None,
) -> int:
    """Embed every segment text not cached for this backend; returns how many were new.

    ``backend`` is a loaded backend, or only its cache key when ``encode`` (e.g.
    ``partial(encode_batch, config)`` for a remote ``runner``) does the encoding elsewhere."""
    model = backend if isinstance(backend, str) else backend.name
    missing = con.execute("""
        SELECT DISTINCT md5(s.text) AS text_hash, s.text
        FROM segments s
        WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model = $model AND e.text_hash = md5(s.text))
          AND """ + _NOT_SET_ASIDE.format(text="s.text") + """
        ORDER BY text_hash
    """, {"model": model}).fetchall()
    return _embed_missing(con, backend, missing, on_batch, runner, encode, whole_text=False)


def embed_long_feedback(
    con: duckdb.DuckDBPyConnection,
    backend: EmbeddingBackend | str,
    min_segments: int,
    *,
    runner: BatchRunner = IN_PROCESS,
    encode: Callable[[list[str]], np.ndarray] | None = None,
) -> int:
    """Embed the whole (redacted) text of every feedback with at least ``min_segments``
    segments that are not boilerplate; returns how many texts were new.

    A long complaint is mostly narrative ("I called them again"): what it is about shows in
    the whole text better than in any one sentence, so the theme step places long feedback by
    its whole text (``vocmine.themes.cases``). Short feedback is its segments and costs nothing
    here. Texts longer than the model reads are cut by the model (MiniLM: 256 word pieces)."""
    model = backend if isinstance(backend, str) else backend.name
    missing = con.execute("""
        WITH long AS (
            SELECT feedback_id FROM segments
            WHERE segment_id NOT IN (SELECT segment_id FROM segment_boilerplate)
            GROUP BY feedback_id HAVING count(*) >= $min_segments
        )
        SELECT DISTINCT md5(f.text) AS text_hash, f.text
        FROM feedback f JOIN long USING (feedback_id)
        WHERE f.text IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model = $model AND e.text_hash = md5(f.text))
          AND """ + _NOT_SET_ASIDE.format(text="f.text") + """
        ORDER BY text_hash
    """, {"model": model, "min_segments": min_segments}).fetchall()
    return _embed_missing(con, backend, missing, None, runner, encode, whole_text=True)


def _embed_missing(con, backend: EmbeddingBackend | str, missing: list[tuple[str, str]],
                   on_batch: Callable[[int, int], None] | None, runner: BatchRunner,
                   encode: Callable[[list[str]], np.ndarray] | None, *, whole_text: bool) -> int:
    """Encode ``(text_hash, text)`` rows in batches into the cache, logged as one embed run; a
    text the model fails on is set aside (``whole_text``: it is a feedback's, not a segment's)."""
    model = backend if isinstance(backend, str) else backend.name
    encode = encode or backend.encode  # type: ignore[union-attr]
    run_id = start_run(con, "embed")
    batches = [missing[start:start + BATCH] for start in range(0, len(missing), BATCH)]
    done, set_aside = 0, 0
    if on_batch and missing:
        on_batch(0, len(missing))  # the total at once: a log tells how much is ahead before the first batch
    try:
        if not whole_text:  # new segments with a text that failed before: set aside without trying
            with transaction(con):
                again = fetch_arrow(con, "vocmine.embed", "set_aside_again.sql", {"model": model})
                quarantine.set_aside(con, "embed", run_id, again)
        for isolated in runner.map(partial(isolate_failures, partial(encode_rows, encode)), batches):
            for rows, vectors in isolated.done:
                _store(con, model, run_id, rows, vectors)
            if isolated.failed:
                _set_aside(con, model, run_id, isolated.failed, whole_text)
            done += sum(len(rows) for rows, _ in isolated.done)
            set_aside += len(isolated.failed)
            if on_batch:
                on_batch(done + set_aside, len(missing))
    except BaseException as exc:
        finish_run(con, run_id, counts={"model": model, "embedded": done, "set_aside": set_aside}, error=repr(exc))
        raise
    # segments set aside: those of the texts that failed now and of those that failed before
    finish_run(con, run_id, counts={"model": model, "embedded": done, "set_aside": _set_aside_in(con, run_id)})
    return done


def _set_aside_in(con, run_id: str) -> int:
    return con.execute("SELECT count(*) FROM quarantine WHERE run_id = ?", [run_id]).fetchone()[0]


def encode_rows(encode: Callable[[list[str]], np.ndarray], rows: list[tuple[str, str]]) -> np.ndarray:
    """The vectors of ``(text_hash, text)`` rows: the unit ``isolate_failures`` halves."""
    return encode([text for _, text in rows])


def _store(con, model: str, run_id: str, rows: list[tuple[str, str]], vectors: np.ndarray) -> None:
    new_vectors = pa.table({  # noqa: F841 - read by name below
        "text_hash": [h for h, _ in rows],
        "vector": pa.array(list(vectors), type=pa.list_(pa.float32())),
    })
    con.execute("INSERT INTO embeddings SELECT $model, text_hash, vector, $run_id FROM new_vectors",
                {"model": model, "run_id": run_id})


def _set_aside(con, model: str, run_id: str, failed: list[tuple[tuple[str, str], str]], whole_text: bool) -> None:
    batch_failed = pa.table({"text_hash": [row[0] for row, _ in failed], "reason": [reason for _, reason in failed]})
    with registered(con, batch_failed=batch_failed), transaction(con):
        failing = fetch_arrow(con, "vocmine.embed", "set_aside.sql", {"model": model, "whole_text": whole_text})
        quarantine.set_aside(con, "embed", run_id, failing)


def encode_batch(config: EmbeddingConfig, texts: list[str]) -> np.ndarray:
    """One batch on a worker: the configured model is loaded once per worker process."""
    backend = worker_model(("embedding", config.backend, config.threads), partial(load_or_unavailable, config))
    return backend.encode(texts)


def load_or_unavailable(config: EmbeddingConfig) -> EmbeddingBackend:
    """The configured backend; a backend that does not load is no text's fault (``ModelUnavailable``),
    so the embed step fails instead of setting texts aside."""
    try:
        return load_backend(config.backend, threads=config.threads)
    except Exception as exc:
        raise ModelUnavailable(f"embedding.backend {config.backend!r} does not load: {exc}") from exc


def feedback_embeddings(
    con: duckdb.DuckDBPyConnection, model: str, feedback_ids: list[str]
) -> tuple[list[str], np.ndarray]:
    """(feedback ids, matrix) of cached whole-text embeddings (``embed_long_feedback``), in
    feedback_id order; feedback whose text is not cached is left out."""
    table = con.sql("""
        SELECT f.feedback_id, e.vector
        FROM feedback f JOIN embeddings e ON e.model = $model AND e.text_hash = md5(f.text)
        WHERE f.feedback_id IN (SELECT unnest($ids))
        ORDER BY f.feedback_id
    """, params={"model": model, "ids": feedback_ids}).to_arrow_table()
    ids = table.column("feedback_id").to_pylist()
    if not ids:
        return [], np.zeros((0, 0), dtype=np.float32)
    flat = table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
    return ids, flat.astype(np.float32).reshape(len(ids), -1)


def segment_embeddings(
    con: duckdb.DuckDBPyConnection, model: str, segment_ids: list[str] | None = None
) -> tuple[list[str], np.ndarray]:
    """(segment ids, matrix) for cached segments, in segment_id order."""
    query = """
        SELECT s.segment_id, e.vector
        FROM segments s JOIN embeddings e ON e.model = $model AND e.text_hash = md5(s.text)
    """
    params: dict[str, object] = {"model": model}
    if segment_ids is not None:
        query += " WHERE s.segment_id IN (SELECT unnest($ids))"
        params["ids"] = segment_ids
    table = con.sql(query + " ORDER BY s.segment_id", params=params).to_arrow_table()
    ids = table.column("segment_id").to_pylist()
    if not ids:
        return [], np.zeros((0, 0), dtype=np.float32)
    flat = table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
    return ids, flat.astype(np.float32).reshape(len(ids), -1)
