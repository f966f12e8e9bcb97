"""Shared fixtures: a fresh store per test and helpers to write small source files."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from vocmine.config import Settings, SourceConfig, load_settings
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


def demo_store(db: Path) -> tuple[Settings, duckdb.DuckDBPyConnection, object]:
    """The demo data ingested, enriched and embedded with the configured backend (slow tests)."""
    from vocmine.embed import embed_segments, load_backend
    from vocmine.ingest import inbox_files, ingest_files
    from vocmine.nlp.enrich import enrich

    settings = load_settings(ROOT / "vocmine.toml", db=db)
    con = connect(settings.db_path)
    for name in sorted(settings.sources):
        ingest_files(con, inbox_files(settings, name), name, settings.source(name))
    enrich(con, settings.nlp)
    backend = load_backend(settings.embedding.backend)
    embed_segments(con, backend)
    return settings, con, backend
