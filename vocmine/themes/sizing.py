"""How many themes a corpus holds, and which fitted themes are one theme found twice.

The number of themes used to follow the corpus size alone (about sqrt(n/2)). A small corpus of
many distinct requests was then under-split: 3,000 banking queries with 77 intents got ~40
themes. Here the number comes from the data: k-means is run on the UMAP space for a grid of
candidate numbers within ``[min_themes, max_themes]``, and each partition is scored by how well
it separates the segments in the original embedding space (mean silhouette, cosine, on a seeded
sample). The fewest themes whose separation is within 2% of the best win: more themes are only
taken when they separate the segments better.

"Within 2% of the best" is read on a smooth curve fitted to the top of the curve (a
least-squares quadratic in log k through the candidates scoring 70% of the best or more), not
on the scores one by one. Why: near its top the separation curve is flat (banking77, 3,000
queries: 63-120 themes all within 0.94-1.00 of the best) while each candidate's score is noisy:
one k-means start moves it by about 2% of the best (sd 0.023 on banking77 3,000, 0.029 at 600
queries, 0.04-0.10 on Ukrainian reviews), and 1e-6 float noise on the vectors, through UMAP
and then k-means, by as much. Read one by one, the 2% cut fell on whichever candidate the
noise favoured (banking77 3,000: 74 themes, jittered 102 / 102 / 102; 600 queries: 63, jittered
53 / 87 / 63), so a store could change its number of themes, and churn its stable theme IDs,
for nothing. The fitted curve uses every top candidate's score to place the top and the cut,
so one candidate's noise moves it little, and the count is read off it continuously (any
whole number between the bounds), so noise moves it by a few themes, not a grid step (~17%):
74 / 75 / 83 / 78 and 43 / 44 / 42 / 40 on the same curves. Averaging three k-means starts per
candidate, smoothing neighbouring candidates and lower cuts were measured too and moved the
count as much (UMAP's part of the noise is left, as large as the top's slope between two
candidates); a quadratic over all candidates flattens a clear peak, hence the top only. The
price: where the curve has a sharp peak, the count is read a little below it (blobs of 40
meanings: 34, one by one 39). The fit costs well under a millisecond.
``benchmarks/theme_count_stability.py`` prints the noise's sources and the count before and
after; docs/themes.md has the numbers.

After the fit, two themes are merged when they say the same thing twice: their centroids are
close (``merge_similarity``) *and* their distinctive words agree (c-TF-IDF cosine,
``merge_keyword_similarity``). Either alone is not enough: distinct requests ("card declined",
"card payment reverted") have close centroids but different words.

Example::

    k = number_of_themes(reduced, embeddings, ThemesConfig())   # reduced: UMAP, one row per segment
    into = duplicate_themes(centroids, ctfidf_rows, ThemesConfig())  # theme -> theme it becomes
"""

from __future__ import annotations

import numpy as np
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import silhouette_score

from vocmine.config.themes import ThemesConfig
from vocmine.embed.backends import normalise_rows

CANDIDATES = 12  # numbers of themes tried between the bounds (geometric steps)
SCORE_SAMPLE = 3_000  # segments the separation is measured on; enough to rank the candidates
TOLERANCE = 0.98  # the fewest themes whose separation reaches 98% of the best one
TOP_SHARE = 0.7  # the top of the curve a quadratic is fitted to: scores from 70% of the best
CURVE_POINTS = 400  # where the fitted curve is read, evenly in log k between the bounds


def theme_bounds(n_segments: int, config: ThemesConfig) -> tuple[int, int]:
    """``[min_themes, max_themes]``, and never more than one theme per five segments."""
    high = max(config.min_themes, min(config.max_themes, max(2, n_segments // 5)))
    return min(config.min_themes, high), high


def candidate_numbers(low: int, high: int, steps: int = CANDIDATES) -> list[int]:
    """Numbers of themes to try: geometric steps, so 20..120 is tried finer at the low end."""
    if high <= low:
        return [high]
    return sorted({round(float(x)) for x in np.geomspace(low, high, steps)})


def number_of_themes(reduced: np.ndarray, embeddings: np.ndarray, config: ThemesConfig) -> int:
    """Themes to fit on these segments: ``target_themes`` when set, else chosen by separation.

    ``reduced`` is the UMAP space k-means runs in, ``embeddings`` the L2-normalised vectors of
    the same rows, where separation is measured (UMAP stretches distances, the embedding space
    is what "similar meaning" means everywhere else in vocmine). Deterministic for a seed."""
    low, high = theme_bounds(len(reduced), config)
    if config.target_themes:
        return max(low, min(high, config.target_themes))
    return fewest_near_the_best_fitted(*separation_scores(reduced, embeddings, config))


def fewest_near_the_best_fitted(candidates: list[int], scores: list[float]) -> int:
    """The fewest themes whose separation, on a quadratic in log k fitted to the top of the
    curve, reaches ``TOLERANCE`` of the fitted top.

    The top is the candidates from the first to the last whose score reaches ``TOP_SHARE`` of the
    best (at least three): below it the curve is still climbing from too few themes, a
    different shape that would bend the quadratic and flatten a clear peak.

    >>> k = [20, 24, 28, 33, 38, 45, 53, 63, 74, 87, 102, 120]
    >>> fewest_near_the_best_fitted(k, [1 - (np.log(n) - np.log(90)) ** 2 / 4 for n in k])
    68

    Fewer than three candidates (a small corpus, narrow bounds) cannot place a curve: the
    scores are read one by one (``fewest_near_the_best``)."""
    if len(candidates) < 3:
        return fewest_near_the_best(candidates, scores)
    values = np.asarray(scores, dtype=np.float64)
    best = values.max()
    top = np.flatnonzero(values >= best - (1 - TOP_SHARE) * abs(best))
    high = max(int(top[-1]) + 1, 3)
    low = min(int(top[0]), high - 3)
    x = np.log(np.asarray(candidates[low:high], dtype=np.float64))
    curve = np.polynomial.Polynomial.fit(x, values[low:high], deg=2)
    grid = np.linspace(x[0], x[-1], CURVE_POINTS)
    fitted = curve(grid)
    # a curve of negative silhouettes still has a top: the tolerance is a share of |top|
    reached = fitted >= fitted.max() - (1 - TOLERANCE) * abs(fitted.max())
    return int(np.clip(round(float(np.exp(grid[int(np.argmax(reached))]))), candidates[low], candidates[high - 1]))


def fewest_near_the_best(candidates: list[int], scores: list[float]) -> int:
    """The fewest candidates whose own score reaches ``TOLERANCE`` of the best one (the rule of
    the previous release, which ``benchmarks/theme_count_stability.py`` prints beside).

    >>> fewest_near_the_best([20, 40, 80], [0.10, 0.197, 0.20])
    40
    """
    if len(candidates) == 1:
        return candidates[0]
    best = max(scores)
    return next(k for k, score in zip(candidates, scores, strict=True) if score >= TOLERANCE * best)


def separation_scores(reduced: np.ndarray, embeddings: np.ndarray, config: ThemesConfig
                      ) -> tuple[list[int], list[float]]:
    """The candidate numbers of themes within the bounds and the separation of each (none scored
    when there is only one candidate): the curve ``number_of_themes`` chooses from, which
    ``benchmarks/theme_count_stability.py`` prints."""
    candidates = candidate_numbers(*theme_bounds(len(reduced), config))
    if len(candidates) == 1:
        return candidates, []
    rng = np.random.default_rng(config.seed)
    sample = np.sort(rng.choice(len(reduced), min(len(reduced), SCORE_SAMPLE), replace=False))
    return candidates, [_separation(reduced, embeddings, sample, k, config.seed) for k in candidates]


def _separation(reduced: np.ndarray, embeddings: np.ndarray, sample: np.ndarray, k: int, seed: int) -> float:
    topics = KMeans(n_clusters=k, n_init=1, random_state=seed).fit_predict(reduced)
    if len(set(topics[sample].tolist())) < 2:
        return -1.0
    return float(silhouette_score(embeddings[sample], topics[sample], metric="cosine"))


def duplicate_themes(centroids: np.ndarray, keyword_weights: np.ndarray, config: ThemesConfig) -> np.ndarray:
    """Theme -> index of the theme it becomes (0..m-1, in order of each group's first theme).

    Complete linkage: every pair inside a merged group passes both tests, so merges never
    chain two unrelated themes through a third. ``merge_similarity = None`` turns merging off.
    Merging never leaves one theme: when every pair passes (two broad domains fitted with
    ``min_themes = 2``; e5 puts food-delivery and hotel reviews at cosine 0.98), the themes stay
    apart, since one theme for everything says nothing (and its keywords cannot be counted)."""
    k = len(centroids)
    if config.merge_similarity is None or k < 2:
        return np.arange(k)
    words = normalise_rows(np.asarray(keyword_weights, dtype=np.float64))
    keyword_similarity = words @ words.T
    same = (centroids @ centroids.T >= config.merge_similarity) & (keyword_similarity >= config.merge_keyword_similarity)
    # the most alike pairs join first; a pair failing either test keeps the groups apart
    distance = np.where(same, 1.0 - keyword_similarity, 2.0)
    np.fill_diagonal(distance, 0.0)
    groups = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="complete",
                                     distance_threshold=1.5).fit_predict(distance)
    if len(set(groups.tolist())) == 1:
        return np.arange(k)
    order = {group: i for i, group in enumerate(dict.fromkeys(groups.tolist()))}
    return np.array([order[g] for g in groups.tolist()], dtype=int)


class ChosenKMeans:
    """The clusterer handed to BERTopic: picks the number of themes on the reduced space it is
    given, then fits k-means with it (``labels_``, ``n_clusters``, as BERTopic expects)."""

    def __init__(self, embeddings: np.ndarray, config: ThemesConfig, weights: np.ndarray | None = None) -> None:
        """``weights``: how much each point counts in k-means (a phrasing sent n times: sqrt(n));
        the number of themes is chosen on the points as they are."""
        self.embeddings, self.config, self.weights = embeddings, config, weights

    def fit(self, reduced: np.ndarray, y: object = None) -> ChosenKMeans:
        self.n_clusters = number_of_themes(reduced, self.embeddings, self.config)
        self.kmeans = KMeans(n_clusters=self.n_clusters, n_init=4, random_state=self.config.seed).fit(
            reduced, sample_weight=self.weights)
        self.labels_ = self.kmeans.labels_
        return self

    def predict(self, reduced: np.ndarray) -> np.ndarray:
        return self.kmeans.predict(reduced)
