"""Publishing the analysts' copy: everything analysts query, nothing restricted, swapped in whole."""

from __future__ import annotations

import json

import duckdb
import pyarrow.parquet as pq
from support.handmade import refresh

from vocmine.store.publish import NOT_PUBLISHED, PREVIOUS, publish


def _relations(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() UNION ALL "
                                      "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}


def test_store_publish_copies_tables_and_views_but_not_restricted_data(handmade_store, tmp_path):
    refresh(handmade_store)
    handmade_store.execute("INSERT INTO feedback_raw VALUES ('f1', 'call me on 07700 900123')")
    result = publish(handmade_store, tmp_path)
    reader = duckdb.connect(str(result.database), read_only=True)
    assert _relations(reader) == _relations(handmade_store) - set(NOT_PUBLISHED)
    for view in ("priorities", "theme_drivers", "lost_customers", "team_kpis", "theme_overview"):
        assert sorted(map(str, reader.execute(f"FROM {view}").fetchall())) == \
            sorted(map(str, handmade_store.execute(f"FROM {view}").fetchall()))
    assert b"07700 900123" not in result.database.read_bytes()
    assert not list(tmp_path.glob("*.wal")) and not list(tmp_path.glob("*.partial"))


def test_store_publish_writes_parquet_of_every_published_relation(handmade_store, tmp_path):
    refresh(handmade_store)
    result = publish(handmade_store, tmp_path)
    files = {p.stem for p in result.parquet_dir.glob("*.parquet")}
    assert files == set(result.tables) | set(result.views)
    assert pq.read_table(result.parquet_dir / "priorities.parquet").num_rows == \
        handmade_store.execute("SELECT count(*) FROM priorities").fetchone()[0] > 0
    # views over views (priorities over theme_overview over theme_weekly) are written from
    # rows computed once: each file still holds exactly what its view returns in the published copy
    published = duckdb.connect(str(result.database), read_only=True)
    for name in files:
        written = handmade_store.execute("FROM read_parquet(?)", [str(result.parquet_dir / f"{name}.parquet")])
        assert sorted(map(str, written.fetchall())) == sorted(map(str, published.execute(f'FROM "{name}"')
                                                                  .fetchall())), name
    published.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parquet", "vocmine.duckdb"]  # no scratch left


def test_store_publish_keeps_the_previous_copy_and_readers_keep_their_snapshot(handmade_store, tmp_path):
    refresh(handmade_store)
    first = publish(handmade_store, tmp_path)
    reader = duckdb.connect(str(first.database), read_only=True)
    before = reader.execute("SELECT count(*) FROM feedback").fetchone()[0]
    handmade_store.execute("DELETE FROM feedback WHERE feedback_id = 'f1'")
    publish(handmade_store, tmp_path)
    assert reader.execute("SELECT count(*) FROM feedback").fetchone()[0] == before  # the old snapshot, whole
    reader.close()  # (DuckDB shares one open file per process: a new connection would reuse it)
    fresh = duckdb.connect(str(first.database), read_only=True)
    assert fresh.execute("SELECT count(*) FROM feedback").fetchone()[0] == before - 1
    previous = duckdb.connect(str(tmp_path / PREVIOUS), read_only=True)
    assert previous.execute("SELECT count(*) FROM feedback").fetchone()[0] == before


def _feedback_with_pii(con) -> None:
    """Two feedback of one customer (an e-mail) with a phone number and a plan in their metadata."""
    for fid in ("p1", "p2"):
        con.execute("INSERT INTO feedback (feedback_id, source, kind, customer_id, text, metadata, content_hash, "
                    "dedup_key, run_id, ingested_at) VALUES (?, 'calls', 'call_note', 'jo.lee@example.com', 'fine', "
                    "?, ?, ?, 'r', now())", [fid, '{"phone": "07700 900456", "plan": "Max 5G", "churned": "false"}',
                                             fid, fid])


def test_store_publish_pseudonymises_customers_and_publishes_public_metadata_only(handmade_store, tmp_path):
    import hashlib
    import hmac

    refresh(handmade_store)
    _feedback_with_pii(handmade_store)
    result = publish(handmade_store, tmp_path, public_metadata={"calls": ["plan"]})
    reader = duckdb.connect(str(result.database), read_only=True)
    ids = dict(reader.execute("SELECT feedback_id, customer_id FROM feedback").fetchall())
    key = handmade_store.execute("SELECT key FROM customer_key").fetchone()[0]
    assert ids["p1"] == ids["p2"] == "c_" + hmac.new(key, b"jo.lee@example.com", hashlib.sha256).hexdigest()[:20]
    assert reader.execute("SELECT count(DISTINCT customer_id) FROM feedback").fetchone() == \
        handmade_store.execute("SELECT count(DISTINCT customer_id) FROM feedback").fetchone()
    metadata = reader.execute("SELECT metadata FROM feedback WHERE feedback_id = 'p1'").fetchone()[0]
    assert json.loads(metadata) == {"plan": "Max 5G", "churned": "false"}  # churned: the lost-customer rule reads it
    assert "customer_key" not in _relations(reader)
    reader.close()
    for path in [result.database, *result.parquet_dir.iterdir()]:
        data = path.read_bytes()
        assert b"jo.lee@example.com" not in data and b"07700 900456" not in data, path
    # the same key next time: pseudonyms are stable; another key gives others
    again = publish(handmade_store, tmp_path, public_metadata={"calls": ["plan"]}, parquet=False)
    with duckdb.connect(str(again.database), read_only=True) as reader:
        assert reader.execute("SELECT customer_id FROM feedback WHERE feedback_id = 'p1'").fetchone()[0] == ids["p1"]
    other = publish(handmade_store, tmp_path, customer_key=b"configured", parquet=False)
    with duckdb.connect(str(other.database), read_only=True) as reader:
        assert reader.execute("SELECT customer_id, metadata FROM feedback WHERE feedback_id = 'p1'").fetchone() == \
            ("c_" + hmac.new(b"configured", b"jo.lee@example.com", hashlib.sha256).hexdigest()[:20],
             '{"churned":"false"}')


def test_store_publish_writes_read_only_files_and_still_replaces_them(handmade_store, tmp_path):
    refresh(handmade_store)
    first = publish(handmade_store, tmp_path)
    for path in [first.database, *first.parquet_dir.iterdir()]:
        assert path.stat().st_mode & 0o222 == 0, path
    handmade_store.execute("UPDATE themes SET label = 'renamed' WHERE theme_id = 1")
    second = publish(handmade_store, tmp_path)
    with duckdb.connect(str(second.database), read_only=True) as reader:
        assert reader.execute("SELECT label FROM themes WHERE theme_id = 1").fetchone() == ("renamed",)
    assert second.database.stat().st_mode & 0o222 == 0 and (tmp_path / PREVIOUS).exists()


def test_store_publish_never_into_the_working_database_folder(tmp_path):
    """Published as vocmine.duckdb beside the working vocmine.duckdb, the swap would replace it."""
    import pytest

    from vocmine.store import connect

    con = connect(tmp_path / "vocmine.duckdb")
    con.execute("CREATE TABLE keep AS SELECT 1 AS x")
    with pytest.raises(ValueError, match="publish_dir: .* is the working database's folder"):
        publish(con, tmp_path)
    assert con.execute("FROM keep").fetchall() == [(1,)]
    con.close()
