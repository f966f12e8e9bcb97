#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/browser.py) unless it is already there.
# Debian's package, not a browser download: CI machines reach Debian's archive and nothing else.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root() { sudo -n "$@"; }
else
    echo "install-chromium.sh: /usr/bin/chromium is missing and this user cannot install it;" >&2
    echo "  run as root: apt-get update && apt-get install -y chromium" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium.sh: /usr/bin/chromium is missing and apt-get is not available (Debian needed);" >&2
    echo "  install Chromium so that /usr/bin/chromium exists" >&2
    exit 1
fi
echo "installing Debian chromium for the browser tests..." >&2
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
