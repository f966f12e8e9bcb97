"""The step commands run one pipeline step by hand: ``init``, ``ingest``, ``enrich``, ``embed``,
``tag`` and ``check`` (``vocmine run`` runs them all, in :mod:`vocmine.cli.pipeline`)."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from vocmine.cli.common import (
    ConfigOption,
    DbOption,
    console,
    embedding_choice,
    err,
    open_with_views,
    progress,
    settings_for,
)
from vocmine.config import TAXONOMY_FILE, Settings, config_path
from vocmine.ingest import FileSummary, archive_folder, expand_paths, inbox_files, ingest_files
from vocmine.journey.taxonomy import default_taxonomy_text, load_taxonomy
from vocmine.store import open_read_only


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
        jobs = [(name, expand_paths(files) if files else inbox_files(settings.source(name), settings.project_dir)) for name in names]
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
    archive = None if files else archive_folder(settings.ingest, settings.project_dir)  # only inbox files are moved
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


def register(app: typer.Typer) -> None:
    for command in (init, ingest, enrich, embed, tag, check):
        app.command()(command)
