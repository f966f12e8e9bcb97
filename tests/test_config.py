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


def _problems(tmp_path, text: str) -> list[str]:
    from vocmine.cli.common import config_problems

    (tmp_path / "vocmine.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_settings(tmp_path / "vocmine.toml")
    return config_problems(caught.value)


@pytest.mark.parametrize("text, problem", [
    ('[sources.s]\nkind = "review"\ndelimiter = ""\ncolumns = { text = "t" }\n',
     "sources.s.delimiter: delimiter '' must be exactly one character"),
    ('[nlp]\nlanguages = ["english"]\n', ("nlp.languages: 'english' is not an ISO 639-1 language code (two "
                                          "lower-case letters: 'en')")),
    ('[nlp]\ndefault_language = "EN"\n', "nlp.default_language: 'EN' is not an ISO 639-1 language code"),
    ('db = "data/vocmine.duckdb"\npublish_dir = "data"\n', "publish_dir: "),
    ('[ingest]\nupdates = "overwrite"\n', "ingest.updates: Input should be 'new_version' or 'quarantine'"),
    ('[ingest]\nmax_text_chars = 0\n', "ingest.max_text_chars: "),
])
def test_config_poison_settings_fail_naming_the_key(tmp_path, text, problem):
    problems = _problems(tmp_path, text)
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_config_publish_dir_never_the_working_database_folder(tmp_path):
    problem, = _problems(tmp_path, 'db = "work/x.duckdb"\npublish_dir = "work/"\n')
    assert problem == (f"publish_dir: {(tmp_path / 'work').resolve()} is the working database's folder; publish the "
                       "analysts' copy to a folder of its own (default data/published)")
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


def test_config_models_given_by_relative_path_are_read_beside_the_config(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "models" / "my-pipeline").mkdir(parents=True)
    (project / "models" / "my-encoder").mkdir()
    (project / "vocmine.toml").write_text('[nlp]\nmodel = "models/my-pipeline"\n'
                                          '[embedding]\nbackend = "./models/my-encoder"\n'
                                          'auto_multilingual = "intfloat/multilingual-e5-small"\n')
    monkeypatch.chdir(tmp_path)  # another working folder: the models are still found
    settings = load_settings(project / "vocmine.toml")
    assert settings.nlp.model == str(project / "models" / "my-pipeline")
    assert Path(settings.embedding.backend) == project / "models" / "my-encoder"
    assert settings.embedding.auto_multilingual == "intfloat/multilingual-e5-small"  # a hub name, no such folder
    (project / "static").mkdir()
    (project / "vocmine.toml").write_text('[embedding]\nbackend = "static"\n')
    assert load_settings(project / "vocmine.toml").embedding.backend == "static"  # a built-in name stays one
