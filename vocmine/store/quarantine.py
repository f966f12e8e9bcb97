"""The restricted ``quarantine`` table, what the steps set aside and why: its one writer.

Ingest, enrichment, embedding and journey tagging each decide what they set aside (a row that
does not load, a feedback spaCy fails on, a text the embedding model fails on, a segment the
tagger fails on) and describe it in the same columns; this module stores it. One writer keeps
the columns, the timestamp and the retention of ``raw`` the same whichever step set a row aside.

    rows = pa.table({"source": ["crm"], "file": ["notes.csv"], "row_number": [7],
                     "reason": ["received_at is not a date"], "raw": ["..."], "feedback_id": [None]})
    set_aside(con, "ingest", run_id, rows)
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa

from vocmine.store.sqlfiles import run_sql
from vocmine.store.tx import registered

SET_ASIDE_COLUMNS = ("source", "file", "row_number", "reason", "raw", "feedback_id")
"""What a step says about each item it sets aside: where it came from (source, file, row
number; a later step's feedback id), why, and the item as read (may hold personal data)."""


def set_aside(con: duckdb.DuckDBPyConnection, step: str, run_id: str, rows: pa.Table) -> int:
    """Store ``rows`` (the columns of ``SET_ASIDE_COLUMNS``) as set aside by ``step`` in ``run_id``;
    returns how many. The caller's transaction decides when they become visible, so a step can
    set an item aside and drop its own rows for it at once."""
    missing = [c for c in SET_ASIDE_COLUMNS if c not in rows.column_names]
    if missing:
        raise ValueError(f"set_aside rows for step {step!r} lack the column(s) {', '.join(missing)}")
    if rows.num_rows:
        with registered(con, set_aside_rows=rows.select(list(SET_ASIDE_COLUMNS))):
            run_sql(con, "vocmine.store", "quarantine_add.sql", {"run_id": run_id, "step": step})
    return rows.num_rows


def empty_raw(con: duckdb.DuckDBPyConnection, set_aside_until: datetime) -> int:
    """Empty ``raw`` of the rows set aside at or before ``set_aside_until``; returns how many were
    emptied. The row itself (where, why, when) stays."""
    count = con.execute("SELECT count(*) FROM quarantine WHERE raw IS NOT NULL AND quarantined_at <= ?",
                        [set_aside_until]).fetchall()[0][0]
    con.execute("UPDATE quarantine SET raw = NULL WHERE raw IS NOT NULL AND quarantined_at <= ?", [set_aside_until])
    return count


__all__ = ["SET_ASIDE_COLUMNS", "empty_raw", "set_aside"]
