from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from vocmine.config import ThemesConfig
from vocmine.embed.backends import normalise_rows
from vocmine.themes.sizing import (
    candidate_numbers,
    duplicate_themes,
    fewest_near_the_best,
    fewest_near_the_best_fitted,
    number_of_themes,
    theme_bounds,
)


def _blobs(centers: int, seed: int = 0, n: int = 3_000) -> tuple[np.ndarray, np.ndarray]:
    """Segments around ``centers`` meanings: the 'reduced' space, and the same rows as unit vectors."""
    points, _ = make_blobs(n_samples=n, centers=centers, n_features=16, cluster_std=1.0, center_box=(-10, 10),
                           random_state=seed)
    return points, normalise_rows(points)


@pytest.mark.parametrize("centers", [25, 45, 70])
def test_themes_sizing_chooses_about_the_number_of_distinct_meanings(centers):
    reduced, embeddings = _blobs(centers)
    chosen = number_of_themes(reduced, embeddings, ThemesConfig(min_themes=10, max_themes=120))
    assert abs(chosen - centers) <= 0.2 * centers, chosen


def test_themes_sizing_is_deterministic_for_a_seed():
    reduced, embeddings = _blobs(40, seed=3)
    config = ThemesConfig(min_themes=10, max_themes=120)
    assert number_of_themes(reduced, embeddings, config) == number_of_themes(reduced, embeddings, config)


def test_themes_sizing_keeps_a_fixed_number_and_the_bounds():
    reduced, embeddings = _blobs(40)
    assert number_of_themes(reduced, embeddings, ThemesConfig(target_themes=30)) == 30
    assert number_of_themes(reduced, embeddings, ThemesConfig(target_themes=500)) == 120
    assert theme_bounds(100, ThemesConfig()) == (20, 20)  # one theme per five segments at most
    assert theme_bounds(50_000, ThemesConfig()) == (20, 120)
    assert candidate_numbers(20, 120)[0] == 20 and candidate_numbers(20, 120)[-1] == 120


# banking77, 3,000 queries: each candidate's separation as a share of the best (mean of 4 starts)
FLAT_TOP = [0.574, 0.555, 0.582, 0.647, 0.735, 0.829, 0.886, 0.943, 0.974, 1.0, 0.984, 0.981]


def test_themes_sizing_count_holds_when_each_candidate_score_moves_by_its_measured_noise():
    # one k-means start, or 1e-6 float noise through UMAP, moves a candidate's score by ~2% of
    # the best: read one by one, the 2% cut then jumps between 63 and 102 on this curve (13 of
    # 20 draws within 10% of the noiseless choice)
    candidates, rng = candidate_numbers(20, 120), np.random.default_rng(0)
    curve = 0.2 * np.array(FLAT_TOP)
    noiseless = fewest_near_the_best_fitted(candidates, curve)
    chosen = [fewest_near_the_best_fitted(candidates, curve + rng.normal(0.0, 0.02 * 0.2, len(curve)))
              for _ in range(20)]
    assert 63 <= noiseless <= 102
    assert sum(abs(k - noiseless) <= 0.1 * noiseless for k in chosen) >= 18, sorted(chosen)


def test_themes_sizing_fitted_curve_keeps_the_bounds_and_small_grids():
    candidates = candidate_numbers(20, 120)
    rising = [0.1 + 0.01 * i for i in range(len(candidates))]  # more themes always separate better
    assert 100 <= fewest_near_the_best_fitted(candidates, rising) <= 120
    assert fewest_near_the_best_fitted(candidates, rising[::-1]) == 20
    assert fewest_near_the_best_fitted([20, 24], [0.1, 0.2]) == 24  # too few to fit: one by one
    assert fewest_near_the_best_fitted([20], []) == 20


def test_themes_sizing_takes_the_fewest_themes_within_two_percent_of_the_best():
    assert fewest_near_the_best([20, 40, 80, 120], [0.10, 0.19, 0.20, 0.199]) == 80
    assert fewest_near_the_best([20, 40, 80, 120], [0.10, 0.197, 0.20, 0.199]) == 40
    assert fewest_near_the_best([20], []) == 20


def test_themes_sizing_count_does_not_move_with_float_noise():
    # 1e-6 noise, renormalised (a float32 -> float64 round trip is of that size)
    reduced, embeddings = _blobs(30, n=900, seed=5)
    noise = np.random.default_rng(0).normal(0.0, 1e-6, reduced.shape)
    config = ThemesConfig(min_themes=10, max_themes=60)
    chosen = number_of_themes(reduced, embeddings, config)
    assert number_of_themes(reduced + noise, normalise_rows(embeddings + noise), config) == chosen


def test_themes_sizing_merges_a_theme_found_twice_and_keeps_distinct_ones():
    centroids = normalise_rows(np.array([
        [1.0, 0.0, 0.0, 0.0],
        [0.97, 0.2, 0.0, 0.0],   # the first theme again: close, same words
        [0.9, 0.0, 0.42, 0.0],   # close to the first, other words ("declined" vs "reverted")
        [0.0, 0.0, 0.0, 1.0],    # the first theme's words, another meaning
        [0.0, 1.0, 0.0, 0.0],
    ]))
    words = np.array([
        [5.0, 1.0, 0.0, 0.0],
        [4.0, 1.5, 0.0, 0.0],
        [0.0, 1.0, 5.0, 0.0],
        [5.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 3.0],
    ])
    into = duplicate_themes(centroids, words, ThemesConfig())
    assert into.tolist() == [0, 0, 1, 2, 3]
    assert duplicate_themes(centroids, words, ThemesConfig(merge_similarity=None)).tolist() == [0, 1, 2, 3, 4]


def test_themes_sizing_merges_groups_only_when_every_pair_agrees():
    # a ~ b and b ~ c, but a and c are not alike: complete linkage keeps c out of a's group
    angle = np.deg2rad([0, 40, 80])
    centroids = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    words = np.eye(3) + np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    into = duplicate_themes(centroids, words, ThemesConfig(merge_similarity=0.7, merge_keyword_similarity=0.5))
    assert len(set(into.tolist())) == 2


def test_themes_sizing_never_merges_everything_into_one_theme():
    # two broad domains whose centroids and words are alike (e5 on food-delivery vs hotel reviews)
    centroids = normalise_rows(np.array([[1.0, 0.1], [1.0, 0.2]]))
    words = np.array([[1.0, 0.8], [0.9, 1.0]])
    assert duplicate_themes(centroids, words, ThemesConfig(min_themes=2)).tolist() == [0, 1]
    three = normalise_rows(np.array([[1.0, 0.1], [1.0, 0.12], [1.0, 0.14]]))
    assert duplicate_themes(three, np.ones((3, 2)), ThemesConfig(min_themes=2)).tolist() == [0, 1, 2]
