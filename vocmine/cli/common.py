"""What every `vocmine` command shares: consoles, the --config/--db options, settings
loading with a clear error, progress bars and value formatting.

A command holds the store in a with-block (``vocmine.pipeline.working_store`` to write it,
``vocmine.store.store_session(..., read_only=True)`` to read it), so a command that fails never
leaves it open."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from vocmine.cli.progress import console_lines, progress_bars
from vocmine.config import Settings, load_settings

# Help is read as Markdown, not Rich markup: Rich would swallow "[default: ...]" and
# "[teams.NAME]" as style tags and print "Config file ." instead.
HELP_MARKUP = "markdown"

LOG_WIDTH = 100  # columns of output that goes to a file or a pipe (Rich would assume 80)


def _console(*, stderr: bool = False) -> Console:
    out = Console(stderr=stderr)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = LOG_WIDTH
    return out


console = _console()
err = _console(stderr=True)

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


@contextmanager
def progress(description: str, unit: str = "") -> Iterator[Callable[[int, int], None]]:
    """Progress on stderr, yielding the ``on_batch(done, total)`` callback: a transient bar in a
    terminal, timed lines in a log (cli_progress)."""
    if err.is_terminal:
        with progress_bars(err) as bar:
            task = bar.add_task(description, total=None, unit=unit)
            yield lambda done, total: bar.update(task, completed=done, total=total)
        return
    with console_lines(err) as lines:
        lines.start(description, unit=unit)
        yield lambda done, total: lines.update(description, done, total)
        lines.finish(description, "done")


def show(value: object) -> str:
    """A table cell: '-' for nothing, thousands separators, timestamps to the second."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)[:19] if hasattr(value, "isoformat") else str(value)


def tell_choice(choice) -> None:
    """Say in one line when ``auto`` has just chosen the embedding model, or when the languages
    now call for another model (vocmine.embed.choice)."""
    if choice is None:
        return
    if choice.decided:
        err.print(f"embedding model: {choice.backend} ({choice.reason})")
    if choice.notice:
        err.print(f"[yellow]{choice.notice}[/yellow]")
