"""How stable vocmine's number of themes is when the vectors move by float noise alone.

    VOCMINE_SHARED_DATA=../shared/data python benchmarks/theme_count_stability.py \\
        [--sets banking77 clinc150 uk] [--sizes 600 3000 10000] [--jitter 1e-6] [--repeats 3] [--seed 42] \\
        [--sources] [--fit]

Why: the refit chooses its number of themes as the fewest candidates whose separation (mean
silhouette in the embedding space, ``themes/sizing.py``) reaches 98% of the best. Where the
separation curve is flat near its top, noise far below what the vectors mean (1e-6 added to
L2-normalised vectors, renormalised; a float32 -> float64 round trip is of that size) moves
UMAP's layout and the k-means of each candidate enough to change the choice, so a store could
change its number of themes for nothing.

For each set and size, on the vectors as they are and on ``--repeats`` jittered copies (one UMAP
each, as the refit's), this prints the curve (score / best) and the number of themes chosen
from it before (the candidates' scores read one by one, the previous release) and after (read
on a quadratic in log k fitted to them), with the seconds of scoring the curve and of each
reading side by side (the ratio is the extra cost; UMAP's seconds beside, since the refit pays
both). ``--fit`` also fits the themes both ways (as ``quality.py`` fits: texts as phrasings; duplicates merged,
so a fit can hold fewer themes than chosen) and prints their number and NMI against the labels.
``--sources`` instead splits the noise of one candidate's score into its sources: k-means starts
(same UMAP, other seeds), the silhouette sample (same partitions, other samples; none below 3,000
rows, where every row is scored), UMAP under jitter with one start, and UMAP under jitter with
four starts averaged (what is left of UMAP's own part). Sets: banking77 and clinc150 (MiniLM,
cached by ``quality.py``), uk (uk_reviews, e5 vectors cached by ``embed_languages.py``; its
labels are five kinds of review, not intents). ``--reread LOG`` reads the curves an earlier run
printed (they do not depend on the reading) and prints both readings of each again, without
refitting anything. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import normalized_mutual_info_score, silhouette_score
from umap import UMAP

sys.path.insert(0, str(Path(__file__).resolve().parent))
import embed_languages
from quality import embeddings, fit_vocmine, load_set, subsample

from vocmine.config import ThemesConfig
from vocmine.embed.backends import normalise_rows
from vocmine.themes import sizing


def jittered(vectors: np.ndarray, scale: float, seed: int) -> np.ndarray:
    """The vectors plus Gaussian noise of ``scale``, renormalised, in their own dtype."""
    noise = np.random.default_rng(seed).normal(0.0, scale, vectors.shape)
    return normalise_rows(vectors + noise).astype(vectors.dtype)


def vectors_of(name: str, size: str, seed: int) -> tuple[np.ndarray, list[str], list[str]]:
    """(vectors, labels, lower-cased texts) of a seeded sample of a set."""
    if name == "uk":
        texts, labels, _ = embed_languages.load_set("uk")
        permutation = embed_languages.sample_rows(len(texts), int(size), seed)
        rows = np.sort(permutation)  # in set order, like the English samples
        vectors = embed_languages.vectors_for("uk", "e5", texts, permutation, seed, {})[np.argsort(permutation)]
    else:
        texts, labels = load_set(name)
        rows = subsample(size, len(texts), seed)
        vectors = embeddings(name, texts)[rows]
    return (normalise_rows(vectors).astype(np.float32), [labels[i] for i in rows],
            [texts[i].lower() for i in rows])


def reduce(vectors: np.ndarray, seed: int) -> tuple[np.ndarray, float]:
    """UMAP as the refit's, and its seconds."""
    started = time.perf_counter()
    reduced = UMAP(n_components=5, n_neighbors=15, min_dist=0.0, metric="cosine",
                   random_state=seed).fit_transform(vectors)
    return reduced, time.perf_counter() - started


RULES = {"before": sizing.fewest_near_the_best, "after": sizing.fewest_near_the_best_fitted}


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def fit(vectors: np.ndarray, documents: list[str], truth: list[str], config: ThemesConfig, rule: str) -> str:
    """The themes fitted with the number of themes read by ``rule`` (the refit's reading swapped)."""
    fitted, sizing.fewest_near_the_best_fitted = sizing.fewest_near_the_best_fitted, RULES[rule]
    try:
        assigned, themes, _, seconds = fit_vocmine(vectors, documents, config)
    finally:
        sizing.fewest_near_the_best_fitted = fitted
    return f"fit {themes:4d} themes NMI {normalized_mutual_info_score(truth, assigned):.3f} ({seconds:.0f} s)"


def stability(name: str, size: str, args: argparse.Namespace) -> None:
    config = ThemesConfig(seed=args.seed)
    vectors, truth, documents = vectors_of(name, size, args.seed)
    runs = [("as they are", vectors)] + [
        (f"jitter #{r}", jittered(vectors, args.jitter, r)) for r in range(args.repeats)]
    for run, v in runs:
        reduced, umap_seconds = reduce(v, args.seed)
        (candidates, scores), scoring = timed(sizing.separation_scores, reduced, v, config)
        chosen = {label: timed(rule, candidates, scores) for label, rule in RULES.items()}
        best = max(scores)
        print(f"{name:10s} {len(v):6d} {run:12s} themes before {chosen['before'][0]:4d}, after "
              f"{chosen['after'][0]:4d}  (UMAP {umap_seconds:.1f} s, curve {scoring:.1f} s, reading it "
              f"{chosen['before'][1] * 1e3:.2f} / {chosen['after'][1] * 1e3:.2f} ms)  separation / best: "
              + " ".join(f"{k}:{s / best:.3f}" for k, s in zip(candidates, scores, strict=True)), flush=True)
        for label in RULES if args.fit else ():
            print(f"{'':30s}{label:6s} {fit(v, documents, truth, config, label)}", flush=True)


def curve(reduced: np.ndarray, vectors: np.ndarray, candidates: list[int], seed: int, sample: np.ndarray
          ) -> np.ndarray:
    return np.array([sizing._separation(reduced, vectors, sample, k, seed) for k in candidates])


def sources(name: str, size: str, args: argparse.Namespace) -> None:
    """Spread (sd / best score) of each candidate's score when one source of noise moves at a time."""
    vectors, _, _ = vectors_of(name, size, args.seed)
    n, seed, others = len(vectors), args.seed, range(args.repeats)
    candidates = sizing.candidate_numbers(*sizing.theme_bounds(n, ThemesConfig()))

    def sample(s: int) -> np.ndarray:
        return np.sort(np.random.default_rng(s).choice(n, min(n, sizing.SCORE_SAMPLE), replace=False))

    reduced, _ = reduce(vectors, seed)
    base = curve(reduced, vectors, candidates, seed, sample(seed))
    spread = {"k-means starts": [curve(reduced, vectors, candidates, seed + 1 + s, sample(seed)) for s in others]}
    if n > sizing.SCORE_SAMPLE:
        partitions = [sizing.KMeans(n_clusters=k, n_init=1, random_state=seed).fit_predict(reduced) for k in candidates]
        spread["silhouette sample"] = [np.array([
            silhouette_score(vectors[sample(seed + 1 + s)], p[sample(seed + 1 + s)], metric="cosine")
            for p in partitions]) for s in others]
    layouts = [reduce(jittered(vectors, args.jitter, r), seed)[0] for r in others]
    spread["UMAP (jitter), 1 start"] = [curve(r, vectors, candidates, seed, sample(seed)) for r in layouts]
    averaged = [np.mean([curve(r, vectors, candidates, seed + s, sample(seed)) for s in range(4)], axis=0)
                for r in [reduced, *layouts]]
    best = base.max()
    print(f"{name:10s} {n:6d} curve / best: " + " ".join(f"{k}:{s / best:.3f}" for k, s in zip(candidates, base, strict=True)))
    for source, curves in spread.items():
        sd = np.std(np.vstack([base, *curves]), axis=0, ddof=1) / best
        print(f"{'':17s} sd / best from {source:22s}: mean {sd.mean():.3f}, max {sd.max():.3f}", flush=True)
    sd = np.std(np.vstack(averaged), axis=0, ddof=1) / best
    print(f"{'':17s} sd / best from {'UMAP (jitter), 4 starts':22s}: mean {sd.mean():.3f}, max {sd.max():.3f}", flush=True)


def reread(log: Path) -> None:
    """Both readings of every curve a previous run printed (its lines: set, size, run, ..., curve)."""
    for line in log.read_text(encoding="utf-8").splitlines():
        if "separation / best: " not in line:
            continue
        points = [pair.split(":") for pair in line.split("separation / best: ")[1].split()]
        candidates, scores = [int(k) for k, _ in points], [float(s) for _, s in points]
        print(f"{line.split(' themes ')[0].split(' UMAP ')[0]:30s} themes before {RULES['before'](candidates, scores):4d}, "
              f"after {RULES['after'](candidates, scores):4d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["banking77", "clinc150"])
    parser.add_argument("--sizes", nargs="+", default=["3000", "10000"])
    parser.add_argument("--jitter", type=float, default=1e-6)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sources", action="store_true", help="instead: where a candidate's score noise comes from")
    parser.add_argument("--fit", action="store_true", help="also fit the themes before and after (slow)")
    parser.add_argument("--reread", type=Path, metavar="LOG", help="instead: read the curves a run printed again")
    args = parser.parse_args()
    if args.reread:
        reread(args.reread)
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"jitter {args.jitter:g}, seed {args.seed}; load average {os.getloadavg()[0]:.1f}", flush=True)
    for name in args.sets:
        for size in args.sizes:
            (sources if args.sources else stability)(name, size, args)


if __name__ == "__main__":
    main()
