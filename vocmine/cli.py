"""The ``vocmine`` command line: each command loads settings, opens the store, calls one
library function and prints what happened."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.markup import escape
from rich.table import Table

from vocmine.cli_analytics import register as register_analytics
from vocmine.cli_common import (
    HELP_MARKUP,
    ConfigOption,
    DbOption,
    console,
    embedding_choice,
    err,
    open_with_views,
    progress,
    settings_for,
)
from vocmine.cli_pipeline import register as register_pipeline
from vocmine.cli_quarantine import quarantine_app
from vocmine.cli_status import register as register_status
from vocmine.cli_themes import themes_app
from vocmine.config import TAXONOMY_FILE, Settings, config_path
from vocmine.ingest import FileSummary, archive_folder, expand_paths, inbox_files, ingest_files
from vocmine.journey.taxonomy import default_taxonomy_text, load_taxonomy
from vocmine.store import DatabaseBusy, check_analyst_query, open_for_analysts, open_read_only
from vocmine.store.publish import PARQUET, published_database


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


app.add_typer(themes_app, name="themes")
app.add_typer(quarantine_app, name="quarantine")
register_analytics(app)
register_pipeline(app)
register_status(app)
class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def init(config: ConfigOption = None, db: DbOption = None) -> None:
    """Create a config file (if there is none) and the database, with all migrations applied."""
    path = config_path(config)
    if path.exists():
        console.print(f"Config: kept existing {path}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        template = resources.files("vocmine") / "templates" / "vocmine.toml"
        path.write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
        console.print(f"Config: wrote {path} (declare your sources there)")
    settings = settings_for(path, db)
    taxonomy = path.parent / TAXONOMY_FILE
    if settings.journey.taxonomy is not None:
        console.print(f"Taxonomy: {settings.taxonomy_path} (journey.taxonomy in the config)")
    elif taxonomy.exists():
        console.print(f"Taxonomy: kept existing {taxonomy}")
    else:
        taxonomy.write_text(default_taxonomy_text(), encoding="utf-8")
        console.print(f"Taxonomy: wrote {taxonomy} (your journey stages and touchpoints: edit it, then "
                      "`vocmine tag --rebuild`)")
    open_with_views(settings).close()
    console.print(f"Database: {settings.db_path} is ready")


@app.command()
def ingest(
    files: Annotated[list[Path] | None, typer.Argument(help="Files or directories to ingest [default: every source's inbox].")] = None,
    source: Annotated[str | None, typer.Option("--source", "-s", help="Source name from the config [default: every source; required when files are named].")] = None,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Load feedback files into the database: duplicates skipped, bad rows quarantined.

    Each file loads in one transaction; a directory stands for its files; a file already
    ingested unchanged is skipped. The summary always reconciles:
    rows read = loaded + updated + duplicates + quarantined.
    """
    settings = settings_for(config, db)
    if files and not source:
        err.print("[red]--source is required when files are named[/red]")
        raise typer.Exit(2)
    try:
        names = [source] if source else sorted(settings.sources)
        for name in names:
            settings.source(name)
        jobs = [(name, expand_paths(files) if files else inbox_files(settings, name)) for name in names]
    except KeyError as exc:
        err.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(2) from exc
    if not settings.sources:
        err.print("[red]no sources configured:[/red] add a [sources.NAME] table to the config (see `vocmine init`)")
        raise typer.Exit(2)
    if not any(paths for _, paths in jobs):
        err.print("Nothing to ingest: name files, or set `inbox` globs for the sources in the config.")
        raise typer.Exit(1)
    con = open_with_views(settings)
    failed = False
    archive = None if files else archive_folder(settings)  # only inbox files are moved
    for name, paths in jobs:
        if not paths:
            continue
        summaries = _ingest_with_progress(con, settings, name, paths, archive)
        _print_summaries(name, summaries)
        failed |= any(s.error for s in summaries)
    con.close()
    raise typer.Exit(1 if failed else 0)


def _ingest_with_progress(con, settings: Settings, name: str, paths: list[Path], archive: Path | None
                          ) -> list[FileSummary]:
    with progress(f"{name}: {len(paths)} file(s)", "files") as report:
        done = iter(range(1, len(paths) + 1))
        result = ingest_files(con, paths, name, settings.source(name), rules=settings.ingest, archive_to=archive,
                              on_file=lambda _: report(next(done), len(paths)))
    return result.files


def _print_summaries(source: str, summaries: list[FileSummary]) -> None:
    table = Table(title=f"source {source}", title_justify="left")
    for column in ("file", "rows read", "loaded", "updated", "duplicates", "quarantined"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for s in summaries:
        if s.error:
            table.add_row(Path(s.file).name, "[red]set aside[/red]", "-", "-", "-", "-")
        elif s.skipped:
            table.add_row(Path(s.file).name, "[dim]skipped[/dim]", "-", "-", "-", "-")
        else:
            table.add_row(Path(s.file).name, *(f"{n:,}" for n in (s.rows_read, s.loaded, s.updated, s.duplicates,
                                                                   s.quarantined)))
    console.print(table)
    for s in summaries:
        if s.skipped:
            console.print(f"[dim]{Path(s.file).name}: skipped, {s.skipped}[/dim]", soft_wrap=True)
        if s.error:
            err.print(f"[red]error:[/red] {escape(s.error)} (nothing of this file was loaded; it is in quarantine)")
        elif s.quarantined:
            console.print(f"{Path(s.file).name}: {s.quarantined} row(s) quarantined; "
                          "see `vocmine sql --working \"SELECT row_number, reason FROM quarantine\"`")
        if s.archived:
            console.print(f"{Path(s.file).name}: moved to {s.archived}")


@app.command()
def enrich(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Also redo feedback enriched by an older pipeline version.")] = False,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Split feedback into segments, redact personal data, add language, lemmas, key phrases and sentiment.

    Only feedback not enriched yet is processed; running it again does nothing. After a change
    of pipeline (model, settings, vocmine version) use --rebuild to redo older work.
    """
    from vocmine.nlp.enrich import enrich as run_enrich  # spaCy loads only for this command

    settings = settings_for(config, db)
    con = open_with_views(settings)
    with progress("enriching feedback", "feedback") as report:
        result = run_enrich(con, settings.nlp, rebuild=rebuild, on_batch=report)
    con.close()
    rate = result.feedback / result.seconds if result.seconds else 0
    console.print(f"Enriched {result.feedback:,} feedback into {result.segments:,} segments "
                  f"in {result.seconds:.1f} s ({rate:,.0f} feedback/s); pipeline {result.pipeline_version}")
    if result.languages:
        console.print("Languages: " + ", ".join(f"{k} {v:,}" for k, v in result.languages.most_common()))
    if result.redacted:
        console.print("Redacted: " + ", ".join(f"{k} {v:,}" for k, v in sorted(result.redacted.items())))
    if result.outdated:
        console.print(f"[yellow]{result.outdated:,} feedback were enriched by an older pipeline version; "
                      "run `vocmine enrich --rebuild` to redo them.[/yellow]")


@app.command()
def embed(config: ConfigOption = None, db: DbOption = None) -> None:
    """Embed segments not embedded yet with the configured backend (cached per model and text)."""
    from vocmine.embed import embed_segments, load_backend  # torch loads only for this command
    from vocmine.pipeline.steps import may_choose_embedding

    settings = settings_for(config, db)
    con = open_with_views(settings)
    choice = embedding_choice(con, settings, decide=may_choose_embedding(con, settings))
    backend = load_backend(choice.backend, threads=settings.embedding.threads)
    started = time.perf_counter()
    with progress(f"embedding with {backend.name}", "texts") as report:
        new = embed_segments(con, backend, on_batch=report)
    seconds = time.perf_counter() - started
    con.close()
    console.print(f"Embedded {new:,} new segment texts with {backend.name} in {seconds:.1f} s"
                  + (f" ({new / seconds:,.0f}/s)" if new and seconds else "; the rest were cached"))


@app.command()
def tag(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-tag every segment (after editing the "
                                          "taxonomy or the [journey] thresholds).")] = False,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Tag new segments with a journey stage and a touchpoint (channel metadata, taxonomy
    patterns, closeness in meaning; `unknown` below the thresholds)."""
    from vocmine.embed.backends import load_backend
    from vocmine.journey.store import tag_segments
    from vocmine.journey.tagging import load_tagger

    settings = settings_for(config, db)
    taxonomy = _taxonomy(settings)
    con = open_with_views(settings)
    choice = embedding_choice(con, settings)
    with err.status("loading the lemmatizer and the embedding model"):
        backend = load_backend(choice.backend, threads=settings.embedding.threads)
        tagger = load_tagger(taxonomy, settings.nlp, backend, settings.journey)
    with progress("tagging", "segments") as advance:
        result = tag_segments(con, tagger, rebuild=rebuild, on_batch=advance)
    con.close()
    console.print(f"Tagged {result.segments:,} segments with taxonomy {result.taxonomy_version}: stages by "
                  f"{_methods(result.stages)}; touchpoints by {_methods(result.touchpoints)}")
    if result.stale:
        err.print(f"[yellow]{result.stale:,} segments carry tags from another taxonomy version: "
                  "`vocmine tag --rebuild` re-tags them[/yellow]")


@app.command()
def check(config: ConfigOption = None, db: DbOption = None) -> None:
    """Run the declared column checks (unique keys, no NULLs, accepted values); exit 1 if any fails."""
    from vocmine.store.checks import run_checks

    settings = settings_for(config, db)
    con = open_read_only(settings.db_path)
    results = run_checks(con, _taxonomy(settings).accepted_values())
    table = Table("table", "column", "test", "result", "examples")
    for r in results:
        table.add_row(r.table, r.column, r.test, "[green]ok[/green]" if r.ok else f"[red]{r.failures:,} failing[/red]",
                      ", ".join(r.examples))
    console.print(table)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


def _taxonomy(settings: Settings):
    try:
        return load_taxonomy(settings.taxonomy_path)
    except ValueError as exc:
        err.print(f"[red]taxonomy error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _methods(counts: dict[str, int]) -> str:
    return ", ".join(f"{method} {n:,}" for method, n in sorted(counts.items(), key=lambda kv: -kv[1])) or "-"


@app.command()
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
    published = published_database(settings)
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


if __name__ == "__main__":
    app()
