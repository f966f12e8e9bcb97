"""Nightly assignment, proposals, curation and emerging flags on a tiny store with known vectors.

Vectors are hand-made 4-d directions (a unit-test fake, not a model), so every placement
can be predicted; the same steps on real embeddings run in the slow demo tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from vocmine.config import ThemesConfig
from vocmine.themes.assign import assign_new_segments, refit_due, refresh_themes
from vocmine.themes.curation import list_themes, merge_themes, rename_theme, show_theme
from vocmine.themes.emerging import flag_emerging

MODEL = "fake:4d"
START = datetime(2026, 8, 31)  # a Monday
COURIER, REFUND, APP, ESIM = np.eye(4, dtype=np.float32)


class StoreWriter:
    """Feedback with one segment each, its embedding, and themes with anchors."""

    def __init__(self, con) -> None:
        self.con = con
        self.count = 0

    def segment(self, text: str, vector: np.ndarray, when: datetime, lemmas: str = "") -> str:
        self.count += 1
        fid, sid = f"f{self.count:05d}", f"f{self.count:05d}-0"
        self.con.execute("INSERT INTO feedback (feedback_id, source, kind, received_at, text, content_hash, "
                         "dedup_key, run_id, ingested_at) VALUES (?, 'test', 'review', ?, ?, ?, ?, 'r', now())",
                         [fid, when, text, fid, fid])
        self.con.execute("INSERT INTO segments VALUES (?, ?, 0, ?, 'en', -0.5, 0, 1, ?, [], 'v', 'r')",
                         [sid, fid, text, lemmas or text.lower()])
        unit = (vector / np.linalg.norm(vector)).astype(np.float32)
        self.con.execute("INSERT INTO embeddings SELECT ?, md5(?), ?, 'r' WHERE NOT EXISTS "
                         "(SELECT 1 FROM embeddings WHERE model = ? AND text_hash = md5(?))",
                         [MODEL, text, unit.tolist(), MODEL, text])
        return sid

    def theme(self, theme_id: int, label: str, centroid: np.ndarray, floor: float = 0.7, parent: int | None = 100,
              level: int = 2) -> None:
        self.con.execute("INSERT INTO themes (theme_id, label, keywords, level, parent_id, status, size, centroid, "
                         "model, created_run, updated_run, anchor, assign_floor) "
                         "VALUES (?, ?, [], ?, ?, 'active', 0, ?, ?, 'fit', 'fit', true, ?)",
                         [theme_id, label, level, parent, centroid.tolist(), MODEL, floor])

    def assign(self, sid: str, theme_id: int | None, similarity: float = 0.9) -> None:
        self.con.execute("INSERT INTO segment_themes VALUES (?, ?, ?, 'fit')", [sid, theme_id, similarity])

    def fitted(self, when: datetime) -> None:
        self.con.execute("INSERT INTO theme_fits VALUES ('fit', ?, NULL, ?, 0, 0, false)", [MODEL, when])


@pytest.fixture
def store_writer(fresh_db) -> StoreWriter:
    s = StoreWriter(fresh_db)
    s.theme(100, "delivery and money", (COURIER + REFUND) / np.sqrt(2), floor=None, parent=None, level=1)
    s.theme(1, "late courier", COURIER)
    s.theme(2, "refund missing", REFUND)
    s.fitted(START)
    return s


def _theme_of(con, sid: str) -> int | None:
    return con.execute("SELECT theme_id FROM segment_themes WHERE segment_id = ?", [sid]).fetchall()[0][0]


def test_nightly_places_close_segments_and_leaves_strangers_unassigned(store_writer):
    late = store_writer.segment("courier never came", COURIER + 0.2 * REFUND, START)
    refund = store_writer.segment("still no refund", REFUND + 0.1 * APP, START)
    stranger = store_writer.segment("app logs me out", APP + 0.5 * COURIER, START)  # nearest: courier, cosine 0.45
    result = assign_new_segments(store_writer.con, MODEL, ThemesConfig(propose_after=100))
    assert (result.new_segments, result.assigned, result.unassigned) == (3, 2, 1)
    assert _theme_of(store_writer.con, late) == 1 and _theme_of(store_writer.con, refund) == 2
    assert _theme_of(store_writer.con, stranger) is None
    assert assign_new_segments(store_writer.con, MODEL, ThemesConfig()).new_segments == 0  # nothing twice
    assert store_writer.con.execute("SELECT size FROM themes WHERE theme_id = 1").fetchall() == [(1,)]


def test_nightly_gives_an_identical_text_the_theme_it_already_has(store_writer):
    old = store_writer.segment("thinking of switching", APP + COURIER, START)
    store_writer.assign(old, 2)  # the fit put it with refunds, whatever its vector says
    new = store_writer.segment("thinking of switching", APP + COURIER, START + timedelta(days=3))
    assign_new_segments(store_writer.con, MODEL, ThemesConfig(propose_after=100))
    assert _theme_of(store_writer.con, new) == 2


def test_nightly_places_a_segment_again_once_enrichment_changed_its_text(store_writer):
    sid = store_writer.segment("courier never came", COURIER, START)
    kept = store_writer.segment("still no refund", REFUND, START)
    assign_new_segments(store_writer.con, MODEL, ThemesConfig(propose_after=100))
    assert _theme_of(store_writer.con, sid) == 1
    # re-enrichment rewrote the segment (as enrich_store.sql does): now it is about a refund
    store_writer.con.execute("UPDATE segments SET text = 'refund never came' WHERE segment_id = ?", [sid])
    store_writer.con.execute("INSERT INTO embeddings VALUES (?, md5('refund never came'), ?, 'r')", [MODEL, REFUND.tolist()])
    store_writer.con.execute("INSERT INTO changed_segments VALUES (?, 'f00001', 'enrich-r', now()::TIMESTAMP)", [sid])
    result = assign_new_segments(store_writer.con, MODEL, ThemesConfig(propose_after=100))
    assert (result.changed, result.new_segments) == (1, 1)
    assert _theme_of(store_writer.con, sid) == 2 and _theme_of(store_writer.con, kept) == 2
    assert store_writer.con.execute("SELECT size FROM themes WHERE theme_id IN (1, 2) ORDER BY theme_id").fetchall() == [
        (0,), (2,)]
    assert assign_new_segments(store_writer.con, MODEL, ThemesConfig(propose_after=100)).changed == 0  # placed after it


def test_nightly_proposes_a_theme_from_a_tight_cluster_of_unassigned_segments(store_writer):
    for i in range(3):
        store_writer.assign(store_writer.segment(f"courier late {i}", COURIER, START), 1)
    rng = np.random.default_rng(0)
    esim = [store_writer.segment(f"esim transfer fails in app number {i}", ESIM + 0.05 * rng.normal(size=4),
                                 START + timedelta(days=70), lemmas="esim transfer fail app update")
            for i in range(16)]
    noise = [store_writer.segment(f"odd remark {i}", v, START + timedelta(days=70))
             for i, v in enumerate([APP, APP - ESIM, -APP - COURIER])]
    config = ThemesConfig(propose_after=10, propose_min_size=15, novelty_percentile=5)
    result = assign_new_segments(store_writer.con, MODEL, config)
    assert len(result.proposed) == 1
    theme_id = result.proposed[0]
    assert {_theme_of(store_writer.con, s) for s in esim} == {theme_id}
    label, status, anchor, parent = store_writer.con.execute(
        "SELECT label, status, anchor, parent_id FROM themes WHERE theme_id = ?", [theme_id]).fetchall()[0]
    assert "esim" in label and status == "active" and anchor and parent == 100
    assert all(_theme_of(store_writer.con, s) != theme_id for s in noise)
    event = store_writer.con.execute("SELECT event, detail FROM theme_events WHERE theme_id = ?", [theme_id]).fetchall()
    assert event == [("created", "proposed from 16 unassigned segments")]
    # the next night, a new eSIM segment joins the proposed theme directly
    later = store_writer.segment("esim stuck on transferring", ESIM, START + timedelta(days=71))
    assign_new_segments(store_writer.con, MODEL, config)
    assert _theme_of(store_writer.con, later) == theme_id


def test_nightly_leaves_the_fits_own_outliers_to_the_next_refit(store_writer):
    for i in range(20):
        store_writer.assign(store_writer.segment(f"esim fails {i}", ESIM, START), None)  # unassigned by the fit itself
    store_writer.segment("courier never came", COURIER, START)
    result = assign_new_segments(store_writer.con, MODEL, ThemesConfig(propose_after=5, propose_min_size=10))
    assert result.pool == 20 and result.proposed == []


def test_nightly_does_not_propose_below_the_thresholds(store_writer):
    for i in range(8):
        store_writer.segment(f"esim fails {i}", ESIM, START)
    result = assign_new_segments(store_writer.con, MODEL, ThemesConfig(propose_after=5, propose_min_size=10))
    assert result.unassigned == 8 and result.proposed == []


def test_nightly_needs_a_fit_first(fresh_db):
    StoreWriter(fresh_db).segment("courier never came", COURIER, START)
    with pytest.raises(ValueError, match="themes refit"):
        assign_new_segments(fresh_db, MODEL, ThemesConfig())


def test_refit_is_due_without_a_fit_or_when_the_last_is_old(store_writer):
    config = ThemesConfig(refit_every_days=28)
    assert refit_due(store_writer.con, MODEL, config, now=START + timedelta(days=27)) is False
    assert refit_due(store_writer.con, MODEL, config, now=START + timedelta(days=28)) is True
    assert refit_due(store_writer.con, MODEL, ThemesConfig(refit_every_days=0),
                     now=START + timedelta(days=999)) is False
    assert refit_due(store_writer.con, "another:model", config) is True


def test_merge_moves_segments_keeps_the_row_and_logs_it(store_writer):
    a = store_writer.segment("courier never came", COURIER, START)
    b = store_writer.segment("still no refund", REFUND, START)
    store_writer.assign(a, 1)
    store_writer.assign(b, 2)
    merge_themes(store_writer.con, 1, [2], ThemesConfig())
    assert _theme_of(store_writer.con, b) == 1
    rows = store_writer.con.execute("SELECT theme_id, status, merged_into, size, anchor FROM themes WHERE level = 2 "
                                    "ORDER BY theme_id").fetchall()
    assert rows == [(1, "active", None, 2, True), (2, "merged", 1, 0, True)]
    assert [t["theme_id"] for t in list_themes(store_writer.con)] == [1]
    assert show_theme(store_writer.con, 1)["merged_from"] == [2]
    # a new refund segment tonight lands in the merged theme through its kept anchor
    c = store_writer.segment("refund not back yet", REFUND, START + timedelta(days=1))
    assign_new_segments(store_writer.con, MODEL, ThemesConfig(propose_after=100))
    assert _theme_of(store_writer.con, c) == 1


@pytest.mark.parametrize(("into", "others", "message"), [
    (1, [1], "into itself"), (1, [], "at least one"), (1, [100], "theme group"), (1, [9], "no theme 9")])
def test_merge_refuses_what_it_cannot_do(store_writer, into, others, message):
    with pytest.raises((ValueError, KeyError), match=message):
        merge_themes(store_writer.con, into, others, ThemesConfig())


def test_merge_refuses_a_theme_already_merged(store_writer):
    merge_themes(store_writer.con, 1, [2], ThemesConfig())
    with pytest.raises(ValueError, match="theme 2 is merged into 1"):
        merge_themes(store_writer.con, 2, [1], ThemesConfig())


def test_rename_works_for_theme_groups_too(store_writer):
    rename_theme(store_writer.con, 100, "Delivery and money matters")
    assert store_writer.con.execute("SELECT label FROM themes WHERE theme_id = 100").fetchall() == [
        ("Delivery and money matters",)]


def test_rename_is_logged_and_refuses_empty_names(store_writer):
    rename_theme(store_writer.con, 2, "  Refunds that never arrive ")
    assert store_writer.con.execute("SELECT label, custom_label FROM themes WHERE theme_id = 2").fetchall() == [
        ("Refunds that never arrive", True)]
    assert show_theme(store_writer.con, 2)["events"][0]["event"] == "renamed"
    with pytest.raises(ValueError):
        rename_theme(store_writer.con, 2, " ")


def _weeks(store_writer: StoreWriter, per_week: dict[int, list[int]]) -> None:
    """per_week: theme -> segments in each of the weeks from START."""
    for theme_id, counts in per_week.items():
        for week, n in enumerate(counts):
            for i in range(n):
                sid = store_writer.segment(f"t{theme_id} w{week} n{i}", COURIER if theme_id == 1 else REFUND,
                                           START + timedelta(days=7 * week + i % 7))
                store_writer.assign(sid, theme_id)
    store_writer.con.execute("UPDATE themes SET first_seen = s.first_seen FROM (SELECT st.theme_id, min(f.received_at) "
                             "AS first_seen FROM segment_themes st JOIN segments USING (segment_id) JOIN feedback f "
                             "USING (feedback_id) GROUP BY 1) s WHERE themes.theme_id = s.theme_id")


def test_emerging_flags_a_new_theme_and_a_surge_but_not_noise(store_writer):
    store_writer.theme(3, "esim transfer", ESIM)
    store_writer.theme(4, "tiny newcomer", APP)
    store_writer.theme(5, "nothing yet", -ESIM)  # no segments at all: never seen, never flagged
    _weeks(store_writer, {1: [50, 54, 47, 52, 49, 51, 50, 53], 2: [20, 22, 19, 21, 20, 18, 22, 90],
                          3: [0, 0, 0, 0, 0, 0, 12, 30], 4: [0, 0, 0, 0, 0, 0, 0, 3]})
    flagged = flag_emerging(store_writer.con, MODEL, ThemesConfig(), "check")
    assert flagged == [2, 3]
    rows = {r[0]: r[1:] for r in store_writer.con.execute(
        "SELECT theme_id, is_new, emerging, reason FROM theme_trends WHERE run_id = 'check'").fetchall()}
    assert rows[3][0] and "new: first seen" in rows[3][2]
    assert not rows[2][0] and "z " in rows[2][2]
    assert rows[4][0] and not rows[4][1] and "below 10 segments" in rows[4][2]
    assert not rows[1][1] and rows[5][:2] == (False, False)
    emerging = store_writer.con.execute("SELECT theme_id FROM emerging_themes ORDER BY 1").fetchall()
    assert [r[0] for r in emerging] == [2, 3]


def test_emerging_needs_four_prior_weeks(store_writer):
    _weeks(store_writer, {1: [10, 10, 30], 2: [0, 0, 40]})
    assert flag_emerging(store_writer.con, MODEL, ThemesConfig(), "check") == []
    reasons = [r[0] for r in store_writer.con.execute("SELECT reason FROM theme_trends").fetchall()]
    assert all("4 needed" in r for r in reasons)


def test_refresh_assigns_and_flags_when_no_refit_is_due(store_writer):
    store_writer.segment("courier never came", COURIER, START)
    result = refresh_themes(store_writer.con, MODEL, ThemesConfig(refit_every_days=0))
    assert result.refit is None and result.assigned.assigned == 1 and result.emerging == []
    assert store_writer.con.execute("SELECT count(*) FROM theme_trends").fetchall() == [(2,)]


def test_theme_weekly_shares_add_up_per_week(store_writer):
    _weeks(store_writer, {1: [3, 1], 2: [1, 3]})
    store_writer.assign(store_writer.segment("odd one", APP, START), None)
    shares = store_writer.con.execute("SELECT week, sum(share), sum(volume) FROM theme_weekly GROUP BY week "
                                      "ORDER BY week").fetchall()
    assert [(round(s, 9), v) for _, s, v in shares] == [(1.0, 5), (1.0, 4)]


def test_nightly_theme_step_reports_its_phases_in_order(store_writer):
    store_writer.segment("courier never came", COURIER, START)
    phases = []
    refresh_themes(store_writer.con, MODEL, ThemesConfig(propose_after=100), now=START,
                   on_phase=lambda done, total, what: phases.append((done, total, what)))
    assert phases == [(0, 2, "placing new segments in themes"), (1, 2, "checking for emerging themes"),
                      (2, 2, "0 emerging theme(s)")]


def test_nightly_show_of_a_theme_group_lists_its_themes(store_writer):
    group = show_theme(store_writer.con, 100)
    assert [(m["theme_id"], m["label"]) for m in group["members"]] == [(1, "late courier"), (2, "refund missing")]
    assert show_theme(store_writer.con, 1)["members"] == []


def test_refit_fits_a_template_once_whatever_its_numbers(store_writer, monkeypatch):
    """A refit fits one point per phrasing: call notes of one template that differ only by their
    amounts say one thing, so every copy takes one theme, even where the amounts pull the copies'
    vectors apart, between two subjects (fitted copy by copy, they split between both)."""
    from vocmine.themes.registry import refit_themes

    rng = np.random.default_rng(0)
    for subject, words in ((COURIER, "courier late"), (REFUND, "refund missing")):
        for _ in range(60):
            made_up = "".join(rng.choice(list("bcdfghjklmnpqrstvwxz"), 6))
            store_writer.segment(f"{words} {made_up}", subject + 0.2 * rng.standard_normal(4), START)
    copies = [store_writer.segment(f"Cust quoted ETF £{10 + i}.50", w * COURIER + (1 - w) * REFUND
                                   + 0.05 * rng.standard_normal(4), START)
              for i, w in enumerate(np.linspace(0.1, 0.9, 30))]
    refit_themes(store_writer.con, MODEL, ThemesConfig(min_themes=2, max_themes=4))
    themes = {_theme_of(store_writer.con, sid) for sid in copies}
    assert len(themes) == 1 and None not in themes, themes


def _squeezed(directions: np.ndarray, spread: float) -> np.ndarray:
    """Unit rows near one shared direction, as e5 places texts: every cosine high, order kept."""
    shared = np.zeros(directions.shape[1])
    shared[0] = 1.0
    rows = shared + spread * directions
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_nightly_proposes_a_new_subject_even_where_the_model_squeezes_every_theme_together():
    from vocmine.themes.assign import fringe_similarity, new_theme_clusters

    rng = np.random.default_rng(0)
    topics = np.linalg.qr(rng.normal(size=(64, 12)))[0].T[:, :64]  # 12 orthogonal subjects
    known = _squeezed(topics[:10, :] * 1.0, spread=0.12)  # themes 0.985+ apart, as food themes on e5
    pool = _squeezed(topics[11] + rng.normal(scale=0.05, size=(30, 64)), spread=0.3)  # a subject no theme holds
    config = ThemesConfig(match_similarity=0.949, propose_similarity=0.88, propose_min_size=15)
    assert fringe_similarity(known, config) > 0.98
    clusters = new_theme_clusters(pool, known, config)
    assert len(clusters) == 1 and len(clusters[0][0]) == 30


def test_nightly_fringe_of_themes_far_apart_is_match_similarity_as_before():
    from vocmine.themes.assign import fringe_similarity

    spread_out = np.eye(5, 8)  # known themes orthogonal: nearest at cosine 0
    assert fringe_similarity(spread_out, ThemesConfig()) == ThemesConfig().match_similarity
    assert fringe_similarity(spread_out[:1], ThemesConfig()) == ThemesConfig().match_similarity
