"""``store_session``: the one way to hold the store for a block, closed whatever happens.

A connection left open by a command that failed keeps the database file locked for the rest
of the process: DuckDB then refuses to open it with another configuration (read-only after
read-write, or the reverse), and a long-lived process (a Prefect worker, a notebook, the test
suite) sees "database is in use" for a store nobody uses. Every command and flow opens the
store through a ``with`` block instead of ``connect(...)`` and a ``close()`` at the end.

Example::

    with store_session("data/vocmine.duckdb") as con:
        con.execute("SELECT count(*) FROM feedback").fetchone()
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from vocmine.store.db import connect, open_read_only


@contextmanager
def store_session(path: Path | str, *, read_only: bool = False,
                  prepare: Callable[[duckdb.DuckDBPyConnection], object] | None = None
                  ) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store at ``path`` for the block: migrated (or read-only, unmigrated), ``prepare(con)``
    run first (e.g. creating the analyst views), always closed, even when ``prepare`` fails."""
    con = open_read_only(path) if read_only else connect(path)
    try:
        if prepare is not None:
            prepare(con)
        yield con
    finally:
        con.close()
