"""Shared fixtures: a fresh store per test, helpers to write small source files, and the demo
data run through the whole pipeline once per test session (slow tests)."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import duckdb
import pytest

from vocmine.analytics.views import create_views
from vocmine.config import Settings, SourceConfig, load_settings
from vocmine.store import connect

pytest_plugins = ["handmade"]  # the hand-made analyst store (fixture handmade_store)

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect logs "stopping temporary server" at exit, after pytest has closed its capture.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture
def nightly_module(tmp_path):
    """flows/nightly.py, its flows run on Prefect's temporary server (imported here, not at
    collection: Prefect reads its settings on import)."""
    from prefect_server import local_prefect

    with local_prefect(tmp_path / "prefect"):
        sys.path.insert(0, str(ROOT))
        try:
            from flows import nightly
        finally:
            sys.path.remove(str(ROOT))
        yield nightly


@pytest.fixture
def fresh_db() -> duckdb.DuckDBPyConnection:
    """An in-memory store with every migration applied and the analyst views created."""
    con = connect(":memory:")
    create_views(con)
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
    from vocmine.embed.choice import resolve_backend
    from vocmine.embed.cache import embed_long_feedback
    from vocmine.ingest import inbox_files, ingest_files
    from vocmine.nlp.enrich import enrich

    settings = load_settings(ROOT / "vocmine.toml", db=db)
    con = connect(settings.db_path)
    create_views(con)
    for name in sorted(settings.sources):
        ingest_files(con, inbox_files(settings.source(name), settings.project_dir), name, settings.source(name))
    enrich(con, settings.nlp)
    backend = load_backend(resolve_backend(con, settings.embedding).backend)
    embed_segments(con, backend)
    embed_long_feedback(con, backend, settings.themes.case_min_segments)
    return settings, con, backend


def same_number(a: float | None, b: float | None) -> bool:
    """Equal numbers: the last bits of a float sum may differ between two parallel aggregations."""
    return a is None and b is None or (a is not None and b is not None and a == pytest.approx(b, rel=1e-12))


def planted_theme_per_segment(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Segment -> planted theme, for feedback whose segments line up one to one with the truth."""
    with (ROOT / "data" / "demo" / "ground_truth.csv").open(encoding="utf-8", newline="") as handle:
        truth: dict[tuple[str, str], list[str]] = {}
        for row in csv.DictReader(handle):
            truth.setdefault((row["source"], row["record_id"]), []).append(row["theme"])
    segments = con.execute("SELECT f.source, f.external_id, list(s.segment_id ORDER BY s.position) "
                           "FROM feedback f JOIN segments s USING (feedback_id) GROUP BY ALL").fetchall()
    return {sid: theme for source, rid, sids in segments
            if len(truth.get((source, rid), [])) == 1 == len(sids) for sid, theme in zip(sids, truth[(source, rid)])}


def planted_theme_of(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """Discovered theme -> the planted theme most of its single-theme segments come from."""
    truth = planted_theme_per_segment(con)
    votes: dict[int, dict[str, int]] = {}
    for segment_id, theme_id in con.execute(
            "SELECT segment_id, theme_id FROM segment_themes WHERE theme_id IS NOT NULL").fetchall():
        if segment_id in truth:
            votes.setdefault(theme_id, {}).setdefault(truth[segment_id], 0)
            votes[theme_id][truth[segment_id]] += 1
    return {theme_id: max(v, key=v.get) for theme_id, v in votes.items()}


@pytest.fixture(scope="session")
def demo_pipeline(tmp_path_factory):
    """The demo through every step the nightly run takes up to the analyst views, once per session."""
    from vocmine.analytics import refresh_analysis
    from vocmine.journey.store import tag_segments
    from vocmine.journey.tagging import load_tagger
    from vocmine.journey.taxonomy import load_taxonomy
    from vocmine.themes.assign import refresh_themes
    from vocmine.themes.cases import refresh_feedback_themes

    folder = tmp_path_factory.mktemp("demo_pipeline")
    settings, con, backend = demo_store(folder / "demo.duckdb")
    result = refresh_themes(con, backend.name, settings.themes, folder / "fits", encode=backend.encode)
    refresh_feedback_themes(con, backend.name, settings.themes, result.refit.run_id, refit=True)
    taxonomy = load_taxonomy(settings.taxonomy_path)
    tag_segments(con, load_tagger(taxonomy, settings.nlp, backend, settings.journey))
    refresh_analysis(con, outcomes=settings.outcomes, priorities=settings.priorities,
                     lost_customers=settings.lost_customers, assumptions=settings.assumptions,
                     teams=settings.teams, backend=backend)
    return settings, con, backend
