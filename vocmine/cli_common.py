"""What every `vocmine` command shares: consoles, the --config/--db options, settings
loading with a clear error, progress bars and value formatting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
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
    """Settings for a command; a broken config ends the command with its reason (exit 2)."""
    try:
        return load_settings(config, db=db.resolve() if db else None)
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"[red]config error:[/red] {exc}")
        raise typer.Exit(2) from exc


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


def embedding_choice(con: duckdb.DuckDBPyConnection, settings: Settings, *, decide: bool = False,
                     record: bool = True):
    """The store's embedding backend (``auto`` resolved, see vocmine.embed.choice); says in one
    line when auto has just chosen, or when the languages now call for another model."""
    from vocmine.embed.choice import resolve_backend

    choice = resolve_backend(con, settings.embedding, decide=decide, record=record)
    if choice.decided:
        err.print(f"embedding model: {choice.backend} ({choice.reason})")
    if choice.notice:
        err.print(f"[yellow]{choice.notice}[/yellow]")
    return choice

