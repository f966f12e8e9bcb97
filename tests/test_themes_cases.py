"""A feedback's primary theme: what sets it apart, not the narrative every complaint shares."""

from __future__ import annotations

import pytest

from vocmine.themes.cases import refresh_feedback_themes


def _segments(con, feedback_id: str, themes: list[int | None], similarity: float = 0.8) -> None:
    for position, theme in enumerate(themes):
        sid = f"{feedback_id}-{position}"
        con.execute("INSERT INTO segments VALUES (?, ?, ?, 'x', 'en', 0, 0, 1, '', [], 'v', 'r')",
                    [sid, feedback_id, position])
        con.execute("INSERT INTO segment_themes VALUES (?, ?, ?, 'r')", [sid, theme, similarity])


@pytest.fixture
def complaints(fresh_db):
    """Theme 1 is narrative ('I called them again'): in every complaint. Themes 2-4 are specific."""
    con = fresh_db
    for theme_id in (1, 2, 3, 4):
        con.execute("INSERT INTO themes (theme_id, label, keywords, level, status, size, centroid, model, "
                    "created_run, updated_run) VALUES (?, ?, [], 2, 'active', 0, [1.0], 'm', 'r', 'r')",
                    [theme_id, f"theme {theme_id}"])
    _segments(con, "long", [1, 1, 1, 2, 2, 3, None])   # mostly narrative; about theme 2, a word of theme 3
    _segments(con, "other", [1, 1, 4])
    _segments(con, "third", [1, 4])
    _segments(con, "short", [4])                    # one segment: its theme
    _segments(con, "narrative only", [1, 1])
    return con


def test_themes_cases_primary_theme_is_the_specific_one_not_the_narrative(complaints):
    assert refresh_feedback_themes(complaints) == 5
    rows = complaints.execute("SELECT feedback_id, theme_id, rank, method, confidence FROM feedback_themes "
                              "ORDER BY feedback_id, rank").fetchall()
    long = [r for r in rows if r[0] == "long"]
    assert [r[1] for r in long] == [2, 3, 1]           # primary, then up to two secondary
    assert all(r[3] == "segments" for r in rows)
    assert sum(r[4] for r in long) == pytest.approx(1.0) and long[0][4] > long[1][4] > long[2][4]
    assert [r[1:3] for r in rows if r[0] == "short"] == [(4, 1)]
    assert [r[1] for r in rows if r[0] == "narrative only"] == [1]   # nothing else said: the narrative


def test_themes_cases_rewritten_when_segments_change(complaints):
    refresh_feedback_themes(complaints)
    complaints.execute("UPDATE segment_themes SET theme_id = 4 WHERE segment_id IN ('long-3', 'long-4')")
    refresh_feedback_themes(complaints, themes_per_feedback=1)
    assert complaints.execute("SELECT theme_id FROM feedback_themes WHERE feedback_id = 'long'").fetchall() == [(3,)]
