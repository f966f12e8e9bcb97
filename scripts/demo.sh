#!/usr/bin/env bash
# Set everything up and run vocmine on the bundled demo data (data/demo, config vocmine.toml):
# the same pipeline the nightly flow runs (`vocmine run`), then checks and a look at the result.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export HF_HUB_OFFLINE=1 DO_NOT_TRACK=1
.venv/bin/vocmine init
.venv/bin/vocmine run
.venv/bin/vocmine check
.venv/bin/vocmine status
.venv/bin/vocmine themes list
echo
echo "Reports: $(pwd)/reports (open the .html files in a browser)"
echo "Analysts' copy: $(pwd)/data/published/vocmine.duckdb (read-only; Parquet beside it)"
