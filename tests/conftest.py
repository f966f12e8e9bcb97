"""Shared fixtures: a fresh store per test and helpers to write small source files."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from vocmine.config import SourceConfig
from vocmine.store import connect

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect logs "stopping temporary server" at exit, after pytest has closed its capture.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture
def fresh_db() -> duckdb.DuckDBPyConnection:
    """An in-memory store with every migration applied."""
    con = connect(":memory:")
    yield con
    con.close()


@pytest.fixture
def review_source() -> SourceConfig:
    """A source mapping every feedback field, as most tests need."""
    return SourceConfig(
        kind="review",
        columns={"id": "id", "text": "text", "received_at": "when", "rating": "stars",
                 "channel": "channel", "customer_id": "customer"},
        metadata={"columns": ["plan"]},
    )


def write_bytes(folder: Path, name: str, content: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path
