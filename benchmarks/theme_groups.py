"""Theme groups (the level above themes) against known domains: the fit's rule beside a tried one.

    VOCMINE_SHARED_DATA=../shared/data python benchmarks/theme_groups.py [--sets clinc150 banking77]
        [--sizes 3000 10000] [--seed 42]

One vocmine fit per set and size (cached MiniLM vectors, as ``quality.py``), then the fit's
theme centroids grouped two ways, so both see the same themes:

- ``fit``: the fit's own groups (``vocmine.themes.discover._groups``): about sqrt(k) groups by
  average link of the centroids;
- ``silhouette``: tried, not adopted (docs/themes.md "Theme groups: how many"): the same tree
  cut where the themes' size-weighted silhouette is best (2 to k/3 groups, lone themes joined),
  the fit's groups where no cut shows structure (best silhouette <= 0.25);
- ``tree@truth`` (clinc150 only): the same tree cut at the number of domains, a reference for
  how far the tree itself follows the domains.

clinc150's 150 intents belong to 10 domains (``clinc150/domains.json``): printed NMI and ARI of
groups against domains (a segment left outside every theme is a group of its own), with the
number of groups, their silhouette (themes weighted by their assigned segments) and the group
sizes in segments. banking77 is one domain of
77 intents (``categories.json`` lists the intents, no grouping): number and sizes of groups only.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import cut_tree, linkage
from scipy.spatial.distance import pdist
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import SHARED, embeddings, load_set, subsample

from vocmine.config import ThemesConfig
from vocmine.themes.discover import discover_themes

# Kaufman & Rousseeuw's reading of a silhouette: at or below 0.25 the data shows no substantial
# structure, so a number of groups it picks is noise.
NO_STRUCTURE = 0.25


def tree_cut(centroids: np.ndarray, n_groups: int) -> np.ndarray:
    """Average link of the centroids (cosine), cut into ``n_groups``."""
    return cut_tree(linkage(pdist(centroids, "cosine"), "average"), n_clusters=n_groups)[:, 0].astype(int)


def weighted_silhouette(distances: np.ndarray, groups: np.ndarray, sizes: np.ndarray) -> float:
    """Silhouette of themes in groups, each theme weighted by its segments: a theme's distance
    to a group is the size-weighted mean of its distances to the group's themes (about its
    distance to the group's segments). A group of one theme scores 0, as in the usual definition.

    >>> d = np.array([[0, .1, .9], [.1, 0, .9], [.9, .9, 0]])
    >>> round(weighted_silhouette(d, np.array([0, 0, 1]), np.array([1.0, 1.0, 1.0])), 3)
    0.593
    """
    k, n = len(groups), int(groups.max()) + 1
    members = np.zeros((k, n))
    members[np.arange(k), groups] = sizes
    weight = members.sum(axis=0)
    totals = distances @ members  # size-weighted sum of distances from each theme to each group
    own_weight = weight[groups] - sizes  # the theme itself is at distance 0 and not its own neighbour
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = totals[np.arange(k), groups] / own_weight
        between = np.where(weight > 0, totals / weight, np.inf)
        between[np.arange(k), groups] = np.inf
        nearest = between.min(axis=1)
        score = (nearest - inside) / np.maximum(inside, nearest)
    score = np.where((own_weight > 0) & np.isfinite(score), score, 0.0)
    return float((score * sizes).sum() / sizes.sum())


def fold_lone_themes(groups: np.ndarray, distances: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """A group of one theme joins the group of several nearest to it (size-weighted mean
    distance), groups renumbered 0, 1, ... By silhouette a lone far theme makes every other
    theme look like one tight group (cut in two, 6,660 Chinese review segments against 109
    about breakfast), so the tried rule scores cuts with lone themes joined."""
    counts = np.bincount(groups)
    shared = np.flatnonzero(counts > 1)
    if len(shared) == 0:
        return np.zeros_like(groups)
    folded = groups.copy()
    for theme in np.flatnonzero(counts[groups] == 1):
        mean = [np.average(distances[theme, groups == g], weights=sizes[groups == g] + 1e-12) for g in shared]
        folded[theme] = shared[int(np.argmin(mean))]
    return np.unique(folded, return_inverse=True)[1].reshape(-1)


def silhouette_groups(centroids: np.ndarray, sizes: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """The tried rule: the average-link cut (2 to k/3 groups, lone themes joined to their nearest
    group) with the best size-weighted silhouette; ``fallback`` where none exceeds NO_STRUCTURE."""
    k = len(centroids)
    if k < 4:
        return fallback
    distances = np.clip(1 - centroids @ centroids.T, 0.0, None)
    np.fill_diagonal(distances, 0.0)
    tree = linkage(pdist(centroids, "cosine"), "average")
    cuts = [fold_lone_themes(cut.astype(int), distances, sizes)
            for cut in cut_tree(tree, n_clusters=list(range(2, max(2, k // 3) + 1))).T]
    scores = [weighted_silhouette(distances, cut, sizes) if cut.max() > 0 else -1.0 for cut in cuts]
    best = int(np.argmax(scores))  # the fewest groups among equally good cuts
    return cuts[best] if scores[best] > NO_STRUCTURE else fallback


def domains_of(name: str, labels: list[str]) -> list[str] | None:
    if name != "clinc150":
        return None
    domains = json.loads((SHARED / "clinc150" / "domains.json").read_text(encoding="utf-8"))
    domain = {intent: d for d, intents in domains.items() for intent in intents}
    return [domain[label] for label in labels]


def report(method: str, groups: np.ndarray, assignments: np.ndarray, sizes: np.ndarray,
           centroids: np.ndarray, truth: list[str] | None) -> None:
    per_segment = np.where(assignments >= 0, groups[np.maximum(assignments, 0)], -1)
    distances = np.clip(1 - centroids @ centroids.T, 0, None)
    silhouette = weighted_silhouette(distances, groups, sizes) if groups.max() > 0 else float("nan")
    segments = sorted(np.bincount(groups, weights=sizes).astype(int).tolist(), reverse=True)
    scores = (f"{normalized_mutual_info_score(truth, per_segment):6.3f} {adjusted_rand_score(truth, per_segment):6.3f}"
              if truth else f"{'-':>6s} {'-':>6s}")
    print(f"  {method:10s} {groups.max() + 1:6d} {silhouette:6.3f} {scores}   {segments}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["clinc150", "banking77"])
    parser.add_argument("--sizes", nargs="+", default=["3000", "10000"], help="rows per fit: numbers or 'all'")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; seed {args.seed}")
    for name in args.sets:
        texts, labels = load_set(name)
        vectors = embeddings(name, texts)
        for size in args.sizes:
            rows = subsample(size, len(texts), args.seed)
            started = time.perf_counter()
            fit = discover_themes(vectors[rows], [texts[i].lower() for i in rows], ThemesConfig(seed=args.seed),
                                  phrasings=[texts[i] for i in rows])
            truth = domains_of(name, [labels[i] for i in rows])
            k = len(fit.centroids)
            sizes = np.bincount(fit.assignments[fit.assignments >= 0], minlength=k).astype(float)
            print(f"\n## {name}: {len(rows):,} rows, {k} themes, {fit.outlier_share:.1%} outliers "
                  f"({time.perf_counter() - started:.0f} s)"
                  + (f", {len(set(truth))} domains" if truth else ""))
            print(f"  {'method':10s} {'groups':>6s} {'silh.':>6s} {'NMI':>6s} {'ARI':>6s}   group sizes (segments)")
            report("fit", fit.groups, fit.assignments, sizes, fit.centroids, truth)
            report("silhouette", silhouette_groups(fit.centroids, sizes, fit.groups), fit.assignments, sizes,
                   fit.centroids, truth)
            if truth:
                report("tree@truth", tree_cut(fit.centroids, len(set(truth))), fit.assignments, sizes,
                       fit.centroids, truth)


if __name__ == "__main__":
    main()
