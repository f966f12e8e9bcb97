"""The analyst views on the demo find what the demo planted.

The generator plants a churn arc (billing and price problems weeks before a customer leaves,
an exit-fee contact at the end), handle time that grows with a theme's effort (double charges
the longest), an eSIM problem in the last two weeks, and the demo config assumes one priority
("TV and streaming bundles") that no customer mentions. Discovered themes are mapped to
planted ones by the majority of their single-theme segments.
"""

from __future__ import annotations

from collections import Counter

import pytest
from support.stores import exit_fee_segments, planted_theme_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_planted(demo_pipeline):
    """The session demo store and the planted theme each discovered theme mostly holds."""
    _, con, _ = demo_pipeline
    return con, planted_theme_of(con)


def test_analytics_demo_churn_driver_ranks_first_among_lost_customers(demo_planted):
    con, planted = demo_planted
    rows = con.execute("SELECT theme_id, journey_stage, lift, median_days_before_loss FROM lost_customers "
                       "ORDER BY rank").fetchall()
    assert planted.get(rows[0][0]) == "exit_fee"
    assert rows[0][1] == "renewal_cancellation" and rows[0][2] > 3
    assert rows[0][3] <= 4          # raised at the very end, as planted (0-4 days before leaving)
    # Double charges are planted only weeks before a customer leaves (8-40 days): the early warning.
    # Price rises are planted then and in the last contact too (4 final contacts in 10), so 45% of the
    # lost customers who raise one first do so under a week before leaving (median 12 days): a
    # price-rise theme's median falls either side of a week with the registers a fit gathers in it.
    # A theme of lines that only come beside another problem (agents' actions, "Transferred to
    # retentions.") maps to no planted problem and is neither.
    early = [r for r in rows[:10] if planted.get(r[0]) == "double_charge"]
    assert early and all(r[3] >= 7 for r in early)  # the early warnings come weeks before
    assert any(planted.get(r[0]) == "price_rise_renewal" for r in rows[:10])


def test_analytics_demo_effortful_theme_drives_handle_time_and_exit_fees_churn(demo_planted):
    con, planted = demo_planted
    worst = dict(con.execute("SELECT outcome, theme_id FROM theme_drivers WHERE harm_rank = 1").fetchall())
    assert planted[worst["churned"]] == "exit_fee"
    # double charges carry the most planted effort (1.6); their theme is among the three worst for
    # handle time. Not necessarily first: call notes name a duplicate payment beside other problems,
    # and since names and months stay in the text (redaction) and formulas leave it (boilerplate),
    # the fit may put some of those notes in a neighbouring billing theme (roaming), which then
    # carries their handle time too
    top3 = [t for (t,) in con.execute("SELECT theme_id FROM theme_drivers WHERE outcome = 'handle_time' "
                                      "AND harm_rank <= 3").fetchall()]
    assert "double_charge" in {planted[t] for t in top3}


def test_analytics_demo_assumptions_over_assumed_confirmed_and_blind_spots(demo_planted):
    con, planted = demo_planted
    gaps = con.execute("SELECT gap, assumption, theme_id, priority_rank FROM assumption_gap").fetchall()
    by_assumption = {a: (gap, theme) for gap, a, theme, _ in gaps if a}
    assert by_assumption["TV and streaming bundles"] == ("over_assumed", None)
    # an assumption customers do raise is matched to the planted theme it names; whether that
    # theme makes the top 15 depends on the fitted themes, which differ a little between machines
    # (late deliveries ranked inside on one machine, 16th on another)
    assert planted[by_assumption["delivery speed"][1]] == "late_delivery"
    priorities = {r[0] for r in con.execute("SELECT theme_id FROM priorities").fetchall()}
    matched = [(gap, theme) for gap, a, theme, _ in gaps if a and theme is not None]
    assert any(gap == "confirmed" for gap, _ in matched)
    assert all((gap == "confirmed") == (theme in priorities) for gap, theme in matched)
    blind = [theme for gap, _, theme, _ in gaps if gap == "blind_spot"]
    assert any(planted.get(t) == "double_charge" for t in blind)   # nobody assumed billing errors
    assumed = {r[0] for r in con.execute("SELECT theme_id FROM assumed_priorities").fetchall()}
    assert set(blind) == priorities - assumed


def test_analytics_demo_price_lands_on_the_price_rise_theme(demo_planted):
    # the planted price rises sit in a theme that mixes SIM-only tariffs, mid-contract rises and
    # promotions: "price" is far from its centre, but a good part of its segments are about price
    con, planted = demo_planted
    rows = con.execute("SELECT theme_id, segment_share, name_similarity FROM assumed_priorities "
                       "WHERE assumption = 'price'").fetchall()
    rises = [(theme, share) for theme, share, _ in rows if planted.get(theme) == "price_rise_renewal"]
    assert rises and max(share for _, share in rises) >= 0.2
    gap, theme = con.execute("SELECT gap, theme_id FROM assumption_gap WHERE assumption = 'price'").fetchone()
    assert gap in ("confirmed", "below_top_priorities") and theme in {t for t, *_ in rows}
    # every match is backed by the theme's own segments, not by a word its label shares
    assert all(share >= 0.1 for _, share, _ in rows)


def test_analytics_demo_priorities_rank_fifteen_and_include_the_emerging_theme(demo_planted):
    con, planted = demo_planted
    rows = con.execute("SELECT theme_id, score, growth_score, emerging FROM priorities ORDER BY priority_rank").fetchall()
    assert len(rows) == 15 and [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)
    esim = [r for r in rows if planted.get(r[0]) == "esim_transfer_app7"]
    assert esim and esim[0][2] == 1.0 and esim[0][3]   # the fastest grower, and flagged


def test_analytics_demo_priorities_leave_out_small_themes_unless_emerging(demo_planted):
    """Without shrinkage, six themes of 8 to 41 segments, 83-100% negative, ranked 8th to 14th."""
    con, _ = demo_planted
    rows = con.execute("SELECT theme_id, share, emerging, negative_share_low, negative_share_shrunk, "
                       "negative_share_high FROM priorities").fetchall()
    assert len(rows) == 15
    assert [r[0] for r in rows if r[1] < 0.01 and not r[2]] == []
    assert all(low < shrunk < high for _, _, _, low, shrunk, high in rows)


def test_analytics_demo_team_numbers_add_up(demo_planted):
    con, _ = demo_planted
    weekly = con.execute("SELECT sum(value) FROM team_kpis WHERE team = 'billing' AND period = 'week' "
                         "AND metric = 'volume'").fetchone()[0]
    assert weekly == con.execute("SELECT count(*) FROM team_segments WHERE team = 'billing'").fetchone()[0]
    stages = {r[0] for r in con.execute(
        "SELECT DISTINCT sj.journey_stage FROM team_segments ts JOIN segment_journey sj USING (segment_id) "
        "WHERE ts.team = 'billing' AND sj.touchpoint <> 'bill'").fetchall()}
    assert stages == {"billing"}


def test_analytics_demo_overview_and_weekly_show_the_planted_esim_problem_arrive(demo_planted):
    con, planted = demo_planted
    esim = [t for t, p in planted.items() if p == "esim_transfer_app7"]
    overview = con.execute("SELECT theme_id, share_change_4w, emerging, dominant_stage FROM theme_overview "
                           "WHERE theme_id = ?", esim[:1]).fetchone()
    assert overview[1] > 0 and overview[2] and overview[3] == "onboarding"
    weeks = dict(con.execute("SELECT week, volume FROM theme_weekly WHERE theme_id = ?", esim[:1]).fetchall())
    first = min(weeks)
    assert str(first) >= "2026-11-02" and all(v > 0 for w, v in weeks.items() if str(w) >= "2026-11-09")
    shares = con.execute("SELECT week, sum(share) FROM theme_weekly GROUP BY week").fetchall()
    assert all(abs(total - 1) < 1e-9 for _, total in shares)


def test_analytics_demo_journey_grid_puts_billing_themes_at_the_bill(demo_planted):
    con, planted = demo_planted
    cell = con.execute("SELECT top_theme_id, negative_share FROM stage_touchpoint "
                       "WHERE journey_stage = 'billing' AND touchpoint = 'bill'").fetchone()
    assert planted[cell[0]] in ("double_charge", "roaming_charges", "refund_not_received")
    delivery = con.execute("SELECT top_theme_id FROM stage_touchpoint "
                           "WHERE journey_stage = 'delivery' AND touchpoint = 'delivery'").fetchone()
    assert planted[delivery[0]] in ("late_delivery", "damaged_device")


def test_analytics_demo_network_coverage_lands_on_signal_or_data(demo_planted):
    # a theme of in-flight roaming charges and "looking at other networks" has most of its segments
    # close to "network coverage" by the one word network (0.33-0.42), the segments about coverage
    # ("coverage map says excellent") come to 0.5-0.57: the theme holding those is the one about it
    con, planted = demo_planted
    theme = con.execute("SELECT theme_id FROM assumption_gap WHERE assumption = 'network coverage'").fetchone()[0]
    assert planted.get(theme) in ("poor_signal", "slow_mobile_data")


def test_analytics_demo_exit_fees_sit_in_one_theme(demo_planted):
    """The demo as shipped (its config: up to 40 themes, seed 42) puts the exit fee, written in
    four registers, in one theme. Other seeds give 0.75 and 0.87 (docs/themes.md, the demo table
    of benchmarks/demo_fit_stability.py); at up to 120 themes it splits by register
    (tests/test_themes_discover.py, an expected failure)."""
    con, planted = demo_planted
    fees = exit_fee_segments(con)
    assert len(fees) > 80
    theme_of = dict(con.execute("SELECT segment_id, theme_id FROM segment_themes").fetchall())
    themes = Counter(theme_of.get(sid) for sid in fees)
    theme, count = themes.most_common(1)[0]
    assert theme is not None and planted[theme] == "exit_fee"
    assert count >= 0.9 * len(fees), themes.most_common()
