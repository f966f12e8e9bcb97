"""A feedback's themes as a case: what sets it apart, not the narrative every complaint shares."""

from __future__ import annotations

import numpy as np
import pytest
from support.handmade import add_feedback, refresh

from vocmine.config import ThemesConfig
from vocmine.embed.cache import embed_long_feedback, feedback_embeddings
from vocmine.themes.cases import file_under_themes, refresh_feedback_themes

MODEL = "fake"
CONFIG = ThemesConfig(case_min_segments=4)


def _feedback(con, feedback_id: str, themes: list[int | None], similarity: float = 0.8, run_id: str = "fit") -> None:
    con.execute("INSERT INTO feedback (feedback_id, source, kind, text, content_hash, dedup_key, run_id, ingested_at) "
                "VALUES (?, 's', 'complaint', ?, 'h', ?, 'r', now())", [feedback_id, f"text of {feedback_id}",
                                                                          feedback_id])
    for position, theme in enumerate(themes):
        sid = f"{feedback_id}-{position}"
        con.execute("INSERT INTO segments VALUES (?, ?, ?, ?, 'en', 0, 0, 1, '', [], 'v', 'r')",
                    [sid, feedback_id, position, f"{feedback_id} says {position}"])
        con.execute("INSERT INTO segment_themes VALUES (?, ?, ?, ?)", [sid, theme, similarity, run_id])


def _rows(con, feedback_id: str) -> list[tuple]:
    return con.execute("SELECT theme_id, rank, method, confidence FROM feedback_themes WHERE feedback_id = ? "
                       "ORDER BY rank", [feedback_id]).fetchall()


@pytest.fixture
def complaints(fresh_db):
    """Theme 1 is narrative ('I called them again'): in every complaint. Themes 2-5 are specific."""
    con = fresh_db
    for theme_id in (1, 2, 3, 4, 5):
        con.execute("INSERT INTO themes (theme_id, label, keywords, level, status, size, centroid, model, "
                    "created_run, updated_run) VALUES (?, ?, [], 2, 'active', 0, [1.0, 0.0], ?, 'r', 'r')",
                    [theme_id, f"theme {theme_id}", MODEL])
    _feedback(con, "long", [1, 1, 1, 2, 2, 3, None])   # mostly narrative; about theme 2, a word of theme 3
    _feedback(con, "other", [1, 1, 4])
    _feedback(con, "third", [1, 4])
    _feedback(con, "short", [4])                    # one segment: its theme
    _feedback(con, "narrative only", [1, 1])
    _feedback(con, "unplaced", [None])               # nothing themed: no row
    return con


def test_themes_cases_primary_theme_is_the_specific_segment_theme_not_the_narrative(complaints):
    result = refresh_feedback_themes(complaints, MODEL, CONFIG, "fit", refit=True)
    assert (result.refreshed, result.with_theme, result.by_case, result.kinds_of_case) == (6, 5, 0, 0)
    long = _rows(complaints, "long")
    assert [r[0] for r in long] == [2, 3, 1]            # primary, then up to two secondary
    assert [r[1] for r in long] == [1, 2, 3] and {r[2] for r in long} == {"segments"}
    assert sum(r[3] for r in long) == pytest.approx(1.0, abs=1e-3) and long[0][3] > long[1][3] > long[2][3]
    assert _rows(complaints, "short") == [(4, 1, "segments", 1.0)]
    assert [r[0] for r in _rows(complaints, "narrative only")] == [1]   # nothing else said: the narrative
    assert _rows(complaints, "unplaced") == []


def test_themes_cases_long_feedback_takes_the_theme_of_its_kind_of_case(complaints):
    """A long complaint placed nearest the kind of case filed under theme 5 has theme 5 first
    even though no segment of it is in theme 5; its segments' themes follow."""
    complaints.execute("INSERT INTO embeddings VALUES (?, md5('text of long'), [0.6, 0.8], 'r')", [MODEL])
    complaints.execute("INSERT INTO case_centroids VALUES (5, ?, [0.0, 1.0], 10, 'fit'), (4, ?, [1.0, 0.0], 10, 'fit')",
                       [MODEL, MODEL])
    result = refresh_feedback_themes(complaints, MODEL, CONFIG, "night")
    assert result.by_case == 1
    assert _rows(complaints, "long") == [(5, 1, "case", 0.8), (2, 2, "segments", pytest.approx(0.5, abs=0.2)),
                                         (3, 3, "segments", pytest.approx(0.25, abs=0.2))]
    # short feedback is never placed by its whole text
    assert _rows(complaints, "other")[0][2] == "segments"


def test_themes_cases_a_merged_kind_of_case_files_under_the_theme_it_was_merged_into(complaints):
    complaints.execute("INSERT INTO embeddings VALUES (?, md5('text of long'), [0.0, 1.0], 'r')", [MODEL])
    complaints.execute("INSERT INTO case_centroids VALUES (5, ?, [0.0, 1.0], 10, 'fit')", [MODEL])
    complaints.execute("UPDATE themes SET status = 'merged', merged_into = 3 WHERE theme_id = 5")
    refresh_feedback_themes(complaints, MODEL, CONFIG, "fit", refit=False)
    assert _rows(complaints, "long")[:2] == [(3, 1, "case", 1.0), (2, 2, "segments", pytest.approx(0.6, abs=0.2))]


def test_themes_cases_nightly_rewrites_only_feedback_whose_segments_changed(complaints):
    refresh_feedback_themes(complaints, MODEL, CONFIG, "fit", refit=True)
    before = complaints.execute("SELECT * FROM feedback_themes ORDER BY ALL").fetchall()
    # a quiet night: nothing placed, nothing stale -> nothing rewritten, nothing changes
    assert refresh_feedback_themes(complaints, MODEL, CONFIG, "night-1").refreshed == 0
    # new feedback arrives: only it is written; the others keep their rows although the IDF moved
    _feedback(complaints, "new", [3, 3, 1], run_id="night-2")
    assert refresh_feedback_themes(complaints, MODEL, CONFIG, "night-2").refreshed == 1
    after = complaints.execute("SELECT * FROM feedback_themes WHERE feedback_id <> 'new' ORDER BY ALL").fetchall()
    assert after == before
    assert [r[0] for r in _rows(complaints, "new")] == [3, 1]
    # a segment found to be boilerplate leaves its theme: the feedback is rewritten without it
    complaints.execute("INSERT INTO segment_boilerplate VALUES ('long-5', 'long', 'en', 'formula', 'r', 'l', 'r', now())")
    complaints.execute("DELETE FROM segment_themes WHERE segment_id = 'long-5'")
    assert refresh_feedback_themes(complaints, MODEL, CONFIG, "night-3").refreshed == 1
    assert [r[0] for r in _rows(complaints, "long")] == [2, 1]


def test_themes_cases_kinds_of_case_filed_under_distinct_specific_themes():
    """Narrative (column 0) is in every case, so it names no kind. Column 1 is raised most by
    both kinds, but it sets only the first apart; the second is named by column 2."""
    clusters = np.array([0, 0, 0, 1, 1, 1])
    raised = np.array([[1, 1, 0], [1, 1, 0], [1, 1, 0],
                       [1, 1, 0], [1, 1, 1], [1, 0, 0]], dtype=bool)
    assert file_under_themes(clusters, raised) == [1, 2]
    # three kinds, two of them about the same thing: still one theme per kind
    assert sorted(file_under_themes(np.array([0, 0, 1, 1, 2, 2]), raised)) == [0, 1, 2]


def test_themes_cases_too_little_long_feedback_fits_no_kinds(complaints):
    complaints.execute("INSERT INTO case_centroids VALUES (5, ?, [0.0, 1.0], 10, 'old')", [MODEL])
    result = refresh_feedback_themes(complaints, MODEL, CONFIG, "fit", refit=True)
    assert result.kinds_of_case == 0 and result.by_case == 0
    assert complaints.execute("SELECT count(*) FROM case_centroids").fetchone() == (0,)


def test_embed_cache_long_feedback_whole_text_embedded_once(complaints):
    calls: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return np.ones((len(texts), 2), dtype=np.float32) / np.sqrt(2)

    assert embed_long_feedback(complaints, MODEL, 4, encode=encode) == 1   # only 'long' has 4+ segments
    assert calls == [["text of long"]]
    assert embed_long_feedback(complaints, MODEL, 4, encode=encode) == 0   # cached
    ids, vectors = feedback_embeddings(complaints, MODEL, ["long", "short"])
    assert ids == ["long"] and vectors.shape == (1, 2)


def test_themes_cases_views_count_segments_and_cases(handmade_store):
    """One feedback saying 'helpful staff' five times is five segments but one case."""

    add_feedback(handmade_store, 99, week=7, themes=[3, 3, 3, 3, 3], rating=5, customer="c9")
    refresh_feedback_themes(handmade_store, "words", ThemesConfig(), "night")
    overview = {r[0]: r[1:] for r in handmade_store.execute(
        "SELECT theme_id, volume, cases, cases_raising FROM theme_overview").fetchall()}
    assert overview == {1: (4, 4, 4), 2: (4, 4, 4), 3: (7, 3, 3)}
    refresh(handmade_store)
    by_segments = handmade_store.execute("SELECT DISTINCT counts FROM priorities").fetchall()
    volumes = dict(handmade_store.execute("SELECT theme_id, volume FROM priorities").fetchall())
    assert by_segments == [("segments",)] and volumes[3] == 7
    refresh(handmade_store, count="cases")
    rows = handmade_store.execute("SELECT theme_id, volume, counts, segments, cases FROM priorities").fetchall()
    assert {r[2] for r in rows} == {"cases"} and {r[0]: r[1] for r in rows}[3] == 3
    assert all(r[1] == r[4] for r in rows)


def test_themes_cases_narrative_filler_is_ranked_after_every_other_theme(handmade_store):
    """40 long complaints of two kinds (themes 1 and 2 name the kinds); every one of them also
    says theme 3 ('I called them again'), in the same proportions as the kinds: narrative. It
    stays counted in theme_overview but ranks after the others in priorities."""

    for n in range(100, 140):
        kind = 1 if n % 2 else 2
        add_feedback(handmade_store, n, week=7, themes=[kind, 3, 3, 3, 3], rating=2, customer=f"k{n}")
        handmade_store.execute("INSERT INTO feedback_themes VALUES (?, ?, 1, 'case', 0.9), (?, 3, 2, 'segments', 0.4)",
                               [f"f{n}", kind, f"f{n}"])
    refresh(handmade_store, top=3)
    narrative = dict(handmade_store.execute("SELECT theme_id, is_narrative FROM stg_narrative_themes").fetchall())
    assert narrative == {1: False, 2: False, 3: True}
    overview = dict(handmade_store.execute("SELECT theme_id, volume FROM theme_overview WHERE narrative").fetchall())
    assert overview == {3: 162}   # 2 + 40 x 4 segments, still counted
    ranks = handmade_store.execute("SELECT theme_id, narrative FROM priorities ORDER BY priority_rank").fetchall()
    assert ranks[-1] == (3, True) and [r[1] for r in ranks[:-1]] == [False, False]


def test_themes_cases_long_feedback_with_no_themed_segment_is_still_placed(complaints):
    """Tonight's long complaint fits no segment theme at all; its whole text still finds its kind."""
    _feedback(complaints, "odd one", [None, None, None, None], run_id="night")
    complaints.execute("INSERT INTO embeddings VALUES (?, md5('text of odd one'), [0.0, 1.0], 'r')", [MODEL])
    complaints.execute("INSERT INTO case_centroids VALUES (5, ?, [0.0, 1.0], 10, 'fit')", [MODEL])
    refresh_feedback_themes(complaints, MODEL, CONFIG, "night")
    assert _rows(complaints, "odd one") == [(5, 1, "case", 1.0)]
