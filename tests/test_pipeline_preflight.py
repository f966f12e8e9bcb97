"""A run checks its settings before any work (issue 20): every problem is one line that starts
with the config key, `vocmine run` exits 2 and `[notify]` is told."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from vocmine.cli import app
from vocmine.config import load_settings
from vocmine.pipeline import check_run_settings

SOURCE = '[sources.notes]\nkind = "call_note"\ninbox = ["inbox/*.csv"]\ncolumns = { text = "text" }\n'


def _settings(tmp_path, text: str):
    config = tmp_path / "vocmine.toml"
    config.write_text('db = "work/vocmine.duckdb"\n' + text, encoding="utf-8")
    return load_settings(config)


def test_preflight_passes_a_sound_config(tmp_path):
    assert check_run_settings(_settings(tmp_path, SOURCE)) == []


def test_preflight_no_sources_says_so(tmp_path):
    problems = check_run_settings(_settings(tmp_path, ""))
    assert len(problems) == 1 and problems[0].startswith("sources: no sources configured")


@pytest.mark.parametrize("setting, problem", [
    ('[nlp]\nmodel = "en_core_web_nosuch"\n', "nlp.model: spaCy pipeline 'en_core_web_nosuch' is not installed"),
    ('[embedding]\nbackend = "minilmm"\n', "embedding.backend: 'minilmm' is not a known backend"),
    ('[teams.support]\nstages = ["suport"]\n', ("teams.support.stages: 'suport' is not a journey stage of the "
                                                "taxonomy (did you mean 'support'?")),
    ('[teams.support]\ntouchpoints = ["phnoe"]\n', "teams.support.touchpoints: 'phnoe' is not a touchpoint"),
    ('[nlp]\nlanguages = ["en", "ab"]\n', "nlp.languages: language identification does not know"),
    ('[journey]\ntaxonomy = "missing.toml"\n', "journey.taxonomy: "),
])
def test_preflight_names_the_setting(tmp_path, setting, problem):
    problems = check_run_settings(_settings(tmp_path, SOURCE + setting))
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_preflight_received_at_format_must_be_a_format(tmp_path):
    problems = check_run_settings(_settings(tmp_path, SOURCE.replace(
        'columns = { text = "text" }', 'columns = { text = "text", received_at = "d", received_at_format = "dd/mm" }')))
    assert problems and problems[0].startswith("sources.notes.columns.received_at_format: 'dd/mm'")


@pytest.mark.parametrize("backend", ["minilm", "static", "auto"])
def test_preflight_accepts_the_built_in_backends(tmp_path, backend):
    assert check_run_settings(_settings(tmp_path, SOURCE + f'[embedding]\nbackend = "{backend}"\n')) == []


def test_preflight_run_refuses_before_any_work_and_tells(tmp_path):
    told = tmp_path / "told.txt"
    config = tmp_path / "vocmine.toml"
    config.write_text(f'db = "work/vocmine.duckdb"\n{SOURCE}[embedding]\nbackend = "nosuch"\n'
                      f'[notify]\ncommand = "echo $VOCMINE_RUN_STATUS $VOCMINE_RUN_ERROR > {told}"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--config", str(config)])
    assert result.exit_code == 2
    assert "config error: embedding.backend: 'nosuch' is not a known backend" in " ".join(result.output.split())
    assert not (tmp_path / "work" / "vocmine.duckdb").exists()  # nothing was done
    assert told.read_text().startswith("failed embedding.backend: 'nosuch'")


def test_preflight_init_then_run_without_sources(tmp_path):
    config = tmp_path / "vocmine.toml"
    assert CliRunner().invoke(app, ["init", "--config", str(config)]).exit_code == 0
    result = CliRunner().invoke(app, ["run", "--config", str(config)])
    assert result.exit_code == 2 and "no sources configured" in result.output


def test_preflight_partial_alignment_needs_taxonomy_examples_in_several_languages(tmp_path):
    """``align_languages = "partial"`` reads language directions off the taxonomy: the shipped one
    gives them; one without other languages' examples is refused before any work, by name."""
    import re
    from pathlib import Path

    import vocmine.journey

    assert check_run_settings(_settings(tmp_path, SOURCE + '[themes]\nalign_languages = "partial"\n')) == []
    shipped = (Path(vocmine.journey.__file__).parent / "taxonomy.toml").read_text(encoding="utf-8")
    english = re.sub(r"^\[(stages|touchpoints)\.languages\.\w+\]\n(?:(?!\[).*\n)*", "", shipped, flags=re.MULTILINE)
    assert "languages.zh" not in english
    (tmp_path / "english.toml").write_text(english, encoding="utf-8")
    problems = check_run_settings(_settings(tmp_path, SOURCE + '[themes]\nalign_languages = "partial"\n'
                                            '[journey]\ntaxonomy = "english.toml"\n'))
    assert len(problems) == 1 and problems[0].startswith('themes.align_languages = "partial": no stage or touchpoint')
    assert check_run_settings(_settings(tmp_path, SOURCE + '[themes]\nalign_languages = "full"\n'
                                        '[journey]\ntaxonomy = "english.toml"\n')) == []
