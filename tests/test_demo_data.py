"""The bundled demo data: reproducible from its generator, and ingested exactly as planted."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT
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
        (path,) = inbox_files(settings, name)
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
