"""Emerging themes: a theme that is new, or whose latest weekly share is well above its own past.

Analysts want to hear about the eSIM problem in the week it starts, not when it is already
the biggest theme; and they stop reading alerts that fire on ordinary noise. So each theme is
compared with its own trailing weeks (at least four), with a minimum volume, and the spread
is never taken below the sampling noise of a weekly share. Every check is stored in
``theme_trends`` with the reason in words; ``emerging_themes`` shows the latest flags.
"""

from __future__ import annotations

import duckdb

from vocmine.config.themes import ThemesConfig
from vocmine.store.sqlfiles import run_sql
from vocmine.store.tx import transaction


def flag_emerging(con: duckdb.DuckDBPyConnection, model: str, config: ThemesConfig, run_id: str) -> list[int]:
    """Recompute the emerging check for every active theme; returns the flagged theme IDs."""
    with transaction(con):
        run_sql(con, "vocmine.themes", "emerging.sql", {
            "run_id": run_id, "model": model, "baseline_weeks": config.baseline_weeks,
            "new_within_weeks": config.new_within_weeks, "emerging_z": config.emerging_z,
            "min_volume": config.emerging_min_volume})
    return [r[0] for r in con.execute(
        "SELECT theme_id FROM theme_trends WHERE run_id = ? AND emerging ORDER BY theme_id", [run_id]).fetchall()]


__all__ = ["flag_emerging"]
