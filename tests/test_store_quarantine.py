"""The one writer of ``quarantine``: every step's set-aside rows land with the same columns."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa
import pytest

from vocmine.store.quarantine import empty_raw, set_aside


def _rows(n: int = 2) -> pa.Table:
    return pa.table({"source": ["crm"] * n, "file": ["notes.csv"] * n, "row_number": pa.array(range(1, n + 1)),
                     "reason": [f"reason {i}" for i in range(n)], "raw": [f"raw {i}" for i in range(n)],
                     "feedback_id": pa.array([None] * n, pa.string())})


def test_store_quarantine_set_aside_stamps_step_and_run(fresh_db):
    assert set_aside(fresh_db, "embed", "embed-1", _rows()) == 2
    rows = fresh_db.execute("SELECT step, run_id, source, row_number, reason, raw FROM quarantine "
                            "ORDER BY row_number").fetchall()
    assert rows == [("embed", "embed-1", "crm", 1, "reason 0", "raw 0"), ("embed", "embed-1", "crm", 2, "reason 1", "raw 1")]
    assert set_aside(fresh_db, "tag", "tag-1", _rows(0)) == 0


def test_store_quarantine_set_aside_names_the_step_and_the_missing_column(fresh_db):
    with pytest.raises(ValueError, match="step 'tag' lack the column.*feedback_id"):
        set_aside(fresh_db, "tag", "tag-1", _rows().drop_columns(["feedback_id"]))


def test_store_quarantine_empty_raw_keeps_the_row_and_newer_raw_text(fresh_db):
    set_aside(fresh_db, "ingest", "ingest-1", _rows())
    fresh_db.execute("UPDATE quarantine SET quarantined_at = '2026-01-01' WHERE row_number = 1")
    assert empty_raw(fresh_db, datetime(2026, 2, 1)) == 1
    assert fresh_db.execute("SELECT row_number, raw FROM quarantine ORDER BY 1").fetchall() == [(1, None), (2, "raw 1")]
