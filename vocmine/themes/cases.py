"""Themes per feedback: the primary theme of a case, and up to two secondary ones.

Themes are found per segment, which finds every issue inside a long complaint; but CX teams
count cases ("how many complaints were about X"). Most segments of a long complaint are
narrative ("I called them again", "they said they would call back") that many complaints
share, so the theme holding most of a complaint's segments is often narrative. Each theme's
weight in a feedback is the cosines of the feedback's segments placed in it times how specific
the theme is (a smoothed inverse of how many feedback raise it, like the IDF of a word): the
theme that sets the complaint apart comes first. Short feedback (one segment) keeps its
segment's theme.

Example::

    refresh_feedback_themes(con)   # rewrites feedback_themes from segment_themes
"""

from __future__ import annotations

import duckdb

from vocmine.store.sqlfiles import run_sql
from vocmine.store.tx import transaction

THEMES_PER_FEEDBACK = 3  # the primary theme and up to two secondary ones


def refresh_feedback_themes(con: duckdb.DuckDBPyConnection, themes_per_feedback: int = THEMES_PER_FEEDBACK) -> int:
    """Rewrite ``feedback_themes`` from the segments' themes; returns how many feedback have one."""
    with transaction(con):
        run_sql(con, "vocmine.themes", "feedback_themes.sql", {"themes_per_feedback": themes_per_feedback})
    return con.execute("SELECT count(*) FROM feedback_themes WHERE rank = 1").fetchone()[0]
