"""CSV files: DuckDB's parallel reader when the file is clean, Python's csv module when not.

DuckDB reads a clean CSV at hundreds of thousands of rows a second without holding it in
memory. When it finds bad rows, or cannot parse the file at all (a bare carriage return in
an unquoted field makes its strict parser give up on the whole file), the file is read
again, streaming, with Python's csv module, which reports every bad record by its exact
number and keeps going. Lenient parsing is never used: it silently truncates rows.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from vocmine.config import SourceConfig
from vocmine.ingest.readers.staging import (
    ROW,
    IngestError,
    add_rejects,
    append_batch,
    create_src,
    create_staged_view,
    require_columns,
)

BATCH_ROWS = 50_000
MAX_FIELD_CHARS = 10_000_000
_OPTIONS = (
    "all_varchar = true, header = true, delim = $delim, quote = '\"', escape = '\"', "
    "encoding = $encoding, skip = 0, comment = '', store_rejects = true, "  # no sniffed skipping: every row counts
    "rejects_table = '_csv_rejects', rejects_scan = '_csv_reject_scans'"
)


def stage_csv(con: duckdb.DuckDBPyConnection, path: Path, source: SourceConfig) -> None:
    params = {"path": str(path), "delim": source.delimiter, "encoding": source.encoding}
    try:
        header = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_csv($path, {_OPTIONS})", params).fetchall()]
        require_columns(path, source, header)
        con.execute("DROP TABLE IF EXISTS _csv_rejects")
        con.execute("DROP TABLE IF EXISTS _csv_reject_scans")
        con.execute(f"CREATE OR REPLACE TEMP TABLE _src AS SELECT * FROM read_csv($path, {_OPTIONS})", params)
        clean = con.execute("SELECT count(*) = 0 FROM _csv_rejects").fetchone()[0]
    except IngestError:
        raise
    except duckdb.Error:
        clean = False
    if clean:
        create_staged_view(con, source, con.sql(f"SELECT *, rowid + 1 AS {ROW} FROM _src"), header)
    else:
        _stage_csv_by_record(con, path, source)


def _stage_csv_by_record(con: duckdb.DuckDBPyConnection, path: Path, source: SourceConfig) -> None:
    """Stream the file with the csv module, rejecting bad records one by one."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    codec = "utf-8-sig" if source.encoding == "utf-8" else source.encoding
    try:
        handle = path.open(encoding=codec, errors="surrogateescape", newline="")
    except OSError as exc:
        raise IngestError(f"{path}: cannot be opened ({exc.strerror})") from exc
    with handle:
        reader = csv.reader(handle, delimiter=source.delimiter, strict=True)
        try:
            header = next(reader)
        except (csv.Error, StopIteration) as exc:
            raise IngestError(f"{path}: cannot be read as CSV (no header row: {exc})") from exc
        header = _column_names(header)
        require_columns(path, source, header)
        columns = [*header, ROW]
        create_src(con, columns, ["VARCHAR"] * len(header) + ["BIGINT"])
        batch: dict[str, list] = {c: [] for c in columns}
        rejects: list[tuple[int, str, str]] = []
        number = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                number += 1
                rejects.append((number, f"bad quoting: {exc}", f"(line {reader.line_num} of the file)"))
                continue
            if not row:
                continue  # a blank line is not a record
            number += 1
            problem = _problem(row, len(header), source.encoding)
            if problem:
                rejects.append((number, problem, _raw(row, source.delimiter)))
                continue
            for column, value in zip(header, row, strict=True):
                batch[column].append(value if value != "" else None)
            batch[ROW].append(number)
            if len(batch[ROW]) >= BATCH_ROWS:
                append_batch(con, columns, batch)
                batch = {c: [] for c in columns}
        append_batch(con, columns, batch)
        add_rejects(con, rejects)
    create_staged_view(con, source, con.table("_src"), header)


def _column_names(header: list[str]) -> list[str]:
    """Name columns as DuckDB's reader does, so a mapping works on both paths."""
    names: list[str] = []
    for position, name in enumerate(header):
        name = name or f"column{position}"
        while name in names:
            name = f"{name}_1"
        names.append(name)
    return names


def _problem(row: list[str], expected: int, encoding: str) -> str | None:
    if len(row) != expected:
        return f"wrong number of columns: {expected} expected, {len(row)} found"
    for value in row:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"undecodable bytes: not valid {encoding}"
    return None


def _raw(row: list[str], delimiter: str) -> str:
    text = delimiter.join(row)
    return text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
