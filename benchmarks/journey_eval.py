"""Journey-stage tagging against human labels: bitext customer support and banking77.

    python benchmarks/journey_eval.py [--sets bitext banking77] [--taxonomy FILE] [--confusions]
        [--backend minilm|static|multilingual|e5|<sentence-transformers model>]

The labels (bitext intents, banking77 intents) are mapped to stages in
benchmarks/journey_labels.toml, a reviewable file. Texts are tagged as feedback without a
channel, with the default taxonomy (or --taxonomy) and the default MiniLM embeddings (cached
in benchmarks/results/, git-ignored). Prints per-stage precision, recall and F1, macro-F1 over
the stages the labels use, the share tagged `unknown` (counted as misses) and how the tags
were made. ``--backend`` tags with another embedding model as the store's backend: then twice, its
raw cosines against the thresholds (vocmine before the calibration) and on MiniLM's scale
(vocmine/journey/calibration.py), in one run. Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import time
import tomllib
from collections import Counter
from pathlib import Path

import numpy as np

from vocmine.config import JourneyConfig, NlpConfig
from vocmine.embed import load_backend
from vocmine.journey.calibration import IDENTITY
from vocmine.journey.tagging import load_tagger
from vocmine.journey.taxonomy import UNKNOWN, load_taxonomy

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "data"
RESULTS = HERE / "results"


def load_set(name: str) -> tuple[list[str], list[str]]:
    """Texts and their stage per journey_labels.toml (labels mapped to "" are left out)."""
    spec = tomllib.loads((HERE / "journey_labels.toml").read_text(encoding="utf-8"))[name]
    if name == "bitext":
        path, text_column = next((SHARED / "bitext_customer_support").glob("*.csv")), "instruction"
    else:
        path, text_column = SHARED / "banking77" / "train.csv", "text"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(r[text_column], spec["map"][r[spec["label_column"]]]) for r in csv.DictReader(handle)]
    kept = [(text, stage) for text, stage in rows if stage]
    return [t for t, _ in kept], [s for _, s in kept]


def embeddings(name: str, texts: list[str], backend) -> np.ndarray:
    RESULTS.mkdir(exist_ok=True)
    cached = RESULTS / f"journey-{name}-{backend.name.replace(':', '_').replace('/', '_')}.npy"
    if cached.exists():
        vectors = np.load(cached)
        if len(vectors) == len(texts):
            return vectors
    vectors = backend.encode(texts)
    np.save(cached, vectors)
    return vectors


def report(name: str, gold: list[str], predicted: list[str], methods: list[str], seconds: float,
           confusions: bool) -> float:
    stages = sorted(set(gold))
    print(f"\n{name}: {len(gold):,} texts, {len(stages)} stages in the labels, tagged in {seconds:.1f} s "
          f"({len(gold) / seconds:,.0f}/s)")
    print(f"  {'stage':22s} {'gold':>6s} {'tagged':>6s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    f1s = []
    for stage in stages:
        tp = sum(g == p == stage for g, p in zip(gold, predicted, strict=True))
        n_gold, n_pred = gold.count(stage), predicted.count(stage)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        print(f"  {stage:22s} {n_gold:6,d} {n_pred:6,d} {precision:6.3f} {recall:6.3f} {f1:6.3f}")
    macro = float(np.mean(f1s))
    unknown = predicted.count(UNKNOWN) / len(predicted)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    tagged = [(g, p) for g, p in zip(gold, predicted, strict=True) if p != UNKNOWN]
    accuracy_known = sum(g == p for g, p in tagged) / max(1, len(tagged))
    print(f"  macro-F1 {macro:.3f}; accuracy {accuracy:.3f} ({accuracy_known:.3f} on the {1 - unknown:.1%} "
          f"not unknown); unknown {unknown:.1%}; methods {dict(Counter(methods).most_common())}")
    if confusions:
        print("  most frequent errors (gold -> tagged):")
        for (g, p), n in Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p).most_common(12):
            print(f"    {g} -> {p}: {n}")
    return macro


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["bitext", "banking77"])
    parser.add_argument("--taxonomy", type=Path, default=None)
    parser.add_argument("--confusions", action="store_true")
    parser.add_argument("--backend", default="minilm", help="the store's embedding backend (default minilm)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    taxonomy = load_taxonomy(args.taxonomy)
    config = JourneyConfig()
    backend = load_backend(args.backend)
    taggers = {"": load_tagger(taxonomy, NlpConfig(), backend, config)}
    calibration = taggers[""].stages.calibration
    print(f"taxonomy {taxonomy.version} ({args.taxonomy or 'default'}); stage_min_similarity "
          f"{config.stage_min_similarity}, min_margin {config.min_margin}; backend {backend.name}, stage "
          f"calibration: unrelated {calibration.unrelated:.3f}, related {calibration.related:.3f}, scale {calibration.scale:.2f}")
    if not calibration.identity:
        raw = load_tagger(taxonomy, NlpConfig(), backend, config)
        raw.stages.calibration = raw.touchpoints.calibration = IDENTITY
        taggers = {" (raw cosines)": raw, " (calibrated)": taggers[""]}
    for name in args.sets:
        texts, gold = load_set(name)
        vectors = embeddings(name, texts, backend)
        for label, tagger in taggers.items():
            started = time.perf_counter()
            tags = tagger.tag(texts, [None] * len(texts), vectors)
            seconds = time.perf_counter() - started
            report(name + label, gold, [s.value for s, _ in tags], [s.method for s, _ in tags], seconds,
                   args.confusions)


if __name__ == "__main__":
    main()
