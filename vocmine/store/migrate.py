"""Numbered SQL migrations, applied in order and recorded, so every database converges.

Files are ``migrations/NNN_name.sql``; each runs in its own transaction and is recorded in
``schema_migrations`` with a checksum, so an edited migration that was already applied is
reported instead of silently diverging.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from vocmine.store.tx import transaction

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def available_migrations() -> list[Migration]:
    folder = resources.files("vocmine.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """Apply every migration the database has not seen yet; return those applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " checksum VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    applied = dict(con.execute("SELECT version, checksum FROM schema_migrations").fetchall())
    done = []
    for migration in available_migrations():
        if migration.version in applied:
            if applied[migration.version] != migration.checksum:
                raise RuntimeError(
                    f"migration {migration.version:03d}_{migration.name}.sql changed after it was "
                    "applied; add a new migration instead of editing an applied one"
                )
            continue
        with transaction(con):
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?, now()::TIMESTAMP)",
                [migration.version, migration.name, migration.checksum],
            )
        done.append(migration)
    return done


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """Migrations a (possibly read-only) database has not had yet."""
    try:
        applied = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    except duckdb.CatalogException:
        applied = set()
    return [m for m in available_migrations() if m.version not in applied]
