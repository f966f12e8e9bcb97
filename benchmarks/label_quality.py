"""Do theme labels say what the theme is? Phrase labels vs keyword labels on human intents.

    python benchmarks/label_quality.py [--runs banking77:3000 banking77:10000 clinc150:10000] [--speed]

For each run, themes are fitted with vocmine's ``discover_themes`` on cached MiniLM embeddings
(quality.py's loaders and cache; rows are a seeded sample of the set). Each theme gets both
labels from the same fit: the keyword label discovery makes (c-TF-IDF, "card · arrive ·
week") and the phrase label of ``vocmine.themes.labels``. A label identifies its theme when,
embedded with MiniLM beside every intent name of the set (underscores as spaces), the theme's
majority intent is the closest name (hit@1) or among the three closest (hit@3). Themes count
equally; "weighted" weighs them by size. MiniLM also ranks the phrases, so the same check is
repeated with a judge that had no say in them, the multilingual Universal Sentence Encoder. The labeller has no key phrases here (they come from
the spaCy enrichment), only the texts. ``--speed`` times labelling alone: 120 themes (k-means)
over 50,000 segments, banking77 and clinc150 texts repeated to that size (a cost measure only).
``--before REF`` (e.g. ``main``) also fits and labels with the discovery and label modules of
that git revision, on the same rows in the same run, and prints both. Asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality  # benchmarks/quality.py: the data loaders and the embedding cache

from vocmine.config import ThemesConfig
from vocmine.embed import load_backend
from vocmine.themes.discover import OUTLIER, discover_themes
from vocmine.themes.labels import label_themes

if not quality.SHARED.exists():  # a git worktree sits one folder deeper than the main checkout
    quality.SHARED = next((p / "shared" / "data" for p in Path(__file__).resolve().parents
                           if (p / "shared" / "data").exists()), quality.SHARED)


def sample_rows(name: str, size: int, seed: int = 0) -> tuple[list[str], list[str], np.ndarray]:
    texts, intents = quality.load_set(name)
    vectors = quality.embeddings(name, texts)
    rows = np.arange(len(texts))
    if size < len(texts):
        rows = np.sort(np.random.default_rng(seed).choice(len(texts), size, replace=False))
    return [texts[i] for i in rows], [intents[i] for i in rows], vectors[rows]


def identification(labels: list[str], majority: list[str], sizes: list[int], intent_names: list[str],
                   encode) -> dict[str, float]:
    """Share of themes whose label is closest (and among the 3 closest) to their majority intent."""
    names = [n.replace("_", " ") for n in intent_names]
    scores = encode([label.replace(" · ", ", ") for label in labels]) @ encode(names).T
    order = np.argsort(-scores, axis=1)
    truth = np.array([intent_names.index(m) for m in majority])
    first = order[:, 0] == truth
    top3 = (order[:, :3] == truth[:, None]).any(axis=1)
    weights = np.array(sizes, dtype=float)
    return {"hit@1": float(first.mean()), "hit@3": float(top3.mean()),
            "weighted hit@1": float((first * weights).sum() / weights.sum())}


def module_at(ref: str, module: str):
    """``module`` (dotted) as it is at git revision ``ref``, loaded beside the current one."""
    path = module.replace(".", "/") + ".py"
    source = subprocess.run(["git", "show", f"{ref}:{path}"], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[1]).stdout
    spec = importlib.util.spec_from_loader(f"{module}_at_{ref}", loader=None)
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = loaded  # dataclasses look their module up there
    exec(compile(source, f"{ref}:{path}", "exec"), loaded.__dict__)  # noqa: S102  (our own code, from git)
    return loaded


def run(name: str, size: int, backend, judges: dict[str, object], config: ThemesConfig,
        before: str | None = None) -> None:
    texts, intents, vectors = sample_rows(name, size)
    fit = discover_themes(vectors, [t.lower() for t in texts], config, phrasings=texts)  # as a refit fits
    started = time.perf_counter()
    phrases = label_themes(texts, fit.assignments, fit.centroids, backend.encode, similarity=fit.similarity,
                           stop_words=config.stop_words, fallback=fit.labels, seed=config.seed)
    seconds = time.perf_counter() - started
    fits = {"": (fit, {"keywords": fit.labels, "phrases": phrases})}
    if before:
        # the older labeller on this fit (labels alone compared), and the older fit with its own labels
        # (keywords feed the merging of duplicate themes, so the fit itself may differ)
        old_labels = module_at(before, "vocmine.themes.labels").label_themes
        fits[""][1][f"phrases, labels@{before}"] = old_labels(
            texts, fit.assignments, fit.centroids, backend.encode, similarity=fit.similarity,
            stop_words=config.stop_words, fallback=fit.labels, seed=config.seed)
        old = module_at(before, "vocmine.themes.discover").discover_themes(vectors, [t.lower() for t in texts], config)
        fits[f"@{before}"] = (old, {"keywords": old.labels, "phrases": old_labels(
            texts, old.assignments, old.centroids, backend.encode, similarity=old.similarity,
            stop_words=config.stop_words, fallback=old.labels, seed=config.seed)})
    intent_names = sorted(set(intents))
    for tag, (one, methods) in fits.items():
        themes = [t for t in range(len(one.centroids)) if (one.assignments == t).any()]
        majority = [Counter(intents[i] for i in np.flatnonzero(one.assignments == t)).most_common(1)[0][0]
                    for t in themes]
        sizes = [int((one.assignments == t).sum()) for t in themes]
        print(f"\n{name} {len(texts):,} rows, {len(intent_names)} intents, fit{tag or ' (this code)'}: "
              f"{len(themes)} themes ({(one.assignments == OUTLIER).mean():.1%} outliers)"
              + ("" if tag else f"; phrase labelling {seconds:.1f} s"))
        print(f"  {'judge':8s} {'labels':24s} {'hit@1':>6s} {'hit@3':>6s} {'weighted hit@1':>15s}")
        for judge, model in judges.items():
            for method, labels in methods.items():
                m = identification([labels[t] for t in themes], majority, sizes, intent_names, model.encode)
                print(f"  {judge:8s} {method:24s} {m['hit@1']:6.1%} {m['hit@3']:6.1%} {m['weighted hit@1']:15.1%}")
        if tag:
            continue
        if before:
            changed = sum(a != b for a, b in zip(phrases, methods[f"phrases, labels@{before}"], strict=True))
            print(f"  phrase labels on this fit that differ from labels@{before}: {changed} of {len(phrases)}")
        print("  examples (majority intent | keywords | phrase):")
        for t in sorted(themes, key=lambda t: -sizes[themes.index(t)])[:8]:
            print(f"    {majority[themes.index(t)]:28s} | {fit.labels[t]:40s} | {phrases[t]}")


def speed(backend, n: int = 50_000, k: int = 120) -> None:
    from sklearn.cluster import MiniBatchKMeans

    texts, vectors = [], []
    for name in ("banking77", "clinc150"):
        t, _ = quality.load_set(name)
        texts += t
        vectors.append(quality.embeddings(name, t))
    repeat = -(-n // len(texts))
    texts, vectors = (texts * repeat)[:n], np.vstack(vectors * repeat)[:n]
    assignments = MiniBatchKMeans(n_clusters=k, random_state=0, n_init=1).fit_predict(vectors)
    centroids = np.array([vectors[assignments == t].mean(axis=0) for t in range(k)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    similarity = np.einsum("ij,ij->i", vectors, centroids[assignments])
    encoding = []

    def timed_encode(phrases: list[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = backend.encode(phrases)
        encoding.append((len(phrases), time.perf_counter() - started))
        return vectors

    started = time.perf_counter()
    label_themes(texts, assignments, centroids, timed_encode, similarity=similarity)
    total = time.perf_counter() - started
    print(f"\nspeed: labelling {k} themes over {n:,} segments took {total:.1f} s, of which encoding "
          f"{sum(n for n, _ in encoding):,} phrases in {len(encoding)} batch took {sum(s for _, s in encoding):.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", nargs="*", default=["banking77:3000", "banking77:10000", "clinc150:10000"],
                        help="set:rows pairs")
    parser.add_argument("--speed", action="store_true", help="also time labelling 120 themes over 50,000 segments")
    parser.add_argument("--before", metavar="REF", help="also label with the modules of this git revision")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    backend = load_backend("minilm")
    judges = {"MiniLM": backend, "USE": load_backend("multilingual")}
    for spec in args.runs:
        name, size = spec.split(":")
        run(name, int(size), backend, judges, ThemesConfig(), args.before)
    if args.speed:
        speed(backend)


if __name__ == "__main__":
    main()
