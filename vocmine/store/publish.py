"""Publishing the analysts' copy: a separate, checkpointed DuckDB file and Parquet snapshots.

Analysts never open the working database: a nightly run would hold its write lock, and they
could see a step half done. Instead each publication builds a fresh file beside the published
one and renames it into place, so a reader sees the old snapshot or the new one, never a mix
(an analyst holding the old file open keeps reading it until they reconnect). The previous
good copy stays as ``vocmine.previous.duckdb``.

Restricted tables (raw text and quarantined rows may hold personal data) never leave the
working database; the embedding cache and the tokens stored for tagging stay too (large,
and of no use in SQL). In ``feedback`` itself, ``customer_id`` becomes a keyed pseudonym and
``metadata`` keeps only the keys its source declares public (``sql/publish_feedback.sql``).
The published files are made read-only on disk: a copy is never edited, only replaced.

Example::

    published = publish(con, Path("data/published"), public_metadata={"reviews": ["plan"]})
    duckdb.connect(str(published.database), read_only=True)
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from vocmine.store.sqlfiles import run_sql

RESTRICTED = ("feedback_raw", "quarantine", "customer_key")
NOT_PUBLISHED = (*RESTRICTED, "embeddings", "segment_tokens", "segment_stage_similarity", "case_centroids",
                 "changed_segments")
DATABASE = "vocmine.duckdb"
PREVIOUS = "vocmine.previous.duckdb"
PARQUET = "parquet"
SCRATCH = "view_rows.duckdb.partial"  # the views' rows while the Parquet files are written
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH  # 0o444: a published file is replaced, never edited


@dataclass(frozen=True)
class Publication:
    database: Path
    parquet_dir: Path
    tables: list[str]
    views: list[str]


def published_database(folder: Path) -> Path:
    """Where the analysts' copy is published in ``folder`` (``publish_dir``, resolved by the caller)."""
    return Path(folder) / DATABASE


def publish(con: duckdb.DuckDBPyConnection, folder: Path, *, parquet: bool = True,
            public_metadata: Mapping[str, Sequence[str]] | None = None, customer_key: bytes | None = None,
            storage_version: str = "v1.0.0") -> Publication:
    """Build the analysts' database (and Parquet files) in ``folder`` and swap them into place.

    ``public_metadata`` maps a source to the metadata keys analysts may see (``public_metadata()`` of the settings;
    none by default); ``customer_key`` keys the customer pseudonyms (default: the store's own random key).
    ``storage_version`` is the DuckDB file format written (``[publish] storage_version``): the
    default opens in every DuckDB from 1.0, so an analyst's older CLI or BI tool reads it too."""
    if storage_version != "latest" and not re.fullmatch(r"v\d+\.\d+\.\d+", storage_version):
        raise ValueError(f"storage version {storage_version!r} is not 'latest' nor a DuckDB version such as 'v1.0.0'")
    working = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    if working and Path(working).resolve().parent == folder.resolve():
        raise ValueError(f"publish_dir: {folder} is the working database's folder; publishing there could replace "
                         "the working database with the analysts' copy")
    folder.mkdir(parents=True, exist_ok=True)
    target, partial = folder / DATABASE, folder / (DATABASE + ".partial")
    _remove_leftover(partial)
    tables, views = _relations(con)
    con.execute(f"ATTACH ? AS publication (STORAGE_VERSION '{storage_version}')", [str(partial)])
    try:
        for table in tables:
            if table == "feedback":
                _copy_feedback(con, public_metadata or {}, customer_key or stored_customer_key(con))
            else:
                con.execute(f'CREATE TABLE publication."{table}" AS FROM main."{table}"')
        ordered = _copy_views(con, views)
        if parquet:
            _write_parquet(con, tables, ordered, folder)
    finally:
        con.execute("DETACH publication")   # checkpoints: the file stands alone, no WAL
    partial.chmod(READ_ONLY)
    if target.exists():
        _keep_previous(target, folder / PREVIOUS)
    partial.replace(target)
    return Publication(target, folder / PARQUET, tables, list(views))


def stored_customer_key(con: duckdb.DuckDBPyConnection) -> bytes:
    """The working store's key for customer pseudonyms, made (32 random bytes) the first time it is needed.
    It never leaves the working database: a new store gives every customer a new pseudonym."""
    rows = con.execute("SELECT key FROM customer_key LIMIT 1").fetchall()  # whole: DuckDB 2 refuses other work
    if rows:                                                                # beside an unfinished result
        return bytes(rows[0][0])
    key = secrets.token_bytes(32)
    con.execute("INSERT INTO customer_key VALUES (?, now()::TIMESTAMP)", [key])
    return key


def _copy_feedback(con: duckdb.DuckDBPyConnection, public_metadata: Mapping[str, Sequence[str]], key: bytes) -> None:
    """``feedback`` with pseudonymous customer ids and public metadata only (HMAC-SHA256 in SQL)."""
    block = (key if len(key) <= 64 else hashlib.sha256(key).digest()).ljust(64, b"\0")
    sources = sorted(public_metadata)
    keys = pa.table({"source": pa.array(sources, pa.string()),
                     "keys": pa.array([list(public_metadata[s]) for s in sources], pa.list_(pa.string()))})
    con.register("public_metadata", keys)
    try:
        run_sql(con, "vocmine.store", "publish_feedback.sql",
                {"inner": bytes(b ^ 0x36 for b in block), "outer": bytes(b ^ 0x5C for b in block)})
    finally:
        con.unregister("public_metadata")


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
    for path in partial.iterdir():
        path.chmod(READ_ONLY)
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
