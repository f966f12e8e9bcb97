#!/usr/bin/env bash
# Set everything up and run vocmine on the bundled demo data (data/demo, config vocmine.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export HF_HUB_OFFLINE=1 DO_NOT_TRACK=1
.venv/bin/vocmine init
.venv/bin/vocmine ingest
.venv/bin/vocmine enrich
.venv/bin/vocmine embed
.venv/bin/vocmine themes update
.venv/bin/vocmine tag
.venv/bin/vocmine views
.venv/bin/vocmine check
.venv/bin/vocmine status
.venv/bin/vocmine themes list
.venv/bin/vocmine publish
.venv/bin/vocmine report --all --format html --format md --format xlsx
echo
echo "Reports: $(pwd)/reports (open the .html files in a browser)"
echo "Analysts' copy: $(pwd)/data/published/vocmine.duckdb (read-only; Parquet beside it)"
