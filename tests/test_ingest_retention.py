"""The retention of quarantined rows' raw text: emptied after the period, the row itself kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from typer.testing import CliRunner

from vocmine.cli import app
from vocmine.ingest.retention import purge_quarantine_raw
from vocmine.store import connect

NOW = datetime(2026, 12, 6, 8, 0)


def _quarantine(con, days_ago: int, raw: str) -> None:
    con.execute("INSERT INTO quarantine (run_id, source, file, row_number, reason, raw, quarantined_at) VALUES ('r', 'calls', 'a.csv', 3, 'no text', ?, ?)",
                [raw, NOW - timedelta(days=days_ago)])


def test_retention_empties_old_raw_text_and_keeps_the_row(fresh_db):
    _quarantine(fresh_db, 40, "Jo Lee, 12 Baker Street, 07700 900123")
    _quarantine(fresh_db, 2, "recent row")
    assert purge_quarantine_raw(fresh_db, keep_days=30, now=NOW) == 1
    assert sorted(fresh_db.execute("SELECT raw, reason FROM quarantine").fetchall(), key=str) == \
        [("recent row", "no text"), (None, "no text")]
    assert purge_quarantine_raw(fresh_db, keep_days=30, now=NOW) == 0
    assert purge_quarantine_raw(fresh_db, keep_days=0, now=NOW) == 1


def test_retention_cli_purge_uses_the_configured_days(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VOCMINE_DB", raising=False)
    (tmp_path / "vocmine.toml").write_text('db = "x.duckdb"\n[privacy]\nquarantine_raw_days = 7\n')
    con = connect(tmp_path / "x.duckdb")
    now = datetime.now()
    for days in (10, 1):
        con.execute("INSERT INTO quarantine (run_id, source, file, row_number, reason, raw, quarantined_at) VALUES ('r', 's', 'f', 1, 'why', 'raw', ?)", [now - timedelta(days=days)])
    con.close()
    result = CliRunner().invoke(app, ["quarantine", "purge", "--config", "vocmine.toml"])
    assert result.exit_code == 0 and "1 quarantined row" in result.output, result.output
    result = CliRunner().invoke(app, ["quarantine", "purge", "--days", "0", "--config", "vocmine.toml"])
    assert "1 quarantined row" in result.output
    con = connect(tmp_path / "x.duckdb")
    assert con.execute("SELECT count(*) FROM quarantine WHERE raw IS NULL").fetchone() == (2,)
