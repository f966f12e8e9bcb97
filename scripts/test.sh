#!/usr/bin/env bash
# Set everything up (if needed) and run the whole test suite, slow tests included.
# Extra arguments go to pytest, e.g. `scripts/test.sh -m "not slow"` while developing (no browser needed).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Only the slow tests open pages in headless Chromium: the fast suite (-m "not slow") needs no browser.
case " $* " in
    *"not slow"*) ;;
    *) scripts/install-chromium.sh ;;
esac
export HF_HUB_OFFLINE=1 DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false
exec .venv/bin/python -m pytest "$@"
