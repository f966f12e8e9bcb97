"""CSV files: DuckDB's parallel reader when the file is clean, Python's csv module when not.

DuckDB reads a clean CSV at hundreds of thousands of rows a second without holding it in
memory. When it finds bad rows, or cannot parse the file at all (a bare carriage return in
an unquoted field makes its strict parser give up on the whole file), the file is read
again, streaming, with Python's csv module, which reports every bad record by its exact
number and keeps going. Lenient parsing is never used: it silently truncates rows.
"""

from __future__ import annotations

import csv
from collections import deque
from pathlib import Path

import duckdb

from vocmine.config.sources import SourceConfig
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
MAX_RECORD_LINES = 2_000  # an open quote running longer than this is taken for a broken record
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
    """Stream the file with the csv module, rejecting bad records one by one.

    A quote that is never closed would swallow every line after it into one field. A record
    that spans lines and still does not parse is therefore cut back to its first line: the
    lines after it are read again, and those that do not parse either join the broken record
    (kept whole in its ``raw``), until a line parses and reading goes on from there.
    """
    csv.field_size_limit(MAX_FIELD_CHARS)
    codec = "utf-8-sig" if source.encoding == "utf-8" else source.encoding
    try:
        handle = path.open(encoding=codec, errors="surrogateescape", newline="")
    except OSError as exc:
        raise IngestError(f"{path}: cannot be opened ({exc.strerror})") from exc
    with handle:
        lines = _Lines(handle)
        reader = csv.reader(lines, delimiter=source.delimiter, strict=True)
        try:
            header = next(reader)
        except (csv.Error, StopIteration) as exc:
            raise IngestError(f"{path}: cannot be read as CSV (no header row: {exc})") from exc
        header = _column_names(header)
        require_columns(path, source, header)
        columns = [*header, ROW]
        create_src(con, columns, ["VARCHAR"] * len(header) + ["BIGINT"])
        batch: dict[str, list] = {c: [] for c in columns}
        rejects = _Rejects()
        number = 0
        while True:
            lines.start_record()
            try:
                row, problem = next(reader), None
            except StopIteration:
                break
            except csv.Error as exc:
                row, problem = None, f"bad quoting: {exc}"
            if row == []:
                continue  # a blank line is not a record
            if row is not None:
                problem = _problem(row, len(header), source.encoding)
            if problem is None:
                rejects.resynchronised()
                number += 1
                for column, value in zip(header, row, strict=True):
                    batch[column].append(value if value != "" else None)
                batch[ROW].append(number)
                if len(batch[ROW]) >= BATCH_ROWS:
                    append_batch(con, columns, batch)
                    batch = {c: [] for c in columns}
                continue
            record = lines.record
            if row is None and len(record) > 1:  # an open quote ran past its line: read the rest again
                lines.put_back(record[1:])
                record = record[:1]
                problem = "bad quoting: a quote opened in this record is not closed on its line"
            if not rejects.extend_broken(record):
                number += 1
                rejects.add(number, problem, record, broken=problem.startswith("bad quoting"))
        append_batch(con, columns, batch)
        add_rejects(con, rejects.rows())
    create_staged_view(con, source, con.table("_src"), header)


class _Lines:
    """The file's lines for ``csv.reader``, numbered, with lines put back to be read again and at
    most ``MAX_RECORD_LINES`` per record (an unclosed quote must not read the file to its end)."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.pending: deque[tuple[int, str]] = deque()
        self.read = 0
        self.record: list[tuple[int, str]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if len(self.record) >= MAX_RECORD_LINES:
            raise StopIteration  # csv: "unexpected end of data"; the next record starts afresh
        if self.pending:
            numbered = self.pending.popleft()
        else:
            line = self.handle.readline()
            if not line:
                raise StopIteration
            self.read += 1
            numbered = (self.read, line)  # line 1 is the header
        self.record.append(numbered)
        return numbered[1]

    def start_record(self) -> None:
        self.record = []

    def put_back(self, numbered: list[tuple[int, str]]) -> None:
        self.pending.extendleft(reversed(numbered))


class _Rejects:
    """Rejected records; a broken one grows by the lines after it that do not parse either."""

    def __init__(self) -> None:
        self.done: list[tuple[int, str, str]] = []
        self.broken: dict | None = None

    def add(self, number: int, problem: str, record: list[tuple[int, str]], *, broken: bool) -> None:
        self.resynchronised()
        entry = {"number": number, "problem": problem, "lines": list(record), "broken": broken}
        if broken:
            self.broken = entry
        else:
            self.done.append(_reject(entry))

    def extend_broken(self, record: list[tuple[int, str]]) -> bool:
        if self.broken is None:
            return False
        self.broken["lines"] += record
        return True

    def resynchronised(self) -> None:
        if self.broken is not None:
            self.done.append(_reject(self.broken))
            self.broken = None

    def rows(self) -> list[tuple[int, str, str]]:
        self.resynchronised()
        return self.done


def _reject(entry: dict) -> tuple[int, str, str]:
    lines = entry["lines"]
    first, last = lines[0][0], lines[-1][0]
    text = "".join(line for _, line in lines).rstrip("\r\n")
    raw = text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
    if not entry["broken"]:
        return entry["number"], entry["problem"], raw
    where = f"line {first}" if first == last else f"lines {first}-{last}, kept in raw"
    return entry["number"], f"{entry['problem']} (record starting at {where})", raw


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
