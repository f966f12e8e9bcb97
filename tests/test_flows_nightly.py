from __future__ import annotations

import csv
import itertools
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest
from prefect_server import prefect_env, prefect_server, process, stop
from support.paths import ROOT

from vocmine.pipeline import STEPS

NIGHTLY = ROOT / "flows" / "nightly.py"
COMPLAINTS = {  # four themes a small fit can tell apart
    "billing": ["I was charged twice for my {x} bill", "The {x} invoice shows a fee I never agreed to",
                "Refund for the double charge on my {x} account is still missing"],
    "delivery": ["The courier lost my {x} parcel", "My {x} order arrived a week late",
                 "The tracking number for the {x} delivery never updates"],
    "app": ["The app crashes every time I open the {x} page", "Login to the app fails after the {x} update",
            "The {x} screen in the app freezes and logs me out"],
    "service": ["The agent on the {x} call was rude and hung up", "I waited an hour on hold about my {x} contract",
                "Nobody from support called back about the {x} complaint"],
}
SUBJECTS = ["March", "April", "phone", "broadband", "family plan"]


def write_project(folder: Path, per_theme: int = 11) -> Path:
    """A project with one CSV source of short complaints, everything it writes inside ``folder``."""
    (folder / "inbox").mkdir(parents=True)
    rows = []
    for theme, templates in COMPLAINTS.items():
        for i, (template, subject) in enumerate(itertools.islice(itertools.product(templates, SUBJECTS), per_theme)):
            rows.append({"id": f"{theme}-{i}", "text": template.format(x=subject),
                         "when": f"2026-03-{1 + len(rows) % 28:02d}", "stars": 1 + len(rows) % 5})
    with (folder / "inbox" / "feedback.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["id", "text", "when", "stars"])
        writer.writeheader()
        writer.writerows(rows)
    config = folder / "vocmine.toml"
    # min_themes 2: the default (20) needs far more segments than 44
    config.write_text('db = "work/vocmine.duckdb"\npublish_dir = "published"\nreports_dir = "reports"\n'
                      '[embedding]\nbackend = "static"\n'
                      '[themes]\nmin_themes = 2\nmax_themes = 6\nfits_dir = "fits"\n'
                      '[sources.complaints]\nkind = "complaint"\ninbox = ["inbox/*.csv"]\n'
                      '[sources.complaints.columns]\nid = "id"\ntext = "text"\nreceived_at = "when"\nrating = "stars"\n')
    return config


def pipeline_log(db: Path) -> tuple[list[tuple], dict[str, str], int]:
    """(pipeline runs as (run_id, status), step -> status of the last run, feedback rows)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        runs = con.execute("SELECT run_id, status FROM runs WHERE kind = 'pipeline' ORDER BY started_at").fetchall()
        steps = dict(con.execute("SELECT step, status FROM pipeline_steps WHERE run_id = ? ORDER BY position",
                                 [runs[-1][0]]).fetchall()) if runs else {}
        feedback = con.execute("SELECT count(*) FROM feedback").fetchall()[0][0]
    finally:
        con.close()
    return runs, steps, feedback


def test_flows_nightly_has_one_task_per_step_in_pipeline_order(nightly_module):
    assert list(nightly_module.STEP_TASKS) == list(STEPS)
    assert nightly_module.nightly.name == "nightly"
    for name, step in nightly_module.STEP_TASKS.items():
        assert step.name == name
        assert step.timeout_seconds == nightly_module.TIMEOUT_SECONDS[name] >= 30 * 60
        assert step.cache_policy == nightly_module.NO_CACHE
        if name in ("ingest", "publish", "reports"):
            assert (step.retries, step.retry_delay_seconds) == (2, [10, 60])
        else:
            assert step.retries <= 1
    for bookkeeping in (nightly_module.begin, nightly_module.end):
        assert bookkeeping.timeout_seconds and bookkeeping.cache_policy == nightly_module.NO_CACHE


def test_flows_nightly_serve_needs_a_prefect_server(tmp_path):
    env = prefect_env(tmp_path / "prefect")
    done = subprocess.run([sys.executable, str(NIGHTLY), "serve", "--config", str(write_project(tmp_path))],
                          check=False, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "PREFECT_API_URL is not set" in done.stderr


@pytest.mark.slow
def test_flows_nightly_runs_every_step_and_closes_the_run_log(tmp_path, nightly_module):
    config = write_project(tmp_path)
    result = nightly_module.nightly(str(config))
    assert result["steps"] == dict.fromkeys(STEPS, "succeeded")
    assert (tmp_path / "published" / "vocmine.duckdb").is_file()
    runs, steps, feedback = pipeline_log(tmp_path / "work" / "vocmine.duckdb")
    assert runs == [(result["run_id"], "succeeded")]
    assert steps == dict.fromkeys(STEPS, "succeeded")
    assert feedback == 44


@pytest.mark.slow
def test_flows_nightly_failed_step_closes_the_run_and_the_next_run_resumes_there(tmp_path, nightly_module, monkeypatch):
    config = write_project(tmp_path, per_theme=3)

    def broken(ctx):
        raise OSError("views disk full")

    good = STEPS["views"]
    monkeypatch.setitem(STEPS, "views", broken)
    state = nightly_module.nightly(str(config), return_state=True)
    assert state.is_failed() and "views disk full" in str(state.result(raise_on_failure=False))
    runs, steps, _ = pipeline_log(tmp_path / "work" / "vocmine.duckdb")
    assert [status for _, status in runs] == ["failed"] and steps["views"] == "failed" and "publish" not in steps
    monkeypatch.setitem(STEPS, "views", good)
    again = nightly_module.nightly(str(config))  # the pipeline's own resume: the steps before views are skipped
    assert again["resumed"] and again["run_id"] == runs[0][0]
    assert list(again["steps"].values()) == ["skipped"] * 5 + ["succeeded"] * 3


@pytest.mark.slow
def test_flows_nightly_stops_at_once_when_another_process_writes_the_database(tmp_path, nightly_module):
    config = write_project(tmp_path)
    db = tmp_path / "work" / "vocmine.duckdb"
    db.parent.mkdir()
    hold = ("import sys, time; from vocmine.store import connect; con = connect(sys.argv[1]); "
            "print('holding', flush=True); time.sleep(600)")
    holder = [sys.executable, "-c", hold, str(db)]
    with process(holder, tmp_path / "holder.log") as proc:
        while "holding" not in (tmp_path / "holder.log").read_text():
            assert proc.poll() is None, (tmp_path / "holder.log").read_text()
            time.sleep(0.1)
        state = nightly_module.nightly(str(config), return_state=True)
        assert state.is_failed()
        error = state.result(raise_on_failure=False)
        assert isinstance(error, nightly_module.PipelineBusy)
        assert "in use by another process" in str(error)
        assert nightly_module.run_once(config) == 75  # what `python flows/nightly.py run` exits with
    assert pipeline_log(db) == ([], {}, 0)  # nothing began


def api(method: str, url: str, json: dict | None = None) -> httpx.Response:
    """One API call; the server answers 503 while its SQLite database is busy, so ask again."""
    for _ in range(20):
        response = httpx.request(method, url, json=json, timeout=10)
        if response.status_code != 503:
            return response
        time.sleep(0.5)
    return response


def flow_runs(api_url: str, deployment_id: str) -> list[dict]:
    response = api("POST", f"{api_url}/flow_runs/filter",
                   {"deployments": {"id": {"any_": [deployment_id]}}, "sort": "EXPECTED_START_TIME_ASC"})
    response.raise_for_status()
    return response.json()


def wait_for(what: str, check, timeout: float, log: Path):
    """Poll ``check`` until it returns something truthy; fail with the serving process's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(2)
    pytest.fail(f"{what}: nothing after {timeout} s. Serving process:\n{log.read_text()[-4000:]}")


def deployment_id(api_url: str) -> str | None:
    response = api("GET", f"{api_url}/deployments/name/nightly/nightly")
    return response.json()["id"] if response.status_code == 200 else None


def propose_pending(api_url: str, deployment: str) -> dict:
    """A second run of the deployment asks to start, as the serving process would ask."""
    later = api("POST", f"{api_url}/deployments/{deployment}/create_flow_run",
                {"state": {"type": "SCHEDULED", "state_details": {"scheduled_time": "2099-01-01T00:00:00Z"}}})
    later.raise_for_status()
    response = api("POST", f"{api_url}/flow_runs/{later.json()['id']}/set_state", {"state": {"type": "PENDING"}})
    response.raise_for_status()
    return response.json()


@pytest.mark.slow
def test_flows_nightly_serve_runs_on_schedule_one_run_at_a_time(tmp_path):
    config = write_project(tmp_path / "project")
    home = tmp_path / "prefect"
    serve_log = tmp_path / "serve.log"
    # the scheduler looks for new deployments every 5 s; fill the queue sooner than its 60 s loop too
    with prefect_server(home, PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="10") as api_url:
        serve = [sys.executable, str(NIGHTLY), "serve", "--config", str(config), "--cron", "* * * * *"]
        with process(serve, serve_log, env=prefect_env(home, api_url), cwd=ROOT) as proc:
            deployment = wait_for("the nightly deployment", lambda: proc.poll() is None and deployment_id(api_url),
                                  60, serve_log)
            deployment_config = api("GET", f"{api_url}/deployments/{deployment}").json()
            assert deployment_config["schedules"][0]["schedule"]["cron"] == "* * * * *"
            assert deployment_config["global_concurrency_limit"]["limit"] == 1
            assert deployment_config["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"

            def runs_so_far(*states: str) -> list[dict]:
                assert proc.poll() is None, serve_log.read_text()[-4000:]
                runs = flow_runs(api_url, deployment)
                failed = [r for r in runs if r["state_type"] in ("FAILED", "CRASHED")]
                assert not failed, f"{failed[0]['state']}\n{serve_log.read_text()[-4000:]}"
                return [r for r in runs if r["state_type"] in states]

            # while a run runs (a minute here: theme discovery), a second one may not start
            wait_for("a scheduled run running", lambda: runs_so_far("RUNNING"), 150, serve_log)
            second = propose_pending(api_url, deployment)
            assert second["state"]["type"] == "CANCELLED", second
            assert "concurrency limit" in second["state"]["message"]

            wait_for("a scheduled run completing", lambda: runs_so_far("COMPLETED"), 240, serve_log)
            stop(proc)  # the served runs hold the database while they run
        runs = [r for r in flow_runs(api_url, deployment) if r["run_count"] and r["end_time"]]  # ran, ended
        spans = sorted((r["start_time"], r["end_time"]) for r in runs)
        assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans)), spans  # never overlapped
    pipeline_runs, _, feedback = pipeline_log(tmp_path / "project" / "work" / "vocmine.duckdb")
    assert "succeeded" in [status for _, status in pipeline_runs]
    assert feedback == 44
    assert (tmp_path / "project" / "published" / "vocmine.duckdb").is_file()
