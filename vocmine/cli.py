"""The ``vocmine`` command line: each command loads settings, opens the store, calls one
library function and prints what happened."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from vocmine.config import TAXONOMY_FILE, Settings, config_path, load_settings
from vocmine.ingest import FileSummary, inbox_files, ingest_files
from vocmine.journey.taxonomy import default_taxonomy_text, load_taxonomy
from vocmine.store import connect, open_read_only
from vocmine.store.migrate import pending_migrations
from vocmine.store.status import recent_runs, source_counts

app = typer.Typer(
    help="vocmine: voice-of-customer text mining. Ingest feedback, find what customers talk about.",
    no_args_is_help=True,
    add_completion=False,
)
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


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _settings(config: Path | None, db: Path | None) -> Settings:
    try:
        return load_settings(config, db=db.resolve() if db else None)
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"[red]config error:[/red] {exc}")
        raise typer.Exit(2) from exc


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
    settings = _settings(path, db)
    taxonomy = path.parent / TAXONOMY_FILE
    if settings.journey.taxonomy is not None:
        console.print(f"Taxonomy: {settings.taxonomy_path} (journey.taxonomy in the config)")
    elif taxonomy.exists():
        console.print(f"Taxonomy: kept existing {taxonomy}")
    else:
        taxonomy.write_text(default_taxonomy_text(), encoding="utf-8")
        console.print(f"Taxonomy: wrote {taxonomy} (your journey stages and touchpoints: edit it, then "
                      "`vocmine tag --rebuild`)")
    connect(settings.db_path).close()
    console.print(f"Database: {settings.db_path} is ready")


@app.command()
def ingest(
    files: Annotated[list[Path] | None, typer.Argument(help="Files to ingest; none = every source's inbox.")] = None,
    source: Annotated[str | None, typer.Option("--source", "-s", help="Source name from the config.")] = None,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Load feedback files into the database: duplicates skipped, bad rows quarantined.

    Each file loads in one transaction. The summary always reconciles:
    rows read = loaded + duplicates + quarantined.
    """
    settings = _settings(config, db)
    if files and not source:
        err.print("[red]--source is required when files are named[/red]")
        raise typer.Exit(2)
    try:
        names = [source] if source else sorted(settings.sources)
        jobs = [(name, files or inbox_files(settings, name)) for name in names]
        for name in names:
            settings.source(name)
    except KeyError as exc:
        err.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(2) from exc
    if not any(paths for _, paths in jobs):
        err.print("Nothing to ingest: name files, or set `inbox` globs for the sources in the config.")
        raise typer.Exit(1)
    con = connect(settings.db_path)
    failed = False
    for name, paths in jobs:
        if not paths:
            continue
        summaries = _ingest_with_progress(con, settings, name, paths)
        _print_summaries(name, summaries)
        failed |= any(s.error for s in summaries)
    con.close()
    raise typer.Exit(1 if failed else 0)


@contextmanager
def _progress(description: str) -> Iterator[Callable[[int, int], None]]:
    """A transient progress bar on stderr; yields the ``on_batch(done, total)`` callback."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(description, total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)


def _ingest_with_progress(con, settings: Settings, name: str, paths: list[Path]) -> list[FileSummary]:
    with _progress(f"{name}: {len(paths)} file(s)") as report:
        done = iter(range(1, len(paths) + 1))
        result = ingest_files(con, paths, name, settings.source(name),
                              on_file=lambda _: report(next(done), len(paths)))
    return result.files


def _print_summaries(source: str, summaries: list[FileSummary]) -> None:
    table = Table(title=f"source {source}", title_justify="left")
    for column in ("file", "rows read", "loaded", "duplicates", "quarantined"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for s in summaries:
        if s.error:
            table.add_row(Path(s.file).name, "[red]failed[/red]", "-", "-", "-")
        else:
            table.add_row(Path(s.file).name, *(f"{n:,}" for n in (s.rows_read, s.loaded, s.duplicates, s.quarantined)))
    console.print(table)
    for s in summaries:
        if s.error:
            err.print(f"[red]error:[/red] {s.error} (nothing of this file was loaded)")
        elif s.quarantined:
            console.print(f"{Path(s.file).name}: {s.quarantined} row(s) quarantined; "
                          "see `vocmine sql \"SELECT row_number, reason FROM quarantine\"`")


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

    settings = _settings(config, db)
    con = connect(settings.db_path)
    with _progress("enriching feedback") as report:
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

    settings = _settings(config, db)
    backend = load_backend(settings.embedding.backend, threads=settings.embedding.threads)
    con = connect(settings.db_path)
    started = time.perf_counter()
    with _progress(f"embedding with {backend.name}") as report:
        new = embed_segments(con, backend, on_batch=report)
    seconds = time.perf_counter() - started
    con.close()
    console.print(f"Embedded {new:,} new segment texts with {backend.name} in {seconds:.1f} s"
                  + (f" ({new / seconds:,.0f}/s)" if new and seconds else "; the rest were cached"))


themes_app = typer.Typer(help="Discover, list and curate themes.", no_args_is_help=True)
app.add_typer(themes_app, name="themes")


@themes_app.command("refit")
def themes_refit(config: ConfigOption = None, db: DbOption = None) -> None:
    """Discover themes on all embedded segments; known themes keep their IDs, labels and merges."""
    from vocmine.themes.emerging import flag_emerging
    from vocmine.themes.registry import refit_themes

    settings = _settings(config, db)
    model = _embedding_model(settings)
    con = connect(settings.db_path)
    with err.status("fitting themes (the first fit in a new environment compiles UMAP: ~1 min)"), _theme_errors():
        result = refit_themes(con, model, settings.themes, settings.resolve(settings.themes.fits_dir))
        emerging = flag_emerging(con, model, settings.themes, result.run_id)
    con.close()
    console.print(f"{result.themes} themes in {result.groups} groups: {result.kept} kept, {result.created} new, "
                  f"{result.retired} retired; {result.outlier_share:.1%} of segments fit no theme; "
                  f"{len(emerging)} emerging")


@themes_app.command("update")
def themes_update(config: ConfigOption = None, db: DbOption = None) -> None:
    """The nightly step: place new segments in known themes, propose themes for what fits none,
    refit when due (`themes.refit_every_days`), and flag emerging themes."""
    from vocmine.themes.assign import refresh_themes

    settings = _settings(config, db)
    con = connect(settings.db_path)
    with err.status("updating themes"), _theme_errors():
        result = refresh_themes(con, _embedding_model(settings), settings.themes,
                                settings.resolve(settings.themes.fits_dir))
    con.close()
    if result.refit:
        r = result.refit
        console.print(f"Refit: {r.themes} themes, {r.kept} kept, {r.created} new, {r.retired} retired; "
                      f"{r.outlier_share:.1%} of segments fit no theme")
    if result.assigned:
        a = result.assigned
        console.print(f"{a.new_segments} new segments: {a.assigned} placed in known themes, {a.unassigned} fit none "
                      f"({a.pool} unassigned in all); {len(a.proposed)} new themes proposed")
    console.print(f"{len(result.emerging)} emerging themes"
                  + (f": {', '.join(map(str, result.emerging))}" if result.emerging else ""))


@themes_app.command("list")
def themes_list(
    groups: Annotated[bool, typer.Option("--groups", help="Also list theme groups.")] = False,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """List active themes, largest first, with their group, size and keywords (* = emerging)."""
    from vocmine.themes.curation import list_themes

    settings = _settings(config, db)
    con = open_read_only(settings.db_path)
    table = Table("id", "group", "label", "segments", "first seen", "last seen", "keywords")
    for theme in list_themes(con, include_groups=groups):
        table.add_row(str(theme["theme_id"]), _show(theme["parent_id"]),
                      theme["label"] + (" [bold red]*[/bold red]" if theme["emerging"] else ""), _show(theme["size"]),
                      _show(theme["first_seen"])[:10], _show(theme["last_seen"])[:10],
                      ", ".join(theme["keywords"][:5]))
    console.print(table)


@themes_app.command("show")
def themes_show(
    theme_id: Annotated[int, typer.Argument(help="Theme id, from `vocmine themes list`.")],
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """One theme in full: keywords, group, weekly trend, emerging check, lineage, examples."""
    from vocmine.themes.curation import show_theme

    settings = _settings(config, db)
    con = open_read_only(settings.db_path)
    with _theme_errors():
        t = show_theme(con, theme_id)
    console.print(f"[bold]Theme {t['theme_id']}: {t['label']}[/bold] ({t['status']}"
                  + (f" into {t['merged_into']}" if t["merged_into"] else "") + ")")
    console.print(f"group {_show(t['parent_id'])} ({_show(t['group_label'])}); {t['size']} segments, "
                  f"first seen {_show(t['first_seen'])[:10]}, last seen {_show(t['last_seen'])[:10]}")
    console.print("keywords: " + ", ".join(t["keywords"]))
    if t["merged_from"]:
        console.print("merged from: " + ", ".join(map(str, t["merged_from"])))
    if t["trend"]:
        flag = "[bold red]EMERGING[/bold red]: " if t["trend"]["emerging"] else ""
        console.print(f"{flag}{t['trend']['reason']}")
    weekly = Table("week", "segments", "share", "sentiment", title="weekly")
    for w in t["weekly"]:
        weekly.add_row(str(w["week"]), str(w["volume"]), f"{w['share']:.1%}", _show(
            None if w["avg_sentiment"] is None else round(w["avg_sentiment"], 2)))
    console.print(weekly)
    events = Table("when", "event", "other theme", "detail", title="lineage")
    for e in t["events"]:
        event = e["event"] if e["theme_id"] == theme_id else f"{e['event']} (theme {e['theme_id']})"
        other = e["other_id"] if e["other_id"] != theme_id else None
        events.add_row(str(e["happened_at"])[:16], event, _show(other), _show(e["detail"]))
    console.print(events)
    console.print("examples:")
    for text in t["examples"]:
        console.print(f"  - {text}")


@themes_app.command("rename")
def themes_rename(
    theme_id: Annotated[int, typer.Argument(help="Theme id, from `vocmine themes list`.")],
    label: Annotated[str, typer.Argument(help="The name analysts will see.")],
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Give a theme a name; later refits keep it as long as the theme is matched."""
    from vocmine.themes.curation import rename_theme

    settings = _settings(config, db)
    con = connect(settings.db_path)
    with _theme_errors():
        rename_theme(con, theme_id, label)
    console.print(f"Theme {theme_id} is now {label!r}")


@themes_app.command("merge")
def themes_merge(
    into: Annotated[int, typer.Argument(help="The theme that stays.")],
    others: Annotated[list[int], typer.Argument(help="Themes folded into it.")],
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Merge themes that are the same for your business; later refits keep them merged."""
    from vocmine.themes.curation import merge_themes

    settings = _settings(config, db)
    con = connect(settings.db_path)
    with _theme_errors():
        size = merge_themes(con, into, others, settings.themes)
    console.print(f"Merged {', '.join(map(str, others))} into theme {into} ({size} segments)")


def _embedding_model(settings: Settings) -> str:
    from vocmine.embed.backends import backend_key

    return backend_key(settings.embedding.backend)


@contextmanager
def _theme_errors() -> Iterator[None]:
    """A curation or theme step that cannot proceed says why and exits 1, without a traceback."""
    try:
        yield
    except (KeyError, ValueError) as exc:
        err.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(1) from exc


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

    settings = _settings(config, db)
    taxonomy = _taxonomy(settings)
    con = connect(settings.db_path)
    with err.status("loading the lemmatizer and the embedding model"):
        backend = load_backend(settings.embedding.backend, threads=settings.embedding.threads)
        tagger = load_tagger(taxonomy, settings.nlp, backend, settings.journey)
    with _progress("tagging") as advance:
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

    settings = _settings(config, db)
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
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Run a read-only SQL query and print the result as a table, CSV or JSON."""
    settings = _settings(config, db)
    try:
        con = open_read_only(settings.db_path)
        cursor = con.execute(query)
        names = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    except Exception as exc:  # duckdb errors and a missing database alike
        err.print(f"[red]query failed:[/red] {exc}")
        raise typer.Exit(1) from exc
    if format is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    elif format is OutputFormat.json:
        print(json.dumps([dict(zip(names, r, strict=True)) for r in rows], default=str, ensure_ascii=False, indent=2))
    else:
        table = Table(*names)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)
        console.print(f"{len(rows)} row(s)")


@app.command()
def status(config: ConfigOption = None, db: DbOption = None) -> None:
    """Show feedback, enrichment and quarantine counts per source and the latest runs."""
    settings = _settings(config, db)
    try:
        con = open_read_only(settings.db_path)
    except Exception as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    if pending_migrations(con):
        err.print(f"[red]{settings.db_path} was made by an older vocmine: run `vocmine init` to upgrade it[/red]")
        raise typer.Exit(1)
    sources = Table("source", "feedback", "enriched", "segments", "quarantined", "first received",
                    "last received", title="Sources", title_justify="left")
    for row in source_counts(con):
        sources.add_row(*(_show(v) for v in row.values()))
    console.print(sources)
    runs = Table("run", "status", "started", "took", "what happened", title="Latest runs", title_justify="left")
    for run in recent_runs(con):
        counts = json.loads(run["counts"]) if run["counts"] else {}
        brief = " · ".join(f"{k.replace('_', ' ')} {_show(v)}" for k, v in counts.items() if not isinstance(v, list))
        took = f"{(run['finished_at'] - run['started_at']).total_seconds():.1f} s" if run["finished_at"] else "-"
        runs.add_row(run["run_id"], run["status"], _show(run["started_at"]), took,
                     brief + (f" [red]{run['error']}[/red]" if run["error"] else ""))
    console.print(runs)


def _show(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)[:19] if hasattr(value, "isoformat") else str(value)


if __name__ == "__main__":
    app()
