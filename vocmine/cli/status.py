"""``vocmine status``: what the store holds per source, what the last run set aside, which
embedding model auto chose, and the latest pipeline and step runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb
import typer
from rich.markup import escape
from rich.table import Table

from vocmine.cli.common import ConfigOption, DbOption, console, err, settings_for, show
from vocmine.config import Settings
from vocmine.store import store_session
from vocmine.store.migrate import pending_migrations
from vocmine.store.publish import published_database
from vocmine.store.status import pipeline_runs, recent_runs, set_aside_last_run, source_counts


def _tables(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def status(config: ConfigOption = None, db: DbOption = None) -> None:
    """Show feedback, enrichment and quarantine counts per source, the latest pipeline runs (and
    whether the last one failed) and the latest step runs."""
    settings = settings_for(config, db)
    with _status_connection(settings) as con:
        _print_status(con, settings)


def _print_status(con, settings: Settings) -> None:
    if pending_migrations(con):
        err.print(f"[red]{settings.db_path} was made by an older vocmine: run `vocmine init` to upgrade it[/red]")
        raise typer.Exit(1)
    if "quarantine" in _tables(con):
        sources = Table("source", "feedback", "enriched", "segments", "boilerplate", "quarantined", "first received",
                        "last received", title="Sources", title_justify="left")
        for row in source_counts(con):
            sources.add_row(*(show(v) for v in row.values()))
        console.print(sources)
    _print_set_aside(con)
    _print_embedding_choice(con)
    _print_pipeline_runs(con)
    runs = Table("run", "status", "started", "took", "what happened", title="Latest runs", title_justify="left")
    for run in recent_runs(con):
        counts = json.loads(run["counts"]) if run["counts"] else {}
        brief = " · ".join(f"{k.replace('_', ' ')} {show(v)}" for k, v in counts.items()
                           if not isinstance(v, (list, dict)))
        took = f"{(run['finished_at'] - run['started_at']).total_seconds():.1f} s" if run["finished_at"] else "-"
        runs.add_row(run["run_id"], run["status"], show(run["started_at"]), took,
                     brief + (f" [red]{run['error']}[/red]" if run["error"] else ""))
    console.print(runs)


def _print_embedding_choice(con) -> None:
    """The model `[embedding] backend = "auto"` chose for this store, and why (absent: configured)."""
    if "embedding_choice" not in _tables(con):
        return
    from vocmine.embed.choice import recorded_choice

    chosen = recorded_choice(con)
    if chosen:
        console.print(f"Embedding model (auto): {chosen[1]}: {chosen[2]}")


@contextmanager
def _status_connection(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The working database, read-only; while a run holds it, the analysts' published copy."""
    with ExitStack() as stack:
        try:
            con = stack.enter_context(store_session(settings.db_path, read_only=True))
        except FileNotFoundError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
        except Exception as exc:  # duckdb.IOException: locked by a run in progress
            published = published_database(settings.resolve(settings.publish_dir))
            if not published.exists():
                err.print(f"[red]{exc}[/red]")
                raise typer.Exit(1) from exc
            err.print(f"[yellow]{settings.db_path} is busy (a run in progress?); showing the published copy "
                      f"{published}[/yellow]")
            con = stack.enter_context(store_session(published, read_only=True))
        yield con


def _print_set_aside(con) -> None:
    """What the last night put in quarantine (the working database only: quarantine is restricted)."""
    if "quarantine" not in _tables(con):
        return
    rows = set_aside_last_run(con)
    if not rows:
        console.print("Set aside by the last run: nothing")
        return
    table = Table("source", "step", "file", "reason", "rows", "which", title="Set aside by the last run "
                  "(vocmine sql --working \"SELECT * FROM quarantine\")", title_justify="left")
    for r in rows:
        which = str(r["which"])
        table.add_row(r["source"], r["step"], Path(r["file"]).name, escape(str(r["reason"])[:160]), show(r["rows"]),
                      which if len(which) < 60 else which[:57] + "...")
    console.print(table)


def _step_brief(name: str, state: str, seconds: float | None) -> str:
    took = f" {seconds:.0f} s" if seconds is not None else ""
    return f"{name}{took}" + ("" if state == "succeeded" else f" [red]{state}[/red]")


def _print_pipeline_runs(con) -> None:
    runs = pipeline_runs(con)
    if not runs:
        return
    table = Table("pipeline run", "status", "started", "steps", title="Pipeline runs (vocmine run, nightly)",
                  title_justify="left")
    for run in runs:
        steps = " · ".join(_step_brief(*step) for step in run["steps"] or [])
        table.add_row(run["run_id"], run["status"], show(run["started_at"]), steps)
    console.print(table)
    last = runs[0]
    if last["status"] == "failed":
        err.print(f"[red]The last pipeline run failed: {last['error']}[/red]")
    elif last["status"] == "running":
        err.print("[yellow]The last pipeline run has not finished: it is running, or was interrupted and "
                  "will resume at the next `vocmine run`[/yellow]")


def register(app: typer.Typer) -> None:
    app.command()(status)
