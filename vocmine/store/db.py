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


# What an analyst's query may be: reading, explaining, settings of its own session. Not COPY (writes or reads
# any file), ATTACH/DETACH (other databases, the working one included), EXPORT, INSTALL/LOAD.
# Not PREPARE/EXECUTE either: a prepared COPY would run as an EXECUTE.
ANALYST_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL", "MULTI", "SET", "VARIABLE_SET"})


def open_for_analysts(path: Path | str, readable: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection that cannot reach any other file: external access off, configuration locked.

    ``readable`` is the one folder queries may read files from (the published Parquet); every other path,
    ``ATTACH`` of another database (the working one included), ``COPY ... TO``, ``INSTALL`` and ``SET`` of
    these settings fail with a permission error. Used by ``vocmine sql`` and every analyst entry point;
    pair it with :func:`check_analyst_query`, which refuses the statements by type first.

        con = open_for_analysts("data/published/vocmine.duckdb", Path("data/published/parquet"))
        con.sql("SELECT * FROM read_text('/etc/hostname')")  # PermissionException
    """
    con = open_read_only(path)
    if readable is not None:
        con.execute("SET allowed_directories = [?]", [str(Path(readable).resolve()) + "/"])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def check_analyst_query(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Raise ``PermissionError`` naming the first statement an analyst may not run (COPY, ATTACH, ...).

    The locked connection already refuses file access; this keeps COPY out even towards the one folder
    queries may read, and gives one clear line instead of DuckDB's.
    """
    for number, statement in enumerate(con.extract_statements(query), start=1):
        kind = statement.type.name
        if kind not in ANALYST_STATEMENTS:
            raise PermissionError(f"statement {number} is {kind.replace('_', ' ')}: the analysts' connection is "
                                  "read-only (SELECT, DESCRIBE, EXPLAIN, ...; no COPY, ATTACH, EXPORT or INSTALL)")
