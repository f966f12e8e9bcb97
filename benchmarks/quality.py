"""Theme quality against human intent labels: vocmine's discovery vs vanilla BERTopic.

    python benchmarks/quality.py [--sets banking77 clinc150] [--sizes 3000 10000 all] [--seed 42]

Every method gets the same MiniLM embeddings (computed once and kept in benchmarks/results/,
which is git-ignored) and the same documents: "vocmine" is discovery as configured (number of
themes chosen by separation, duplicates merged), "sqrt" the previous release's rule (about
sqrt(n/2) themes, no merging), "vanilla" `BERTopic()` as shipped. A size below the set's rows
is a seeded random sample of it. Prints NMI and ARI against the labels, number of themes,
outlier share and fit time. Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from vocmine.config import ThemesConfig
from vocmine.embed import load_backend
from vocmine.themes.discover import discover_themes

SHARED = Path(os.environ.get("VOCMINE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
RESULTS = Path(__file__).resolve().parent / "results"


def load_set(name: str) -> tuple[list[str], list[str]]:
    if name == "banking77":
        rows = list(csv.DictReader((SHARED / "banking77" / "train.csv").open(encoding="utf-8")))
        return [r["text"] for r in rows], [r["category"] for r in rows]
    data = json.loads((SHARED / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    pairs = data["train"] + data["val"] + data["test"]  # in-scope intents only
    return [t for t, _ in pairs], [label for _, label in pairs]


def embeddings(name: str, texts: list[str]) -> np.ndarray:
    RESULTS.mkdir(exist_ok=True)
    cached = RESULTS / f"{name}-minilm.npy"
    if cached.exists():
        return np.load(cached)
    vectors = load_backend("minilm").encode(texts)
    np.save(cached, vectors)
    return vectors


def subsample(size: str, n_rows: int, seed: int) -> np.ndarray:
    """Row numbers of a seeded random sample of ``size`` rows ("all": every row), in order."""
    if size == "all" or int(size) >= n_rows:
        return np.arange(n_rows)
    return np.sort(np.random.default_rng(seed).choice(n_rows, int(size), replace=False))


def fit_vocmine(vectors: np.ndarray, documents: list[str], config: ThemesConfig) -> tuple:
    started = time.perf_counter()
    fit = discover_themes(vectors, documents, config)
    return fit.assignments, len(fit.labels), fit.outlier_share, time.perf_counter() - started


def previous_rule(vectors: np.ndarray, seed: int) -> ThemesConfig:
    """The previous release: about sqrt(n/2) themes (n distinct segments), no merging."""
    distinct = len(np.unique(vectors, axis=0))
    return ThemesConfig(target_themes=round(math.sqrt(distinct / 2)), merge_similarity=None, seed=seed)


def fit_vanilla(vectors: np.ndarray, documents: list[str]) -> tuple:
    from bertopic import BERTopic

    started = time.perf_counter()
    topics = np.asarray(BERTopic().fit_transform(documents, vectors)[0])
    return topics, len(set(topics.tolist()) - {-1}), float((topics == -1).mean()), time.perf_counter() - started


def run_method(method: str, vectors: np.ndarray, documents: list[str], seed: int) -> tuple:
    if method == "vanilla":
        return fit_vanilla(vectors, documents)
    config = previous_rule(vectors, seed) if method == "sqrt" else ThemesConfig(seed=seed)
    return fit_vocmine(vectors, documents, config)


def print_row(name: str, method: str, labels: list[str], result: tuple) -> None:
    assigned, themes, outliers, seconds = result
    print(f"{name:10s} {method:8s} {len(labels):6d} {len(set(labels)):6d} {themes:6d} {outliers:8.1%} "
          f"{normalized_mutual_info_score(labels, assigned):6.3f} "
          f"{adjusted_rand_score(labels, assigned):6.3f} {seconds:6.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["banking77", "clinc150"])
    parser.add_argument("--sizes", nargs="+", default=["all"], help="rows per run: numbers or 'all'")
    parser.add_argument("--seed", type=int, default=42, help="seed of the samples and of the fits")
    parser.add_argument("--methods", nargs="+", default=["vocmine", "sqrt", "vanilla"])
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'set':10s} {'method':8s} {'n':>6s} {'labels':>6s} {'themes':>6s} {'outliers':>8s} "
          f"{'NMI':>6s} {'ARI':>6s} {'fit s':>6s}", flush=True)
    for name in args.sets:
        texts, labels = load_set(name)
        vectors = embeddings(name, texts)
        for size in args.sizes:
            rows = subsample(size, len(texts), args.seed)
            sample, truth = vectors[rows], [labels[i] for i in rows]
            documents = [texts[i].lower() for i in rows]
            for method in args.methods:
                print_row(name, method, truth, run_method(method, sample, documents, args.seed))


if __name__ == "__main__":
    main()
