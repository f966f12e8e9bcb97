"""Read one source file into DuckDB staging: a view of well-formed rows and a table of rejects.

Every reader leaves the same two things behind, so validation and loading are written once:

- ``_staged``: one row per well-formed record with the feedback fields as VARCHAR
  (``_row, external_id, text, received_at, channel, rating, customer_id, language,
  metadata, raw``), ``_row`` being the 1-based record number in the file (after a CSV
  header; a quoted multi-line record counts once, blank lines not at all);
- ``_rejected(row_number, reason, raw)``: records that could not even be split into
  columns (wrong column count, undecodable bytes, broken quoting or JSON).

Staging objects are temp tables outside the load transaction: they vanish with the
connection, and committed temp tables keep a ``rowid`` in file order.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from vocmine.config.sources import SourceConfig
from vocmine.ingest.readers.csv_reader import stage_csv
from vocmine.ingest.readers.jsonl_reader import stage_jsonl
from vocmine.ingest.readers.parquet_reader import stage_parquet
from vocmine.ingest.readers.staging import IngestError

_TEMP_OBJECTS = ("_src", "_rejected", "_row_numbers", "_csv_rejects", "_csv_reject_scans", "_checked", "_versions",
                 "_changed", "_replaced", "_new")

__all__ = ["IngestError", "drop_staging", "stage_file"]


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, source: SourceConfig) -> None:
    """Create ``_staged`` and ``_rejected`` for ``path``."""
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    con.execute("CREATE OR REPLACE TEMP TABLE _rejected (row_number BIGINT, reason VARCHAR, raw VARCHAR)")
    try:
        fmt = source.format_for(path)
    except ValueError as exc:
        raise IngestError(str(exc)) from exc
    readers = {"csv": stage_csv, "jsonl": stage_jsonl, "parquet": stage_parquet}
    readers[fmt](con, path, source)


def drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP VIEW IF EXISTS _staged")
    for table in _TEMP_OBJECTS:
        con.execute(f"DROP TABLE IF EXISTS {table}")
