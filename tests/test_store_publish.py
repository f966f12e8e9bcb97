"""Publishing the analysts' copy: everything analysts query, nothing restricted, swapped in whole."""

from __future__ import annotations

import duckdb
import pyarrow.parquet as pq
from handmade import refresh

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
    # rows computed once: each file still holds exactly what its view returns
    for name in files:
        written = handmade_store.execute("FROM read_parquet(?)", [str(result.parquet_dir / f"{name}.parquet")])
        assert sorted(map(str, written.fetchall())) == sorted(map(str, handmade_store.execute(f'FROM "{name}"')
                                                                  .fetchall())), name
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
