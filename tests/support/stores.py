"""Small source files and stores for the tests, the demo store builder, and readers of the demo's
planted truth.

The demo store is built once per test session (fixtures ``demo_embedded`` and ``demo_pipeline`` in
conftest.py) and shared: a test that changes a store works on ``copy_demo_store(...)``.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest

from support.paths import DEMO, ROOT
from vocmine.analytics.views import create_views
from vocmine.config import Settings, load_settings
from vocmine.store import connect


def write_bytes(folder: Path, name: str, content: bytes | str) -> Path:
    """A file ``name`` in ``folder`` holding ``content`` (text written as UTF-8); its path."""
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def empty_store(template: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory store copied from ``template``, a migrated store file (fixture ``migrated_template``):
    the same tables, constraints, views and migration log as ``connect(":memory:")`` followed by
    ``create_views``, in a tenth of the time (migrating takes about half a second)."""
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")  # as vocmine.store.connect sets it
    con.execute("ATTACH ? AS template (READ_ONLY)", [str(template)])
    con.execute("COPY FROM DATABASE template TO memory")
    con.execute("DETACH template")
    return con


def same_number(a: float | None, b: float | None) -> bool:
    """Equal numbers: the last bits of a float sum may differ between two parallel aggregations."""
    return a is None and b is None or (a is not None and b is not None and a == pytest.approx(b, rel=1e-12))


class DemoStore(NamedTuple):
    """The demo config (its ``db`` the store's file), an open connection, and the embedding backend
    the store was embedded with (a loaded real model)."""

    settings: Settings
    con: duckdb.DuckDBPyConnection
    backend: object


def build_demo_store(db: Path) -> DemoStore:
    """The demo data ingested, enriched and embedded with the configured backend (minutes: slow tests)."""
    from vocmine.embed import embed_segments, load_backend
    from vocmine.embed.cache import embed_long_feedback
    from vocmine.embed.choice import resolve_backend
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
    return DemoStore(settings, con, backend)


def copy_demo_store(demo: DemoStore, db: Path) -> DemoStore:
    """A copy of ``demo``'s store at ``db``, with its own connection and the same backend: for a test
    that changes the store (the shared one stays as every other test expects it)."""
    demo.con.execute("CHECKPOINT")  # everything in the file, nothing left in the write-ahead log
    shutil.copyfile(demo.settings.db_path, db)
    settings = load_settings(ROOT / "vocmine.toml", db=db)
    return DemoStore(settings, connect(settings.db_path), demo.backend)


def planted_theme_per_segment(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Segment -> planted theme, for feedback whose segments line up one to one with the truth."""
    with (DEMO / "ground_truth.csv").open(encoding="utf-8", newline="") as handle:
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


def exit_fee_segments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Segments naming the exit fee, from demo feedback whose only planted problem is the exit fee
    (call notes, reviews, complaints and German feedback: the fee in four registers)."""
    with (DEMO / "ground_truth.csv").open(encoding="utf-8", newline="") as handle:
        planted: dict[tuple[str, str], set[str]] = {}
        for row in csv.DictReader(handle):
            planted.setdefault((row["source"], row["record_id"]), set()).add(row["theme"])
    rows = con.execute("SELECT f.source, f.external_id, s.segment_id, s.text FROM segments s "
                       "JOIN feedback f USING (feedback_id)").fetchall()
    names_fee = re.compile(r"exit fee|termination|\bETF\b|early exit|Kündigung", re.IGNORECASE)
    return [sid for source, rid, sid, text in rows
            if planted.get((source, rid)) == {"exit_fee"} and names_fee.search(text)]
