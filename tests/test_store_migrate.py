from __future__ import annotations

import pytest

from vocmine.store import connect
from vocmine.store.migrate import Migration, apply_migrations, available_migrations

CORE_TABLES = {"feedback", "feedback_raw", "quarantine", "runs", "ingested_files", "schema_migrations"}


def test_migrate_fresh_database_creates_and_records_every_migration(tmp_path):
    con = connect(tmp_path / "new.duckdb")
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert CORE_TABLES <= tables
    recorded = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]
    assert recorded == [m.version for m in available_migrations()]


def test_migrate_is_a_no_op_the_second_time(fresh_db):
    assert apply_migrations(fresh_db) == []


def test_migrate_feedback_has_the_documented_columns(fresh_db):
    columns = [r[0] for r in fresh_db.execute("DESCRIBE feedback").fetchall()]
    for name in ("feedback_id", "source", "kind", "external_id", "received_at", "channel", "rating",
                 "customer_id", "language", "text", "metadata", "content_hash", "run_id", "ingested_at"):
        assert name in columns
    assert [r[0] for r in fresh_db.execute("DESCRIBE quarantine").fetchall()][:6] == [
        "run_id", "source", "file", "row_number", "reason", "raw"]
    assert [r[0] for r in fresh_db.execute("DESCRIBE runs").fetchall()][:6] == [
        "run_id", "kind", "started_at", "finished_at", "status", "counts"]


def test_migrate_refuses_an_edited_migration(fresh_db, monkeypatch):
    edited = [Migration(m.version, m.name, m.sql + "\n-- edited") for m in available_migrations()]
    monkeypatch.setattr("vocmine.store.migrate.available_migrations", lambda: edited)
    with pytest.raises(RuntimeError, match="changed after it was applied"):
        apply_migrations(fresh_db)


def test_migrate_kind_is_checked(fresh_db):
    with pytest.raises(Exception, match="CHECK"):
        fresh_db.execute(
            "INSERT INTO feedback (feedback_id, source, kind, content_hash, dedup_key, run_id, ingested_at) "
            "VALUES ('x', 's', 'tweet', 'h', 'k', 'r', now())"
        )
