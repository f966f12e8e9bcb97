"""The ``vocmine`` command line: each command loads settings, opens the store, calls one
library function and prints what happened.

Every command module of this package has one ``register(app)`` that adds its commands, so this
file only builds the application and says in which order the commands are listed in ``--help``."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.markup import escape

from vocmine.cli import analytics, pipeline, quarantine, sql, status, steps, themes
from vocmine.cli.common import HELP_MARKUP, err
from vocmine.store import DatabaseBusy


class _Vocmine(typer.Typer):
    """The command line: an unexpected error is one line naming it (the traceback with --verbose),
    a database held by a run is one line and exit 75 (EX_TEMPFAIL: try again later)."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except DatabaseBusy as exc:
            err.print(f"[red]{escape(str(exc))}[/red]", soft_wrap=True)
            sys.exit(75)
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/yellow]")
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - any error: one line, not a traceback
            if _verbose():
                err.print_exception()
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            err.print(f"[red]error:[/red] {type(exc).__name__}: {escape(detail)}"
                      + ("" if _verbose() else " [dim](vocmine --verbose ... shows the traceback)[/dim]"),
                      soft_wrap=True)
            sys.exit(1)


def _verbose() -> bool:
    return bool(os.environ.get("VOCMINE_VERBOSE")) or "--verbose" in sys.argv[1:]


app = _Vocmine(
    help="vocmine: voice-of-customer text mining. Ingest feedback, find what customers talk about.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=HELP_MARKUP,
)


@app.callback()
def _options(
    verbose: Annotated[bool, typer.Option("--verbose", help="Show the traceback of an unexpected error.")] = False,
) -> None:
    if verbose:
        os.environ["VOCMINE_VERBOSE"] = "1"


for _commands in (themes, quarantine, analytics, pipeline, status, steps, sql):
    _commands.register(app)
