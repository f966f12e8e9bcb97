from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from vocmine.config import load_settings

ISSUE_EXAMPLE = """
[sources.airline_tweets]
kind = "social"
format = "csv"            # csv | jsonl | parquet; default from the file extension
[sources.airline_tweets.columns]
id = "tweet_id"           # optional; if absent the content hash identifies the row
text = "text"             # required
received_at = "tweet_created"   # optional
channel = "channel"       # optional
rating = "stars"          # optional, numeric
customer_id = "user"      # optional
[sources.airline_tweets.metadata]
columns = ["airline", "negativereason"]   # kept verbatim in feedback.metadata
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ("VOCMINE_DB", "VOCMINE_CONFIG"):
        monkeypatch.delenv(name, raising=False)


def test_config_reads_the_documented_source_shape(tmp_path):
    (tmp_path / "vocmine.toml").write_text(ISSUE_EXAMPLE)
    settings = load_settings(tmp_path / "vocmine.toml")
    source = settings.source("airline_tweets")
    assert source.kind == "social" and source.format == "csv"
    assert source.columns.mapped() == {"id": "tweet_id", "text": "text", "received_at": "tweet_created",
                                       "channel": "channel", "rating": "stars", "customer_id": "user"}
    assert source.metadata.columns == ["airline", "negativereason"]


def test_config_default_db_and_relative_paths_follow_the_config_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings().db_path == tmp_path / "data" / "vocmine.duckdb"
    project = tmp_path / "project"
    project.mkdir()
    (project / "vocmine.toml").write_text('db = "store/x.duckdb"\n')
    assert load_settings(project / "vocmine.toml").db_path == project / "store" / "x.duckdb"


def test_config_env_overrides_file_and_flag_overrides_env(tmp_path, monkeypatch):
    (tmp_path / "vocmine.toml").write_text('db = "from-file.duckdb"\n')
    monkeypatch.setenv("VOCMINE_CONFIG", str(tmp_path / "vocmine.toml"))
    assert load_settings().db_path.name == "from-file.duckdb"
    monkeypatch.setenv("VOCMINE_DB", "/tmp/from-env.duckdb")
    assert load_settings().db_path == Path("/tmp/from-env.duckdb")
    assert load_settings(db=Path("/tmp/from-flag.duckdb")).db_path == Path("/tmp/from-flag.duckdb")


def test_config_rejects_typos_and_unknown_kinds(tmp_path):
    (tmp_path / "a.toml").write_text('[sources.x]\nkind = "social"\n[sources.x.columns]\ntxt = "text"\n')
    with pytest.raises(ValidationError, match="txt"):
        load_settings(tmp_path / "a.toml")
    (tmp_path / "b.toml").write_text('[sources.x]\nkind = "tweet"\n[sources.x.columns]\ntext = "text"\n')
    with pytest.raises(ValidationError, match="kind"):
        load_settings(tmp_path / "b.toml")


def test_config_named_file_must_exist(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.toml"):
        load_settings(tmp_path / "missing.toml")


def test_config_format_follows_the_extension(tmp_path):
    (tmp_path / "c.toml").write_text('[sources.x]\nkind = "review"\n[sources.x.columns]\ntext = "t"\n')
    source = load_settings(tmp_path / "c.toml").source("x")
    assert source.format_for(Path("a.CSV")) == "csv"
    assert source.format_for(Path("a.ndjson")) == "jsonl"
    assert source.format_for(Path("a.parquet")) == "parquet"
    with pytest.raises(ValueError, match="format"):
        source.format_for(Path("a.xlsx"))


@pytest.mark.parametrize("team", ["../../../escaped_team", "billing team", "x/y", "-x"])
def test_config_refuses_team_names_that_are_no_identifiers(tmp_path, team):
    (tmp_path / "v.toml").write_text(f'[teams."{team}"]\nstages = ["billing"]\n')
    with pytest.raises(ValidationError, match=f"teams.{team}: a team name"):
        load_settings(tmp_path / "v.toml")


def test_config_metadata_columns_are_restricted_unless_public(tmp_path):
    (tmp_path / "v.toml").write_text(
        '[sources.x]\nkind = "social"\n[sources.x.columns]\ntext = "text"\n'
        '[sources.x.metadata]\ncolumns = ["phone", "plan"]\npublic = ["plan", "tier"]\nrestricted = ["address"]\n')
    settings = load_settings(tmp_path / "v.toml")
    assert settings.sources["x"].metadata.columns == ["phone", "plan", "tier", "address"]
    assert settings.public_metadata() == {"x": ["plan", "tier"]}
    (tmp_path / "w.toml").write_text(
        '[sources.x]\nkind = "social"\n[sources.x.columns]\ntext = "text"\n'
        '[sources.x.metadata]\npublic = ["plan"]\nrestricted = ["plan"]\n')
    with pytest.raises(ValidationError, match="both public and restricted"):
        load_settings(tmp_path / "w.toml")
