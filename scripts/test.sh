#!/usr/bin/env bash
# Set everything up (if needed) and run the whole test suite, slow tests included.
# Extra arguments go to pytest, e.g. `scripts/test.sh -m "not slow"` while developing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/install-chromium.sh   # the report tests open pages in headless Chromium
export HF_HUB_OFFLINE=1 DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false
exec .venv/bin/python -m pytest "$@"
