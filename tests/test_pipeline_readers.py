"""Analysts reading the published database while a night runs see the old or the new snapshot, whole.

After night 1 two reader processes query the published copy in a loop: one holds a single
read-only connection the whole time, the other connects anew for every query (a second
connection in the same process would reuse the open file, hence two processes). Night 2 runs
meanwhile and must succeed. Each query reads a tuple of counts that changes from night to
night; a reader seeing any tuple but night 1's or night 2's would have seen a mix.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from support.projects import PipelineProject, scalar

from vocmine.store.publish import publish

pytestmark = pytest.mark.slow  # runs `vocmine run` as processes: about two minutes

SNAPSHOT = ("SELECT [(SELECT count(*) FROM feedback), (SELECT count(*) FROM segments), "
            "(SELECT count(*) FROM segment_themes), (SELECT sum(volume) FROM theme_overview)::BIGINT]")

READER = '''
"""Query the published database until told to stop; write every change of the snapshot seen."""
import json, os, sys, time
import duckdb

path, query, mode, pause, stop, ready, out = sys.argv[1:]
held = duckdb.connect(path, read_only=True) if mode == "hold" else None
changes, queries, errors = [], 0, []
while True:
    stopping = os.path.exists(stop)  # one more query after the stop file: it sees the end state
    try:
        con = held or duckdb.connect(path, read_only=True)
        try:
            snapshot = con.execute(query).fetchone()[0]
        finally:
            if held is None:
                con.close()
        if not changes or snapshot != changes[-1]:
            changes.append(snapshot)
        queries += 1
    except Exception as exc:  # recorded: the test fails on any
        errors.append(f"{type(exc).__name__}: {exc}")
    if queries == 1 and not os.path.exists(ready):
        open(ready, "w").close()
    if stopping:
        break
    time.sleep(float(pause))
with open(out, "w") as handle:
    json.dump({"changes": changes, "queries": queries, "errors": errors[:20]}, handle)
'''


def _start_reader(folder: Path, database: Path, query: str, mode: str, pause: float = 0.01) -> subprocess.Popen:
    """A reader process (``pause`` seconds between queries): ``<mode>.ready`` after its first query,
    ``<mode>.json`` at the end."""
    script = folder / "reader.py"
    if not script.exists():
        script.write_text(READER, encoding="utf-8")
    return subprocess.Popen([sys.executable, str(script), str(database), query, mode, str(pause), str(folder / "stop"),
                             str(folder / f"{mode}.ready"), str(folder / f"{mode}.json")])


def _stop(folder: Path, readers: dict[str, subprocess.Popen]) -> dict[str, dict]:
    (folder / "stop").touch()
    for reader in readers.values():
        reader.wait(timeout=60)
    return {mode: json.loads((folder / f"{mode}.json").read_text(encoding="utf-8")) for mode in readers}


def _wait_ready(path: Path, reader: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert reader.poll() is None, f"reader {path.stem} exited with {reader.returncode}"
        assert time.monotonic() < deadline, f"reader {path.stem} never queried"
        time.sleep(0.05)


def test_pipeline_readers_see_the_old_or_the_new_snapshot_never_a_mix(tmp_path):
    project = PipelineProject.create(tmp_path / "project")
    project.add_night(1)
    night_1_run = project.run()
    assert night_1_run.returncode == 0, night_1_run.stdout + night_1_run.stderr
    night_1 = scalar(project.published, SNAPSHOT)

    folder = tmp_path / "readers"
    folder.mkdir()
    readers = {mode: _start_reader(folder, project.published, SNAPSHOT, mode) for mode in ("hold", "reconnect")}
    try:
        for mode, reader in readers.items():
            _wait_ready(folder / f"{mode}.ready", reader)
        project.add_night(2)
        started = time.perf_counter()
        night_2_run = project.run()
        took = time.perf_counter() - started
        time.sleep(0.5)  # a few more queries of the new snapshot
    finally:
        seen = _stop(folder, readers)
    assert night_2_run.returncode == 0, night_2_run.stdout + night_2_run.stderr
    print(f"\nnight 2 took {took:.0f} s beside the readers; queries: "
          + ", ".join(f"{mode} {s['queries']}" for mode, s in seen.items()))

    assert scalar(project.previous, SNAPSHOT) == night_1  # the previous good copy is night 1's
    night_2 = scalar(project.published, SNAPSHOT)
    assert night_2 != night_1 and all(new > old for new, old in zip(night_2[:3], night_1[:3], strict=True))
    assert seen["hold"]["errors"] == [] and seen["reconnect"]["errors"] == []
    assert seen["hold"]["changes"] == [night_1]  # its open file stays night 1's, whole, to the end
    assert seen["reconnect"]["changes"] == [night_1, night_2]  # switched once, from old to new
    published = project.published.parent
    assert not list(published.glob("*.wal")) and not list(published.glob("*.partial"))
    assert pq.read_metadata(published / "parquet" / "feedback.parquet").num_rows == night_2[0]
    assert pq.read_metadata(published / "parquet" / "theme_overview.parquet").num_rows == \
        scalar(project.published, "SELECT count(*) FROM theme_overview")


def test_pipeline_readers_connecting_during_publication_always_find_a_database(tmp_path):
    """Publishing swaps files by rename; a reader connecting at that moment must find the old or the new."""
    con = duckdb.connect()
    con.execute("CREATE TABLE readings AS SELECT range AS n FROM range(100)")  # any table: the swap is the point
    published = publish(con, tmp_path / "published", parquet=False).database
    reader = {"reconnect": _start_reader(tmp_path, published, "SELECT count(*) FROM readings", "reconnect", pause=0)}
    try:
        _wait_ready(tmp_path / "reconnect.ready", reader["reconnect"])
        for _ in range(300):
            con.execute("INSERT INTO readings VALUES (0)")
            publish(con, tmp_path / "published", parquet=False)
    finally:
        seen = _stop(tmp_path, reader)["reconnect"]
    assert seen["errors"] == []
    assert seen["changes"] == sorted(set(seen["changes"])) and seen["changes"][-1] == 400  # never back in time
