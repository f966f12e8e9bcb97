#!/usr/bin/env bash
# Create .venv with Python 3.11 and install vocmine with its pinned dependencies.
# Re-running is cheap: the install is skipped while pyproject.toml is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "vocmine needs Python 3.11 ($PYTHON not found); set PYTHON=/path/to/python3.11" >&2
    exit 2
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# Quiet by default: errors only (pip's -qq; setuptools' notes about editable installs are not
# news to anyone running this). VOCMINE_SETUP_VERBOSE=1 shows pip's usual output.
quiet=(--quiet --quiet)
if [ -n "${VOCMINE_SETUP_VERBOSE:-}" ]; then
    quiet=()
fi
stamp=".venv/.vocmine-installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    echo "setup: installing vocmine and its pinned dependencies into .venv (a few minutes the first time)" >&2
    .venv/bin/python -m pip install "${quiet[@]}" --disable-pip-version-check --upgrade pip
    # torch first and pinned: an unpinned resolve would pull a multi-GB CUDA build.
    .venv/bin/python -m pip install "${quiet[@]}" --disable-pip-version-check "torch==2.13.0"
    .venv/bin/python -m pip install "${quiet[@]}" --disable-pip-version-check -e ".[dev]"
    rm -f .venv/.vocmine-installed-*
    touch "$stamp"
fi
