"""Property: whatever a file holds, every record read is loaded, a new version, a duplicate or
quarantined, and reading the same file again changes nothing."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.stores import empty_store

from vocmine.config import IngestConfig, SourceConfig
from vocmine.ingest import ingest_files

SOURCE = SourceConfig(kind="review", columns={"id": "id", "text": "text", "received_at": "when", "rating": "stars"})
KINDS = ("good", "duplicate", "update", "empty_text", "bad_date", "bad_rating", "too_few", "too_many", "bad_bytes")
BAD = {"empty_text", "bad_date", "bad_rating", "too_few", "too_many", "bad_bytes"}

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00") | st.sampled_from(
        [",", '"', "\n", "\r", "\t", "'", ";", "é", "😀", "\u2028"]),
    min_size=1, max_size=40,
).filter(lambda t: t.strip() != "")
rows = st.lists(st.tuples(st.sampled_from(KINDS), texts), min_size=1, max_size=40)


def _build(plan: list[tuple[str, str]], render, header: bytes = b"") -> tuple[bytes, dict[str, int]]:
    """Write the planned records with ``render(kind, ident, text)``; count where each must end up."""
    out = io.BytesIO(header)
    out.seek(0, io.SEEK_END)
    expected = {"rows_read": 0, "loaded": 0, "updated": 0, "duplicates": 0, "quarantined": 0}
    loaded: list[tuple[str, str]] = []
    for i, (kind, text) in enumerate(plan):
        if kind in ("duplicate", "update") and not loaded:
            kind = "good"
        ident = loaded[0][0] if kind in ("duplicate", "update") else f"R{i}"
        if kind == "duplicate":
            text = loaded[0][1]      # the same row again
        elif kind == "update":
            text = f"{text} \u2192v{i}"  # the same id with text never seen: a new version
        out.write(render(kind, ident, text))
        expected["rows_read"] += 1
        if kind in BAD:
            expected["quarantined"] += 1
        elif kind == "duplicate":
            expected["duplicates"] += 1
        elif kind == "update":
            expected["updated"] += 1
        else:
            expected["loaded"] += 1
            loaded.append((ident, text))
    return out.getvalue(), expected


def _csv_row(kind: str, ident: str, text: str) -> bytes:
    fields = [ident, "   " if kind == "empty_text" else text,
              "not a date" if kind == "bad_date" else "2026-09-01 10:00:00",
              "n/a" if kind == "bad_rating" else "4"]
    if kind == "too_few":
        fields = fields[:3]
    elif kind == "too_many":
        fields.append("extra")
    line = io.StringIO()
    csv.writer(line).writerow(fields)  # CRLF line ends; quotes any field holding \r or \n
    data = line.getvalue().encode()
    if kind == "bad_bytes":
        data = data.replace(b",2026-", b",\xff2026-", 1)  # in the date, which is never quoted
    return data


def _jsonl_row(kind: str, ident: str, text: str) -> bytes:
    record = {"id": ident, "text": "" if kind == "empty_text" else text,
              "when": "someday" if kind == "bad_date" else "2026-09-01",
              "stars": "four" if kind == "bad_rating" else 4}
    line = json.dumps(record, ensure_ascii=False).encode()
    if kind in ("too_few", "too_many"):
        line = line[:-1]  # truncated: invalid JSON
    elif kind == "bad_bytes":
        line = line.replace(b'"text": "', b'"text": "\xff', 1)
    return line + b"\n"


def _ingest_twice(template: Path, content: bytes, suffix: str) -> tuple[dict[str, int], dict[str, int]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"feedback{suffix}"
        path.write_bytes(content)
        con = empty_store(template)  # a new store per example
        first = ingest_files(con, [path], "s", SOURCE).files[0]
        second = ingest_files(con, [path], "s", SOURCE, rules=IngestConfig(skip_unchanged=False)).files[0]
        third = ingest_files(con, [path], "s", SOURCE).files[0]
        assert first.error is None and first.reconciles and second.reconciles
        assert third.skipped and third.rows_read == 0
        return first.__dict__, second.__dict__


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_ingest_reconciles_for_any_csv(migrated_template, plan):
    content, expected = _build(plan, _csv_row, b"id,text,when,stars\n")
    first, second = _ingest_twice(migrated_template, content, ".csv")
    assert {k: first[k] for k in expected} == expected
    assert second["loaded"] == second["updated"] == 0 and second["rows_read"] == expected["rows_read"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_ingest_reconciles_for_any_jsonl(migrated_template, plan):
    content, expected = _build(plan, _jsonl_row)
    first, second = _ingest_twice(migrated_template, content, ".jsonl")
    assert {k: first[k] for k in expected} == expected
    assert second["loaded"] == second["updated"] == 0 and second["rows_read"] == expected["rows_read"]
