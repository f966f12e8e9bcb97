"""Property: whatever a file holds, every record read is loaded, a duplicate or quarantined."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vocmine.config import SourceConfig
from vocmine.ingest import ingest_files
from vocmine.store import connect

SOURCE = SourceConfig(kind="review", columns={"id": "id", "text": "text", "received_at": "when", "rating": "stars"})
KINDS = ("good", "duplicate", "empty_text", "bad_date", "bad_rating", "too_few", "too_many", "bad_bytes")
BAD = {"empty_text", "bad_date", "bad_rating", "too_few", "too_many", "bad_bytes"}

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00") | st.sampled_from(
        [",", '"', "\n", "\r", "\t", "'", ";", "é", "😀", "\u2028"]),
    min_size=1, max_size=40,
).filter(lambda t: t.strip() != "")
rows = st.lists(st.tuples(st.sampled_from(KINDS), texts), min_size=1, max_size=40)


def _csv_records(plan: list[tuple[str, str]]) -> tuple[bytes, dict[str, int]]:
    out = io.BytesIO()
    out.write(b"id,text,when,stars\n")
    expected = {"rows_read": 0, "loaded": 0, "duplicates": 0, "quarantined": 0}
    loaded_ids: list[str] = []
    for i, (kind, text) in enumerate(plan):
        if kind == "duplicate" and not loaded_ids:
            kind = "good"
        ident = loaded_ids[0] if kind == "duplicate" else f"R{i}"
        fields = [ident, text, "2026-09-01 10:00:00", "4"]
        if kind == "empty_text":
            fields[1] = "   "
        elif kind == "bad_date":
            fields[2] = "not a date"
        elif kind == "bad_rating":
            fields[3] = "n/a"
        elif kind == "too_few":
            fields = fields[:3]
        elif kind == "too_many":
            fields.append("extra")
        line = io.StringIO()
        csv.writer(line).writerow(fields)  # CRLF line ends; quotes any field holding \r or \n
        data = line.getvalue().encode()
        if kind == "bad_bytes":
            data = data.replace(b",2026-", b",\xff2026-", 1)  # in the date, which is never quoted
        out.write(data)
        expected["rows_read"] += 1
        if kind in BAD:
            expected["quarantined"] += 1
        elif kind == "duplicate":
            expected["duplicates"] += 1
        else:
            expected["loaded"] += 1
            loaded_ids.append(ident)
    return out.getvalue(), expected


def _jsonl_records(plan: list[tuple[str, str]]) -> tuple[bytes, dict[str, int]]:
    out = io.BytesIO()
    expected = {"rows_read": 0, "loaded": 0, "duplicates": 0, "quarantined": 0}
    seen: list[str] = []
    for i, (kind, text) in enumerate(plan):
        if kind == "duplicate" and not seen:
            kind = "good"
        record = {"id": seen[0] if kind == "duplicate" else f"R{i}", "text": text, "when": "2026-09-01", "stars": 4}
        if kind == "empty_text":
            record["text"] = ""
        elif kind == "bad_date":
            record["when"] = "someday"
        elif kind == "bad_rating":
            record["stars"] = "four"
        line = json.dumps(record, ensure_ascii=False).encode()
        if kind in ("too_few", "too_many"):
            line = line[:-1]  # truncated: invalid JSON
        elif kind == "bad_bytes":
            line = line.replace(b'"text": "', b'"text": "\xff', 1)
        out.write(line + b"\n")
        expected["rows_read"] += 1
        if kind in BAD:
            expected["quarantined"] += 1
        elif kind == "duplicate":
            expected["duplicates"] += 1
        else:
            expected["loaded"] += 1
            seen.append(record["id"])
    return out.getvalue(), expected


def _ingest_twice(content: bytes, suffix: str) -> tuple[dict[str, int], dict[str, int]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"feedback{suffix}"
        path.write_bytes(content)
        con = connect(":memory:")
        first = ingest_files(con, [path], "s", SOURCE).files[0]
        second = ingest_files(con, [path], "s", SOURCE).files[0]
        assert first.error is None and first.reconciles and second.reconciles
        return first.__dict__, second.__dict__


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_ingest_reconciles_for_any_csv(plan):
    content, expected = _csv_records(plan)
    first, second = _ingest_twice(content, ".csv")
    assert {k: first[k] for k in expected} == expected
    assert second["loaded"] == 0 and second["rows_read"] == expected["rows_read"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_ingest_reconciles_for_any_jsonl(plan):
    content, expected = _jsonl_records(plan)
    first, second = _ingest_twice(content, ".jsonl")
    assert {k: first[k] for k in expected} == expected
    assert second["loaded"] == 0 and second["rows_read"] == expected["rows_read"]
