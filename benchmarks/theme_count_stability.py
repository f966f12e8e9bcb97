"""How stable vocmine's number of themes is when the vectors move by float noise alone.

    VOCMINE_SHARED_DATA=../shared/data python benchmarks/theme_count_stability.py \
        [--sets banking77 clinc150] [--sizes 3000 10000] [--jitter 1e-6] [--repeats 3] [--seed 42]

Why: the refit chooses its number of themes as the fewest candidates whose separation (mean
silhouette in the embedding space, ``themes/sizing.py``) reaches 98% of the best. Where the
separation curve is flat near its top, noise far below what the vectors mean (1e-6 added to
L2-normalised MiniLM vectors, renormalised; a float32 -> float64 round trip is of that size)
moves UMAP's layout and the one-init k-means of each candidate enough to change the choice,
so a store could change its number of themes for nothing. This prints, per set and size, the
theme count and NMI of the full fit (as ``quality.py`` fits: texts as phrasings) on the vectors
as they are and on ``--repeats`` jittered copies, and the separation curve of the choice
(each candidate's score as a share of the best) for each, scored on the rows (the fit scores
its phrasing points; on banking77 and clinc150 nearly every row is a phrasing of its own).
Asserts nothing.

Measured 2026-12-06 (MiniLM, seed 42, 3 jittered copies): banking77 3,000: 102 themes, jittered
120 / 86 / 101; 10,000: 102, jittered 120 / 120 / 102; NMI 0.822-0.831 throughout. clinc150
3,000 and 10,000: 118-120 every time (its curve rises to the upper bound).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import normalized_mutual_info_score
from umap import UMAP

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import embeddings, fit_vocmine, load_set, subsample

from vocmine.config import ThemesConfig
from vocmine.embed.backends import normalise_rows
from vocmine.themes import sizing


def jittered(vectors: np.ndarray, scale: float, seed: int) -> np.ndarray:
    """The vectors plus Gaussian noise of ``scale``, renormalised, in their own dtype."""
    noise = np.random.default_rng(seed).normal(0.0, scale, vectors.shape)
    return normalise_rows(vectors + noise).astype(vectors.dtype)


def separation_curve(vectors: np.ndarray, config: ThemesConfig) -> tuple[list[int], list[float]]:
    """Candidates and their separation, as ``number_of_themes`` scores them (UMAP as the refit's)."""
    reduced = UMAP(n_components=5, n_neighbors=15, min_dist=0.0, metric="cosine",
                   random_state=config.seed).fit_transform(vectors)
    return sizing.separation_scores(reduced, vectors, config)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["banking77", "clinc150"])
    parser.add_argument("--sizes", nargs="+", default=["3000", "10000"])
    parser.add_argument("--jitter", type=float, default=1e-6)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"jitter {args.jitter:g}, seed {args.seed}", flush=True)
    config = ThemesConfig(seed=args.seed)
    for name in args.sets:
        texts, labels = load_set(name)
        vectors = normalise_rows(embeddings(name, texts)).astype(np.float32)
        for size in args.sizes:
            rows = subsample(size, len(texts), args.seed)
            truth, documents = [labels[i] for i in rows], [texts[i].lower() for i in rows]
            runs = [("as they are", vectors[rows])] + [
                (f"jitter #{r}", jittered(vectors[rows], args.jitter, r)) for r in range(args.repeats)]
            for run, v in runs:
                assigned, themes, _, _ = fit_vocmine(v, documents, config)
                candidates, scores = separation_curve(v, config)
                best = max(scores)
                curve = " ".join(f"{k}:{s / best:.3f}" for k, s in zip(candidates, scores, strict=True))
                print(f"{name:10s} {len(rows):6d} {run:12s} themes {themes:4d}  NMI "
                      f"{normalized_mutual_info_score(truth, assigned):.3f}  separation / best: {curve}", flush=True)


if __name__ == "__main__":
    main()
