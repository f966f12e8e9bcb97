"""The nightly run: every pipeline step as a Prefect task, retried, timed out and logged.

    python flows/nightly.py run [--config vocmine.toml]
    python flows/nightly.py serve [--config vocmine.toml] [--cron "0 2 * * *"] [--timezone Europe/London]

``run`` runs the flow once (on a temporary local Prefect server unless ``PREFECT_API_URL`` is
set). ``serve`` registers the ``nightly/nightly`` deployment on the ``[schedule]`` of the config
and runs it on time; schedules need a real server (``prefect server start``, then
``PREFECT_API_URL=http://127.0.0.1:4200/api``). Both exit non-zero when the run fails.

The flow is ``vocmine run`` with each part made a Prefect task: it calls the pipeline's one run
loop (``run_pipeline``) with a ``wrap`` that runs ``begin`` (open or resume the pipeline run in
the database's run log), each step (``run_step``: an interrupted run resumes at the step it
stopped in, exactly as ``vocmine run`` would) and ``end`` (close the run log, notify, even when
a step failed) as tasks. Nothing here decides what a run does; it adds retries, time-outs and
logs.

Two runs never overlap:

1. the served deployment allows one run at a time (``concurrency_limit=1``, collision
   strategy ``CANCEL_NEW``): a night's run that finds the last one still going is cancelled,
   not queued (steps are incremental, the next night catches up); the serving process also
   runs one flow at a time (``limit=1``);
2. the run keeps the working database open from start to end (``run_pipeline``), and DuckDB
   lets one process write it: a run started any other way (ad hoc, ``vocmine run``) while
   another is going fails at once with PipelineBusy instead of waiting.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

from vocmine.config import ScaleConfig, ScheduleConfig, Settings, load_settings
from vocmine.parallel import BatchRunner
from vocmine.pipeline import (
    STEPS,
    PipelineBusy,
    PipelineResult,
    RunRefused,
    StepResult,
    run_pipeline,
)
from vocmine.pipeline.progress import ProgressLines, log_events

if __package__ in (None, ""):  # run by path (python flows/nightly.py, or Prefect's entrypoint)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from flows import run_context
from flows.scale import batch_runner

DEPLOYMENT = "nightly"
MINUTE, HOUR = 60, 3600
# Steps that read or write files (inboxes, the published copy, reports) fail for passing
# reasons (a file still being copied, a full disk), so they are retried after a pause.
# Compute steps fail the same way twice; the next night's run resumes at them.
IO_STEPS = ("ingest", "publish", "reports")
IO_RETRIES = 2
IO_RETRY_DELAYS = [10, 60]  # seconds before the first and the second retry
# Generous: a step that runs longer is stuck, not slow (the demo's 10k feedback take minutes).
TIMEOUT_SECONDS = {
    "ingest": 30 * MINUTE, "enrich": 3 * HOUR, "embed": 3 * HOUR, "themes": 3 * HOUR, "tag": 1 * HOUR,
    "views": 30 * MINUTE, "publish": 30 * MINUTE, "reports": 30 * MINUTE,
}
BOOKKEEPING_TIMEOUT = 5 * MINUTE  # begin and end: a few statements on the run log



class StepFailedError(RuntimeError):
    """A step recorded a failure; ``.result`` is its StepResult (for the run log's summary)."""


def _settings(config: str | None) -> Settings:
    return load_settings(Path(config) if config else None)


def _part(name: str) -> Any:
    """Run the part of the run ``_as_task`` handed over for the task ``name``."""
    call = run_context.PART.get()
    if call is None:
        raise RuntimeError(f"task {name} runs a part of a pipeline run: run it through the nightly flow")
    return call()


@task(name="begin", cache_policy=NO_CACHE, persist_result=False, timeout_seconds=BOOKKEEPING_TIMEOUT)
def begin(name: str = "begin") -> PipelineResult:
    """Start a pipeline run, or resume the last one if it did not finish (the pipeline's begin)."""
    run = _part(name)
    logger = get_run_logger()
    if run.resumed:
        logger.info("resuming run %s; done before: %s", run.run_id, ", ".join(sorted(run.done_before)) or "nothing")
    else:
        logger.info("started run %s", run.run_id)
    return run


def _step(name: str) -> StepResult:
    """Step ``name`` of the run (the pipeline's run_step), with progress lines in the task's log;
    a failed step raises, so that Prefect retries it."""
    with ProgressLines(get_run_logger().info) as lines:
        token = run_context.STEP_LOG.set(log_events(lines, lambda counts: "done"))
        try:
            step = _part(name)
        finally:
            run_context.STEP_LOG.reset(token)
    logger = get_run_logger()
    if step.status == "failed":
        exc = StepFailedError(f"step {step.step} failed: {step.error}")
        exc.result = step  # set after construction: exceptions pickle their __dict__, not extra arguments
        raise exc
    if step.status == "skipped":
        logger.info("%s: finished by the interrupted run, skipped", step.step)
    else:
        logger.info("%s: %s (%.1f s)", step.step, step.counts, step.seconds)
    return step


def _step_task(name: str) -> Task:
    io = name in IO_STEPS
    return task(
        _step, name=name, task_run_name=name, cache_policy=NO_CACHE, persist_result=False,
        retries=IO_RETRIES if io else 0, retry_delay_seconds=IO_RETRY_DELAYS if io else 0,
        timeout_seconds=TIMEOUT_SECONDS[name],
    )


STEP_TASKS: dict[str, Task] = {name: _step_task(name) for name in STEPS}


@task(name="end", cache_policy=NO_CACHE, persist_result=False, timeout_seconds=BOOKKEEPING_TIMEOUT)
def end(name: str = "end") -> PipelineResult:
    """Close the run in the log (status, counts, versions) and send the notifications (the pipeline's end)."""
    result = _part(name)
    logger = get_run_logger()
    for problem in result.notify_errors:
        logger.warning("notification failed: %s", problem)
    (logger.info if result.ok else logger.error)("run %s %s%s", result.run_id, "succeeded" if result.ok else "failed",
                                                 f" in {result.error}" if result.error else "")
    return result


def _as_task(name: str, call: Callable[[], Any]) -> Any:
    """``run_pipeline``'s wrap: each part of the run as its task. A step that failed after its
    retries, timed out or crashed comes back as a failed StepResult, so the run ends as usual."""
    token = run_context.PART.set(call)
    try:
        if name in ("begin", "end"):
            return (begin if name == "begin" else end)(name)
        state = STEP_TASKS[name](name, return_state=True)
    finally:
        run_context.PART.reset(token)
    outcome = state.result(raise_on_failure=False)
    if state.is_completed():
        return outcome
    return _failed(name, outcome if isinstance(outcome, BaseException) else RuntimeError(f"{name}: {state.message}"))


def _failed(name: str, exc: BaseException) -> StepResult:
    """The StepResult of a task that failed: its own, or one saying why Prefect stopped it."""
    result = getattr(exc, "result", None)
    if isinstance(result, StepResult):
        return result
    return StepResult(name, "failed", error=f"{type(exc).__name__}: {exc}")


def _step_log(step: str, event: str, detail: Any) -> None:
    log = run_context.STEP_LOG.get()
    if log is not None:
        log(step, event, detail)


@contextmanager
def _batches(scale: ScaleConfig) -> Iterator[BatchRunner]:
    """The configured cluster, connected (or started) once for the run: ``run_pipeline`` enters
    this after the settings passed and the store is held, so a refused or busy run starts none."""
    with batch_runner(scale) as runner:
        if runner.remote:
            get_run_logger().info("enrich, embed and theme assignment run on Dask (%s)",
                                  scale.address or f"a local cluster of {scale.workers} workers")
        yield runner


@flow(name="nightly", persist_result=False)
def nightly(config: str | None = None) -> dict[str, Any]:
    """Run every pipeline step on the project configured in ``config`` (a vocmine.toml path)."""
    settings = _settings(config)
    try:
        result = run_pipeline(settings, on_event=_step_log, runner=partial(_batches, settings.scale), wrap=_as_task,
                              preflight=True)
    except RunRefused as exc:  # before any work, and told like any failed run
        for problem in exc.notify_errors:
            get_run_logger().warning("notification failed: %s", problem)
        raise
    except PipelineBusy as exc:
        get_run_logger().error("another run is writing the database; this run stops rather than wait: %s", exc)
        raise
    if not result.ok:
        failed = next(s for s in result.steps if s.status == "failed")
        exc = StepFailedError(f"step {failed.step} failed: {failed.error}")
        exc.result = failed
        raise exc
    return {"run_id": result.run_id, "resumed": result.resumed, "steps": {s.step: s.status for s in result.steps}}


def serve(config: Path | None, cron: str | None, timezone: str | None) -> int:
    """Register the nightly deployment on the configured schedule and run it on time."""
    from prefect.schedules import Cron
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        print("PREFECT_API_URL is not set: schedules need a running Prefect server. Start one with\n"
              "  prefect server start --host 127.0.0.1\n"
              "then set PREFECT_API_URL=http://127.0.0.1:4200/api", file=sys.stderr)
        return 2
    try:
        settings = load_settings(config)
        schedule = ScheduleConfig(cron=cron or settings.schedule.cron,
                                  timezone=timezone or settings.schedule.timezone)
    except (OSError, ValueError) as exc:  # no config file, a bad cron or time zone
        print(f"cannot serve the nightly flow: {exc}", file=sys.stderr)
        return 2
    nightly.serve(
        name=DEPLOYMENT,
        schedule=Cron(schedule.cron, timezone=schedule.timezone),
        parameters={"config": str(settings.config_file) if settings.config_file else None},
        global_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        limit=1,
    )
    return 0


def run_once(config: Path | None) -> int:
    """Run the flow now; 0 when it succeeded, 75 when another run holds the database, else 1."""
    state = nightly(str(config.resolve()) if config else None, return_state=True)
    if state.is_completed():
        print(state.result())
        return 0
    exc = state.result(raise_on_failure=False)
    print(f"the nightly run failed: {exc}", file=sys.stderr)
    return 75 if isinstance(exc, PipelineBusy) else 1  # 75, EX_TEMPFAIL: try again later, as `vocmine run`


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    once = commands.add_parser("run", help="run the nightly flow once, now")
    scheduled = commands.add_parser("serve", help="serve the nightly deployment on its schedule (needs a server)")
    for sub in (once, scheduled):
        sub.add_argument("--config", type=Path, default=None, help="vocmine.toml (default: VOCMINE_CONFIG or ./)")
    scheduled.add_argument("--cron", default=None, help="cron expression; default: [schedule] cron of the config")
    scheduled.add_argument("--timezone", default=None, help="IANA zone; default: [schedule] timezone of the config")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run_once(args.config)
    return serve(args.config, args.cron, args.timezone)


if __name__ == "__main__":
    sys.exit(main())
