"""The ``runs`` log: every step that changes the store says when it ran and how it ended."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime

import duckdb


def new_run_id(kind: str) -> str:
    """Sortable by time, unique across machines: ``ingest-20261123T020000-3fa9c1``."""
    return f"{kind}-{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def start_run(con: duckdb.DuckDBPyConnection, kind: str) -> str:
    run_id = new_run_id(kind)
    con.execute(
        "INSERT INTO runs (run_id, kind, started_at, status) VALUES (?, ?, now()::TIMESTAMP, 'running')",
        [run_id, kind],
    )
    return run_id


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    counts: dict[str, object],
    error: str | None = None,
) -> None:
    con.execute(
        "UPDATE runs SET finished_at = now()::TIMESTAMP, status = ?, counts = ?, error = ? "
        "WHERE run_id = ?",
        ["failed" if error else "succeeded", json.dumps(counts), error, run_id],
    )


def fail_interrupted_steps(con: duckdb.DuckDBPyConnection) -> None:
    """Mark every step run still 'running' as failed ('interrupted'): one process writes the
    store, so whatever says it runs while a new run begins was killed. Pipeline runs are left
    as they are: the pipeline decides whether to resume one (``reopen_run``)."""
    con.execute("UPDATE runs SET status = 'failed', finished_at = now()::TIMESTAMP, error = 'interrupted' "
                "WHERE status = 'running' AND kind <> 'pipeline'")


def reopen_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """An unfinished run resumes: running again, its end and error cleared."""
    con.execute("UPDATE runs SET status = 'running', finished_at = NULL, error = NULL WHERE run_id = ?", [run_id])
