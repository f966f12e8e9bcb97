"""`vocmine run`: the whole pipeline, as the nightly flow runs it, with progress and a summary."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from vocmine.cli_common import ConfigOption, DbOption, console, err, progress_bars, settings_for


def _brief(counts: dict[str, Any]) -> str:
    return " · ".join(f"{k.replace('_', ' ')} {v:,}" if isinstance(v, int) and not isinstance(v, bool)
                      else f"{k.replace('_', ' ')} {v}" for k, v in counts.items()
                      if not isinstance(v, (dict, list)))


def run(
    fresh: Annotated[bool, typer.Option("--fresh", help="Start a new run even if the last one did not finish.")]
    = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print every batch as a line (for logs).")]
    = False,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Run the whole pipeline: ingest the inboxes, enrich, embed, themes, tag, refresh the views,
    publish the analysts' copy and write the team reports. An unfinished last run is resumed at
    the step it stopped in. Exits 1 if a step fails (the published copy stays as it was)."""
    from vocmine.pipeline import PipelineBusy, check_run_settings, refuse_run, run_pipeline

    settings = settings_for(config, db)
    problems = check_run_settings(settings)
    if problems:
        for problem in problems:
            err.print(f"[red]config error:[/red] {escape(problem)}")
        for problem in refuse_run(settings, problems):
            err.print(f"[yellow]notification not delivered: {escape(problem)}[/yellow]")
        raise typer.Exit(2)
    if settings.scale.engine != "local":
        console.print(f"[dim]\\[scale] engine = {settings.scale.engine!r} is for the nightly flow "
                      "(python flows/nightly.py run); vocmine run computes in this process[/dim]")
    bars = progress_bars(disable=verbose)
    tasks: dict[str, Any] = {}

    def on_event(step: str, event: str, detail: Any) -> None:
        if event == "start":
            console.print(f"[bold]{step}[/bold] ...")
            tasks[step] = bars.add_task(step, total=None)
        elif event == "skip":
            console.print(f"[dim]{step}: done in the interrupted run, skipped[/dim]")
        elif event == "progress":
            bars.update(tasks[step], completed=detail[0], total=detail[1])
            if verbose:
                console.print(f"{step}: {detail[0]:,} of {detail[1]:,}")
        elif event in ("done", "failed"):
            bars.remove_task(tasks.pop(step))
            if event == "done":
                console.print(f"{step}: {_brief(detail)}")
            else:
                err.print(f"[red]{step} failed:[/red] {escape(str(detail))}")
        sys.stdout.flush()

    try:
        with bars:
            result = run_pipeline(settings, on_event=on_event, resume=not fresh)
    except PipelineBusy as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(75) from exc  # EX_TEMPFAIL: try again later
    except Exception as exc:  # the store could not be opened or the run log written: told like any failure
        if not getattr(exc, "vocmine_told", False):
            refuse_run(settings, [f"{type(exc).__name__}: {exc}"])
        raise
    table = Table("step", "status", "took", title=f"Run {result.run_id}" + (" (resumed)" if result.resumed else ""),
                  title_justify="left")
    for step in result.steps:
        colour = {"succeeded": "green", "failed": "red"}.get(step.status, "dim")
        table.add_row(step.step, f"[{colour}]{step.status}[/{colour}]", f"{step.seconds:.1f} s")
    console.print(table)
    for problem in result.notify_errors:
        err.print(f"[yellow]notification not delivered: {problem}[/yellow]")
    if not result.ok:
        err.print(f"[red]the run failed in {result.error}[/red]; the published copy is unchanged. "
                  "Fix the cause and run again: it resumes at that step.")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(run)
