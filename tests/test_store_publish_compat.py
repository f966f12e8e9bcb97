"""The analysts' copy opens in the DuckDB their tools bundle, not only in the engine that wrote it.

The slow test installs DuckDB 1.4 from PyPI into a separate environment (kept in pytest's cache
folder, so it is made once per machine) and queries every published view with it.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from support.handmade import refresh

from vocmine.config import PublishConfig
from vocmine.store.publish import publish

OLD_DUCKDB = "duckdb==1.4.2"

# every view, from 20 fresh connections: DuckDB 1.4's parallel whole-list window aggregates failed
# now and then (1-2 connections in 60, "Attempted to access index 3 within vector of size 3", in
# priorities), so one query proved little
READ_EVERY_VIEW = """
import json, sys, duckdb
for _ in range(20):
    con = duckdb.connect(sys.argv[1], read_only=True)
    views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
    rows = {v: con.execute(f'SELECT count(*) FROM "{v}"').fetchone()[0] for v in views}
    con.close()
print(json.dumps({"version": duckdb.__version__, "rows": rows}))
"""


def _storage_version(path: Path) -> int:
    """The storage version number in a DuckDB file's header (64: readable by every DuckDB 1.x)."""
    head = path.read_bytes()[:64]
    at = head.index(b"DUCK")
    return struct.unpack("<Q", head[at + 4:at + 12])[0]


def test_store_publish_writes_a_storage_version_duckdb_1_reads_by_default(handmade_store, tmp_path):
    refresh(handmade_store)
    assert PublishConfig().storage_version == "v1.0.0"
    default = publish(handmade_store, tmp_path / "default", parquet=False).database
    latest = publish(handmade_store, tmp_path / "latest", parquet=False, storage_version="latest").database
    assert _storage_version(default) == 64
    assert _storage_version(latest) > 64   # the engine's own, which DuckDB 1.x refuses
    reader = duckdb.connect(str(default), read_only=True)
    assert reader.execute("SELECT count(*) FROM priorities").fetchone() == \
        handmade_store.execute("SELECT count(*) FROM priorities").fetchone()


def test_store_publish_rejects_a_storage_version_it_cannot_pass_on(handmade_store, tmp_path):
    with pytest.raises(ValueError, match="storage version"):
        publish(handmade_store, tmp_path, storage_version="v1'); DROP TABLE feedback; --")
    with pytest.raises(ValueError, match="publish.storage_version"):
        PublishConfig(storage_version="1.0")


@pytest.fixture(scope="session")
def duckdb_1(request) -> Path:
    """Python with DuckDB 1.4 in its own environment, made once and kept in pytest's cache."""
    folder = Path(request.config.cache.mkdir("duckdb-1.4-venv"))
    python = folder / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    probe = subprocess.run([str(python), "-c", "import duckdb; print(duckdb.__version__)"], check=False, capture_output=True,
                           text=True)
    if probe.returncode or not probe.stdout.startswith("1.4"):
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", OLD_DUCKDB],
                       check=True)
    return python


@pytest.mark.slow
def test_store_publish_copy_opens_in_duckdb_1_with_every_view_answering(handmade_store, tmp_path, duckdb_1):
    refresh(handmade_store)
    published = publish(handmade_store, tmp_path, parquet=False)
    out = subprocess.run([str(duckdb_1), "-c", READ_EVERY_VIEW, str(published.database)], check=False, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["version"].startswith("1.4")
    assert sorted(answer["rows"]) == sorted(published.views)
    for view, rows in answer["rows"].items():
        assert rows == handmade_store.execute(f'SELECT count(*) FROM "{view}"').fetchone()[0], view
    assert answer["rows"]["priorities"] > 0
