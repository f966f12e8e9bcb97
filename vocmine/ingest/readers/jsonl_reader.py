"""JSON lines, parsed in Python batch by batch: a broken line is reported, never skipped."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from vocmine.config.sources import SourceConfig
from vocmine.ingest.readers.staging import (
    FIELDS,
    add_rejects,
    append_batch,
    create_src,
    field_columns,
    require_columns,
)

BATCH_ROWS = 50_000
_COLUMNS = ["_row", *FIELDS, "metadata", "raw"]
_TYPES = ["BIGINT"] + ["VARCHAR"] * len(FIELDS) + ["JSON", "VARCHAR"]


def stage_jsonl(con: duckdb.DuckDBPyConnection, path: Path, source: SourceConfig) -> None:
    mapped = field_columns(source)
    create_src(con, _COLUMNS, _TYPES)
    seen: set[str] = set()
    rows = 0
    codec = "utf-8-sig" if source.encoding == "utf-8" else source.encoding
    batch: dict[str, list] = {c: [] for c in _COLUMNS}
    rejects: list[tuple[int, str, str]] = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1 and codec == "utf-8-sig":
                line = line.removeprefix(b"\xef\xbb\xbf")
            if not line.strip():
                continue
            record, problem, text = _parse(line, codec, source.encoding)
            if problem:
                rejects.append((number, problem, text))
                continue
            seen.update(record)
            rows += 1
            batch["_row"].append(number)
            for field in FIELDS:
                column = mapped.get(field)
                batch[field].append(_as_text(record.get(column)) if column else None)
            meta = {k: record.get(k) for k in source.metadata.columns}
            batch["metadata"].append(json.dumps(meta, ensure_ascii=False) if meta else None)
            batch["raw"].append(text)
            if len(batch["_row"]) >= BATCH_ROWS:
                append_batch(con, _COLUMNS, batch)
                batch = {c: [] for c in _COLUMNS}
    append_batch(con, _COLUMNS, batch)
    add_rejects(con, rejects)
    if rows:  # a key no object has is a missing column; a key some objects lack is a null
        require_columns(path, source, sorted(seen))
    con.execute("CREATE OR REPLACE TEMP VIEW _staged AS SELECT * FROM _src")


def _parse(line: bytes, codec: str, encoding: str) -> tuple[dict, str | None, str]:
    try:
        text = line.decode(codec).rstrip("\r\n")
    except UnicodeDecodeError as exc:
        return {}, f"undecodable bytes: not valid {encoding} at byte {exc.start}", line.decode(
            codec, errors="replace").rstrip("\r\n")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        # json's own message may end in "at" ("Unterminated string starting at"): no "at at column"
        where = "column" if exc.msg.endswith(" at") else "at column"
        return {}, f"invalid JSON: {exc.msg} {where} {exc.colno}", text
    if not isinstance(record, dict):
        return {}, f"not a JSON object but a {type(record).__name__}", text
    return record, None, text


def _as_text(value: object) -> str | None:
    """JSON values as the text a CSV would have held: strings as is, others as JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
