"""The configured analyst views (drivers, priorities, lost customers, assumption gap, teams) on a
hand-made store whose answers can be worked out by hand."""

from __future__ import annotations

import pytest
from support.handmade import OUTCOMES, START, refresh

from vocmine.analytics import refresh_analysis
from vocmine.config import AssumptionsConfig, LostCustomersConfig, PrioritiesConfig, TeamConfig


def test_analytics_outcomes_read_ratings_numbers_and_flags(handmade_store):
    refresh(handmade_store)
    rows = dict(handmade_store.execute("SELECT outcome, count(*) FROM feedback_outcomes GROUP BY outcome").fetchall())
    assert rows == {"rating": 10, "handle_time": 8, "repeat": 8}  # 'n/a' is not a number: left out


def test_analytics_drivers_compare_with_and_without_and_weigh_by_count(handmade_store):
    refresh(handmade_store)
    d = {(r[0], r[1]): r[2:] for r in handmade_store.execute(
        "SELECT theme_id, outcome, feedback_with, feedback_without, mean_with, mean_without, round(impact, 6), "
        "round(harm, 6), harm_rank FROM theme_drivers").fetchall()}
    overall = (4 * 1 + 4 * 3 + 2 * 5) / 10
    assert d[(1, "rating")][:4] == (4, 6, 1.0, (4 * 3 + 2 * 5) / 6)
    assert d[(1, "rating")][4] == round(overall - 22 / 6, 6) and d[(1, "rating")][5] == -d[(1, "rating")][4]
    assert d[(1, "rating")][6] == 1 and d[(1, "handle_time")][6] == 1   # worst for ratings and call length
    assert d[(3, "rating")][5] < 0                                        # praise lifts the rating: negative harm
    assert (3, "handle_time") not in d                                    # no numbers with theme 3


def test_analytics_priorities_score_is_the_weighted_mean_of_its_components(handmade_store):
    refresh(handmade_store, growth_weight=0.0, impact_weight=2.0, top=2, prior_strength=0)  # components unshrunk
    rows = handmade_store.execute("SELECT priority_rank, theme_id, score, volume_score, negativity_score, growth_score, "
                         "impact_score FROM priorities").fetchall()
    assert [r[0] for r in rows] == [1, 2] and rows[0][1] == 1
    for _, _, score, volume, negativity, growth, impact in rows:
        assert score == pytest.approx((volume + negativity + 0 * growth + 2 * impact) / 4)
    assert rows[0][3:] == (1.0, 1.0, pytest.approx(0.0), 1.0)


def test_analytics_lost_customers_rank_what_leavers_raised_more_than_stayers(handmade_store):
    refresh(handmade_store)
    rows = handmade_store.execute("SELECT rank, theme_id, journey_stage, lost_customers, lost_share, retained_customers, "
                         "retained_share, median_days_before_loss FROM lost_customers").fetchall()
    # lost: c1, c2 (2 customers); retained with themed feedback: c3..c9 (7)
    assert rows[0][:8] == (1, 1, "billing", 2, 1.0, 2, 2 / 7, 24.5)
    # c1 raised theme 1 in week 0 and last wrote in week 7 (49 days); c2 raised and left in week 1 (0 days)
    assert rows[1][1] == 2 and rows[1][3] == 1


def test_analytics_assumption_gap_confirms_flags_over_assumed_and_blind_spots(handmade_store):
    refresh(handmade_store, assumptions=["bill charge errors", "price", "courier delivery"], top=2)
    gaps = set(handmade_store.execute("SELECT gap, assumption, theme_id FROM assumption_gap").fetchall())
    assert ("confirmed", "bill charge errors", 1) in gaps
    assert ("over_assumed", "price", None) in gaps          # no theme means price
    assert ("confirmed", "courier delivery", 2) in gaps
    refresh(handmade_store, assumptions=["courier delivery"], top=2)
    gaps = set(handmade_store.execute("SELECT gap, theme_id FROM assumption_gap").fetchall())
    assert gaps == {("confirmed", 2), ("blind_spot", 1)}


def test_analytics_assumption_matching_refuses_themes_of_another_model(handmade_store):
    handmade_store.execute("UPDATE themes SET model = 'minilm:all-MiniLM-L6-v2' WHERE theme_id = 1")
    with pytest.raises(ValueError, match="refit the themes"):
        refresh(handmade_store, assumptions=["price"])


def test_analytics_teams_slice_segments_themes_and_kpis(handmade_store):
    refresh(handmade_store, teams={"billing": TeamConfig(stages=["billing"]), "all": TeamConfig(),
                           "staff": TeamConfig(themes=["helpful staff", "no such words"])})
    counts = dict(handmade_store.execute("SELECT team, count(*) FROM team_segments GROUP BY team").fetchall())
    assert counts == {"billing": 4, "all": 10, "staff": 2}
    themes = {(r[0], r[1]) for r in handmade_store.execute("SELECT team, theme_id FROM team_themes").fetchall()}
    assert {t for team, t in themes if team == "billing"} == {1} and ("staff", 3) in themes
    kpis = {(r[0], r[1]): r[2] for r in handmade_store.execute(
        "SELECT metric, period_start, value FROM team_kpis WHERE team = 'billing' AND period = 'week'").fetchall()}
    assert kpis[("volume", START.date())] == 1 and kpis[("handle_time", START.date())] == 900
    assert kpis[("repeat", START.date())] == 1.0 and kpis[("negative_share", START.date())] == 1.0
    monthly = handmade_store.execute("SELECT sum(value) FROM team_kpis WHERE team = 'all' AND period = 'month' "
                            "AND metric = 'volume'").fetchone()[0]
    assert monthly == 10


def test_analytics_refresh_reports_team_theme_words_no_theme_has(handmade_store):
    result = refresh_analysis(handmade_store, outcomes=OUTCOMES, priorities=PrioritiesConfig(),
                              lost_customers=LostCustomersConfig(), assumptions=AssumptionsConfig(),
                              teams={"staff": TeamConfig(themes=["helpful staff", "no such words"])}, backend=None)
    assert result.unmatched_team_themes == {"staff": ["no such words"]}
    assert handmade_store.execute("SELECT theme_ids FROM teams").fetchone()[0] == [3]


def test_analytics_boilerplate_counts_in_no_view(handmade_store):
    # a letter formula of feedback f1 (no theme, neutral): flagged as boilerplate, it must leave the
    # team's volume, the journey grid and the company-wide negative share as if it were not there
    con = handmade_store
    con.execute("INSERT INTO segments VALUES ('f1-9', 'f1', 9, 'Dear Sir or Madam', 'en', 0.0, 0, 1, '', [], 'v', 'r')")
    con.execute("INSERT INTO segment_journey VALUES ('f1-9', 'billing', 1, 'rule', 'bill', 1, 'rule', 'v', 'r')")
    refresh(con, teams={"billing": TeamConfig(stages=["billing"])})
    counted = ("SELECT (SELECT count(*) FROM stg_segments), (SELECT count(*) FROM team_segments), "
               "(SELECT sum(volume) FROM stage_touchpoint)")
    with_formula = con.execute(counted).fetchone()
    con.execute("INSERT INTO segment_boilerplate VALUES ('f1-9', 'f1', 'en', 'greeting', 'Dear Sir or Madam', "
                "'dear sir or madam', 'r', now())")
    assert con.execute(counted).fetchone() == tuple(n - 1 for n in with_formula)
    assert con.execute("SELECT count(*) FROM stg_segments WHERE segment_id = 'f1-9'").fetchone() == (0,)
