"""The tagging step: tag every segment not tagged yet (on rebuild: every segment), batch by
batch, each batch committed on its own.

A segment the tagger fails on is found by halving its batch (``vocmine.parallel``) and set aside
in ``quarantine`` (step ``tag``, ``sql/set_aside.sql``, stored by ``vocmine.store.quarantine``); so is, without trying, a segment the
embed step set aside (its text fails the same model). The rest of the night is tagged.

A segment whose text enrichment changed since it was tagged (``changed_segments``) loses its
tags first (``untag_changed``) and is tagged again like a new one: this step owns its tables,
enrichment only says what changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import duckdb
import numpy as np
import pyarrow as pa

from vocmine.embed.cache import segment_embeddings
from vocmine.journey.tagging import JourneyTagger, Tag, decide_stage, stages_in_theme
from vocmine.parallel import isolate_failures
from vocmine.store.quarantine import set_aside
from vocmine.store.runs import finish_run, start_run
from vocmine.store.sqlfiles import fetch_arrow, run_sql
from vocmine.store.tx import registered, transaction

_PENDING = """
    SELECT s.segment_id FROM segments s
    LEFT JOIN segment_journey j USING (segment_id)
    WHERE (j.segment_id IS NULL OR $rebuild)
      AND NOT EXISTS (  -- set aside by this step or by embed (sql/set_aside.sql) while quarantine keeps it
          SELECT 1 FROM quarantine q
          WHERE q.step IN ('embed', 'tag') AND q.feedback_id = s.feedback_id AND q.raw = s.text)
    ORDER BY s.segment_id
"""


@dataclass
class TagResult:
    run_id: str
    taxonomy_version: str
    segments: int = 0
    set_aside: list[tuple[str, str]] = field(default_factory=list)  # (segment_id, error) moved to quarantine
    stages: dict[str, int] = field(default_factory=dict)  # method -> segments
    touchpoints: dict[str, int] = field(default_factory=dict)
    stale: int = 0  # segments left with tags from another taxonomy version (without rebuild)
    changed: int = 0  # segments untagged first: enrichment changed their text since they were tagged


def tag_segments(
    con: duckdb.DuckDBPyConnection,
    tagger: JourneyTagger,
    *,
    rebuild: bool = False,
    on_batch: Callable[[int, int], None] | None = None,
) -> TagResult:
    """Tag segments not tagged yet; ``rebuild`` re-tags every segment (after the taxonomy or the
    thresholds changed: both change what a tag would be, only the taxonomy has a version)."""
    version = tagger.taxonomy.version
    result = TagResult(run_id=start_run(con, "tag"), taxonomy_version=version)
    try:
        _store_taxonomy(con, tagger)
        result.changed = untag_changed(con)
        pending = [r[0] for r in con.execute(_PENDING, {"rebuild": rebuild}).fetchall()]
        batch_size = tagger.config.batch_size
        if on_batch and pending:
            on_batch(0, len(pending))  # the total at once, before the first batch
        for start in range(0, len(pending), batch_size):
            _tag_batch(con, tagger, pending[start:start + batch_size], result)
            if on_batch:
                on_batch(min(start + batch_size, len(pending)), len(pending))
        if tagger.config.stage_from_theme:
            _stage_from_theme(con, tagger, result)
        result.stale = con.execute("SELECT count(*) FROM segment_journey WHERE taxonomy_version <> ?",
                                   [version]).fetchall()[0][0]
    except BaseException as exc:
        finish_run(con, result.run_id, counts=_counts(result), error=repr(exc))
        raise
    finish_run(con, result.run_id, counts=_counts(result))
    return result


def untag_changed(con: duckdb.DuckDBPyConnection) -> int:
    """Drop the tags of segments enrichment changed after they were tagged (``changed_segments``);
    returns how many. They are then pending like new segments."""
    with transaction(con):
        changed = fetch_arrow(con, "vocmine.journey", "changed_tags.sql")
        with registered(con, untagged=changed):
            run_sql(con, "vocmine.journey", "untag.sql")
    return changed.num_rows


def _tag_batch(con, tagger: JourneyTagger, ids: list[str], result: TagResult) -> None:
    rows = con.execute(
        "SELECT s.segment_id, s.text, f.channel, t.lemmas, t.words, s.language FROM segments s "
        "JOIN feedback f USING (feedback_id) LEFT JOIN segment_tokens t USING (segment_id) "
        "WHERE s.segment_id IN (SELECT unnest($ids)) ORDER BY s.segment_id", {"ids": ids}).fetchall()
    isolated = isolate_failures(partial(_tag_rows, con, tagger), rows)
    for part, (tags, stage_similarity) in isolated.done:
        _store_tags(con, tagger, part, tags, stage_similarity, result)
    if isolated.failed:
        failed = [(row[0], reason) for row, reason in isolated.failed]
        batch_failed = pa.table({"segment_id": [f[0] for f in failed], "reason": [f[1] for f in failed]})
        with registered(con, batch_failed=batch_failed, untagged=batch_failed), transaction(con):
            set_aside(con, "tag", result.run_id, fetch_arrow(con, "vocmine.journey", "set_aside.sql"))
            run_sql(con, "vocmine.journey", "untag.sql")
        result.set_aside += failed


def _tag_rows(con, tagger: JourneyTagger, rows: list[tuple]) -> tuple[list[tuple[Tag, Tag]], np.ndarray]:
    """(stage, touchpoint) per row and the rows' stage cosines: the unit ``isolate_failures`` halves."""
    texts, languages = [r[1] for r in rows], [r[5] for r in rows]
    vectors = _vectors(con, tagger, [r[0] for r in rows], texts)
    stage_similarity, touchpoint_similarity = tagger.similarities(texts, vectors, languages)
    tags = tagger.tag(texts, [r[2] for r in rows], vectors, [(r[3], r[4]) if r[3] is not None else None for r in rows],
                      stage_similarity, languages, touchpoint_similarity)
    return tags, stage_similarity


def _store_tags(con, tagger: JourneyTagger, rows: list[tuple], tags: list[tuple[Tag, Tag]],
                stage_similarity: np.ndarray, result: TagResult) -> None:
    by_meaning = [i for i, (stage, _) in enumerate(tags) if stage.method in ("semantic", "none")]
    similarity = pa.table({
        "segment_id": pa.array([rows[i][0] for i in by_meaning], pa.string()),
        "similarity": pa.array(list(stage_similarity[by_meaning]), pa.list_(pa.float32())),
    })
    table = pa.table({
        "segment_id": [r[0] for r in rows],
        "journey_stage": [s.value for s, _ in tags],
        "journey_stage_confidence": pa.array([s.confidence for s, _ in tags], pa.float64()),
        "journey_stage_method": [s.method for s, _ in tags],
        "touchpoint": [t.value for _, t in tags],
        "touchpoint_confidence": pa.array([t.confidence for _, t in tags], pa.float64()),
        "touchpoint_method": [t.method for _, t in tags],
    })
    with registered(con, batch_tags=table, batch_similarity=similarity), transaction(con):
        run_sql(con, "vocmine.journey", "tags_store.sql", {"run_id": result.run_id,
                                                            "version": tagger.taxonomy.version})
    result.segments += len(rows)
    for stage, touchpoint in tags:
        result.stages[stage.method] = result.stages.get(stage.method, 0) + 1
        result.touchpoints[touchpoint.method] = result.touchpoints.get(touchpoint.method, 0) + 1


def _stage_from_theme(con, tagger: JourneyTagger, result: TagResult) -> None:
    """After the batches, over every segment whose words name no stage (not only this run's: a
    theme gathers pattern-tagged segments night after night): its meaning weighed with its
    theme's stage mix (``stages_in_theme``). ``result.stages`` then counts the tags this
    run wrote, by method."""
    candidates = fetch_arrow(con, "vocmine.journey", "theme_candidates.sql", {
        "version": tagger.taxonomy.version, "min_segments": tagger.config.theme_min_segments})
    ids, config = tagger.taxonomy.stage_ids, tagger.config
    similarity = _matrix(candidates.column("similarity"), len(ids))
    pick, by_theme, weighed = stages_in_theme(similarity, _matrix(candidates.column("shares"), len(ids)), config)
    was_theme = candidates.column("journey_stage_method").to_numpy() == "theme"
    index = {stage: i for i, stage in enumerate(ids)}
    was_stage = np.array([index.get(s, -1) for s in candidates.column("journey_stage").to_pylist()], dtype=int)
    segment_ids = candidates.column("segment_id").to_pylist()
    changed = [(segment_ids[i], Tag(ids[pick[i]], round(float(weighed[i]), 4), "theme"))
               for i in np.flatnonzero(by_theme & ~(was_theme & (was_stage == pick)))]
    # a stage the theme lent before and no longer supports: back to the segment's own meaning
    changed += [(segment_ids[i], decide_stage({}, similarity[i], ids, config))
                for i in np.flatnonzero(was_theme & ~by_theme)]
    theme_tags = pa.table({
        "segment_id": pa.array([sid for sid, _ in changed], pa.string()),
        "journey_stage": pa.array([t.value for _, t in changed], pa.string()),
        "journey_stage_method": pa.array([t.method for _, t in changed], pa.string()),
        "journey_stage_confidence": pa.array([t.confidence for _, t in changed], pa.float64()),
    })
    with registered(con, theme_tags=theme_tags), transaction(con):
        run_sql(con, "vocmine.journey", "stage_from_theme.sql", {"run_id": result.run_id})
    result.stages = dict(con.execute(
        "SELECT journey_stage_method, count(*) FROM segment_journey WHERE run_id = ? GROUP BY ALL ORDER BY 1",
        [result.run_id]).fetchall())


def _matrix(column: pa.ChunkedArray, width: int) -> np.ndarray:
    """A column of equal-length lists as rows of a matrix; a NULL list is a row of zeros."""
    column = column.combine_chunks()
    matrix = np.zeros((len(column), width), dtype=np.float32)
    present = np.asarray(column.is_valid())
    matrix[present] = np.asarray(column.drop_null().flatten(), dtype=np.float32).reshape(-1, width)
    return matrix


def _vectors(con, tagger: JourneyTagger, ids: list[str], texts: list[str]) -> np.ndarray:
    """Cached embeddings where `vocmine embed` made them; the rest encoded now (not cached)."""
    cached_ids, cached = segment_embeddings(con, tagger.backend.name, ids)
    position = {sid: i for i, sid in enumerate(cached_ids)}
    missing = [i for i, sid in enumerate(ids) if sid not in position]
    fresh = tagger.backend.encode([texts[i] for i in missing]) if missing else None
    dim = cached.shape[1] if len(cached_ids) else fresh.shape[1]
    vectors = np.zeros((len(ids), dim), dtype=np.float32)
    for i, sid in enumerate(ids):
        if sid in position:
            vectors[i] = cached[position[sid]]
    if missing:
        vectors[missing] = fresh
    return vectors


def _store_taxonomy(con, tagger: JourneyTagger) -> None:
    taxonomy, version = tagger.taxonomy, tagger.taxonomy.version
    stages = pa.table({"stage_id": taxonomy.stage_ids,
                       "position": pa.array(range(1, len(taxonomy.stages) + 1), pa.int32()),
                       "name": [s.name for s in taxonomy.stages],
                       "description": [s.description for s in taxonomy.stages],
                       "taxonomy_version": [version] * len(taxonomy.stages)})
    touchpoints = pa.table({"touchpoint_id": pa.array(taxonomy.touchpoint_ids, pa.string()),
                            "position": pa.array(range(1, len(taxonomy.touchpoints) + 1), pa.int32()),
                            "name": pa.array([t.name for t in taxonomy.touchpoints], pa.string()),
                            "description": pa.array([t.description for t in taxonomy.touchpoints], pa.string()),
                            "channels": pa.array([list(t.channels) for t in taxonomy.touchpoints],
                                                 pa.list_(pa.string())),
                            "taxonomy_version": pa.array([version] * len(taxonomy.touchpoints), pa.string())})
    with registered(con, run_stages=stages, run_touchpoints=touchpoints), transaction(con):
        run_sql(con, "vocmine.journey", "taxonomy_store.sql")


def _counts(result: TagResult) -> dict[str, object]:
    return {"taxonomy_version": result.taxonomy_version, "segments": result.segments,
            "set_aside": len(result.set_aside),
            "stage_methods": result.stages, "touchpoint_methods": result.touchpoints, "stale": result.stale,
            "changed_segments": result.changed}


__all__ = ["TagResult", "tag_segments", "untag_changed"]
