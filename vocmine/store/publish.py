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
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

RESTRICTED = ("feedback_raw", "quarantine")
NOT_PUBLISHED = (*RESTRICTED, "embeddings", "segment_tokens")
DATABASE = "vocmine.duckdb"
PREVIOUS = "vocmine.previous.duckdb"
PARQUET = "parquet"


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
    partial.unlink(missing_ok=True)
    partial.with_name(partial.name + ".wal").unlink(missing_ok=True)  # left by a publication that was killed
    tables, views = _relations(con)
    con.execute("ATTACH ? AS publication", [str(partial)])
    try:
        for table in tables:
            con.execute(f'CREATE TABLE publication."{table}" AS FROM main."{table}"')
        _copy_views(con, views)
        if parquet:
            _write_parquet(con, tables + views, folder)
    finally:
        con.execute("DETACH publication")   # checkpoints: the file stands alone, no WAL
    if target.exists():
        _keep_previous(target, folder / PREVIOUS)
    partial.replace(target)
    return Publication(target, folder / PARQUET, tables, views)


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


def _relations(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "ORDER BY table_name").fetchall() if r[0] not in NOT_PUBLISHED]
    views = [r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND NOT internal ORDER BY view_name").fetchall()]
    return tables, views


def _copy_views(con: duckdb.DuckDBPyConnection, views: list[str]) -> None:
    """Recreate the views in the publication; a view over another view waits for it."""
    sql = dict(con.execute("SELECT view_name, sql FROM duckdb_views() WHERE database_name = current_database() "
                           "AND schema_name = 'main' AND NOT internal").fetchall())
    home = con.execute("SELECT current_database()").fetchone()[0]
    con.execute("USE publication")
    try:
        pending = list(views)
        while pending:
            failed = []
            for name in pending:
                try:
                    con.execute(sql[name])
                except duckdb.CatalogException:
                    failed.append(name)
            if len(failed) == len(pending):
                raise RuntimeError(f"cannot publish views {failed}: they use something that is not published")
            pending = failed
    finally:
        con.execute(f'USE "{home}"')


def _write_parquet(con: duckdb.DuckDBPyConnection, relations: list[str], folder: Path) -> None:
    final, partial, old = folder / PARQUET, folder / (PARQUET + ".partial"), folder / (PARQUET + ".previous")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    for name in relations:
        batches = con.sql(f'FROM publication."{name}"').to_arrow_reader(100_000)
        with pq.ParquetWriter(partial / f"{name}.parquet", batches.schema) as writer:
            for batch in batches:
                writer.write_batch(batch)
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.replace(old)
    partial.replace(final)
