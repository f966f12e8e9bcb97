"""The ``themes``, ``segment_themes`` and ``theme_events`` tables: their one writer.

A refit (``registry``), a night's placement and proposals (``assign``) and an analyst's rename
or merge (``curation``) all change which theme a segment counts for, a theme's size and its
history. Each decides what changes; the statements that change the tables live here, so the
rules every change must keep (sizes recomputed, every change an event, merged themes empty)
are written once.

Enrichment does not touch these tables: it records a segment whose text it changed in
``changed_segments``, and ``forget_changed_segments`` drops that segment's theme here before
the night places it again.
"""

from __future__ import annotations

import duckdb

from vocmine.store.sqlfiles import run_sql


def forget_changed_segments(con: duckdb.DuckDBPyConnection) -> int:
    """Drop the theme of every segment enrichment changed (or dropped) after the run that placed
    it; returns how many. The next placement places the new text; a row placed after the change
    stays, so running this again drops nothing."""
    return con.execute("""
        DELETE FROM segment_themes WHERE segment_id IN (
            SELECT c.segment_id FROM changed_segments c
            JOIN segment_themes st USING (segment_id)
            LEFT JOIN runs r ON r.run_id = st.run_id
            WHERE r.started_at IS NULL OR c.changed_at >= r.started_at)
    """).fetchall()[0][0]


def store_refit(con: duckdb.DuckDBPyConnection, run_id: str, model: str) -> None:
    """A refit's themes, events and segment placements replace the model's (``sql/themes_store.sql``).
    Inputs (Arrow): refit_themes, refit_events, refit_segments, refit_retired."""
    run_sql(con, "vocmine.themes", "themes_store.sql", {"run_id": run_id, "model": model})
    update_sizes(con, model)


def withdraw_boilerplate(con: duckdb.DuckDBPyConnection) -> int:
    """A segment enrichment has since found to be boilerplate leaves its theme; returns how many."""
    return con.execute("DELETE FROM segment_themes WHERE segment_id IN "
                       "(SELECT segment_id FROM segment_boilerplate)").fetchall()[0][0]


def place_segments(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """A night's placements: ``new_segment_themes`` (Arrow: segment_id, theme_id or NULL for the
    unassigned pool, similarity)."""
    con.execute("INSERT INTO segment_themes SELECT segment_id, theme_id, similarity, ? FROM new_segment_themes",
                [run_id])


def store_proposals(con: duckdb.DuckDBPyConnection, run_id: str, model: str) -> None:
    """New themes proposed from the unassigned pool, with their segments (``sql/themes_propose.sql``).
    Inputs (Arrow): proposed_themes, proposed_segments."""
    run_sql(con, "vocmine.themes", "themes_propose.sql", {"run_id": run_id, "model": model})


def update_sizes(con: duckdb.DuckDBPyConnection, model: str) -> None:
    """Sizes and first/last seen of the model's themes and groups (``sql/theme_stats.sql``)."""
    run_sql(con, "vocmine.themes", "theme_stats.sql", {"model": model})


def rename(con: duckdb.DuckDBPyConnection, run_id: str, theme_id: int, label: str) -> None:
    """An analyst's label, kept by later refits while the theme is matched; recorded as an event."""
    con.execute("UPDATE themes SET label = ?, custom_label = true WHERE theme_id = ?", [label, theme_id])
    con.execute("INSERT INTO theme_events VALUES (?, now()::TIMESTAMP, 'renamed', ?, NULL, ?)",
                [run_id, theme_id, label])


def merge(con: duckdb.DuckDBPyConnection, run_id: str, into: int, others: list[int], model: str) -> None:
    """Fold ``others`` into ``into`` (``sql/themes_merge.sql``) and recompute the sizes."""
    run_sql(con, "vocmine.themes", "themes_merge.sql", {"into": into, "others": others, "run_id": run_id})
    update_sizes(con, model)


__all__ = ["forget_changed_segments", "merge", "place_segments", "rename", "store_proposals", "store_refit",
           "update_sizes", "withdraw_boilerplate"]
