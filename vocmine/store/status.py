"""What is in the store: per-source counts and the latest runs, for `vocmine status`."""

from __future__ import annotations

import duckdb

from vocmine.store.tx import as_dicts


def source_counts(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """Per source: feedback loaded, enriched, segments, of them boilerplate (kept out of themes),
    rows quarantined, received_at range."""
    return as_dicts(con.execute("""
        WITH f AS (
            SELECT source, count(*) AS feedback, count(e.feedback_id) AS enriched,
                   coalesce(sum(e.segments), 0) AS segments,
                   min(received_at) AS first_received, max(received_at) AS last_received
            FROM feedback LEFT JOIN feedback_enrichment e USING (feedback_id) GROUP BY source
        ), q AS (SELECT source, count(*) AS quarantined FROM quarantine GROUP BY source),
        b AS (SELECT source, count(*) AS boilerplate FROM segment_boilerplate JOIN feedback USING (feedback_id)
              GROUP BY source)
        SELECT source, coalesce(f.feedback, 0) AS feedback, coalesce(f.enriched, 0) AS enriched,
               coalesce(f.segments, 0) AS segments, coalesce(b.boilerplate, 0) AS boilerplate,
               coalesce(q.quarantined, 0) AS quarantined, f.first_received, f.last_received
        FROM f FULL JOIN q USING (source) LEFT JOIN b USING (source)
        ORDER BY source
    """))


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict[str, object]]:
    return as_dicts(con.execute(
        "SELECT run_id, kind, status, started_at, finished_at, counts, error "
        "FROM runs ORDER BY started_at DESC LIMIT ?", [limit]
    ))


def pipeline_runs(con: duckdb.DuckDBPyConnection, limit: int = 5) -> list[dict[str, object]]:
    """The latest pipeline runs with their steps (name, status, seconds) in order."""
    return as_dicts(con.execute("""
        SELECT r.run_id, r.status, r.started_at, r.finished_at, r.error,
               list((p.step, p.status, p.seconds) ORDER BY p.started_at) FILTER (WHERE p.step IS NOT NULL) AS steps
        FROM runs r LEFT JOIN pipeline_steps p USING (run_id)
        WHERE r.kind = 'pipeline'
        GROUP BY ALL ORDER BY r.started_at DESC LIMIT ?
    """, [limit]))


def set_aside_last_run(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[dict[str, object]]:
    """What the latest run (the last pipeline run, else the last ingest) set aside: per source,
    step, file and reason, how many rows and which (row numbers or feedback ids)."""
    return as_dicts(con.execute("""
        WITH last AS (
            SELECT coalesce(
                (SELECT max(started_at) FROM runs WHERE kind = 'pipeline'),
                (SELECT max(started_at) FROM runs WHERE kind = 'ingest')) AS since
        )
        SELECT q.source, coalesce(q.step, 'ingest') AS step, q.file, q.reason, count(*) AS rows,
               string_agg(coalesce(q.row_number::VARCHAR, q.feedback_id, 'whole file'), ', '
                          ORDER BY q.row_number) AS which
        FROM quarantine q, last
        WHERE q.quarantined_at >= last.since
        GROUP BY ALL
        ORDER BY q.source, q.file, rows DESC
        LIMIT ?
    """, [limit]))
