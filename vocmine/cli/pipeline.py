"""`vocmine run`: the whole pipeline, as the nightly flow runs it, with progress and a summary."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from vocmine.cli.common import ConfigOption, DbOption, console, err, settings_for
from vocmine.cli.progress import UNITS, console_lines, progress_bars
from vocmine.pipeline.progress import log_events


def _brief(counts: dict[str, Any]) -> str:
    return " · ".join(f"{k.replace('_', ' ')} {v:,}" if isinstance(v, int) and not isinstance(v, bool)
                      else f"{k.replace('_', ' ')} {v}" for k, v in counts.items()
                      if not isinstance(v, (dict, list)))


def _terminal_events():
    """Bars with totals, rate and time left, one per running step."""
    bars = progress_bars(err)
    tasks: dict[str, Any] = {}

    def on_event(step: str, event: str, detail: Any) -> None:
        if event == "start":
            console.print(f"[bold]{step}[/bold] ...")
            tasks[step] = bars.add_task(step, total=None, unit=UNITS.get(step, ""))
        elif event == "skip":
            console.print(f"[dim]{step}: done in the interrupted run, skipped[/dim]")
        elif event == "progress":
            what = f"{step}: {detail[2]}" if len(detail) > 2 else step
            bars.update(tasks[step], completed=detail[0], total=detail[1], description=what)
        elif event in ("done", "failed"):
            bars.remove_task(tasks.pop(step))
            if event == "done":
                console.print(f"{step}: {_brief(detail)}")
            else:
                err.print(f"[red]{step} failed:[/red] {escape(str(detail))}")

    return on_event, bars


def _log_events():
    """One line per step at its start and end, and every few seconds in between."""
    lines = console_lines(console)
    return log_events(lines, _brief), lines


def run(
    fresh: Annotated[bool, typer.Option("--fresh", help="Start a new run even if the last one did not finish.")]
    = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Progress as timed lines, as in a log, even in a "
                                          "terminal (without a terminal it always is).")]
    = False,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Run the whole pipeline: ingest the inboxes, enrich, embed, themes, tag, refresh the views,
    publish the analysts' copy and write the team reports. An unfinished last run is resumed at
    the step it stopped in. Exits 1 if a step fails (the published copy stays as it was)."""
    from vocmine.pipeline import PipelineBusy, RunRefused, run_pipeline

    settings = settings_for(config, db)
    if settings.scale.engine != "local":
        console.print(f"[dim]\\[scale] engine = {settings.scale.engine!r} is for the nightly flow "
                      "(python flows/nightly.py run); vocmine run computes in this process[/dim]")
    lines = verbose or not console.is_terminal  # a log: lines, not bars that nobody sees redrawn
    on_event, shown = _terminal_events() if not lines else _log_events()

    try:
        with shown:
            result = run_pipeline(settings, on_event=on_event, resume=not fresh, preflight=True)
    except RunRefused as exc:  # before any work; told to [notify]
        for problem in exc.problems:
            err.print(f"[red]config error:[/red] {escape(problem)}")
        for problem in exc.notify_errors:
            err.print(f"[yellow]notification not delivered: {escape(problem)}[/yellow]")
        raise typer.Exit(2) from exc
    except PipelineBusy as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(75) from exc  # EX_TEMPFAIL: try again later
    console.print(f"Run {result.run_id}" + (" (resumed)" if result.resumed else ""))
    table = Table("step", "status", "took")
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
