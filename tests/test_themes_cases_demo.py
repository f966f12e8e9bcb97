"""Themes per feedback on the demo, whose feedback is short (a few sentences): the primary theme
is what its segments say, and counting by segments stays as it was."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_themes_cases_demo_one_segment_feedback_keeps_its_segment_theme(demo_pipeline):
    _, con, _ = demo_pipeline
    mismatched = con.execute("""
        WITH said AS (
            SELECT s.feedback_id, any_value(st.theme_id) AS theme_id
            FROM segments s JOIN segment_themes st USING (segment_id)
            WHERE s.segment_id NOT IN (SELECT segment_id FROM segment_boilerplate)
            GROUP BY s.feedback_id HAVING count(*) = 1 AND any_value(st.theme_id) IS NOT NULL
        )
        SELECT count(*), count(*) FILTER (WHERE ft.theme_id IS DISTINCT FROM said.theme_id)
        FROM said LEFT JOIN feedback_themes ft ON ft.feedback_id = said.feedback_id AND ft.rank = 1
    """).fetchone()
    assert mismatched[0] > 500 and mismatched[1] == 0


def test_themes_cases_demo_every_themed_feedback_has_one_primary_theme(demo_pipeline):
    _, con, _ = demo_pipeline
    themed, primary, duplicated = con.execute("""
        SELECT (SELECT count(DISTINCT s.feedback_id) FROM segments s JOIN segment_themes st USING (segment_id)
                WHERE st.theme_id IS NOT NULL AND s.segment_id NOT IN (SELECT segment_id FROM segment_boilerplate)),
               (SELECT count(*) FROM feedback_themes WHERE rank = 1),
               (SELECT count(*) FROM (SELECT feedback_id, theme_id FROM feedback_themes GROUP BY ALL
                                      HAVING count(*) > 1))
    """).fetchone()
    assert themed == primary and duplicated == 0
    # cases add up to the themed feedback; segments are counted as before (volume = segments)
    cases, volume, segments = con.execute(
        "SELECT sum(cases), sum(volume), (SELECT count(*) FROM segment_themes st JOIN stg_themes USING (theme_id)) "
        "FROM theme_overview").fetchone()
    assert cases == primary and volume == segments
    assert con.execute("SELECT DISTINCT counts FROM priorities").fetchall() == [("segments",)]
