"""`vocmine quarantine purge`: empty the raw text of rows set aside longer than the retention period."""

from __future__ import annotations

from typing import Annotated

import typer

from vocmine.cli.common import ConfigOption, DbOption, console, settings_for
from vocmine.pipeline import StepContext, working_store
from vocmine.pipeline.steps import purge_quarantine

quarantine_app = typer.Typer(help="Rows ingest set aside (the restricted table `quarantine`).", no_args_is_help=True)


@quarantine_app.command()
def purge(
    days: Annotated[int | None, typer.Option("--days", min=0, help="Keep the raw text of rows younger than this "
                                             "[default: the config's privacy.quarantine_raw_days].")] = None,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Empty `quarantine.raw` (the row as read, which may hold personal data) of rows older than the
    retention period; the reason, file and row number stay. Every `vocmine run` does this too."""
    settings = settings_for(config, db)
    keep = settings.privacy.quarantine_raw_days if days is None else days
    with working_store(settings) as con:
        purged = purge_quarantine(StepContext(con, settings), keep)
    console.print(f"Emptied the raw text of {purged:,} quarantined row(s) older than {keep} day(s)")


def register(app: typer.Typer) -> None:
    app.add_typer(quarantine_app, name="quarantine")
