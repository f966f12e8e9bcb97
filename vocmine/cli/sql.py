"""``vocmine sql``: a read-only query on the analysts' published copy, printed as a table, CSV or JSON."""

from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from typing import Annotated

import duckdb
import typer
from rich.markup import escape
from rich.table import Table

from vocmine.cli.common import ConfigOption, DbOption, console, err, settings_for
from vocmine.store import check_analyst_query, open_for_analysts
from vocmine.store.publish import PARQUET, published_database


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def sql(
    query: Annotated[str, typer.Argument(help="SQL to run against the database (read-only).")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format: table rounds floats to 4 "
                                                 "decimals, csv and json keep every digit.")] = OutputFormat.table,
    working: Annotated[bool, typer.Option("--working", help="Query the working database (restricted tables "
                                          "such as quarantine included), not the published copy.")] = False,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Run a read-only SQL query on the analysts' published copy (the working database when
    nothing is published yet, or with --working / --db) and print a table, CSV or JSON."""
    settings = settings_for(config, db)
    published = published_database(settings.resolve(settings.publish_dir))
    path = published if published.exists() and not working and db is None else settings.db_path
    con = None
    try:
        con = open_for_analysts(path, published.parent / PARQUET if path == published else None)
        check_analyst_query(con, query)
        cursor = con.execute(query)
        names = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    except Exception as exc:  # duckdb errors and a missing database alike
        err.print(f"[red]query failed:[/red] {exc}")
        if path == published and isinstance(exc, duckdb.CatalogException):  # e.g. a restricted table
            err.print(f"(queried the published copy {published}; restricted tables such as quarantine are only "
                      "in the working database: add --working)")
        raise typer.Exit(1) from exc
    finally:
        if con is not None:  # the locked settings belong to the database instance, shared in this process
            con.close()
    if format is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    elif format is OutputFormat.json:
        print(json.dumps([dict(zip(names, r, strict=True)) for r in rows], default=str, ensure_ascii=False, indent=2))
    else:
        table = Table(*names)
        for row in rows:
            table.add_row(*(_sql_cell(v) for v in row))
        console.print(table)
        console.print(f"{len(rows)} row(s)")


def _sql_cell(value: object) -> str:
    """A table cell for a person: floats to 4 decimals without trailing zeros (0.4166666666666667
    reads 0.4167); csv and json keep every digit for the programs that read them."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return escape(str(value))


def register(app: typer.Typer) -> None:
    app.command()(sql)
