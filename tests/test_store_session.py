"""store_session and the commands: a command that fails leaves the store closed, so the same
process (a notebook, a Prefect worker, the test suite) can open it again either way."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from vocmine.cli import app
from vocmine.store import connect, open_read_only, store_session

runner = CliRunner()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An initialised project: config, taxonomy and a migrated store with no themes."""
    monkeypatch.chdir(tmp_path)
    for name in ("VOCMINE_DB", "VOCMINE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "vocmine.toml").write_text('db = "store.duckdb"\n[sources.notes]\nkind = "call_note"\n'
                                           'columns = { text = "text" }\n', encoding="utf-8")
    assert runner.invoke(app, ["init"]).exit_code == 0
    return tmp_path / "store.duckdb"


def test_store_session_closes_the_store_when_the_block_fails(tmp_path):
    db = tmp_path / "store.duckdb"
    with pytest.raises(RuntimeError, match="step broke"), store_session(db) as con:
        con.execute("SELECT count(*) FROM runs").fetchall()
        raise RuntimeError("step broke")
    open_read_only(db).close()  # a read-write connection still open would refuse this


def test_store_session_closes_the_store_when_preparing_it_fails(tmp_path):
    db = tmp_path / "store.duckdb"

    def broken(con):
        raise duckdb.CatalogException("a view reads a table this store lacks")

    with pytest.raises(duckdb.CatalogException), store_session(db, prepare=broken):
        pass
    open_read_only(db).close()


def test_store_session_failed_read_command_leaves_the_store_writable(project):
    result = runner.invoke(app, ["themes", "show", "7"])  # reads the store, then fails: no theme 7
    assert result.exit_code == 1 and "no theme 7" in result.output
    connect(project).close()  # a read-only connection left open would refuse a read-write one


def test_store_session_failed_write_command_leaves_the_store_readable(project):
    result = runner.invoke(app, ["themes", "rename", "7", "billing"])  # writes the store, then fails
    assert result.exit_code == 1 and "no theme 7" in result.output
    open_read_only(project).close()
    result = runner.invoke(app, ["themes", "refit"])  # fails inside the pipeline's themes step: nothing embedded
    assert result.exit_code == 1 and "vocmine embed" in result.output
    open_read_only(project).close()
