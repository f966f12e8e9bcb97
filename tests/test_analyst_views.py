"""The analyst views that need no configuration, on a hand-made store whose answers are known."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

START = datetime(2026, 9, 7)  # a Monday


def _theme(con, theme_id: int, label: str, parent: int | None = None, level: int = 2) -> None:
    con.execute("INSERT INTO themes (theme_id, label, keywords, level, parent_id, status, size, centroid, model, "
                "created_run, updated_run) VALUES (?, ?, [], ?, ?, 'active', 0, [1.0], 'm', 'r', 'r')",
                [theme_id, label, level, parent])


def _segment(con, n: int, week: int, theme: int | None, sentiment: float, stage: str, touchpoint: str) -> None:
    fid = f"f{n}"
    con.execute("INSERT INTO feedback (feedback_id, source, kind, received_at, text, content_hash, dedup_key, run_id, "
                "ingested_at) VALUES (?, 't', 'review', ?, 'x', ?, ?, 'r', now())",
                [fid, START + timedelta(days=7 * week + 1), fid, fid])
    con.execute("INSERT INTO segments VALUES (?, ?, 0, 'x', 'en', ?, 0, 1, '', [], 'v', 'r')",
                [f"{fid}-0", fid, sentiment])
    con.execute("INSERT INTO segment_themes VALUES (?, ?, 0.9, 'r')", [f"{fid}-0", theme])
    con.execute("INSERT INTO segment_journey VALUES (?, ?, 1, 'rule', ?, 1, 'rule', 'v', 'r')",
                [f"{fid}-0", stage, touchpoint])


@pytest.fixture
def eight_week_store(fresh_db):
    _theme(fresh_db, 100, "money", level=1)
    _theme(fresh_db, 1, "double charge", parent=100)
    _theme(fresh_db, 2, "late refund", parent=100)
    n = 0
    # 8 weeks: theme 1 steady (2 a week), theme 2 grows in the last 4 weeks (1 then 3 a week), one unassigned
    for week in range(8):
        for _ in range(2):
            n += 1
            _segment(fresh_db, n, week, 1, -0.6, "billing", "bill")
        for _ in range(3 if week >= 4 else 1):
            n += 1
            _segment(fresh_db, n, week, 2, 0.2 if week < 4 else -0.4, "billing", "phone")
    _segment(fresh_db, n + 1, 7, None, 0.0, "unknown", "unknown")
    fresh_db.execute("INSERT INTO theme_trends VALUES ('c', now()::TIMESTAMP, 2, '2026-10-26', 3, 0.5, 4, 0.3, 0.1, "
                     "4.0, false, true, 'surging')")
    return fresh_db


def test_theme_overview_sizes_tone_journey_and_recent_movement(eight_week_store):
    rows = {r[0]: r[1:] for r in eight_week_store.execute(
        "SELECT theme_id, group_label, volume, round(share, 4), round(negative_share, 3), dominant_stage, "
        "dominant_touchpoint, last_4_weeks, share_change_4w > 0, emerging FROM theme_overview").fetchall()}
    assert set(rows) == {1, 2}
    assert rows[1] == ("money", 16, round(16 / 33, 4), 1.0, "billing", "bill", [2, 2, 2, 2], False, False)
    assert rows[2][:2] == ("money", 16) and rows[2][3] == 0.75  # 12 of 16 from the negative weeks
    assert rows[2][6:] == ([3, 3, 3, 3], True, True)


def test_stage_touchpoint_grid_with_negativity_and_top_theme(eight_week_store):
    rows = {(r[0], r[1]): r[2:] for r in eight_week_store.execute(
        "SELECT journey_stage, touchpoint, volume, round(negative_share, 3), top_theme_id, top_theme_segments "
        "FROM stage_touchpoint").fetchall()}
    assert rows[("billing", "bill")] == (16, 1.0, 1, 16)
    assert rows[("billing", "phone")] == (16, 0.75, 2, 16)
    assert rows[("unknown", "unknown")] == (1, 0.0, None, None)
