"""One pipeline run: every step in order, logged, resumable, and told to whoever asked.

A run is a ``runs`` row of kind ``pipeline`` and one ``pipeline_steps`` row per step it took.
If the last run did not finish (the process was killed, or a step failed), the next run
resumes it: the steps before the one it stopped in are skipped, that step and all after it
run again. Steps are incremental, so redoing the interrupted one only finishes its work.

Two runs never overlap: DuckDB lets one process write the database, and a second run stops
at once with a clear message. The analysts' copy changes only in the publish step, whole.

This loop is written once: ``vocmine run`` calls ``run_pipeline``, and the nightly flow calls it
with a ``wrap`` that makes each part a Prefect task.

Example::

    result = run_pipeline(load_settings(Path("vocmine.toml")))
    result.ok, [s.step for s in result.steps]
"""

from __future__ import annotations

import contextlib
import json
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from typing import Any

import duckdb

from vocmine.analytics.views import create_views
from vocmine.config import Settings
from vocmine.parallel import IN_PROCESS, BatchRunner
from vocmine.pipeline.notify import notify
from vocmine.pipeline.preflight import check_run_settings, refuse_run
from vocmine.pipeline.steps import STEPS, StepContext, StepFailed
from vocmine.store import DatabaseBusy, store_session
from vocmine.store.runs import fail_interrupted_steps, finish_run, reopen_run, start_run

# (step, event, detail): event is start, skip, progress (detail: (done, total), or (done, total,
# what) for a step counted in phases, such as themes), done or failed
Event = Callable[[str, str, Any], None]
# (part, call) -> call(): how each part of a run (begin, a step, end) is run
Wrap = Callable[[str, Callable[[], Any]], Any]
# () -> a block holding the runner steps compute their batches on (a Dask cluster connected or
# started for the block, or here, in this process)
StartRunner = Callable[[], contextlib.AbstractContextManager[BatchRunner]]


def in_process() -> contextlib.AbstractContextManager[BatchRunner]:
    """Batches computed here, one after the other: nothing to start or stop."""
    return contextlib.nullcontext(IN_PROCESS)


@dataclass
class StepResult:
    step: str
    status: str                 # succeeded, failed, skipped
    seconds: float = 0.0
    counts: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class PipelineResult:
    run_id: str
    resumed: bool
    steps: list[StepResult] = field(default_factory=list)
    done_before: set[str] = field(default_factory=set)  # steps an interrupted run had finished
    notify_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.status != "failed" for s in self.steps)

    @property
    def error(self) -> str | None:
        return next((f"{s.step}: {s.error}" for s in self.steps if s.status == "failed"), None)


class PipelineBusy(DatabaseBusy):
    """Another process holds the working database (a run in progress)."""


class RunRefused(ValueError):
    """The settings cannot run (``problems``, one line each naming its config key); nothing was
    done, and ``[notify]`` was told (``notify_errors``: what could not be delivered)."""

    def __init__(self, problems: list[str], notify_errors: list[str]) -> None:
        super().__init__("config error: " + "; ".join(problems))
        self.problems, self.notify_errors = problems, notify_errors


def run_pipeline(settings: Settings, *, on_event: Event | None = None, resume: bool = True,
                 steps: list[str] | None = None, runner: StartRunner = in_process,
                 wrap: Wrap | None = None, preflight: bool = False) -> PipelineResult:
    """Run ``steps`` (default: all, in order) on the configured database: begin (or resume) the
    run, each step until one fails, then end it (log, notify), whatever happened in between.

    ``wrap(name, call)`` runs each part (``"begin"``, every step, ``"end"``) and returns what
    ``call()`` returns: the nightly flow makes each one a Prefect task (retried, timed out,
    logged); by default it is simply called. ``runner()``: the block in which steps compute their
    batches; it is entered after the settings are checked and the store is held, so a refused or
    busy run never starts a cluster. ``preflight``: check the settings first (RunRefused, told,
    before any work). Any failure is
    told to ``[notify]`` once, except PipelineBusy (the run that holds the store is not over)."""
    if preflight:
        problems = check_run_settings(settings)
        if problems:
            raise RunRefused(problems, refuse_run(settings, problems))
    try:
        return _run(settings, on_event or (lambda step, event, detail: None), resume, steps, runner, wrap or _call)
    except PipelineBusy:
        raise
    except Exception as exc:  # the store could not be opened or the run log written: told like any failure
        if not getattr(exc, "vocmine_told", False):
            refuse_run(settings, [f"{type(exc).__name__}: {exc}"])
            exc.vocmine_told = True
        raise


def _run(settings: Settings, emit: Event, resume: bool, steps: list[str] | None, start_runner: StartRunner,
         wrap: Wrap) -> PipelineResult:
    with open_store(settings) as con, start_runner() as runner:
        ctx = StepContext(con, settings, runner=runner)
        result = wrap("begin", partial(begin_run, con, resume=resume))
        name = "begin"
        try:
            for name in steps or list(STEPS):
                step = wrap(name, partial(run_step, ctx, result, name, emit))
                result.steps.append(step)
                if step.status == "failed":
                    break
        except BaseException as exc:  # Ctrl-C, a timeout: the run is closed as failed and told, then it goes on up
            if not any(s.status == "failed" for s in result.steps):
                result.steps.append(StepResult(name, "failed", error=f"interrupted: {type(exc).__name__} {exc}"))
            with contextlib.suppress(Exception):  # the interruption is what to report
                wrap("end", partial(end_run, ctx, result))
                exc.vocmine_told = True  # the failure hook has fired: callers need not tell again
            raise
        wrap("end", partial(end_run, ctx, result))
        return result


def _call(name: str, call: Callable[[], Any]) -> Any:
    return call()


@contextlib.contextmanager
def open_store(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The working database for a run, closed when the block ends, with the analyst views in
    place (the themes step's emerging check reads ``theme_weekly``; a store whose schema was just
    migrated has none), or PipelineBusy when another process writes it."""
    with contextlib.ExitStack() as stack:
        try:
            con = stack.enter_context(working_store(settings))
        except (DatabaseBusy, duckdb.IOException) as exc:
            raise PipelineBusy(f"{settings.db_path} is in use by another process (a vocmine run?): {exc}") from exc
        yield con


def working_store(settings: Settings) -> contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]:
    """The working database for a block, migrated, with the analyst views (re)created, always
    closed: every command that writes the store opens it so. Since migration 013 the migrations
    make no view, so whichever command first migrates a store (an older one, or a new one made by
    `vocmine ingest`) leaves it with views that `vocmine report` and `vocmine sql --working` read.
    This is the one place a run or a command makes them: the steps (the views step too) find
    them made, current with this release's `analytics/sql`."""
    return store_session(settings.db_path, prepare=create_views)


def begin_run(con: duckdb.DuckDBPyConnection, *, resume: bool = True) -> PipelineResult:
    """Resume the last pipeline run if it did not finish (killed, or a step failed), else start one."""
    # one process writes the database: whatever says it is running now was killed
    con.execute("UPDATE pipeline_steps SET status = 'failed', finished_at = now()::TIMESTAMP, error = 'interrupted' "
                "WHERE status = 'running'")
    fail_interrupted_steps(con)
    last = con.execute("SELECT run_id, status FROM runs WHERE kind = 'pipeline' "
                       "ORDER BY started_at DESC LIMIT 1").fetchone()
    if resume and last and last[1] in ("running", "failed"):
        reopen_run(con, last[0])
        done = {r[0] for r in con.execute("SELECT step FROM pipeline_steps WHERE run_id = ? AND status = 'succeeded'",
                                          [last[0]]).fetchall()}
        return PipelineResult(last[0], resumed=True, done_before=done)
    return PipelineResult(start_run(con, "pipeline"), resumed=False)


def run_step(ctx: StepContext, result: PipelineResult, name: str, emit: Event | None = None) -> StepResult:
    """Run one step of the run, unless the interrupted run finished it and nothing ran since
    (``result.steps``: the steps this run took before). The caller adds the StepResult to
    ``result.steps``: a retried attempt (the nightly flow's) is then counted once."""
    emit = emit or (lambda step, event, detail: None)
    if name in result.done_before and not any(s.status != "skipped" for s in result.steps):
        emit(name, "skip", None)
        return StepResult(name, "skipped")
    return _run_step(ctx, result.run_id, list(STEPS).index(name) + 1, name, emit)


def end_run(ctx: StepContext, result: PipelineResult) -> PipelineResult:
    """Close the run in the log and send the configured notifications; ``result``, told."""
    counts = _summary(result, ctx)
    finish_run(ctx.con, result.run_id, counts=counts, error=result.error)
    result.notify_errors = notify(ctx.settings.notify, {
        "run_id": result.run_id, "status": "succeeded" if result.ok else "failed", "error": result.error,
        "database": str(ctx.settings.db_path), "steps": [s.__dict__ for s in result.steps]})
    return result


def _run_step(ctx: StepContext, run_id: str, position: int, name: str, emit: Event) -> StepResult:
    con = ctx.con
    con.execute("INSERT INTO pipeline_steps (run_id, step, position, status, started_at) "
                "VALUES (?, ?, ?, 'running', now()::TIMESTAMP)", [run_id, name, position])
    emit(name, "start", None)
    ctx.on_progress = lambda done, total: emit(name, "progress", (done, total))
    ctx.on_phase = lambda done, total, what: emit(name, "progress", (done, total, what))
    started = time.perf_counter()
    interrupted = None
    try:
        counts = dict(STEPS[name](ctx))  # the counts of its Outcome: the run log keeps those
        status, error = "succeeded", None
    except StepFailed as exc:
        counts, status, error = {}, "failed", str(exc)
        _roll_back(con)
    except BaseException as exc:  # noqa: BLE001  (recorded with its step; Ctrl-C and timeouts then go on up)
        counts, status = {}, "failed"
        error = f"{type(exc).__name__}: {exc} [{traceback.extract_tb(exc.__traceback__)[-1].name}]"
        # a library's SystemExit (spaCy exits when a model is missing) is a failure of the step,
        # not a reason to stop the run log half written; Ctrl-C and timeouts go on up
        interrupted = None if isinstance(exc, (Exception, SystemExit)) else exc
        _roll_back(con)
    seconds = time.perf_counter() - started
    con.execute("UPDATE pipeline_steps SET status = ?, finished_at = now()::TIMESTAMP, seconds = ?, counts = ?, "
                "error = ? WHERE run_id = ? AND step = ? AND status = 'running'",
                [status, seconds, json.dumps(counts, default=str), error, run_id, name])
    if interrupted is not None:
        raise interrupted
    emit(name, "done" if status == "succeeded" else "failed", counts if error is None else error)
    return StepResult(name, status, seconds, counts, error)


def _roll_back(con: duckdb.DuckDBPyConnection) -> None:
    """End a transaction the failed step left open, so its failure can be written down."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # none was open


def _summary(result: PipelineResult, ctx: StepContext) -> dict[str, Any]:
    """What the run did and with which versions, for `runs.counts`."""
    counts: dict[str, Any] = {s.step: s.status for s in result.steps}
    chosen = ctx.models.get("choice")
    versions = {"vocmine": version("vocmine"),
                "embedding_model": chosen.model if chosen else ctx.settings.embedding.backend}
    for s in result.steps:
        for key in ("pipeline_version", "taxonomy_version", "model"):
            if key in s.counts:
                versions[key] = s.counts[key]
    return counts | {"versions": versions}
