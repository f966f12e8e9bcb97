from __future__ import annotations

import numpy as np

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

