"""What every `vocmine` command shares: consoles, the --config/--db options, settings
loading with a clear error, progress bars and value formatting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from vocmine.config import Settings, load_settings
from vocmine.store import connect

console = Console()
err = Console(stderr=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Config file [default: $VOCMINE_CONFIG or ./vocmine.toml]."),
]
DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="DuckDB database [default: $VOCMINE_DB or the config's, else data/vocmine.duckdb]."),
]


def settings_for(config: Path | None, db: Path | None) -> Settings:
    """Settings for a command; a broken config ends the command with its reasons, one line each
    naming the setting (exit 2)."""
    try:
        return load_settings(config, db=db.resolve() if db else None)
    except (FileNotFoundError, ValueError) as exc:
        for line in config_problems(exc):
            err.print(f"[red]config error:[/red] {escape(line)}")
        raise typer.Exit(2) from exc


def config_problems(exc: Exception) -> list[str]:
    """One line per problem, ``key.path: reason``, instead of pydantic's multi-line report."""
    if not isinstance(exc, ValidationError):
        return [str(exc)]
    lines = []
    for e in exc.errors():
        key = ".".join(str(part) for part in e["loc"])
        message = e["msg"].removeprefix("Value error, ")
        if message.startswith(f"{key}:") or not key:
            lines.append(message)
        else:
            lines.append(f"{key}: {message}" + (f" (got {e['input']!r})" if e["type"] == "literal_error" else ""))
    return lines


def open_with_views(settings: Settings) -> duckdb.DuckDBPyConnection:
    """The working database, migrated, with the analyst views (re)created: every command that
    writes the store opens it so. Since migration 013 the migrations make no view, so whichever
    command first migrates a store (an older one, or a new one made by `vocmine ingest`) leaves
    it with views that `vocmine report` and `vocmine sql --working` can read."""
    from vocmine.analytics.views import create_views

    con = connect(settings.db_path)
    create_views(con)
    return con


def progress_bars(*, disable: bool = False) -> Progress:
    """Transient progress bars on stderr, the same in every command."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    return Progress(*columns, console=err, transient=True, disable=disable)


@contextmanager
def progress(description: str) -> Iterator[Callable[[int, int], None]]:
    """A transient progress bar on stderr; yields the ``on_batch(done, total)`` callback."""
    with progress_bars() as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def show(value: object) -> str:
    """A table cell: '-' for nothing, thousands separators, timestamps to the second."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)[:19] if hasattr(value, "isoformat") else str(value)
