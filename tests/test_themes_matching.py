from __future__ import annotations

import numpy as np
import pytest

from vocmine.themes.matching import match_themes


def _unit(rows) -> np.ndarray:
    matrix = np.array(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_matching_keeps_ids_whatever_the_order_of_the_refit():
    old = _unit([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    new = _unit([[0, 0.1, 1], [1, 0.05, 0], [0.02, 1, 0]])
    result = match_themes([10, 11, 12], old, new)
    assert result.pairs == {0: 12, 1: 10, 2: 11} and result.new == [] and result.gone == []


def test_matching_is_one_to_one_and_leaves_the_rest_new_or_gone():
    old = _unit([[1, 0, 0], [0, 1, 0]])
    new = _unit([[1, 0.1, 0], [1, 0.12, 0], [0, 0, 1]])  # a split of theme 10, and something new
    result = match_themes([10, 11], old, new)
    assert list(result.pairs.values()) == [10]
    assert sorted(result.new) == sorted({0, 1, 2} - set(result.pairs)) and result.gone == [11]


def test_matching_needs_enough_similarity():
    old = _unit([[1, 0]])
    new = _unit([[1, 1]])  # cosine 0.71
    assert match_themes([5], old, new, min_similarity=0.8).pairs == {}
    assert match_themes([5], old, new, min_similarity=0.7).pairs == {0: 5}


def test_matching_with_no_existing_themes_makes_all_new():
    result = match_themes([], np.zeros((0, 3), dtype=np.float32), _unit([[1, 0, 0], [0, 1, 0]]))
    assert result.new == [0, 1] and result.pairs == {} and result.gone == []


def test_lineage_reads_splits_and_absorptions_off_the_segments():
    from vocmine.themes.registry import _Identity, _lineage

    # before: theme 1 had s1..s6, theme 2 had s7..s9; now: topic rows 1 and 5 (new), theme 2 retired
    previous = {f"s{i}": 1 for i in range(1, 7)} | {f"s{i}": 2 for i in range(7, 10)}
    ids = [f"s{i}" for i in range(1, 11)]
    now = [1, 1, 1, 5, 5, 5, 1, 1, 1, 5]  # s4-s6 split off into 5 (with new s10); theme 2 went into 1
    themes = _Identity(rows=[1, 5], themes=[1, 5], created=[5], retired=[2])
    events = []
    absorbed = _lineage(ids, previous, now, themes, events)
    assert absorbed == {2: 1}
    assert [(e.event, e.theme_id, e.other_id) for e in events] == [("split", 5, 1), ("merged", 2, 1)]
    assert events[0].detail == "75% of its segments were in theme 1"


def test_lineage_needs_a_majority():
    from vocmine.themes.registry import _Identity, _lineage

    previous = {"a": 1, "b": 2, "c": None}
    events = []
    _lineage(["a", "b", "c"], previous, [5, 5, 5], _Identity([1, 2, 5], [1, 2, 5], [5], []), events)
    assert events == []


def test_refit_keeps_a_segment_in_its_theme_unless_another_is_clearly_closer():
    from types import SimpleNamespace

    from vocmine.config import ThemesConfig
    from vocmine.themes.registry import _Identity, _keep_previous

    centroids = np.array([[1, 0], [0, 1]], dtype=np.float32)
    vectors = np.array([[0.72, 0.69], [0.9, 0.44], [0.6, 0.8], [0.6, 0.8]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    fit = SimpleNamespace(assignments=np.array([0, 0, 1, 1]), similarity=(vectors @ centroids.T).max(axis=1),
                          centroids=centroids)
    previous = {"a": 8, "b": 8, "c": 8, "d": 3}  # theme 3 is gone; 7 and 8 are the refit's themes
    assigned, similarity = _keep_previous(["a", "b", "c", "d"], vectors, previous, fit,
                                          _Identity([7, 8], [7, 8], [], [3]), ThemesConfig(refit_keep_margin=0.05))
    # a: nearly tied, stays in 8; b: clearly closer to 7, moves; c: already 8; d: its theme is gone
    assert assigned == [8, 7, 8, 8]
    assert similarity[0] == pytest.approx(float(vectors[0, 1]))


def test_identify_retires_the_merged_rows_of_a_retired_theme_and_revives_none(fresh_db):
    from vocmine.config import ThemesConfig
    from vocmine.themes.registry import _identify

    for theme_id, status, into, centroid in [(1, "active", None, [1, 0, 0]), (2, "merged", 1, [0, 1, 0])]:
        fresh_db.execute("INSERT INTO themes (theme_id, label, keywords, level, status, merged_into, size, centroid, "
                         "model, created_run, updated_run) VALUES (?, 't', [], 2, ?, ?, 0, ?, 'm', 'r', 'r')",
                         [theme_id, status, into, centroid])
    gone, _ = _identify(fresh_db, "m", 2, np.array([[0, 0, 1]], dtype=np.float32), ThemesConfig(), 10, [])
    assert (gone.retired, gone.retired_lobes, gone.created) == ([1], [2], [10])
    # the merged row alone is found again: its theme lives on through it
    lobe, _ = _identify(fresh_db, "m", 2, np.array([[0, 1, 0]], dtype=np.float32), ThemesConfig(), 10, [])
    assert (lobe.rows, lobe.themes, lobe.retired, lobe.retired_lobes) == ([2], [1], [], [])
