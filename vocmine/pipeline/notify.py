"""Telling someone how a run ended: a webhook (JSON POST) and/or a shell command.

A notification that cannot be delivered is reported back, never raised: a run that
succeeded stays succeeded because a chat server was down.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from typing import Any

from vocmine.config import NotifyConfig

TIMEOUT_SECONDS = 30


def notify(config: NotifyConfig, summary: dict[str, Any]) -> list[str]:
    """Send ``summary`` (run_id, status, error, steps) where configured; returns delivery errors."""
    status = "success" if summary["status"] == "succeeded" else "failure"
    if status not in config.on:
        return []
    problems = []
    if config.webhook:
        try:
            request = urllib.request.Request(config.webhook, data=json.dumps(summary, default=str).encode(),
                                             headers={"Content-Type": "application/json"}, method="POST")
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                response.read()
        except OSError as exc:
            problems.append(f"webhook {config.webhook}: {exc}")
    if config.command:
        env = os.environ | {"VOCMINE_RUN_ID": summary["run_id"], "VOCMINE_RUN_STATUS": summary["status"],
                            "VOCMINE_RUN_ERROR": summary.get("error") or "",
                            "VOCMINE_RUN_SUMMARY": json.dumps(summary, default=str)}
        try:
            done = subprocess.run(config.command, shell=True, env=env, timeout=TIMEOUT_SECONDS,
                                  capture_output=True, text=True, check=False)
            if done.returncode:
                problems.append(f"command exited {done.returncode}: {done.stderr.strip()[-500:]}")
        except subprocess.TimeoutExpired:
            problems.append(f"command did not finish within {TIMEOUT_SECONDS} s")
    return problems
