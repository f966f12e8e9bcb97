"""The registry's refit logic without a fit: lineage, keeping segments in place, retirements."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from vocmine.config import ThemesConfig
from vocmine.themes.registry import _identify, _Identity, _keep_previous, _lineage


def test_registry_lineage_reads_splits_and_absorptions_off_the_segments():
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


def test_registry_lineage_needs_a_majority():
    previous = {"a": 1, "b": 2, "c": None}
    events = []
    _lineage(["a", "b", "c"], previous, [5, 5, 5], _Identity([1, 2, 5], [1, 2, 5], [5], []), events)
    assert events == []


def test_registry_refit_keeps_a_segment_in_its_theme_unless_another_is_clearly_closer():
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


def test_registry_identify_retires_the_merged_rows_of_a_retired_theme_and_revives_none(fresh_db):
    for theme_id, status, into, centroid in [(1, "active", None, [1, 0, 0]), (2, "merged", 1, [0, 1, 0])]:
        fresh_db.execute("INSERT INTO themes (theme_id, label, keywords, level, status, merged_into, size, centroid, "
                         "model, created_run, updated_run) VALUES (?, 't', [], 2, ?, ?, 0, ?, 'm', 'r', 'r')",
                         [theme_id, status, into, centroid])
    gone, _ = _identify(fresh_db, "m", 2, np.array([[0, 0, 1]], dtype=np.float32), ThemesConfig(), 10, [])
    assert (gone.retired, gone.retired_lobes, gone.created) == ([1], [2], [10])
    # the merged row alone is found again: its theme lives on through it
    lobe, _ = _identify(fresh_db, "m", 2, np.array([[0, 1, 0]], dtype=np.float32), ThemesConfig(), 10, [])
    assert (lobe.rows, lobe.themes, lobe.retired, lobe.retired_lobes) == ([2], [1], [], [])


def test_registry_prunes_fit_folders_no_committed_fit_owns(fresh_db, tmp_path):
    """A refit killed after saving its folder and before committing leaves a folder the database
    never recorded; the next theme step deletes it (and nothing else)."""
    from vocmine.themes.registry import prune_orphan_fits

    known, orphan = tmp_path / "themes-20261101T020000-aaaaaa", tmp_path / "themes-20261102T020000-bbbbbb"
    other = tmp_path / "my-notes"
    for folder in (known, orphan, other):
        folder.mkdir()
        (folder / "themes.json").write_text("{}")
    fresh_db.execute("INSERT INTO theme_fits (run_id, model, path, saved_at, segments, themes) "
                     "VALUES (?, 'm', ?, now()::TIMESTAMP, 100, 5)",
                     [known.name, str(known)])
    assert prune_orphan_fits(fresh_db, tmp_path) == [orphan]
    assert known.is_dir() and other.is_dir() and not orphan.exists()
