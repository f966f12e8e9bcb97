"""Where vocmine keeps the files it derives from installed packages (vocmine.text.cache), and that
a test run keeps its own: the ~120 MB Polish lemma table never lands in the cache of whoever
runs pytest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.projects import run_env

from vocmine.text.cache import cache_folder


def test_cache_folder_is_the_setting_else_xdg_else_home(monkeypatch, tmp_path):
    """Where a user's runs keep the files (README "Settings"): unchanged by the tests' own folder."""
    monkeypatch.setenv("VOCMINE_CACHE_DIR", str(tmp_path / "set"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "set"
    monkeypatch.delenv("VOCMINE_CACHE_DIR")
    assert cache_folder() == tmp_path / "xdg" / "vocmine"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() == tmp_path / "home" / ".cache" / "vocmine"


def test_cache_folder_of_a_test_run_is_its_own(vocmine_cache, monkeypatch):
    """Tests, and the `vocmine` processes they start, derive files into the session's folder
    (the ``vocmine_cache`` fixture), not into the user's cache."""
    assert cache_folder() == vocmine_cache
    monkeypatch.delenv("VOCMINE_CACHE_DIR")
    users = cache_folder()
    assert users not in (vocmine_cache, *vocmine_cache.parents)
    monkeypatch.undo()
    printed = subprocess.run([sys.executable, "-c", "from vocmine.text.cache import cache_folder; print(cache_folder())"],
                             env=run_env(), capture_output=True, text=True, check=True)
    assert Path(printed.stdout.strip()) == vocmine_cache
