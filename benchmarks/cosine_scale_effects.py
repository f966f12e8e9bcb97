"""What the cosine thresholds do on e5, as written (MiniLM's numbers) and on e5's own scale.

    VOCMINE_SHARED_DATA=../shared/data python benchmarks/cosine_scale_effects.py
        [--cases banking77:minilm banking77:e5 zh:e5 uk:e5] [--sizes 3000 10000] [--seed 42]

Per set, model and size, with ``ThemesConfig()`` read two ways ("written": the numbers as they
stand, what vocmine did before vocmine.embed.scale; "on scale": ``on_scale`` for the model; on
MiniLM the two are the same):

1. **Fit**: themes on the sample minus a new subject (banking77: 5 seeded intents; zh: hotel
   reviews beside food delivery), ``discover_themes`` as a refit does it: themes, outlier share
   (under ``similarity_floor``), NMI against the labels.
2. **A night with a new subject**: 150 segments of the new subject and 150 unseen ordinary ones
   placed as vocmine places them (nearest centroid, each theme's own floor,
   ``registry.assign_floor``); the ones left over are clustered for new themes
   (``assign.new_theme_clusters``). Printed: the share of the new subject left unassigned and
   of the ordinary ones, themes proposed, how much of the new subject they hold and their purity,
   by the rule in use (``assign.fringe_similarity``) and by the one before (``match_similarity``).
3. **Refit IDs**: a second fit on the sample with the new subject in it, matched to the first
   (``matching.match_themes`` at ``match_similarity``): themes matched, matches whose majority
   label agrees, and new-subject themes (majority the new subject) wrongly given an old ID.

uk (public-service reviews: 5 kinds of feedback, no subjects) gets the fit and the refit of the
same sample with a different seed only. Vectors: MiniLM from quality.py's cache, e5 cached in
benchmarks/results/. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections import Counter
from pathlib import Path

import numpy as np
from embed_languages import load_set
from mixed_themes import documents_of
from sklearn.metrics import normalized_mutual_info_score

from vocmine.config.themes import ThemesConfig
from vocmine.embed import load_backend
from vocmine.embed.backends import normalise_rows
from vocmine.embed.scale import cosine_scale, on_scale
from vocmine.themes.assign import fringe_similarity, new_theme_clusters
from vocmine.themes.discover import OUTLIER, discover_themes
from vocmine.themes.matching import match_themes
from vocmine.themes.registry import assign_floor

RESULTS = Path(__file__).resolve().parent / "results"
CAP = 10_000  # texts of a set read at most (the largest size)
NIGHT = 150  # segments of the new subject, and as many ordinary ones, in the night
LANGUAGE = {"banking77": "en", "zh": "zh", "uk": "uk"}


def vectors_of(name: str, model: str, texts: list[str]) -> np.ndarray:
    """Every text's vector (cached per set and model)."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"scale-{name}-{model}.npy"
    if path.exists():
        vectors = np.load(path)
        if len(vectors) == len(texts):
            return normalise_rows(vectors)
    vectors = load_backend(model).encode(texts)
    np.save(path, vectors)
    return normalise_rows(vectors)


def capped(texts: list[str], labels: list[str], seed: int = 42) -> tuple[list[str], list[str]]:
    """At most CAP texts of a set (a seeded sample, in order): zh has 19,752, more than a size needs."""
    if len(texts) <= CAP:
        return texts, labels
    rows = np.sort(np.random.default_rng(seed).choice(len(texts), CAP, replace=False))
    return [texts[i] for i in rows], [labels[i] for i in rows]


def new_subject(name: str, labels: list[str], seed: int) -> set[str]:
    if name == "zh":
        return {"hotel"}
    if name == "banking77":
        return set(np.random.default_rng(seed).choice(sorted(set(labels)), 5, replace=False).tolist())
    return set()


def majority(themes: np.ndarray, labels: np.ndarray, k: int) -> list[str | None]:
    """Each theme's most common label (None for an empty theme)."""
    return [Counter(labels[themes == t].tolist()).most_common(1)[0][0] if (themes == t).any() else None
            for t in range(k)]


def fit(vectors: np.ndarray, documents: list[str], config: ThemesConfig):
    """A refit's discovery: one point per phrasing (the documents stand for the texts)."""
    return discover_themes(vectors, documents, config, documents)


def night(fit, vectors: np.ndarray, is_new: np.ndarray, config: ThemesConfig) -> str:
    """The night's placement and proposals, as text: proposals by the rule in use (a cluster is
    the fringe of a known theme from ``fringe_similarity``) and by the one before it (from
    ``match_similarity``), on the same clusters."""
    floors = np.array([assign_floor(fit.similarity[fit.assignments == t], config)
                       for t in range(len(fit.centroids))])
    similarity = vectors @ fit.centroids.T
    nearest = similarity.argmax(axis=1)
    left = similarity[np.arange(len(vectors)), nearest] < floors[nearest]
    members = np.flatnonzero(left)
    every = new_theme_clusters(vectors[left], fit.centroids, config.model_copy(update={"match_similarity": 1.0}))
    text = f"new left {left[is_new].mean():.0%} | ordinary left {left[~is_new].mean():.0%}"
    for rule, bar in (("proposed", fringe_similarity(fit.centroids, config)), ("before", config.match_similarity)):
        held = [members[m] for m, centroid in every if (fit.centroids @ centroid).max() < bar]
        pure = [float(is_new[h].mean()) for h in held]
        text += (f" | {rule} {len(held)} (fringe from {bar:.3f}): new subject in them "
                 f"{sum(int(is_new[h].sum()) for h in held) / max(1, is_new.sum()):.0%}, purity "
                 f"{np.mean(pure) if pure else 0:.2f}")
    return text


def refit_ids(first, second, labels_first: np.ndarray, labels_second: np.ndarray, subject: set[str],
              config: ThemesConfig) -> str:
    matching = match_themes(list(range(len(first.centroids))), first.centroids, second.centroids,
                            config.match_similarity)
    old = majority(first.assignments, labels_first, len(first.centroids))
    new = majority(second.assignments, labels_second, len(second.centroids))
    agree = sum(1 for i, j in matching.pairs.items() if new[i] == old[j])
    subject_themes = [i for i, label in enumerate(new) if label in subject]
    wrongly = sum(1 for i in subject_themes if i in matching.pairs)
    text = (f"matched {len(matching.pairs)} of {len(second.centroids)} | same majority {agree}/{len(matching.pairs)}")
    if subject:
        text += f" | new-subject themes given an old ID {wrongly}/{len(subject_themes)}"
    return text


def run_case(name: str, model: str, size: int, seed: int, loaded: dict, no_refit: bool = False) -> None:
    texts, labels = loaded[name]
    vectors_all = vectors_of(name, model, texts)
    labels_all = np.array(labels)
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(texts), min(size, len(texts)), replace=False))
    subject = new_subject(name, labels, seed)
    is_subject = np.isin(labels_all[rows], sorted(subject))
    ordinary = rows[~is_subject]
    night_new = rows[is_subject][:NIGHT]
    night_old = np.sort(rng.choice(ordinary, NIGHT, replace=False)) if subject else ordinary[:0]
    old_rows = np.setdiff1d(ordinary, night_old)  # the night's ordinary segments are unseen by the fit
    if f"{name}-documents" not in loaded:
        loaded[f"{name}-documents"] = documents_of(texts, LANGUAGE[name])
    documents = loaded[f"{name}-documents"]
    scale = cosine_scale(load_backend(model))
    for reading, config in (("written", ThemesConfig(seed=seed)), ("on scale", on_scale(ThemesConfig(seed=seed), scale))):
        if model == "minilm" and reading == "on scale":
            continue  # the same numbers
        started = time.perf_counter()
        first = fit(vectors_all[old_rows], [documents[i] for i in old_rows], config)
        nmi = normalized_mutual_info_score(labels_all[old_rows], first.assignments)
        print(f"{name} {model} {size:>6} {reading:8s} | floor {config.similarity_floor:.3f} match "
              f"{config.match_similarity:.3f} propose {config.propose_similarity:.3f} merge {config.merge_similarity:.3f}")
        print(f"  fit ({len(old_rows):,}): {len(first.centroids)} themes | outliers "
              f"{(first.assignments == OUTLIER).mean():.1%} | NMI {nmi:.3f} | {time.perf_counter() - started:.0f} s")
        if subject and len(night_new):
            night_rows = np.concatenate([night_new, night_old])
            print("  night: " + night(first, vectors_all[night_rows], np.isin(labels_all[night_rows], sorted(subject)),
                                      config))
        if no_refit:
            continue
        # the refit sees the new subject; without one, the same sample with another seed
        second = fit(vectors_all[rows], [documents[i] for i in rows],
                     config if subject else config.model_copy(update={"seed": seed + 1}))
        print("  refit: " + refit_ids(first, second, labels_all[old_rows], labels_all[rows], subject, config),
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=["banking77:minilm", "banking77:e5", "zh:e5", "uk:e5"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[3000, 10000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-refit", action="store_true", help="the fit and the night only")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; seed {args.seed}")
    loaded: dict = {}
    for case in args.cases:
        name, model = case.split(":")
        if name not in loaded:
            loaded[name] = capped(*load_set(name)[:2])
        for size in args.sizes:
            run_case(name, model, size, args.seed, loaded, args.no_refit)


if __name__ == "__main__":
    main()
