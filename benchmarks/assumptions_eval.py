"""Assumed priorities matched to themes: centre/label, segments + name (before), themes about it (now).

    python benchmarks/assumptions_eval.py [--sets banking77 clinc150] [--sizes 3000 10000] [--cost 1000000]
        [--backend e5]   # another model: the rule in use, cut-offs as written and on its cosine scale

Three rules on the same themes, store and cut-offs: "centre/label", the first rule (the
assumption within min_similarity of a theme's centroid or label); "segments+name", the rule
before issue 18 item 5 (enough of a theme's segments above the cut-off, or its name and half
that share; the most similar match is the theme whose closest tenth of segments comes closest);
"about it", ``match_assumptions`` now (the same evidence, but a theme matches only when its
closest distinct phrasings come within reach of those of the theme most about the assumption,
which also matches on its closest segments and its name).

On a labelled set, themes are fitted (vocmine's discovery, MiniLM embeddings cached in
benchmarks/results/) on a seeded sample, written into an in-memory store, and every intent
name ("card arrival"; for clinc150 also every domain name, "credit cards") is an assumed
priority. The themes an assumption should match are those where its intent (domain) is the
majority of the segments. Prints, per method: micro precision and recall of the matched themes,
the share of assumptions whose most similar match (the theme `assumption_gap` shows when no
match is a priority) is one of theirs, the same for the largest match, and the share left
unmatched. Assumptions whose intent holds no theme's majority count for precision only. The
same themes, store and cut-offs serve every rule. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import quality
from cosine_scale_effects import vectors_of
from quality import embeddings, load_set

from vocmine.analytics.assumptions import encode_names, match_assumptions, read_theme_evidence, score_themes
from vocmine.config import AssumptionsConfig, ThemesConfig
from vocmine.embed import load_backend
from vocmine.embed.backends import normalise_rows
from vocmine.embed.scale import cosine_scale, on_scale
from vocmine.store import connect
from vocmine.themes.discover import OUTLIER, discover_themes

# ../shared/data beside the project; VOCMINE_SHARED_DATA names it from a checkout elsewhere (a worktree)
SHARED = Path(os.environ.get("VOCMINE_SHARED_DATA", quality.SHARED))
quality.SHARED = SHARED


class Fit:
    """What the matching reads of a theme fit, kept in benchmarks/results/ so a rerun skips the fit."""

    def __init__(self, assignments, similarity, centroids, labels, keywords):
        self.assignments, self.similarity, self.centroids = assignments, similarity, centroids
        self.labels, self.keywords = list(labels), [list(k) for k in keywords]


def fitted(name: str, size: int, seed: int, texts: list[str], vectors: np.ndarray, model: str = "minilm") -> Fit:
    suffix = "" if model == "minilm" else f"-{model}"
    cached = quality.RESULTS / f"{name}-{size}-{seed}-phrasings-themes{suffix}.npz"  # fitted as a refit fits
    if cached.exists():
        data = np.load(cached, allow_pickle=False)
        keywords = json.loads(str(data["keywords"]))
        return Fit(data["assignments"], data["similarity"], data["centroids"], data["labels"].tolist(), keywords)
    fit = discover_themes(vectors, [t.lower() for t in texts], ThemesConfig(seed=seed), phrasings=texts)
    keywords = [[w for w, _ in k[:10]] for k in fit.keywords]
    quality.RESULTS.mkdir(exist_ok=True)
    np.savez(cached, assignments=fit.assignments, similarity=fit.similarity, centroids=fit.centroids,
             labels=np.array(fit.labels), keywords=np.array(json.dumps(keywords)))
    return Fit(fit.assignments, fit.similarity, fit.centroids, fit.labels, keywords)


def build_store(fit: Fit, texts: list[str], vectors: np.ndarray, model: str):
    """An in-memory store holding the segments, their cached vectors and fitted themes."""
    con = connect(":memory:")
    ids = [f"s{i}" for i in range(len(texts))]
    segments = pa.table({"segment_id": ids, "text": texts})  # noqa: F841 - read by name below
    con.execute("INSERT INTO segments SELECT segment_id, segment_id, 0, text, 'en', NULL, 0, length(text), '', [], "
                "'v', 'r' FROM segments")
    cached = pa.table({"text": texts, "vector": pa.array(list(vectors), type=pa.list_(pa.float32()))})  # noqa: F841
    con.execute("INSERT INTO embeddings SELECT $model, md5(text), first(vector), 'r' FROM cached GROUP BY text",
                {"model": model})
    for k, (label, keywords) in enumerate(zip(fit.labels, fit.keywords, strict=True)):
        con.execute("INSERT INTO themes (theme_id, label, keywords, level, status, size, centroid, model, "
                    "created_run, updated_run) VALUES (?, ?, ?, 2, 'active', ?, ?, ?, 'r', 'r')",
                    [k, label, keywords, int((fit.assignments == k).sum()),
                     fit.centroids[k].tolist(), model])
    assigned = pa.table({"segment_id": ids,  # noqa: F841 - read by name below
                         "theme_id": pa.array([None if a == OUTLIER else int(a) for a in fit.assignments],
                                              type=pa.int32()),
                         "similarity": fit.similarity.astype(float)})
    con.execute("INSERT INTO segment_themes SELECT segment_id, theme_id, similarity, 'r' FROM assigned")
    return con


def centre_or_label(con, config: AssumptionsConfig, backend) -> dict[str, list[int]]:
    """The previous rule: a theme matches when the assumption is at least min_similarity from
    its centroid or its label."""
    themes = con.execute("SELECT theme_id, label, centroid FROM themes WHERE status = 'active' AND level = 2 "
                         "ORDER BY theme_id").fetchall()
    wanted = backend.encode(config.priorities)
    centroids = normalise_rows(np.array([t[2] for t in themes], dtype=np.float32))
    similarity = np.maximum(wanted @ centroids.T, wanted @ backend.encode([t[1] for t in themes]).T)
    return {a: [themes[j][0] for j in np.argsort(-row) if row[j] >= config.min_similarity]
            for a, row in zip(config.priorities, similarity, strict=True)}


def segments_and_name(con, config: AssumptionsConfig, backend) -> dict[str, list[int]]:
    """The rule before "about it": a theme matches when min_segment_share of its sampled segments
    are above the cut-off, or its label or a keyword is within min_similarity and half that share
    backs it up; matches ordered by the cosine the theme's closest tenth of segments reaches."""
    evidence = read_theme_evidence(con, backend.name)
    wanted = normalise_rows(np.asarray(backend.encode(config.priorities), dtype=np.float32))
    scores = score_themes(wanted, evidence, encode_names(backend, evidence.names), config.min_segment_similarity)
    tenth = np.column_stack([np.quantile(wanted @ members.T, 0.9, axis=1) for members in evidence.members])
    matched = ((scores.segment_share >= config.min_segment_share)
               | ((scores.name_similarity >= config.min_similarity)
                  & (scores.segment_share >= config.min_segment_share / 2)))
    return {a: [evidence.theme_ids[j] for j in np.argsort(-tenth[i], kind="stable") if matched[i, j]]
            for i, a in enumerate(config.priorities)}


def about_it(con, config: AssumptionsConfig, backend) -> dict[str, list[int]]:
    rows = match_assumptions(con, config, backend).to_pylist()
    found: dict[str, list[int]] = {a: [] for a in config.priorities}
    for row in rows:
        if row["theme_id"] is not None:
            found[row["assumption"]].append(row["theme_id"])
    return found


def majority(fit, labels: list[str]) -> dict[int, str]:
    """Each theme's majority label among its segments."""
    by_theme: dict[int, Counter] = {}
    for theme, label in zip(fit.assignments, labels, strict=True):
        if theme != OUTLIER:
            by_theme.setdefault(int(theme), Counter())[label] += 1
    return {theme: counts.most_common(1)[0][0] for theme, counts in by_theme.items()}


def score(found: dict[str, list[int]], gold: dict[str, set[int]], size: dict[int, int]) -> dict:
    """Micro precision/recall of matched themes; 'top right': the most similar match (the theme
    assumption_gap shows when none is a priority) is one of the gold themes; 'largest right': the
    largest match is (standing in for the best priority rank, which a large theme tends to have)."""
    hits = sum(len(set(found[a]) & gold[a]) for a in found)
    matched = sum(len(found[a]) for a in found)
    wanted = sum(len(gold[a]) for a in found)
    with_gold = [a for a in found if gold[a]]
    top = [a for a in with_gold if found[a] and found[a][0] in gold[a]]
    first = [a for a in with_gold if found[a] and max(found[a], key=lambda t: size[t]) in gold[a]]
    return {"precision": hits / matched if matched else float("nan"), "recall": hits / wanted if wanted else 0.0,
            "top_right": len(top) / len(with_gold) if with_gold else 0.0,
            "first_right": len(first) / len(with_gold) if with_gold else 0.0,
            "unmatched": sum(not found[a] for a in found) / len(found), "matches": matched / len(found)}


def evaluate(name: str, size: int, seed: int, backend, model: str = "minilm") -> list[dict]:
    """``model`` other than minilm: its vectors (cosine_scale_effects' cache) and only the rule in
    use, with the cut-offs as written and on the model's cosine scale (vocmine.embed.scale)."""
    texts, labels = load_set(name)
    vectors = embeddings(name, texts) if model == "minilm" else vectors_of(name, model, texts)
    pick = np.random.default_rng(seed).permutation(len(texts))[:size]
    texts, labels, vectors = [texts[i] for i in pick], [labels[i] for i in pick], vectors[pick]
    fit = fitted(name, size, seed, texts, vectors, model)
    con = build_store(fit, texts, vectors, backend.name)
    sizes = {k: int((fit.assignments == k).sum()) for k in range(len(fit.labels))}
    label_sets = [("intent", labels)]
    if name == "clinc150":
        domain_of = {i: d for d, intents in json.loads((SHARED / "clinc150" / "domains.json").read_text()).items()
                     for i in intents}
        label_sets.append(("domain", [domain_of[label] for label in labels]))
    results = []
    for kind, gold_labels in label_sets:
        theme_label = majority(fit, gold_labels)
        names = sorted(set(gold_labels))
        written = AssumptionsConfig(priorities=[n.replace("_", " ") for n in names])
        gold = {n.replace("_", " "): {t for t, lab in theme_label.items() if lab == n} for n in names}
        methods = [("centre/label", centre_or_label, written), ("segments+name", segments_and_name, written),
                   ("about it", about_it, written)]
        if model != "minilm":
            methods = [("about it", about_it, written),
                       ("about it, on scale", about_it, on_scale(written, cosine_scale(backend)))]
        for method, match, config in methods:
            started = time.perf_counter()
            found = match(con, config, backend)
            results.append({"set": name, "n": size, "themes": len(fit.labels), "kind": kind,
                            "assumptions": len(names), "with_majority": sum(bool(g) for g in gold.values()),
                            "method": method, "seconds": time.perf_counter() - started,
                            **score(found, gold, sizes)})
    con.close()
    return results


def cost(n: int, themes: int = 100, dim: int = 384, seed: int = 42) -> dict:
    """Seconds to read the theme sample and match five assumptions on a synthetic store of ``n``
    segments (random vectors and texts: for cost only, they say nothing about quality)."""

    class Backend:
        name = "synthetic"

        def encode(self, texts: list[str]) -> np.ndarray:
            rng = np.random.default_rng(abs(hash(tuple(texts))) % 2**32)
            return normalise_rows(rng.standard_normal((len(texts), dim)).astype(np.float32))

    rng = np.random.default_rng(seed)
    con = connect(":memory:")
    con.execute("INSERT INTO segments SELECT 's' || i, 'f' || i, 0, 'text ' || i, 'en', NULL, 0, 1, '', [], 'v', 'r' "
                "FROM range($n) t(i)", {"n": n})
    con.execute("INSERT INTO segment_themes SELECT 's' || i, (hash(i) % $k)::INTEGER, random(), 'r' FROM range($n) t(i)",
                {"n": n, "k": themes})
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        block = pa.table({"i": np.arange(start, stop),  # noqa: F841 - read by name below
                          "vector": pa.array(list(normalise_rows(rng.standard_normal((stop - start, dim))
                                                                 .astype(np.float32))), type=pa.list_(pa.float32()))})
        con.execute("INSERT INTO embeddings SELECT 'synthetic', md5('text ' || i), vector, 'r' FROM block")
    centroid = [0.0] * dim
    for k in range(themes):
        con.execute("INSERT INTO themes (theme_id, label, keywords, level, status, size, centroid, model, created_run, "
                    "updated_run) VALUES (?, ?, ?, 2, 'active', 0, ?, 'synthetic', 'r', 'r')",
                    [k, f"theme {k}", [f"word{k}", f"other{k}"], centroid])
    config = AssumptionsConfig(priorities=["price", "network coverage", "delivery speed", "friendly staff", "tv"])
    started = time.perf_counter()
    match_assumptions(con, config, Backend())
    seconds = time.perf_counter() - started
    con.close()
    return {"n": n, "themes": themes, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["banking77", "clinc150"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[3000, 10000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--backend", default="minilm", help="another model: the rule in use, cut-offs as written "
                        "and on its cosine scale")
    parser.add_argument("--cost", nargs="*", type=int, default=[],
                        help="also time matching on synthetic stores of these many segments (e.g. 1000000)")
    args = parser.parse_args()
    for n in args.cost:
        print(f"cost: {cost(n)}", flush=True)
    backend = load_backend(args.backend)
    default = AssumptionsConfig()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; cut-offs: "
          f"name {default.min_similarity}, segment {default.min_segment_similarity}, share {default.min_segment_share}")
    print(f"{'set':9s} {'n':>6s} {'themes':>6s} {'as':7s} {'assumed':>7s} {'w/ maj':>6s} {'method':14s} "
          f"{'prec':>6s} {'recall':>6s} {'top ok':>6s} {'big ok':>6s} {'unmat':>6s} {'per a.':>6s} {'match s':>7s}")
    for name in args.sets:
        for size in args.sizes:
            for r in evaluate(name, size, args.seed, backend, args.backend):
                print(f"{r['set']:9s} {r['n']:6d} {r['themes']:6d} {r['kind']:7s} {r['assumptions']:7d} "
                      f"{r['with_majority']:6d} {r['method']:14s} {r['precision']:6.3f} {r['recall']:6.3f} "
                      f"{r['top_right']:6.3f} {r['first_right']:6.3f} {r['unmatched']:6.1%} {r['matches']:6.2f} {r['seconds']:7.2f}",
                      flush=True)


if __name__ == "__main__":
    main()
