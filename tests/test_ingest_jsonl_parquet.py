from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq
from support.stores import write_bytes

from vocmine.config import SourceConfig
from vocmine.ingest import ingest_files


def _jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_ingest_jsonl_loads_typed_values_and_quarantines_bad_lines(fresh_db, tmp_path, review_source):
    content = b"\xef\xbb\xbf" + _jsonl(
        {"id": 1, "text": "App keeps crashing", "when": "2026-09-14T10:22:00Z", "stars": 1, "plan": {"tier": 2},
         "channel": None, "customer": "C1"},
        '{"id": 2, "text": "truncated',
        {"id": 3, "text": "", "stars": 2},
        {"id": 4, "text": "fine", "stars": "five"},
        "[1, 2]",
        "",
        {"id": 1, "text": "App keeps crashing", "stars": 1},
    ).encode() + b'{"id": 5, "text": "caf\xe9"}\n'
    path = write_bytes(tmp_path, "r.jsonl", content)
    summary = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    # id 1 again without its date: a second version of that feedback
    assert (summary.rows_read, summary.loaded, summary.updated, summary.duplicates, summary.quarantined) == (7, 1, 1, 0, 5)
    assert summary.reconciles
    reasons = dict(fresh_db.execute("SELECT row_number, reason FROM quarantine").fetchall())
    assert reasons[2] == "invalid JSON: Unterminated string starting at column 19"
    assert reasons[3] == "text is empty"
    assert reasons[4] == "rating 'five' is not a number"
    assert reasons[5] == "not a JSON object but a list"
    assert reasons[8].startswith("undecodable bytes")
    row = fresh_db.execute("SELECT external_id, received_at::VARCHAR, rating, metadata FROM feedback").fetchone()
    assert row[:3] == ("1", None, 1.0)  # the newer version
    assert json.loads(row[3]) == {"plan": None}
    version = fresh_db.execute("SELECT version, received_at::VARCHAR, row_number FROM feedback_versions").fetchone()
    assert version == (1, "2026-09-14 10:22:00", 1)


def test_ingest_jsonl_key_no_object_has_is_a_missing_column(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.jsonl", _jsonl({"id": 1, "body": "hi"}))
    summary = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    assert "'text'" in summary.error and str(path) in summary.error


def test_ingest_parquet_typed_columns(fresh_db, tmp_path):
    table = pa.table({
        "case_id": ["C1", "C2", "C3"],
        "description": ["Refund never arrived", "", "Engineer did not show up"],
        "opened": [datetime(2026, 9, 1, 9, tzinfo=UTC)] * 3,
        "score": [2, None, 1],
        "churned": [True, False, None],
    })
    pq.write_table(table, tmp_path / "c.parquet")
    source = SourceConfig(kind="complaint", columns={"id": "case_id", "text": "description", "received_at": "opened",
                                                     "rating": "score"}, metadata={"columns": ["churned"]})
    summary = ingest_files(fresh_db, [tmp_path / "c.parquet"], "complaints", source).files[0]
    assert (summary.rows_read, summary.loaded, summary.quarantined) == (3, 2, 1)
    assert fresh_db.execute("SELECT row_number, reason FROM quarantine").fetchall() == [(2, "text is empty")]
    rows = fresh_db.execute("SELECT external_id, received_at::VARCHAR, rating, metadata->>'churned' FROM feedback "
                            "ORDER BY 1").fetchall()
    assert rows == [("C1", "2026-09-01 09:00:00", 2.0, "true"), ("C3", "2026-09-01 09:00:00", 1.0, None)]


def test_ingest_parquet_not_parquet_fails_clearly(fresh_db, tmp_path):
    path = write_bytes(tmp_path, "c.parquet", "id,text\n1,hi\n")
    source = SourceConfig(kind="complaint", columns={"text": "text"})
    summary = ingest_files(fresh_db, [path], "c", source).files[0]
    assert "cannot be read as Parquet" in summary.error and str(path) in summary.error
