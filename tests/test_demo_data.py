"""The bundled demo data: reproducible from its generator, and ingested exactly as planted."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import tomllib

import pyarrow.parquet as pq
from support.paths import ROOT

from vocmine.config import load_settings
from vocmine.ingest import inbox_files, ingest_files
from vocmine.store import connect

DEMO = ROOT / "data" / "demo"


def test_demo_generator_reproduces_the_committed_files(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "data" / "generate_demo.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for committed in sorted(DEMO.iterdir()):
        assert (tmp_path / committed.name).read_bytes() == committed.read_bytes(), committed.name


def test_demo_ingest_quarantines_exactly_the_planted_rows(tmp_path):
    settings = load_settings(ROOT / "vocmine.toml", db=tmp_path / "demo.duckdb")
    manifest = json.loads((DEMO / "manifest.json").read_text())
    con = connect(settings.db_path)
    for name in sorted(settings.sources):
        (path,) = inbox_files(settings.source(name), settings.project_dir)
        planted = manifest["files"][path.name]
        summary = ingest_files(con, [path], name, settings.source(name)).files[0]
        assert summary.error is None and summary.reconciles
        assert summary.rows_read == planted["rows"]
        assert summary.duplicates == len(planted["duplicates"])
        quarantined = con.execute("SELECT row_number FROM quarantine WHERE source = ? ORDER BY 1", [name]).fetchall()
        assert [r[0] for r in quarantined] == sorted(m["row_number"] for m in planted["malformed"])
    total = con.execute("SELECT count(*), count(DISTINCT customer_id), min(received_at) >= '2026-08-31', "
                        "max(received_at) < '2026-11-23' FROM feedback").fetchone()
    assert total[0] == 3000 - 12 - 2 and total[1] > 1000 and total[2] and total[3]


def _raw_texts() -> dict[tuple[str, str], tuple[str, str]]:
    """(source, record id) -> (text, channel) as written in the demo files."""
    raw = (DEMO / "call_notes.csv").read_bytes().decode("utf-8", errors="surrogateescape")
    raw = re.sub("[\udc80-\udcff]", lambda m: chr(ord(m.group()) - 0xDC00), raw)  # the planted 0xE9, as latin-1
    texts = {}
    for row in list(csv.reader(io.StringIO(raw, newline="")))[1:]:
        notes = ", ".join(row[4:6]) if len(row) == 10 else row[4]  # 10 fields: notes split at a comma
        texts["call_notes", row[0]] = notes, row[2]
    for line in (DEMO / "reviews.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            review = json.loads(line)
        except json.JSONDecodeError:
            continue  # the planted truncated line
        texts["reviews", review["review_id"]] = review["body"], review["platform"]
    for case in pq.read_table(DEMO / "complaints.parquet").to_pylist():
        texts["complaints", case["case_id"]] = case["description"], case["channel"]
    return texts


def test_demo_ground_truth_uses_taxonomy_ids_and_quotes_the_feedback_text():
    taxonomy = tomllib.loads((ROOT / "vocmine" / "journey" / "taxonomy.toml").read_text(encoding="utf-8"))
    stages = {s["id"] for s in taxonomy["stages"]} | {"unknown"}
    touchpoints = {t["id"] for t in taxonomy["touchpoints"]} | {"unknown"}
    by_channel = {c: t["id"] for t in taxonomy["touchpoints"] for c in t.get("channels", [])}
    texts = _raw_texts()
    with (DEMO / "ground_truth.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0])[-2:] == ["text", "touchpoint_source"]
    for row in rows:
        where = (row["source"], row["record_id"], row["segment_index"])
        assert row["journey_stage"] in stages, where
        assert row["touchpoint"] in touchpoints, where
        text, channel = texts[row["source"], row["record_id"]]
        assert row["text"] and row["text"] in text, where
        # the touchpoint follows the policy: named by the clause, else the channel's, else unknown
        source = row["touchpoint_source"]
        assert source in ("named", "channel", "none"), where
        assert (row["touchpoint"] == "unknown") == (source == "none"), where
        if source == "channel":
            assert by_channel.get(channel) == row["touchpoint"], where
        if source == "none":
            assert channel not in by_channel, where
