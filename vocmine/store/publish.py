"""Publishing the analysts' copy: a separate, checkpointed DuckDB file and Parquet snapshots.

Analysts never open the working database: a nightly run would hold its write lock, and they
could see a step half done. Instead each publication builds a fresh file beside the published
one and renames it into place, so a reader sees the old snapshot or the new one, never a mix
(an analyst holding the old file open keeps reading it until they reconnect). The previous
good copy stays as ``vocmine.previous.duckdb``.

Restricted tables (raw text and quarantined rows may hold personal data) never leave the
working database; the embedding cache and the tokens stored for tagging stay too (large,
and of no use in SQL).

Example::

    published = publish(con, Path("data/published"))
    duckdb.connect(str(published.database), read_only=True)
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

RESTRICTED = ("feedback_raw", "quarantine")
NOT_PUBLISHED = (*RESTRICTED, "embeddings", "segment_tokens", "segment_stage_similarity", "case_centroids")
DATABASE = "vocmine.duckdb"
PREVIOUS = "vocmine.previous.duckdb"
PARQUET = "parquet"
SCRATCH = "view_rows.duckdb.partial"  # the views' rows while the Parquet files are written


@dataclass(frozen=True)
class Publication:
    database: Path
    parquet_dir: Path
    tables: list[str]
    views: list[str]


def published_database(settings) -> Path:
    """Where the analysts' copy of ``settings``' database is published."""
    return settings.resolve(settings.publish_dir) / DATABASE


def publish(con: duckdb.DuckDBPyConnection, folder: Path, *, parquet: bool = True) -> Publication:
    """Build the analysts' database (and Parquet files) in ``folder`` and swap them into place."""
    folder.mkdir(parents=True, exist_ok=True)
    target, partial = folder / DATABASE, folder / (DATABASE + ".partial")
    _remove_leftover(partial)
    tables, views = _relations(con)
    con.execute("ATTACH ? AS publication", [str(partial)])
    try:
        for table in tables:
            con.execute(f'CREATE TABLE publication."{table}" AS FROM main."{table}"')
        ordered = _copy_views(con, views)
        if parquet:
            _write_parquet(con, tables, ordered, folder)
    finally:
        con.execute("DETACH publication")   # checkpoints: the file stands alone, no WAL
    if target.exists():
        _keep_previous(target, folder / PREVIOUS)
    partial.replace(target)
    return Publication(target, folder / PARQUET, tables, list(views))


def _keep_previous(target: Path, previous: Path) -> None:
    """Make the published file the previous copy while its own name still points at it.

    Renaming it away first would leave a moment with no ``vocmine.duckdb`` at all, and an
    analyst connecting then gets "database does not exist". A hard link keeps both names on
    the old file until the new one is renamed over ``target``.
    """
    link = previous.with_name(previous.name + ".partial")
    link.unlink(missing_ok=True)
    try:
        os.link(target, link)
    except OSError:  # a file system without hard links: rename, with the brief gap
        target.replace(previous)
        return
    link.replace(previous)


def _remove_leftover(database: Path) -> None:
    """A database file (and its WAL) left by a publication that was killed."""
    database.unlink(missing_ok=True)
    database.with_name(database.name + ".wal").unlink(missing_ok=True)


def _relations(con: duckdb.DuckDBPyConnection) -> tuple[list[str], dict[str, str]]:
    """The tables to publish, and every view by name with the SQL that creates it."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "ORDER BY table_name").fetchall() if r[0] not in NOT_PUBLISHED]
    views = dict(con.execute(
        "SELECT view_name, sql FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND NOT internal ORDER BY view_name").fetchall())
    return tables, views


def _copy_views(con: duckdb.DuckDBPyConnection, sql: dict[str, str]) -> dict[str, str]:
    """Recreate the views in the publication; a view over another view waits for it. Returns
    them in the order they could be created: each after the views it reads."""
    created: dict[str, str] = {}
    with _using(con, "publication"):
        pending = list(sql)
        while pending:
            failed = []
            for name in pending:
                try:
                    con.execute(sql[name])
                    created[name] = sql[name]
                except duckdb.CatalogException:
                    failed.append(name)
            if len(failed) == len(pending):
                raise RuntimeError(f"cannot publish views {failed}: they use something that is not published")
            pending = failed
    return created


def _write_parquet(con: duckdb.DuckDBPyConnection, tables: list[str], views: dict[str, str], folder: Path) -> None:
    """One file per table and view. Each view's rows are computed once, into a scratch database,
    and the views built on it read those rows: exported one by one, ``priorities`` and
    ``assumption_gap`` would each recompute ``theme_overview`` and everything under it (at a
    million feedback, ten of the publication's seventeen seconds of Parquet). ``views`` must
    come after the views they read (``_copy_views``' order), each with its SQL."""
    final, partial, old = folder / PARQUET, folder / (PARQUET + ".partial"), folder / (PARQUET + ".previous")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    for name in tables:
        _copy_out(con, f'publication."{name}"', partial / f"{name}.parquet")
    scratch = folder / SCRATCH
    _remove_leftover(scratch)
    con.execute("ATTACH ? AS view_rows", [str(scratch)])
    try:
        with _using(con, "view_rows", search_path="view_rows.main,publication.main"):
            for name, sql in views.items():
                con.execute(sql)  # the view, reading the rows of the views before it
                con.execute(f'CREATE TABLE "{name} rows" AS FROM "{name}"')
                con.execute(f'DROP VIEW "{name}"')
                con.execute(f'ALTER TABLE "{name} rows" RENAME TO "{name}"')
                _copy_out(con, f'view_rows."{name}"', partial / f"{name}.parquet")
    finally:
        con.execute("DETACH view_rows")
        scratch.unlink(missing_ok=True)
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.replace(old)
    partial.replace(final)


def _copy_out(con: duckdb.DuckDBPyConnection, relation: str, path: Path) -> None:
    """DuckDB's own Parquet writer: parallel, and nothing passes through Python."""
    target = str(path).replace("'", "''")
    con.execute(f"COPY (FROM {relation}) TO '{target}' (FORMAT parquet)")


@contextmanager
def _using(con: duckdb.DuckDBPyConnection, database: str, search_path: str | None = None) -> Iterator[None]:
    """Run unqualified names against ``database`` (or ``search_path``), then return home."""
    home = con.execute("SELECT current_database()").fetchone()[0]
    con.execute(f'USE "{database}"')
    if search_path:
        con.execute("SET search_path = ?", [search_path])
    try:
        yield
    finally:
        if search_path:
            con.execute("RESET search_path")
        con.execute(f'USE "{home}"')
