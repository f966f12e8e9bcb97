"""Batches computed elsewhere are stored here exactly as a run in one process stores them."""

from __future__ import annotations

import csv
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial

import pytest
from support.paths import ROOT

from vocmine.config import EmbeddingConfig, NlpConfig, SourceConfig
from vocmine.embed import cache, embed_segments, load_backend
from vocmine.embed.cache import encode_batch
from vocmine.ingest import ingest_files
from vocmine.nlp.enrich import Pipelines, enrich, enrich_batch
from vocmine.parallel import (
    FAILING_IN_A_ROW,
    ExecutorBatches,
    ModelUnavailable,
    batch_name,
    in_order,
    isolate_failures,
)
from vocmine.store import connect

CONFIG = NlpConfig(batch_size=40, brand_handles=["BrightlineHelp"])
NOTES = SourceConfig(kind="call_note", columns={"id": "note_id", "text": "notes", "received_at": "created_at",
                                                 "channel": "channel"})
SEGMENT_COLUMNS = "segment_id, feedback_id, position, text, language, sentiment, start_char, end_char, lemmas, key_phrases"


def _store(folder, name, notes: int = 400):
    """The demo's first call notes (many batches of 40) in a new store."""
    with (ROOT / "data" / "demo" / "call_notes.csv").open(encoding="utf-8", errors="surrogateescape",
                                                         newline="") as handle:
        rows = list(csv.reader(handle))[:notes + 1]
    path = folder / "call_notes.csv"
    with path.open("w", encoding="utf-8", errors="surrogateescape", newline="") as out:
        csv.writer(out).writerows(rows)
    con = connect(folder / f"{name}.duckdb")
    ingest_files(con, [path], "notes", NOTES)
    return con


def _tables(con) -> tuple[list, list]:
    segments = con.execute(f"SELECT {SEGMENT_COLUMNS} FROM segments ORDER BY segment_id").fetchall()
    feedback = con.execute("SELECT feedback_id, text, language FROM feedback ORDER BY feedback_id").fetchall()
    return segments, feedback


def test_parallel_in_order_yields_in_submission_order_with_a_bounded_window():
    pending, most = [], 0

    def submit(batch):
        nonlocal most
        pending.append(batch)
        most = max(most, len(pending))
        return batch

    def result(batch):
        pending.remove(batch)
        return batch * 10

    assert list(in_order(submit, result, iter(range(7)), in_flight=3)) == [0, 10, 20, 30, 40, 50, 60]
    assert most == 3 and not pending


def test_parallel_executor_results_come_back_in_batch_order_whatever_finishes_first():
    finished = []
    gate = threading.Event()

    def slow_first(batch):
        if batch == 0:
            gate.wait(5)  # batch 0 finishes after batch 1
        finished.append(batch)
        if batch == 1:
            gate.set()
        return batch

    with ThreadPoolExecutor(2) as pool:
        assert list(ExecutorBatches(pool, in_flight=2).map(slow_first, range(4))) == [0, 1, 2, 3]
    assert finished[:2] == [1, 0]


def test_parallel_enrichment_on_worker_threads_stores_what_one_process_stores(tmp_path):
    alone, spread = _store(tmp_path, "alone", 240), _store(tmp_path, "spread", 240)
    enrich(alone, CONFIG, pipelines=Pipelines(CONFIG))
    with ThreadPoolExecutor(2) as pool:
        result = enrich(spread, CONFIG, runner=ExecutorBatches(pool, in_flight=3))
    assert result.feedback > 5 * CONFIG.batch_size  # many batches, several in flight
    assert _tables(spread) == _tables(alone)


@pytest.mark.slow
def test_parallel_worker_processes_enrich_and_embed_exactly_as_one_process(tmp_path, monkeypatch):
    """Process workers get only picklable functions and load their own models."""
    monkeypatch.setattr(cache, "BATCH", 100)
    alone, spread = _store(tmp_path, "alone"), _store(tmp_path, "spread")
    embedding = EmbeddingConfig(backend="static")
    backend = load_backend("static")
    enrich(alone, CONFIG, pipelines=Pipelines(CONFIG))
    embed_segments(alone, backend)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        runner = ExecutorBatches(pool)
        enrich(spread, CONFIG, runner=runner)
        new = embed_segments(spread, backend.name, runner=runner, encode=partial(encode_batch, embedding))
    assert new > 3 * cache.BATCH
    assert _tables(spread) == _tables(alone)
    vectors = "SELECT model, text_hash, vector FROM embeddings ORDER BY text_hash"
    assert spread.execute(vectors).fetchall() == alone.execute(vectors).fetchall()


def _fails_on(bad: set[str], items: list[str]) -> list[str]:
    if bad & set(items):
        raise ValueError("bad text\nsecond line")
    return [x.upper() for x in items]


def test_parallel_isolate_failures_halves_down_to_the_bad_items():
    isolated = isolate_failures(partial(_fails_on, {"b", "f"}), list("abcdefg"))
    assert [x for part, _ in isolated.done for x in part] == list("acdeg")
    assert [x for _, result in isolated.done for x in result] == list("ACDEG")
    assert isolated.failed == [("b", "ValueError: bad text"), ("f", "ValueError: bad text")]


def test_parallel_isolate_failures_two_bad_items_side_by_side_are_not_a_broken_model():
    isolated = isolate_failures(partial(_fails_on, {"c", "d"}), list("abcdefgh"))
    assert [x for part, _ in isolated.done for x in part] == list("abefgh")
    assert [x for x, _ in isolated.failed] == ["c", "d"]


def test_parallel_isolate_failures_a_batch_that_goes_through_is_one_part():
    isolated = isolate_failures(partial(_fails_on, set()), list("abc"))
    assert isolated.done == [(list("abc"), list("ABC"))] and isolated.failed == []


def test_parallel_isolate_failures_every_item_failing_fails_the_step():
    calls = []

    def down(items):
        calls.append(len(items))
        raise ValueError("disk gone")

    with pytest.raises(ValueError, match="disk gone"):
        isolate_failures(down, ["a", "b"])
    calls.clear()
    with pytest.raises(ValueError, match="disk gone"):  # a broken model: the rest is not tried one by one
        isolate_failures(down, [str(i) for i in range(1000)])
    assert calls.count(1) == FAILING_IN_A_ROW


def test_parallel_isolate_failures_raises_a_model_that_does_not_load_at_once():
    calls = []

    def unavailable(items):
        calls.append(items)
        raise ModelUnavailable("no such model")

    with pytest.raises(ModelUnavailable):
        isolate_failures(unavailable, list("abcd"))
    assert len(calls) == 1


def test_parallel_batch_name_sees_through_the_wrappers():
    embedding = EmbeddingConfig(backend="static:potion-base-8M")
    assert batch_name(partial(isolate_failures, partial(cache.encode_rows, partial(encode_batch, embedding)))) == (
        "encode_batch")
    assert batch_name(partial(isolate_failures, partial(enrich_batch, CONFIG))) == "enrich_batch"
    assert batch_name(in_order) == "in_order"
