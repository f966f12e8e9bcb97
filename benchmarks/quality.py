"""Theme quality against human intent labels: vocmine's discovery vs vanilla BERTopic.

    python benchmarks/quality.py [--sets banking77 clinc150]

Both get the same MiniLM embeddings (computed once and kept in benchmarks/results/, which
is git-ignored) and the same documents; vanilla is `BERTopic()` as shipped. Prints NMI and
ARI against the labels, number of themes, outlier share and fit time. Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from vocmine.config import ThemesConfig
from vocmine.embed import load_backend
from vocmine.themes.discover import discover_themes

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["banking77", "clinc150"])
    args = parser.parse_args()
    from bertopic import BERTopic

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'set':10s} {'method':8s} {'n':>6s} {'labels':>6s} {'themes':>6s} {'outliers':>8s} "
          f"{'NMI':>6s} {'ARI':>6s} {'fit s':>6s}")
    for name in args.sets:
        texts, labels = load_set(name)
        vectors = embeddings(name, texts)
        documents = [t.lower() for t in texts]
        started = time.perf_counter()
        fit = discover_themes(vectors, documents, ThemesConfig())
        ours = (fit.assignments, len(fit.labels), fit.outlier_share, time.perf_counter() - started)
        started = time.perf_counter()
        topics = np.asarray(BERTopic().fit_transform(documents, vectors)[0])
        vanilla = (topics, len(set(topics) - {-1}), float((topics == -1).mean()), time.perf_counter() - started)
        for method, (assigned, themes, outliers, seconds) in (("vocmine", ours), ("vanilla", vanilla)):
            print(f"{name:10s} {method:8s} {len(texts):6d} {len(set(labels)):6d} {themes:6d} {outliers:8.1%} "
                  f"{normalized_mutual_info_score(labels, assigned):6.3f} "
                  f"{adjusted_rand_score(labels, assigned):6.3f} {seconds:6.1f}")


if __name__ == "__main__":
    main()
