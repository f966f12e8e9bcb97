"""The pipeline's run log, resuming and notifications, with the steps replaced by recorders
(the real steps are exercised by the slow pipeline tests)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from functools import partial

import duckdb
import pytest
from typer.testing import CliRunner

from vocmine.cli import app
from vocmine.config import NotifyConfig, load_settings
from vocmine.parallel import IN_PROCESS
from vocmine.pipeline import STEPS, PipelineBusy, RunRefused, StepContext, begin_run, run_pipeline, run_step
from vocmine.store import connect


@pytest.fixture
def recording_steps(tmp_path, monkeypatch):
    """A config in tmp_path, and steps that record their calls; `broken` names steps that fail."""
    config = tmp_path / "vocmine.toml"
    config.write_text('db = "work.duckdb"\n[sources.notes]\nkind = "call_note"\ncolumns = { text = "text" }\n',
                      encoding="utf-8")
    calls: list[str] = []
    broken: set[str] = set()

    def fake(name):
        def step(ctx: StepContext) -> dict:
            calls.append(name)
            if name in broken:
                raise OSError(f"{name} disk full")

            return {"did": name}
        return step

    for name in list(STEPS):
        monkeypatch.setitem(STEPS, name, fake(name))
    return config, calls, broken


def test_pipeline_runs_every_step_in_order_and_logs_them(recording_steps):
    config, calls, _ = recording_steps
    result = run_pipeline(load_settings(config))
    assert result.ok and not result.resumed and calls == list(STEPS)
    con = connect(load_settings(config).db_path)
    steps = con.execute("SELECT step, status, counts FROM pipeline_steps WHERE run_id = ? ORDER BY position",
                        [result.run_id]).fetchall()
    assert [(s, st, json.loads(c)) for s, st, c in steps] == [(n, "succeeded", {"did": n}) for n in STEPS]
    run = con.execute("SELECT kind, status, counts FROM runs WHERE run_id = ?", [result.run_id]).fetchone()
    assert run[:2] == ("pipeline", "succeeded") and "versions" in json.loads(run[2])


def test_pipeline_failure_is_recorded_and_the_rerun_resumes_at_that_step(recording_steps):
    config, calls, broken = recording_steps
    broken.add("themes")
    failed = run_pipeline(load_settings(config))
    assert not failed.ok and failed.error == "themes: OSError: themes disk full [step]"
    assert calls == ["ingest", "enrich", "embed", "themes"]      # nothing after the failed step
    broken.clear()
    calls.clear()
    again = run_pipeline(load_settings(config))
    assert again.ok and again.resumed and again.run_id == failed.run_id
    assert [s.status for s in again.steps[:3]] == ["skipped"] * 3 and calls == list(STEPS)[3:]
    fresh = run_pipeline(load_settings(config))
    assert not fresh.resumed and fresh.run_id != failed.run_id and calls[-len(STEPS):] == list(STEPS)


def test_pipeline_killed_mid_run_resumes_at_the_interrupted_step(recording_steps):
    config, calls, _ = recording_steps
    settings = load_settings(config)
    con = connect(settings.db_path)
    interrupted = begin_run(con)
    ctx = StepContext(con, settings)
    for name in ("ingest", "enrich"):
        run_step(ctx, interrupted, name)
    con.execute("INSERT INTO pipeline_steps (run_id, step, position, status, started_at) "
                "VALUES (?, 'embed', 3, 'running', now()::TIMESTAMP)", [interrupted.run_id])
    con.close()                                   # the process died here: no end_run
    calls.clear()
    result = run_pipeline(settings)
    assert result.resumed and result.run_id == interrupted.run_id and calls == list(STEPS)[2:]


def test_pipeline_refuses_to_run_beside_another_writer(recording_steps):
    config, _, _ = recording_steps
    settings = load_settings(config)
    connect(settings.db_path).close()
    hold = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", hold, str(settings.db_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        started = []
        with pytest.raises(PipelineBusy, match="in use by another process"):
            run_pipeline(settings, runner=lambda: started.append("cluster") or contextlib.nullcontext(IN_PROCESS))
        assert started == []  # a busy run starts no Dask cluster
        result = CliRunner().invoke(app, ["run", "--config", str(config)])
        assert result.exit_code == 75
    finally:
        holder.kill()
        holder.wait()


def test_pipeline_notifies_by_command_on_failure_and_success(recording_steps, tmp_path):
    config, _, broken = recording_steps
    out = tmp_path / "told.txt"
    settings = load_settings(config)
    settings.notify = NotifyConfig(command=f'echo "$VOCMINE_RUN_STATUS $VOCMINE_RUN_ERROR" >> {out}',
                                   on=["failure", "success"])
    broken.add("publish")
    run_pipeline(settings)
    broken.clear()
    run_pipeline(settings)
    assert out.read_text().splitlines() == ["failed publish: OSError: publish disk full [step]", "succeeded "]


def test_pipeline_undeliverable_notification_never_fails_the_run(recording_steps):
    config, _, _ = recording_steps
    settings = load_settings(config)
    settings.notify = NotifyConfig(webhook="http://127.0.0.1:9/unreachable", command="exit 3", on=["success"])
    result = run_pipeline(settings)
    assert result.ok and len(result.notify_errors) == 2


def test_pipeline_cli_exits_1_when_a_step_fails(recording_steps):
    config, _, broken = recording_steps
    broken.add("enrich")
    result = CliRunner().invoke(app, ["run", "--config", str(config)])
    assert result.exit_code == 1 and "enrich failed" in result.output


def _told(tmp_path) -> tuple[NotifyConfig, object]:
    out = tmp_path / "told.txt"
    return NotifyConfig(command=f'echo "$VOCMINE_RUN_STATUS $VOCMINE_RUN_ERROR" >> {out}', on=["failure"]), out


def test_pipeline_library_system_exit_fails_the_step_not_the_run_log(recording_steps, tmp_path, monkeypatch):
    config, _, _ = recording_steps
    _set_exits(monkeypatch, {"enrich": SystemExit(1)})  # spaCy exits the process when a model cannot be found
    settings = load_settings(config)
    settings.notify, out = _told(tmp_path)
    result = run_pipeline(settings)
    assert not result.ok and result.error.startswith("enrich: SystemExit: 1")
    con = connect(settings.db_path)
    assert con.execute("SELECT status FROM runs WHERE run_id = ?", [result.run_id]).fetchone() == ("failed",)
    assert out.read_text().startswith("failed enrich: SystemExit")


def test_pipeline_interrupted_run_is_closed_failed_and_told(recording_steps, tmp_path, monkeypatch):
    config, _, _ = recording_steps
    _set_exits(monkeypatch, {"embed": KeyboardInterrupt()})
    settings = load_settings(config)
    settings.notify, out = _told(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(settings)
    con = connect(settings.db_path)
    assert con.execute("SELECT status, error FROM runs WHERE kind = 'pipeline'").fetchone()[0] == "failed"
    assert con.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone() == (0,)
    assert out.read_text().startswith("failed embed: interrupted: KeyboardInterrupt")


def _set_exits(monkeypatch, exits: dict[str, BaseException]) -> None:
    for name, exc in exits.items():
        def step(ctx, exc=exc):
            raise exc

        monkeypatch.setitem(STEPS, name, step)


def test_pipeline_cli_tells_when_the_store_cannot_be_opened(recording_steps, tmp_path, monkeypatch):
    from vocmine.pipeline import run

    config, _, _ = recording_steps
    told = tmp_path / "told.txt"
    with config.open("a") as out:
        out.write(f'[notify]\ncommand = "echo $VOCMINE_RUN_STATUS $VOCMINE_RUN_ERROR > {told}"\n')

    def broken(settings):
        raise RuntimeError("migration 018 was edited after it was applied")

    monkeypatch.setattr(run, "open_store", broken)
    result = CliRunner().invoke(app, ["run", "--config", str(config)])
    assert result.exit_code == 1 and isinstance(result.exception, RuntimeError)
    assert told.read_text().startswith("failed RuntimeError: migration 018 was edited")


def test_pipeline_starts_the_batch_runner_once_after_the_checks(recording_steps):
    """A Dask cluster is started for the run only once the settings passed and the store is held,
    and is stopped when the run ends."""
    config, calls, _ = recording_steps
    events = []

    @contextlib.contextmanager
    def runner():
        events.append(("start", list(calls)))
        yield IN_PROCESS
        events.append(("stop", list(calls)))

    assert run_pipeline(load_settings(config), runner=runner).ok
    assert events == [("start", []), ("stop", list(STEPS))]
    config.write_text(config.read_text(encoding="utf-8") + '[nlp]\nmodel = "no_such_pipeline_sm"\n', encoding="utf-8")
    refused = load_settings(config)
    events.clear()
    with pytest.raises(RunRefused, match="nlp.model"):
        run_pipeline(refused, runner=runner, preflight=True)
    assert events == []


def test_pipeline_run_creates_the_analyst_views_once_before_the_first_step(recording_steps, monkeypatch):
    """The store a run opens gets its views before the first step (a store made by an older
    release, or one just migrated, has none; the themes step reads ``theme_weekly``); the views
    step and publish then find the same views, never made a second time, and the analysts'
    copy has every one. A view made again has a new ``view_oid`` in ``duckdb_views()``."""
    from vocmine.analytics.views import analyst_views
    from vocmine.pipeline import steps

    config, _, _ = recording_steps
    settings = load_settings(config)
    connect(settings.db_path).close()   # migrated, no view: what an older release's store looks like
    seen: dict[str, dict[str, int]] = {}

    def looking(name, step=None):
        def look(ctx: StepContext) -> dict:
            seen[name] = dict(ctx.con.execute("SELECT view_name, view_oid FROM duckdb_views() "
                                              "WHERE NOT internal").fetchall())
            return step(ctx) if step else {}
        return look

    monkeypatch.setitem(STEPS, "ingest", looking("ingest"))
    monkeypatch.setitem(STEPS, "views", looking("views", steps.views))
    monkeypatch.setitem(STEPS, "publish", looking("publish", partial(steps.publish, parquet=False)))
    monkeypatch.setitem(STEPS, "reports", looking("reports"))
    assert run_pipeline(settings).ok
    views = {v.name for v in analyst_views()}
    assert set(seen["ingest"]) == views
    assert seen["ingest"] == seen["views"] == seen["publish"] == seen["reports"]
    published = settings.resolve(settings.publish_dir) / "vocmine.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        assert {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()} == views
