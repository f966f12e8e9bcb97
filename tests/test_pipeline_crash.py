"""A night killed (SIGKILL) in any step and run again ends with the same analyst tables.

Two projects get the same input. The reference runs night 1 and night 2 straight through. The
other runs night 1, then night 2 is killed during ingest, enrichment, theme assignment and
publishing, each time run again (resuming the unfinished run), until a last run completes.
Every analyst table and view of both published databases (and of both working databases) must
then have the same checksum, bookkeeping aside (pipeline_project.BOOKKEEPING_*).
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from support.projects import PipelineProject, checksums, scalar

pytestmark = pytest.mark.slow  # runs `vocmine run` as processes: minutes

TIMEOUT = 900  # seconds a single `vocmine run` may take before the test gives up on it


@dataclass(frozen=True)
class KillPoint:
    step: str  # the step the kill must land in
    line: str  # regex of the output line that triggers the kill
    wait_for: str | None = None  # then wait (a little) for this file under the project to appear
    # or then wait this share of the time the uninterrupted run's step took (it prints no progress)
    share_of_step: float = 0.0


KILLS = [
    KillPoint("ingest", r"ingest: 1/"),  # one file committed, the others not yet
    KillPoint("enrich", r"enrich: [1-9][\d,]*/"),  # one batch committed
    # 40% into the step: past its imports, inside the transaction that assigns new segments and
    # proposes themes (a faulthandler traceback at that moment showed describe_themes in _propose)
    KillPoint("themes", r"themes: started", share_of_step=0.4),
    KillPoint("publish", r"publish: started", wait_for="published/vocmine.duckdb.partial"),  # mid-build
]


@dataclass
class AfterKill:
    step: str
    wal: bool  # the working database had a WAL beside it
    step_status: str  # of the killed step, read back from the database
    partial: bool  # a half-built publication was left behind
    unplaced: int  # segments with no theme row yet (0 after themes: the assignment had committed)
    delay: float  # seconds waited after the line


def _run_side_by_side(projects: list[PipelineProject], name: str) -> None:
    """`vocmine run` in every project at once (they share nothing); each must succeed."""
    logs = [p.folder / f"{name}.log" for p in projects]
    procs = [p.start(log=log) for p, log in zip(projects, logs, strict=True)]
    try:
        for proc, log in zip(procs, logs, strict=True):
            _finished(proc, log)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _finished(proc, log: Path) -> None:
    assert proc.wait(timeout=TIMEOUT) == 0, log.read_text(encoding="utf-8")


def _wait_for(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def _kill_at(project: PipelineProject, point: KillPoint, delay: float = 0.0) -> list[str]:
    """Start `vocmine run --verbose`, SIGKILL it at the point's line; returns what it printed."""
    proc = project.start("--verbose")
    watchdog = threading.Timer(TIMEOUT, proc.kill)
    watchdog.start()
    printed: list[str] = []
    try:
        for line in proc.stdout:
            printed.append(line.rstrip("\n"))
            if re.match(point.line, line):
                if point.wait_for:
                    _wait_for(project.folder / point.wait_for, 10)
                time.sleep(delay)
                os.kill(proc.pid, signal.SIGKILL)
                break
        printed += proc.stdout.read().splitlines()
    finally:
        watchdog.cancel()
        proc.stdout.close()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"never reached {point.line!r}:\n" + "\n".join(printed)
    return printed


def _after_kill(project: PipelineProject, point: KillPoint, night_1_feedback: int, delay: float) -> AfterKill:
    """The working database opens (replaying a leftover WAL); the analysts' copy is still night 1's."""
    wal = Path(f"{project.db}.wal")
    had_wal = wal.exists()
    con = duckdb.connect(str(project.db), read_only=True)
    try:
        running = con.execute("SELECT run_id FROM runs WHERE kind = 'pipeline' AND status = 'running'").fetchall()
        assert len(running) == 1, "a killed run stays 'running' so that the next one resumes it"
        status = con.execute("SELECT status FROM pipeline_steps WHERE run_id = ? AND step = ? "
                             "ORDER BY started_at DESC LIMIT 1", [running[0][0], point.step]).fetchone()
        unplaced = con.execute("SELECT count(*) FROM segments WHERE segment_id NOT IN "
                               "(SELECT segment_id FROM segment_themes)").fetchone()[0]
    finally:
        con.close()
    if had_wal:
        assert wal.exists(), "a read-only open must leave the WAL to the next run"
    assert scalar(project.published, "SELECT count(*) FROM feedback") == night_1_feedback
    partial = (project.folder / "published" / "vocmine.duckdb.partial").exists()
    return AfterKill(point.step, had_wal, status[0] if status else "not started", partial, unplaced, delay)


def _differences(reference: dict[str, str], other: dict[str, str]) -> list[str]:
    return [f"{name}: {reference.get(name)} != {other.get(name)}"
            for name in sorted(set(reference) | set(other)) if reference.get(name) != other.get(name)]


def test_pipeline_crash_killed_night_resumes_to_the_tables_of_an_uninterrupted_one(tmp_path):
    reference = PipelineProject.create(tmp_path / "reference")
    crashed = PipelineProject.create(tmp_path / "crashed")
    started = time.perf_counter()

    for project in (reference, crashed):
        project.add_night(1)
    _run_side_by_side([reference, crashed], "night1")
    assert crashed.step_counts("themes")["refit"] is True
    night_1_feedback = scalar(crashed.published, "SELECT count(*) FROM feedback")
    night_1_done = time.perf_counter()

    for project in (reference, crashed):
        project.add_night(2)
    # the reference's night 2 runs meanwhile; its theme step's time tells when to kill that step
    uninterrupted = reference.start(log=reference.folder / "night2.log")
    try:
        kills = []
        for point in KILLS:
            delay = 0.0
            if point.share_of_step:
                _finished(uninterrupted, reference.folder / "night2.log")
                delay = point.share_of_step * reference.step_seconds(point.step)
            _kill_at(crashed, point, delay)
            kills.append(_after_kill(crashed, point, night_1_feedback, delay))
        last = crashed.run()
    except BaseException:
        uninterrupted.kill()
        raise
    _finished(uninterrupted, reference.folder / "night2.log")
    assert last.returncode == 0, last.stdout + last.stderr
    night_2_done = time.perf_counter()
    print(f"\nnight 1 (both projects side by side): {night_1_done - started:.0f} s; "
          f"night 2 (reference beside 4 kills and a last run): {night_2_done - night_1_done:.0f} s")
    for k in kills:
        print(f"killed in {k.step} ({k.delay:.1f} s after its line): step {k.step_status}, WAL left: {k.wal}, "
              f"partial publication left: {k.partial}, segments without a theme row: {k.unplaced}")

    assert [k.step_status for k in kills] == ["running"] * len(KILLS), "each kill must land inside its step"
    assert any(k.wal for k in kills), "no kill left a WAL: the test did not open a database with one"
    assert "(resumed)" in last.stdout and "views: done in the interrupted run, skipped" in last.stdout
    for project in (reference, crashed):
        assert project.step_counts("themes")["refit"] is False  # night 2 assigned to the fitted themes
        assert scalar(project.db, "SELECT count(*) FROM runs WHERE kind = 'pipeline'") == 2  # night 2 resumed
        assert not list((project.folder / "published").glob("*.wal"))
        assert not list((project.folder / "published").glob("*.partial"))

    compared = []
    for database in ("published/vocmine.duckdb", "work/vocmine.duckdb"):
        ours = checksums(reference.folder / database, reference.folder)
        theirs = checksums(crashed.folder / database, crashed.folder)
        differ = _differences(ours, theirs)
        print(f"{database}: {len(ours)} tables and views compared, {len(differ)} differ")
        assert not differ, f"{database} differs after the kills:\n" + "\n".join(differ)
        compared.append(ours)
    assert {"feedback", "segments", "segment_themes", "themes", "theme_overview", "priorities"} <= set(compared[0])


def test_pipeline_crash_checksums_ignore_bookkeeping_only(tmp_path):
    """Two databases that differ only in run IDs, clock times and the project folder sum the same."""
    sums = []
    for name, run_id, when in (("a", "r1", "2026-01-01 00:00:00"), ("b", "r2", "2026-02-02 00:00:00")):
        folder = tmp_path / name
        folder.mkdir()
        con = duckdb.connect(str(folder / "x.duckdb"))
        con.execute("CREATE TABLE feedback (feedback_id VARCHAR, file VARCHAR, run_id VARCHAR, "
                    "ingested_at TIMESTAMP, rating DOUBLE)")
        con.execute("INSERT INTO feedback VALUES ('f1', ?, ?, ?, 4.5), ('f2', NULL, ?, ?, NULL)",
                    [str(folder.resolve() / "inbox" / "n.csv"), run_id, when, run_id, when])
        con.execute(f"CREATE TABLE runs AS SELECT '{run_id}' AS run_id")
        con.close()
        sums.append(checksums(folder / "x.duckdb", folder))
    assert sums[0] == sums[1] and set(sums[0]) == {"feedback"}
    con = duckdb.connect(str(tmp_path / "b" / "x.duckdb"))
    con.execute("UPDATE feedback SET rating = 4.0 WHERE feedback_id = 'f1'")
    con.close()
    assert checksums(tmp_path / "b" / "x.duckdb", tmp_path / "b") != sums[0]


def test_pipeline_crash_project_splits_every_sixth_demo_feedback_into_two_nights(tmp_path):
    project = PipelineProject.create(tmp_path)
    night_1, night_2 = project.add_night(1), project.add_night(2)
    assert len(night_1) == len(night_2) == 12 and not set(night_1) & set(night_2)
    lines = {night: sum(len((tmp_path / "inbox" / name).read_bytes().splitlines())
                        for name in names if name.endswith(".jsonl"))
             for night, names in ((1, night_1), (2, night_2))}
    assert lines == {1: 100, 2: 67}  # 167 of the demo's 1,000 reviews, 60% on night 1
