"""``vocmine enrich``: segment, redact and score feedback that has not been enriched yet.

Work is done in batches, each committed in one transaction together with its bookkeeping
row in ``feedback_enrichment``, so an interrupted run resumes where it stopped and a
finished one finds nothing to do. A feedback is enriched again when its content hash
changed or, on ``rebuild``, when it was enriched by another pipeline version.

Enrichment writes its own tables only. The redacted text goes to ``feedback`` and what it sets
aside to ``quarantine`` through their owners (``vocmine.store.feedback``, ``vocmine.store.quarantine``);
a segment whose text it changed is recorded in ``changed_segments``, and the theme and tag steps
drop their own rows of it (``docs/architecture.md``).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

import duckdb
import pyarrow as pa
from spacy.language import Language

from vocmine.config.nlp import NlpConfig
from vocmine.nlp.boilerplate import BoilerplateResult, mark_boilerplate, unflag_changed
from vocmine.nlp.language import identify_languages
from vocmine.nlp.pipeline import build_pipeline, pipeline_version
from vocmine.nlp.segments import EnrichedFeedback, enrich_doc
from vocmine.nlp.sentiment import method_for, score_segments
from vocmine.parallel import IN_PROCESS, BatchRunner, Isolated, ModelUnavailable, isolate_failures, worker_model
from vocmine.store.feedback import store_redacted, withdraw_feedback
from vocmine.store.quarantine import set_aside
from vocmine.store.runs import finish_run, start_run
from vocmine.store.sqlfiles import fetch_arrow, run_sql
from vocmine.store.tx import registered, transaction

SPACY_BATCH = 256


@dataclass
class EnrichResult:
    run_id: str
    pipeline_version: str
    feedback: int = 0
    segments: int = 0
    set_aside: list[tuple[str, str]] = field(default_factory=list)  # (feedback_id, error) moved to quarantine
    languages: Counter = field(default_factory=Counter)
    redacted: Counter = field(default_factory=Counter)
    outdated: int = 0  # enriched by another pipeline version and not rebuilt
    seconds: float = 0.0
    boilerplate: BoilerplateResult = field(default_factory=BoilerplateResult)

    def counts(self) -> dict[str, object]:
        return {"feedback": self.feedback, "segments": self.segments, "set_aside": len(self.set_aside),
                "outdated": self.outdated,
                "languages": dict(self.languages), "redacted": dict(self.redacted),
                "pipeline_version": self.pipeline_version, **self.boilerplate.counts()}


class Pipelines:
    """One spaCy pipeline per language, built on first use (loading a model takes seconds)."""

    def __init__(self, config: NlpConfig) -> None:
        self.config = config
        self._built: dict[str, Language] = {}

    def __getitem__(self, language: str) -> Language:
        if language not in self._built:
            try:
                self._built[language] = build_pipeline(language, self.config)
            except Exception as exc:
                raise ModelUnavailable(str(exc)) from exc
        return self._built[language]


def enrich(
    con: duckdb.DuckDBPyConnection,
    config: NlpConfig,
    *,
    rebuild: bool = False,
    pipelines: Pipelines | None = None,
    on_batch: Callable[[int, int], None] | None = None,
    runner: BatchRunner = IN_PROCESS,
) -> EnrichResult:
    """Enrich pending feedback; ``on_batch(done, total)`` reports progress. With a remote
    ``runner`` the spaCy work of each batch runs on its workers; the batches are stored here."""
    started = time.perf_counter()
    version = pipeline_version(config)
    result = EnrichResult(run_id=start_run(con, "enrich"), pipeline_version=version)
    params = {"version": version, "rebuild": rebuild}
    pending = [r[0] for r in con.execute(_PENDING_IDS, params).fetchall()]
    loaded: deque[list[tuple]] = deque()  # batches handed to the runner, oldest first

    def batches() -> Iterator[list[tuple]]:
        for start in range(0, len(pending), config.batch_size):
            rows = con.execute(_PENDING + _IN_BATCH + _ORDER,
                               {**params, "ids": pending[start:start + config.batch_size]}).fetchall()
            loaded.append(rows)
            yield rows

    if runner.remote:
        process = partial(enrich_batch, config)
    else:
        pipelines = pipelines or Pipelines(config)
        process = partial(_process, config=config, pipelines=pipelines)
    if on_batch and pending:
        on_batch(0, len(pending))  # the total at once: a log tells how much is ahead before the first batch
    try:
        # a batch that fails is halved until the feedback it fails on is found (vocmine.parallel)
        for isolated in runner.map(partial(isolate_failures, process), batches()):
            rows = loaded.popleft()
            enriched, failed = _outcome(isolated)
            if enriched:
                _store(con, enriched, rows, version, result.run_id, config.keep_raw_text)
            if failed:
                _set_aside(con, failed, result.run_id)
                result.set_aside += failed
            result.feedback += len(enriched)
            result.segments += sum(len(e.segments) for e in enriched)
            result.languages.update(e.language for e in enriched)
            for e in enriched:
                result.redacted.update(e.pii_counts)
            if on_batch:
                on_batch(result.feedback, len(pending))
        # the whole corpus again: a line may have become frequent, a formula may have changed
        result.boilerplate = mark_boilerplate(con, config.boilerplate, result.run_id)
    except BaseException as exc:
        finish_run(con, result.run_id, counts=result.counts(), error=f"{type(exc).__name__}: {exc}")
        raise
    result.outdated = con.execute(
        "SELECT count(*) FROM feedback_enrichment WHERE pipeline_version <> ?", [version]).fetchone()[0]
    result.seconds = time.perf_counter() - started
    finish_run(con, result.run_id, counts=result.counts())
    return result


def _outcome(isolated: Isolated[tuple, list[EnrichedFeedback]]
             ) -> tuple[list[EnrichedFeedback], list[tuple[str, str]]]:
    """What a batch enriched, and (feedback_id, error) per feedback that fails on its own."""
    return ([e for _, part in isolated.done for e in part],
            [(row[0], reason) for row, reason in isolated.failed])


def _set_aside(con: duckdb.DuckDBPyConnection, failed: list[tuple[str, str]], run_id: str) -> None:
    batch_failed = pa.table({"feedback_id": [f[0] for f in failed], "reason": [f[1] for f in failed]})
    with registered(con, batch_failed=batch_failed), transaction(con):
        set_aside(con, "enrich", run_id, fetch_arrow(con, "vocmine.nlp", "set_aside.sql"))
        withdraw_feedback(con, batch_failed["feedback_id"].to_pylist())


def enrich_batch(config: NlpConfig, rows: list[tuple]) -> list[EnrichedFeedback]:
    """One batch on a worker: its pipelines are built once per worker process."""
    pipelines = worker_model(("nlp", pipeline_version(config)), lambda: Pipelines(config.model_copy(
        update={"n_process": 1})))  # the cluster is the parallelism; no process pools inside a worker
    return _process(rows, pipelines.config, pipelines)


_PENDING_FROM = """
    FROM feedback f
    LEFT JOIN feedback_enrichment e USING (feedback_id)
    LEFT JOIN feedback_raw r USING (feedback_id)
    WHERE coalesce(r.text, f.text) IS NOT NULL
      AND (e.feedback_id IS NULL OR e.content_hash <> f.content_hash
           OR ($rebuild AND e.pipeline_version <> $version))
"""
_PENDING_IDS = "SELECT f.feedback_id" + _PENDING_FROM + " ORDER BY f.feedback_id"
# Raw text while it exists; the redacted text when rebuilding after the raw text is gone.
_PENDING = ("SELECT f.feedback_id, coalesce(r.text, f.text), "
            "CASE WHEN e.language_source = 'detected' THEN NULL ELSE f.language END, f.content_hash"
            + _PENDING_FROM)
_IN_BATCH = " AND f.feedback_id IN (SELECT unnest($ids))"
_ORDER = " ORDER BY f.feedback_id"


def _process(rows: list[tuple], config: NlpConfig, pipelines: Pipelines) -> list[EnrichedFeedback]:
    texts = [r[1] for r in rows]
    unknown = [i for i, r in enumerate(rows) if not r[2]]
    detected = identify_languages([texts[i] for i in unknown], config.languages, config.default_language,
                                  config.min_language_confidence)
    languages = [_base_language(r[2]) for r in rows]  # 'en-GB' from a source means English
    for i, language in zip(unknown, detected, strict=True):
        languages[i] = language
    by_language: dict[str, list[int]] = defaultdict(list)
    for i, language in enumerate(languages):
        by_language[language].append(i)
    enriched: list[EnrichedFeedback | None] = [None] * len(rows)
    for language, indexes in sorted(by_language.items()):
        nlp = pipelines[language]
        n_process = config.n_process if language == "en" and len(indexes) > 4 * SPACY_BATCH else 1
        docs = nlp.pipe((texts[i] for i in indexes), batch_size=SPACY_BATCH, n_process=n_process)
        items = [enrich_doc(doc, rows[i][0], language) for i, doc in zip(indexes, docs, strict=True)]
        scores = iter(score_segments([s.text for item in items for s in item.segments], language))
        for i, item in zip(indexes, items, strict=True):
            item.sentiments = [next(scores) for _ in item.segments]
            enriched[i] = item
    return [e for e in enriched if e is not None]


def _base_language(code: str | None) -> str | None:
    return code.lower().replace("_", "-").split("-")[0] if code else None


def _store(con: duckdb.DuckDBPyConnection, enriched: list[EnrichedFeedback], rows: list[tuple],
           version: str, run_id: str, keep_raw: bool) -> None:
    hashes = {r[0]: r[3] for r in rows}
    mapped = {r[0] for r in rows if r[2]}
    batch_feedback = pa.table({
        "feedback_id": [e.feedback_id for e in enriched],
        "text": [e.text for e in enriched],
        "language": [e.language for e in enriched],
        "language_source": ["mapped" if e.feedback_id in mapped else "detected" for e in enriched],
        "content_hash": [hashes[e.feedback_id] for e in enriched],
        "segments": [len(e.segments) for e in enriched],
        "pii_counts": [json.dumps(e.pii_counts, sort_keys=True) for e in enriched],
        "brands": [e.brands for e in enriched],
        "sentiment_method": [method_for(e.language) for e in enriched],
    })
    segs = [(e, s, score) for e in enriched for s, score in zip(e.segments, e.sentiments, strict=True)]
    batch_segments = pa.table({
        "segment_id": [f"{e.feedback_id}-{s.position}" for e, s, _ in segs],
        "feedback_id": [e.feedback_id for e, _, _ in segs],
        "position": pa.array([s.position for _, s, _ in segs], pa.int32()),
        "text": [s.text for _, s, _ in segs],
        "language": [e.language for e, _, _ in segs],
        "sentiment": pa.array([score for *_, score in segs], pa.float64()),
        "start_char": pa.array([s.start_char for _, s, _ in segs], pa.int32()),
        "end_char": pa.array([s.end_char for _, s, _ in segs], pa.int32()),
        "lemmas": [s.lemmas for _, s, _ in segs],
        "key_phrases": pa.array([list(s.key_phrases) for _, s, _ in segs], pa.list_(pa.string())),
        "rule_lemmas": pa.array([list(s.rule_lemmas) for _, s, _ in segs], pa.list_(pa.string())),
        "rule_words": pa.array([list(s.rule_words) for _, s, _ in segs], pa.list_(pa.string())),
    })
    with registered(con, batch_feedback=batch_feedback, batch_segments=batch_segments), transaction(con):
        run_sql(con, "vocmine.nlp", "enrich_store.sql", {"version": version, "run_id": run_id})
        unflag_changed(con, run_id)
        store_redacted(con, keep_raw)
