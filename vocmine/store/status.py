"""What is in the store: per-source counts and the latest runs, for `vocmine status`."""

from __future__ import annotations

import duckdb


def source_counts(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """Per source: feedback loaded, rows quarantined, the received_at range, last ingest."""
    return _dicts(con.execute("""
        WITH f AS (
            SELECT source, count(*) AS feedback, min(received_at) AS first_received,
                   max(received_at) AS last_received, max(ingested_at) AS last_ingested
            FROM feedback GROUP BY source
        ), q AS (SELECT source, count(*) AS quarantined FROM quarantine GROUP BY source)
        SELECT source, coalesce(f.feedback, 0) AS feedback, coalesce(q.quarantined, 0) AS quarantined,
               f.first_received, f.last_received, f.last_ingested
        FROM f FULL JOIN q USING (source)
        ORDER BY source
    """))


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict[str, object]]:
    return _dicts(con.execute(
        "SELECT run_id, kind, status, started_at, finished_at, counts, error "
        "FROM runs ORDER BY started_at DESC LIMIT ?", [limit]
    ))


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
