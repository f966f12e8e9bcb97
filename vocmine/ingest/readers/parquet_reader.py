"""Parquet files: typed columns, no malformed rows; DuckDB reads them in parallel."""

from __future__ import annotations

from pathlib import Path

import duckdb

from vocmine.config.sources import SourceConfig
from vocmine.ingest.readers.staging import ROW, IngestError, create_staged_view, first_line, require_columns


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, source: SourceConfig) -> None:
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _src AS SELECT * FROM read_parquet($path, file_row_number = true)",
            {"path": str(path)},
        )
    except duckdb.Error as exc:
        raise IngestError(f"{path}: cannot be read as Parquet ({first_line(exc)})") from exc
    columns = [r[0] for r in con.execute("DESCRIBE _src").fetchall() if r[0] != "file_row_number"]
    require_columns(path, source, columns)
    numbered = con.sql(f"SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS {ROW} FROM _src")
    create_staged_view(con, source, numbered, columns)
