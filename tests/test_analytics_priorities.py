"""The priority score ranks what matters: a theme's negativity and harm are shrunk toward the
company-wide level by its size, so a handful of segments that happen to be all negative do not
outrank a large, mostly negative theme; a new theme still enters by growing.

The store is built by hand: six themes, one segment per feedback, over eight weeks."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from support.handmade import refresh

START = datetime(2026, 9, 7)  # a Monday
WEEKS = 8


def _theme(con, theme_id: int, label: str, segments: int, negative: int, *, weeks: range = range(WEEKS)) -> None:
    """A theme of ``segments`` segments, the first ``negative`` of them negative, spread evenly
    over ``weeks``; each segment is its own feedback."""
    con.execute("INSERT INTO themes (theme_id, label, keywords, level, status, size, centroid, model, created_run, "
                "updated_run) VALUES (?, ?, [], 2, 'active', ?, [1.0], 'words', 'r', 'r')", [theme_id, label, segments])
    week = f"{weeks.start} + i % {len(weeks)}"
    con.execute(f"""INSERT INTO feedback (feedback_id, source, kind, received_at, text, metadata, content_hash,
                        dedup_key, run_id, ingested_at)
                    SELECT 't{theme_id}-' || i, 't', 'survey', ?::TIMESTAMP + INTERVAL 7 DAY * ({week}), 'x', '{{}}',
                           't{theme_id}-' || i, 't{theme_id}-' || i, 'r', now()
                    FROM range(?) r(i)""", [START, segments])
    con.execute("""INSERT INTO segments SELECT 't' || ? || '-' || i || '-0', 't' || ? || '-' || i, 0, 'x', 'en',
                       CASE WHEN i < ? THEN -0.6 ELSE 0.4 END, 0, 1, '', [], 'v', 'r'
                   FROM range(?) r(i)""", [theme_id, theme_id, negative, segments])
    con.execute("INSERT INTO segment_themes SELECT 't' || ? || '-' || i || '-0', ?, 0.9, 'r' FROM range(?) r(i)",
                [theme_id, theme_id, segments])


@pytest.fixture
def themes_store(fresh_db):
    """A large mildly negative theme, a 300-segment theme 70% negative, an 8-segment theme all
    negative, two middling ones, and a 10-segment theme that arrived in the last week (flagged
    emerging by the themes step's check, here written by hand)."""
    con = fresh_db
    _theme(con, 1, "billing questions", 1500, 150)
    _theme(con, 2, "late delivery", 300, 210)
    _theme(con, 3, "duplicate card charge", 8, 8)
    _theme(con, 4, "app crashes after update", 10, 5, weeks=range(WEEKS - 1, WEEKS))
    _theme(con, 5, "store staff", 200, 60)
    _theme(con, 6, "roaming charges", 150, 60)
    con.execute("INSERT INTO theme_trends VALUES ('r', now(), 4, ?, 10, 0.03, 4, 0.0, 0.0, NULL, true, true, "
                "'new this week')", [(START + timedelta(weeks=WEEKS - 1)).date()])
    return con


def _ranks(con) -> dict[int, int]:
    return dict(con.execute("SELECT theme_id, priority_rank FROM priorities").fetchall())


def test_analytics_priorities_large_negative_theme_outranks_a_tiny_all_negative_one(themes_store):
    refresh(themes_store, top=6)
    ranks = _ranks(themes_store)
    assert ranks[2] < ranks[3]
    row = themes_store.execute("SELECT negative_share, negative_share_shrunk, negative_share_low, negative_share_high "
                               "FROM priorities WHERE theme_id = 3").fetchone()
    assert row[0] == 1.0 and row[2] < row[1] < row[3] < 1.0   # eight segments: pulled well below 100%


def test_analytics_priorities_emerging_small_theme_still_enters_by_growth(themes_store):
    refresh(themes_store, top=3)
    ranks = _ranks(themes_store)
    assert set(ranks) == {1, 2, 4}
    growth, emerging = themes_store.execute("SELECT growth_score, emerging FROM priorities WHERE theme_id = 4").fetchone()
    assert growth == 1.0 and emerging


def test_analytics_priorities_without_a_prior_rank_by_the_raw_shares(themes_store):
    """prior_strength 0 is the score as it was: a small theme's raw 100% counts in full."""
    refresh(themes_store, top=6, prior_strength=0)
    ranks = _ranks(themes_store)
    assert ranks[3] < ranks[2]
    rows = themes_store.execute("SELECT negative_share, negative_share_shrunk, negativity_score FROM priorities").fetchall()
    assert all(raw == shrunk == score for raw, shrunk, score in rows)


def test_analytics_priorities_shrink_toward_the_company_level_by_size(themes_store):
    refresh(themes_store, top=6, prior_strength=50)
    company = themes_store.execute("SELECT avg(is_negative::INTEGER) FROM stg_segments").fetchone()[0]
    rows = {r[0]: r[1:] for r in themes_store.execute(
        "SELECT theme_id, scored_segments, negative_share, negative_share_shrunk, negative_share_low, "
        "negative_share_high FROM priorities").fetchall()}
    for n, raw, shrunk, low, high in rows.values():
        assert shrunk == pytest.approx((raw * n + 50 * company) / (n + 50))
        assert low < shrunk < high and 0 <= low and high <= 1
    width = {t: r[4] - r[3] for t, r in rows.items()}
    assert width[1] < width[2] < width[3]   # more segments, narrower interval


def test_analytics_priorities_shrink_harm_by_the_feedback_behind_it(handmade_store):
    refresh(handmade_store, prior_strength=4)
    rows = handmade_store.execute("SELECT p.impact_harm, p.impact_harm_shrunk, d.feedback_with FROM priorities p "
                                  "JOIN theme_drivers d ON d.theme_id = p.theme_id AND d.outcome = 'rating'").fetchall()
    assert rows and all(shrunk == pytest.approx(harm * n / (n + 4)) for harm, shrunk, n in rows)
