"""What a new user does after `scripts/demo.sh`, as the README writes it, on a fresh copy of the demo.

`vocmine run` runs with its output sent to a file (as under cron or Prefect): the log must show
progress lines with counts for the long steps. Then every command of the README's analyst blocks
runs as written, in a folder laid out like a clone (the demo config, `data/demo`, `.venv`), the
DuckDB CLI one included (pip's own cache keeps its wheel after the first time).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT
from support.projects import without_settings

pytestmark = pytest.mark.slow  # the whole demo pipeline with the real models: minutes

@pytest.fixture(scope="module")
def demo_clone(tmp_path_factory) -> Path:
    """The demo config and data in a fresh folder, after `vocmine init` and `vocmine run > run.log`."""
    folder = tmp_path_factory.mktemp("clone")
    shutil.copy(ROOT / "vocmine.toml", folder / "vocmine.toml")
    (folder / "data").mkdir()
    (folder / "data" / "demo").symlink_to(ROOT / "data" / "demo")
    (folder / "vocmine").mkdir()
    (folder / "vocmine" / "journey").symlink_to(ROOT / "vocmine" / "journey")  # the config's taxonomy path
    (folder / ".venv").symlink_to(Path(sys.executable).parents[1])
    env = without_settings() | {"HF_HUB_OFFLINE": "1"}
    with (folder / "run.log").open("w") as log:
        subprocess.run([".venv/bin/vocmine", "init"], cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                       check=True)
        subprocess.run([".venv/bin/vocmine", "run"], cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                       check=True)
    return folder


def test_analyst_commands_run_logs_progress_lines_with_counts(demo_clone):
    log = (demo_clone / "run.log").read_text()
    for step, unit in (("enrich", "feedback"), ("embed", "texts"), ("themes", "phase")):
        assert f"{step}: started" in log, step
        if unit == "phase":
            assert re.search(r"^themes: phase \d/\d · fitting themes on [\d,]+ segments", log, re.MULTILINE), log
        else:
            assert re.search(rf"^{step}: [\d,]+/[\d,]+ {unit} · [\d,]+/s · ", log, re.MULTILINE), log
    assert "Loading weights" not in log and "/?" not in log
    summary = log[log.rindex("\nRun pipeline-"):]   # the end-of-run table fits 100 columns
    assert "succeeded" in summary and max(len(line) for line in summary.splitlines()) <= 100


def _readme_commands() -> list[str]:
    """The commands of the README's blocks that follow "Afterwards try" and the DuckDB CLI advice."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("Afterwards try"):readme.index("## Your own data")]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_analyst_commands_of_the_readme_run_as_written(demo_clone):
    commands = _readme_commands()
    assert any(c.startswith(".venv/bin/vocmine sql") for c in commands)
    assert any("duckdb -readonly data/published/vocmine.duckdb" in c for c in commands)
    env = without_settings() | {"HF_HUB_OFFLINE": "1"}
    for command in commands:
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=demo_clone, env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
        if "SELECT" in command:
            assert done.stdout.strip(), command
