"""Opening the DuckDB store the same way everywhere.

Every connection works in UTC so that timestamps parsed from feedback files mean the same
thing on every machine, whatever its local time zone.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from vocmine.store.migrate import apply_migrations


class DatabaseBusy(RuntimeError):
    """Another process writes the database (DuckDB: one writing process), e.g. a nightly run."""


def connect(path: Path | str, *, migrate: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-write connection with the schema brought up to date.

    ``":memory:"`` gives a throwaway database (tests, benchmarks).
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only=False)
    con.execute("SET TimeZone = 'UTC'")
    if migrate:
        apply_migrations(con)
    return con


def open_read_only(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A connection that cannot change anything, for analysts' ad hoc queries."""
    if not Path(path).exists():
        raise FileNotFoundError(f"database not found: {path} (run `vocmine init` first)")
    con = _open(path, read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    return con


def _open(path: Path | str, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        raise DatabaseBusy(f"{path} is in use by another process (a vocmine run?): try again when it has "
                           "finished, or query the published copy with `vocmine sql`") from exc
