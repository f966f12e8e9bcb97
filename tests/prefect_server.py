"""Prefect for tests, offline and at home in a temporary folder: flows run in the test's own
process on the temporary server (``local_prefect``), or a real server for schedules
(``prefect_server``: a free port, always stopped).

Example::

    with prefect_server(tmp_path / "prefect") as api_url:
        subprocess.Popen([...], env=prefect_env(tmp_path / "prefect", api_url))
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

OFFLINE = {  # see ../shared/MODELS.md
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_UI_ENABLED": "false",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prefect_env(home: Path, api_url: str | None = None, **extra: str) -> dict[str, str]:
    """This process's environment, with Prefect's home in ``home`` and pointed at ``api_url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | OFFLINE
    env["PREFECT_HOME"] = str(home)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env | extra


@contextmanager
def local_prefect(home: Path) -> Iterator[None]:
    """Flows called in this process run on Prefect's temporary server, with ``home`` as PREFECT_HOME.

    Prefect reads its settings once, when first imported; they are re-read here on the way in
    and on the way out, so the test gets these and the tests after it get their own.
    """
    wanted = OFFLINE | {"PREFECT_HOME": str(home)}
    saved = {k: os.environ.get(k) for k in [*wanted, "PREFECT_API_URL"]}
    os.environ.update(wanted)
    os.environ.pop("PREFECT_API_URL", None)
    from prefect.context import refresh_global_settings_context

    refresh_global_settings_context()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        refresh_global_settings_context()


@contextmanager
def process(args: list[str], log: Path, **kwargs) -> Iterator[subprocess.Popen]:
    """A subprocess in its own process group, its output in ``log``; stopped with everything it
    started (terminate, then kill) however the block ends."""
    with log.open("wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
        try:
            yield proc
        finally:
            stop(proc)


def stop(proc: subprocess.Popen, grace: float = 20) -> None:
    """Terminate the process group of ``proc`` (which it leads), kill it if it lingers."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # children outliving their leader, too
    except ProcessLookupError:
        pass
    proc.wait()


def wait_healthy(api_url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"prefect server not healthy after {timeout} s:\n{log.read_text()[-3000:]}")


@contextmanager
def prefect_server(home: Path, **settings: str) -> Iterator[str]:
    """Start ``prefect server start`` (SQLite under ``home``) and yield its API URL."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    prefect = [sys.executable, "-m", "prefect"]
    with process([*prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], home / "server.log",
                 env=prefect_env(home, **settings)) as proc:
        wait_healthy(api_url, proc, home / "server.log")
        yield api_url
