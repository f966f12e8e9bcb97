"""`vocmine views`, `vocmine publish` and `vocmine report`: what analysts and teams read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from vocmine.cli.common import ConfigOption, DbOption, console, err, settings_for, tell_choice
from vocmine.pipeline import StepContext, working_store
from vocmine.pipeline import steps as step
from vocmine.store import store_session


class PeriodOption(str, Enum):
    week = "week"
    month = "month"


class ReportFormat(str, Enum):
    html = "html"
    md = "md"
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


def views(config: ConfigOption = None, db: DbOption = None) -> None:
    """Recreate the analyst views (vocmine/analytics/sql) and refresh their settings from the config:
    outcomes, priority weights, the lost-customer rule, teams, and the company's assumed
    priorities matched to themes by meaning."""
    settings = settings_for(config, db)
    with working_store(settings) as con, _errors():
        ctx = StepContext(con, settings)
        with err.status("refreshing the analyst views" + (" (assumed priorities: loading the embedding model)"
                                                          if settings.assumptions.priorities else "")):
            result = step.views(ctx).detail
    tell_choice(ctx.models.get("choice"))
    console.print(f"Analyst views refreshed: {result.outcomes} outcome(s), {len(settings.teams)} team(s), "
                  f"{result.assumptions_matched} of {result.assumptions} assumed priorities match a theme "
                  f"({result.theme_matches} theme match(es)); see the views `priorities` and `assumption_gap`")
    for team, words in result.unmatched_team_themes.items():
        err.print(f"[yellow]teams.{team}.themes: no active theme's label has {', '.join(map(repr, words))}[/yellow]")


def report(
    team: Annotated[list[str] | None, typer.Option("--team", help="Team from the config's [teams.NAME]; repeatable [default: none, then --all is needed].")]
    = None,
    all_teams: Annotated[bool, typer.Option("--all", help="One report per configured team.")] = False,
    period: Annotated[PeriodOption, typer.Option("--period", help="The last complete ISO week or month.")]
    = PeriodOption.week,
    formats: Annotated[list[ReportFormat] | None, typer.Option(
        "--format", "-f", help="Repeatable [default: html and md]; csv/parquet write a folder of tables.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder [default: the config's reports_dir].")] = None,
    as_of: Annotated[datetime | None, typer.Option(
        "--as-of", formats=["%Y-%m-%d"], help="Report the period before this day [default: the day after the "
        "newest feedback].")] = None,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Write team reports: headline KPIs against targets, top movers, emerging themes, the team's
    priorities, the journey heatmap, theme trends and customers' own words (redacted)."""
    settings = settings_for(config, db)
    names = sorted(settings.teams) if all_teams else list(team or [])
    if not names:
        err.print("name a team with --team NAME, or use --all"
                  f" (configured: {', '.join(sorted(settings.teams)) or 'none: add [teams.NAME] to the config'})")
        raise typer.Exit(2)
    unknown = [n for n in names if n not in settings.teams]
    if unknown:
        err.print(f"[red]unknown team(s) {', '.join(unknown)}[/red] (configured: "
                  f"{', '.join(sorted(settings.teams)) or 'none'})")
        raise typer.Exit(2)
    out_dir = out.resolve() if out else settings.resolve(settings.reports_dir)
    with store_session(settings.db_path, read_only=True) as con, _errors():
        step.reports(StepContext(con, settings), teams=names, on_report=partial(_print_report, out_dir=out_dir), period=period.value, out=out_dir, as_of=as_of.date() if as_of else None,
                     formats=[f.value for f in formats or [ReportFormat.html, ReportFormat.md]])


def _print_report(name: str, data, paths: list[Path], out_dir: Path) -> None:
    written = sorted({p.name if p.parent == out_dir else p.parent.name + "/" for p in paths})
    console.print(f"{name}: {data.period.label} -> {out_dir}: {', '.join(written)}")


def publish(
    parquet: Annotated[bool, typer.Option("--parquet/--no-parquet",
                                          help="Also write Parquet snapshots [default: --parquet].")] = True,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Publish the analysts' read-only copy of the database (tables and views, never the restricted
    raw text or quarantine) and Parquet snapshots of them, replacing the previous copy at once."""
    settings = settings_for(config, db)
    with working_store(settings) as con:
        result = step.publish(StepContext(con, settings), parquet=parquet).detail
    console.print(f"Published {len(result.tables)} tables and {len(result.views)} views to {result.database}"
                  + (f"; Parquet in {result.parquet_dir}" if parquet else ""))
    console.print(f"Analysts: vocmine sql \"SELECT ...\", or any DuckDB from 1.0: duckdb -readonly {result.database}")


@contextmanager
def _errors() -> Iterator[None]:
    """A view or report the settings or the store cannot make says why and exits 1, without a traceback."""
    try:
        yield
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc


def register(app: typer.Typer) -> None:
    app.command()(views)
    app.command()(publish)
    app.command()(report)
