from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from support.paths import ROOT
from support.projects import run_vocmine
from support.stores import write_bytes
from typer.testing import CliRunner

from vocmine.cli import app

runner = CliRunner()
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def _write_project(folder: Path) -> Path:
    (folder / "vocmine.toml").write_text(
        'db = "store/vocmine.duckdb"\n[sources.notes]\nkind = "call_note"\ninbox = ["inbox/*.csv"]\n'
        '[sources.notes.columns]\nid = "id"\ntext = "text"\n'
    )
    (folder / "inbox").mkdir()
    write_bytes(folder / "inbox", "a.csv", "id,text\n1,Hold music for 40 minutes\n2,\n3,Agent was great\n")
    return folder


def _work_in(folder: Path, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    for name in ("VOCMINE_DB", "VOCMINE_CONFIG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cli_project(tmp_path, monkeypatch):
    """A project folder (the working directory) with a config for one CSV source, as `vocmine init` users have."""
    _work_in(tmp_path, monkeypatch)
    return _write_project(tmp_path)


@pytest.fixture(scope="module")
def published_template(tmp_path_factory) -> Path:
    """A ``cli_project`` with ``publish_dir = "published"`` after `vocmine ingest` and `vocmine publish`,
    made once per module; tests work on copies (``published_cli_project``)."""
    folder = _write_project(tmp_path_factory.mktemp("published"))
    (folder / "vocmine.toml").write_text('publish_dir = "published"\n' + (folder / "vocmine.toml").read_text())
    with pytest.MonkeyPatch.context() as monkeypatch:
        _work_in(folder, monkeypatch)
        assert runner.invoke(app, ["ingest"]).exit_code == 0
        assert runner.invoke(app, ["publish"]).exit_code == 0
    return folder


@pytest.fixture
def published_cli_project(published_template, tmp_path, monkeypatch):
    """A copy of the ingested and published project, as the working directory: the test may try to change it."""
    folder = tmp_path / "project"
    shutil.copytree(published_template, folder)
    _work_in(folder, monkeypatch)
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help_and_is_in_the_readme(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
    assert re.search(rf"`vocmine {command}\b", (ROOT / "README.md").read_text()), f"{command} not in README"


def test_cli_init_writes_config_and_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VOCMINE_DB", raising=False)
    monkeypatch.delenv("VOCMINE_CONFIG", raising=False)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "vocmine.toml").exists() and (tmp_path / "data" / "vocmine.duckdb").exists()
    assert "kept existing" in runner.invoke(app, ["init"]).output


def test_cli_ingest_inbox_then_sql_and_status(cli_project):
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 0, result.output
    assert "a.csv" in result.output
    result = runner.invoke(app, ["sql", "SELECT external_id FROM feedback ORDER BY 1", "--format", "json"])
    assert json.loads(result.output) == [{"external_id": "1"}, {"external_id": "3"}]
    result = runner.invoke(app, ["sql", "SELECT row_number, reason FROM quarantine", "--format", "csv"])
    assert result.output.splitlines() == ["row_number,reason", "2,text is empty"]
    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0 and "notes" in status.output and "ingest" in status.output


def test_cli_ingest_named_file_needs_a_known_source(cli_project):
    assert runner.invoke(app, ["ingest", "inbox/a.csv"]).exit_code == 2
    result = runner.invoke(app, ["ingest", "inbox/a.csv", "--source", "nope"])
    assert result.exit_code == 2 and "unknown source 'nope'" in result.output


def test_cli_ingest_failing_file_exits_nonzero_with_file_and_column(cli_project):
    write_bytes(cli_project, "bad.csv", "id,body\n1,hi\n")
    result = runner.invoke(app, ["ingest", "bad.csv", "--source", "notes"])
    assert result.exit_code == 1
    flat = " ".join(result.output.split())
    assert "bad.csv" in flat and "'text'" in flat


def test_cli_sql_is_read_only(cli_project):
    runner.invoke(app, ["ingest"])
    result = runner.invoke(app, ["sql", "DELETE FROM feedback"])
    assert result.exit_code == 1 and "read-only" in result.output.lower()


@pytest.mark.parametrize("working", [False, True])
@pytest.mark.parametrize("query", [
    "ATTACH 'store/vocmine.duckdb' AS w (READ_WRITE); DROP TABLE w.feedback CASCADE",
    "ATTACH 'other.duckdb' AS o",
    "COPY (SELECT 1) TO 'escaped.csv'",
    "COPY (SELECT 1) TO 'published/parquet/escaped.csv'",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_csv('store/../vocmine.toml')",
    "SET enable_external_access = true",
    "INSTALL httpfs",
    "PREPARE p AS COPY (SELECT 1) TO 'published/parquet/escaped.csv'; EXECUTE p",
    "EXPORT DATABASE 'published/parquet/escaped.csv'",
])
def test_cli_sql_refuses_other_files_and_databases(published_cli_project, query, working):
    result = runner.invoke(app, ["sql", query, *(["--working"] if working else [])])
    assert result.exit_code == 1, result.output
    assert not (published_cli_project / "escaped.csv").exists()
    assert not (published_cli_project / "published" / "parquet" / "escaped.csv").exists()
    check = runner.invoke(app, ["sql", "SELECT count(*) AS n FROM feedback", "--working", "--format", "csv"])
    assert check.output.splitlines()[-1] == "2"


def test_cli_sql_reads_the_published_parquet(cli_project):
    (cli_project / "vocmine.toml").write_text('publish_dir = "published"\n' + (cli_project / "vocmine.toml").read_text())
    assert runner.invoke(app, ["ingest"]).exit_code == 0 and runner.invoke(app, ["publish"]).exit_code == 0
    result = runner.invoke(app, ["sql", "SELECT count(*) AS n FROM 'published/parquet/feedback.parquet'",
                                 "--format", "csv"])
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "2", result.output


def test_cli_sql_table_rounds_floats_and_prints_placeholders_as_they_are(cli_project):
    runner.invoke(app, ["ingest"])
    query = "SELECT 5 / 12 AS share, -0.00001::DOUBLE AS tiny, 1234.5::DOUBLE AS big, '[PERSON] called' AS text"
    table = runner.invoke(app, ["sql", query])
    assert table.exit_code == 0, table.output
    assert re.search(r"0\.4167 +│ +0 +│ +1234\.5 +│ +\[PERSON\] called", table.output), table.output
    assert "0.4166666" in runner.invoke(app, ["sql", query, "--format", "csv"]).output   # programs get every digit


def test_cli_db_flag_overrides_config(cli_project, tmp_path):
    other = tmp_path / "other.duckdb"
    assert runner.invoke(app, ["ingest", "--db", str(other)]).exit_code == 0
    assert other.exists() and not (cli_project / "store" / "vocmine.duckdb").exists()


@pytest.mark.parametrize("command", ["refit", "update", "list", "show", "rename", "merge"])
def test_cli_theme_commands_have_help_and_are_in_the_readme(command):
    result = runner.invoke(app, ["themes", command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
    assert f"`vocmine themes {command}" in (ROOT / "README.md").read_text()


def test_cli_themes_refit_without_embeddings_says_what_to_do(cli_project):
    runner.invoke(app, ["ingest"])
    result = runner.invoke(app, ["themes", "refit"])
    assert result.exit_code == 1 and "vocmine embed" in result.output


def test_cli_themes_update_without_embeddings_says_what_to_do(cli_project):
    runner.invoke(app, ["ingest"])
    result = runner.invoke(app, ["themes", "update"])
    assert result.exit_code == 1 and "vocmine embed" in result.output


@pytest.mark.parametrize("args", [["show", "7"], ["merge", "7", "8"], ["rename", "7", "Roaming"]])
def test_cli_theme_curation_of_an_unknown_theme_fails_clearly(cli_project, args):
    runner.invoke(app, ["init"])
    result = runner.invoke(app, ["themes", *args])
    assert result.exit_code == 1 and "no theme 7" in result.output


def test_cli_init_writes_the_taxonomy_to_edit_and_keeps_an_edited_one(cli_project):
    assert runner.invoke(app, ["init"]).exit_code == 0
    taxonomy = cli_project / "taxonomy.toml"
    assert "[[stages]]" in taxonomy.read_text()
    taxonomy.write_text("# mine\n" + taxonomy.read_text())
    assert "kept existing" in runner.invoke(app, ["init"]).output
    assert taxonomy.read_text().startswith("# mine")


def test_cli_tag_and_check_refuse_a_broken_taxonomy_naming_it(cli_project):
    runner.invoke(app, ["init"])
    (cli_project / "taxonomy.toml").write_text("[[stages]]\nid = 'billing'\nname = 'Billing'\n")
    for command in ("tag", "check"):
        result = runner.invoke(app, [command])
        assert result.exit_code == 2 and "taxonomy.toml" in result.output and "description" in result.output


def test_cli_init_leaves_the_taxonomy_alone_when_the_config_names_one(cli_project):
    (cli_project / "journey.toml").write_text((ROOT / "vocmine" / "journey" / "taxonomy.toml").read_text())
    with (cli_project / "vocmine.toml").open("a") as config:
        config.write('\n[journey]\ntaxonomy = "journey.toml"\n')
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0 and "journey.toml" in result.output
    assert not (cli_project / "taxonomy.toml").exists()


def test_cli_views_and_publish_bring_every_analyst_view_to_the_analysts_copy(cli_project):
    import duckdb

    from vocmine.analytics.views import analyst_views

    runner.invoke(app, ["ingest"])   # a migrated store: since migration 013 the migrations make no view
    result = runner.invoke(app, ["views"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["publish", "--no-parquet"]).exit_code == 0
    published = duckdb.connect(str(cli_project / "data" / "published" / "vocmine.duckdb"), read_only=True)
    names = {r[0] for r in published.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert names == {v.name for v in analyst_views()}
    assert published.execute("SELECT count(*) FROM priorities").fetchone()[0] == 0


def test_cli_ingest_alone_leaves_a_store_with_every_analyst_view(cli_project):
    import duckdb

    from vocmine.analytics.views import analyst_views

    assert runner.invoke(app, ["ingest"]).exit_code == 0   # no init, no views command, no run
    con = duckdb.connect(str(cli_project / "store" / "vocmine.duckdb"), read_only=True)
    names = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert names == {v.name for v in analyst_views()}


def _every_command(group, path=()):
    """(argv, click command) for every command and subcommand of the app."""
    import typer.main

    for name, command in typer.main.get_command(group).commands.items() if path == () else group.commands.items():
        if hasattr(command, "commands"):
            yield from _every_command(command, (*path, name))
        else:
            yield [*path, name], command


def _flat(text: str) -> str:
    """Help as one line of words: box borders, wrapping and Markdown code marks taken out."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text.replace("`", "")).split())


@pytest.mark.parametrize("argv,command", [pytest.param(a, c, id=" ".join(a)) for a, c in _every_command(app)])
def test_cli_help_of_every_command_shows_its_defaults_and_all_its_text(argv, command):
    result = runner.invoke(app, [*argv, "--help"], env={"COLUMNS": "200"})  # no wrapping inside a column
    assert result.exit_code == 0, result.output
    shown = _flat(result.output)
    assert _flat((command.help or "").split("\f")[0]) in shown   # no word taken as markup and dropped
    for param in command.params:
        if param.name == "help":
            continue
        text = _flat(getattr(param, "help", None) or "")
        assert text in shown, (param.name, text)
        if getattr(param, "required", False) or param.default is False:
            continue  # a required argument, or a flag that is off unless given
        if param.default is None or param.default is True:   # typer shows neither: the help must
            assert "[default:" in text, f"{' '.join(argv)} {param.name}: the help does not say what happens without it"
        else:
            default = param.default.value if hasattr(param.default, "value") else param.default
            assert re.search(rf"\[default: [^\]]*{re.escape(str(default).lower())}", shown.lower()), \
                (param.name, default)


def test_cli_commands_during_a_run_say_so_in_one_line(cli_project):
    import subprocess
    import sys

    with (cli_project / "vocmine.toml").open("a") as config:
        config.write('\n[teams.billing]\nstages = ["billing"]\n')
    assert runner.invoke(app, ["ingest"]).exit_code == 0
    db = cli_project / "store" / "vocmine.duckdb"
    hold = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(120)"
    holder = subprocess.Popen([sys.executable, "-c", hold, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        for args in (["ingest"], ["publish"], ["report", "--team", "billing"]):
            done = run_vocmine(cli_project, *args, timeout=300)
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            assert done.returncode == 75, (args, done.stderr)
            assert len(lines) == 1 and "is in use by another process (a vocmine run?)" in lines[0], (args, lines)
            assert "Traceback" not in done.stderr + done.stdout
    finally:
        holder.kill()
        holder.wait()


def test_cli_unexpected_error_is_one_line_and_verbose_shows_the_traceback(cli_project):
    (cli_project / "adir").mkdir()
    done = run_vocmine(cli_project, "ingest", "--db", "adir", timeout=300)  # a folder where the database should be
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 1 and len(lines) == 1 and lines[0].startswith("error: ")
    assert "--verbose" in lines[0] and "Traceback" not in done.stderr
    verbose = run_vocmine(cli_project, "--verbose", "ingest", "--db", "adir", timeout=300)
    assert verbose.returncode == 1 and "Traceback" in verbose.stderr


def test_cli_ingest_a_directory_reads_its_files(cli_project):
    write_bytes(cli_project / "inbox", "b.csv", "id,text\n7,Roaming bill too high\n")
    result = runner.invoke(app, ["ingest", "inbox", "--source", "notes"])
    assert result.exit_code == 0 and "a.csv" in result.output and "b.csv" in result.output
    again = runner.invoke(app, ["ingest", "inbox", "--source", "notes"])
    assert again.exit_code == 0 and "b.csv: skipped, unchanged since ingest-" in again.output


def test_cli_status_shows_what_the_last_run_set_aside(cli_project):
    write_bytes(cli_project / "inbox", "empty.csv", "")
    assert runner.invoke(app, ["ingest"]).exit_code == 1  # a file set aside: `vocmine ingest` says so
    status = runner.invoke(app, ["status"], env={"COLUMNS": "250"})
    flat = " ".join(status.output.split())
    assert status.exit_code == 0 and "Set aside by the last run" in flat
    assert "text is empty" in flat and "the file is empty (0 bytes)" in flat and "whole file" in flat
