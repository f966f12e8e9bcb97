"""The ``feedback`` and ``feedback_raw`` tables: their one writer.

Ingest loads a feedback with its text held back in the restricted ``feedback_raw``; enrichment
puts the redacted text (and the language it found) in ``feedback`` and drops the raw text, or
withdraws a feedback it sets aside. Both steps change the same rows, so the statements that do
it live here, and each says which step it serves.

    add_loaded(con, {"source": "crm", "kind": "call_note", "file": "notes.csv", "run_id": run_id})
"""

from __future__ import annotations

import duckdb

from vocmine.store.sqlfiles import run_sql


def add_loaded(con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> None:
    """Ingest: replace the feedback a file brings a new version of and add the new feedback, text
    NULL and raw text in ``feedback_raw`` until enrichment. Inputs: ingest's temp tables ``_new``
    (the rows to store) and ``_replaced`` (the feedback ids they replace); ``params``: source,
    kind, file, run_id."""
    run_sql(con, "vocmine.store", "feedback_add.sql", params)


def store_redacted(con: duckdb.DuckDBPyConnection, keep_raw: bool) -> None:
    """Enrichment: the redacted text and language of ``batch_feedback`` (feedback_id, text,
    language) replace the stored ones; the raw text goes unless ``keep_raw`` (nlp.keep_raw_text)."""
    run_sql(con, "vocmine.store", "feedback_redacted.sql", {"keep_raw": keep_raw})


def withdraw_feedback(con: duckdb.DuckDBPyConnection, feedback_ids: list[str]) -> None:
    """Enrichment set these feedback aside (they are in quarantine now): they leave ``feedback``
    and ``feedback_raw``, so no unredacted text stays behind."""
    con.execute("DELETE FROM feedback_raw WHERE feedback_id IN (SELECT unnest($ids))", {"ids": feedback_ids})
    con.execute("DELETE FROM feedback WHERE feedback_id IN (SELECT unnest($ids))", {"ids": feedback_ids})


__all__ = ["add_loaded", "store_redacted", "withdraw_feedback"]
