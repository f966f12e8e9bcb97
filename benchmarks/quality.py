"""Theme quality against human intent labels: vocmine's discovery vs vanilla BERTopic.

    python benchmarks/quality.py [--sets banking77 clinc150] [--sizes 3000 10000 all] [--seed 42]
    python benchmarks/quality.py --cases        # themes per feedback on CFPB complaints (issue 23)
    python benchmarks/quality.py --cases-demo data/vocmine.duckdb   # ... and on the demo's planted problems

Every method gets the same MiniLM embeddings (computed once and kept in benchmarks/results/,
which is git-ignored) and the same documents: "vocmine" is discovery as a refit runs it (number
of themes chosen by separation, duplicates merged, one point per phrasing: the texts are passed),
"previous" the same with the previous release's reading of the separation curve (each
candidate's score one by one, not a curve fitted to them), "vectors" the same fitted on one point
per distinct vector (the refit before phrasings), "sqrt"
the release before that (about sqrt(n/2) themes, no merging), "vanilla" `BERTopic()` as shipped. A size below the set's rows
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


def fit_vocmine(vectors: np.ndarray, documents: list[str], config: ThemesConfig, by_phrasing: bool = True) -> tuple:
    """``by_phrasing``: one point per phrasing, weighted sqrt(copies) (the texts are passed, as a
    refit does); off, one point per distinct vector (the refit before phrasings)."""
    started = time.perf_counter()
    fit = discover_themes(vectors, documents, config, documents if by_phrasing else None)
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
    if method == "previous":
        from vocmine.themes import sizing

        fitted, sizing.fewest_near_the_best_fitted = sizing.fewest_near_the_best_fitted, sizing.fewest_near_the_best
        try:
            return fit_vocmine(vectors, documents, ThemesConfig(seed=seed))
        finally:
            sizing.fewest_near_the_best_fitted = fitted
    config = previous_rule(vectors, seed) if method == "sqrt" else ThemesConfig(seed=seed)
    return fit_vocmine(vectors, documents, config, by_phrasing=method == "vocmine")


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
    parser.add_argument("--methods", nargs="+", default=["vocmine", "vectors", "sqrt", "vanilla"])
    parser.add_argument("--cases", action="store_true",
                        help="instead: the primary theme per CFPB complaint vs its product, on two halves and all "
                        "(the store is built once and kept in results/cfpb_store)")
    parser.add_argument("--splits", nargs="+", default=["even", "odd", "all"], help="with --cases: rows per run")
    parser.add_argument("--cases-demo", type=Path, metavar="DB",
                        help="instead: primary themes of a demo store (themes fitted) vs the planted problems")
    args = parser.parse_args()
    if args.cases_demo:
        demo_cases(args.cases_demo)
        return
    if args.cases:
        case_quality(RESULTS / "cfpb_store", args.splits, args.seed)
        return

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


# Cases: one primary theme per long complaint (issue 23), beside whole-narrative baselines.

def cfpb_rows() -> list[dict[str, str]]:
    return list(csv.DictReader((SHARED / "cfpb_narratives" / "complaints_dev.csv").open(encoding="utf-8")))


def cfpb_store(folder: Path) -> Path:
    """Every CFPB narrative through ingest, enrichment and embedding (built once, then reused)."""
    from vocmine.config import load_settings
    from vocmine.pipeline.run import run_pipeline

    db = folder / "data" / "vocmine.duckdb"
    if db.exists():
        return db
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "feedback.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text", "received_at"])
        for i, row in enumerate(cfpb_rows()):
            writer.writerow([row[""], row["Consumer complaint narrative"],
                             f"2026-09-01T00:{i // 60 % 60:02d}:{i % 60:02d}"])
    config = folder / "vocmine.toml"
    config.write_text('[sources.cfpb]\nkind = "complaint"\ninbox = ["feedback.csv"]\n[sources.cfpb.columns]\n'
                      'id = "id"\ntext = "text"\nreceived_at = "received_at"\n', encoding="utf-8")
    result = run_pipeline(load_settings(config), resume=False, steps=["ingest", "enrich", "embed"])
    if not result.ok:
        raise SystemExit(f"{config}: {result.error}")
    return db


def split_store(db: Path, keep: list[str], name: str, seed: int) -> Path:
    """A copy of the store holding only the complaints ``keep`` (external ids), themes refitted
    on them with the default settings and themes per feedback written."""
    import shutil

    from vocmine.embed.backends import backend_key
    from vocmine.store.db import connect
    from vocmine.themes.cases import refresh_feedback_themes
    from vocmine.themes.registry import refit_themes

    copy = db.parent / f"split-{name}.duckdb"
    copy.unlink(missing_ok=True)
    shutil.copy(db, copy)
    con = connect(copy)
    con.execute("CREATE TEMP TABLE kept AS SELECT feedback_id FROM feedback WHERE external_id IN (SELECT unnest(?))",
                [keep])
    columns = con.execute("SELECT c.table_name, c.column_name FROM information_schema.columns c "
                          "JOIN information_schema.tables t USING (table_schema, table_name) "
                          "WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE' "
                          "AND c.column_name IN ('feedback_id', 'segment_id')").fetchall()
    by_feedback = sorted({t for t, c in columns if c == "feedback_id"})
    for table in by_feedback:  # names from the store's own catalogue, not user input
        con.execute(f'DELETE FROM "{table}" WHERE feedback_id NOT IN (SELECT feedback_id FROM kept)')
    for table in sorted({t for t, c in columns if c == "segment_id"} - set(by_feedback)):
        con.execute(f'DELETE FROM "{table}" WHERE segment_id NOT IN (SELECT segment_id FROM segments)')
    model, config = backend_key("minilm"), ThemesConfig(seed=seed)
    refit = refit_themes(con, model, config)
    cases = refresh_feedback_themes(con, model, config, refit.run_id, refit=True)
    print(f"  {name}: {refit.segments} segments, {refit.themes} themes; {cases.kinds_of_case} kinds of case, "
          f"{cases.by_case} of {cases.with_theme} complaints placed by their kind of case", flush=True)
    con.close()
    return copy


def case_methods(db: Path) -> tuple[dict[str, dict[str, int]], list[int], np.ndarray]:
    """Primary theme per complaint (external id) by each method: the theme holding most of its
    segments (before), its most specific segment theme (IDF over feedback, the previous try),
    and feedback_themes (rank 1: kind of case for long complaints)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    by_method = {"most segments": dict(con.execute("""
        SELECT f.external_id, arg_max(theme_id, n) FROM (
            SELECT s.feedback_id, st.theme_id, count(*) AS n FROM segments s JOIN segment_themes st USING (segment_id)
            WHERE st.theme_id IS NOT NULL GROUP BY ALL) JOIN feedback f USING (feedback_id)
        GROUP BY f.external_id""").fetchall())}
    by_method["specific segment"] = dict(con.execute("""
        SELECT f.external_id, arg_max(ft.theme_id, ft.confidence) FROM feedback_themes ft
        JOIN feedback f USING (feedback_id) WHERE ft.method = 'segments' GROUP BY f.external_id""").fetchall())
    by_method["feedback_themes rank 1"] = dict(con.execute(
        "SELECT f.external_id, ft.theme_id FROM feedback_themes ft JOIN feedback f USING (feedback_id) "
        "WHERE ft.rank = 1").fetchall())
    themes = con.execute("SELECT theme_id, centroid FROM themes WHERE status = 'active' AND level = 2 "
                         "ORDER BY theme_id").fetchall()
    con.close()
    return by_method, [t for t, _ in themes], np.array([c for _, c in themes], dtype=np.float32)


def demo_cases(db: Path) -> None:
    """On the demo (short feedback): the primary theme with kinds of case vs from segments only,
    against the planted problem of feedback that has exactly one."""
    import collections

    import duckdb

    from vocmine.themes.cases import feedback_theme_rows

    truth: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    with (Path(__file__).resolve().parents[1] / "data" / "demo" / "ground_truth.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            truth[(row["source"], row["record_id"])].add(row["theme"])
    con = duckdb.connect(str(db), read_only=True)
    source_of = {f: (s, e) for f, s, e in con.execute("SELECT feedback_id, source, external_id FROM feedback").fetchall()}
    model = con.execute("SELECT any_value(model) FROM case_centroids").fetchall()[0][0] or ""
    ids = sorted(source_of)
    with_kinds = [r for r in feedback_theme_rows(con, model, ThemesConfig(), ids) if r[2] == 1]
    segments_only = {r[0]: r[1] for r in feedback_theme_rows(con, model, ThemesConfig(case_min_segments=10**6), ids)
                     if r[2] == 1}
    primary, placed = {r[0]: r[1] for r in with_kinds}, {r[0] for r in with_kinds if r[3] == "case"}
    print(f"demo store {db}: {len(placed)} feedback placed by their kind of case")
    for name, keep in (("placed by kind of case", placed.__contains__), ("all", lambda f: True)):
        chosen = [f for f in ids if len(truth.get(source_of[f], ())) == 1 and f in primary and f in segments_only
                  and keep(f)]
        planted = [next(iter(truth[source_of[f]])) for f in chosen]
        for method, rows in (("with kinds of case", primary), ("segments only", segments_only)):
            labels = [rows[f] for f in chosen]
            print(f"{name:24s} {len(chosen):6d} {method:20s} NMI {normalized_mutual_info_score(planted, labels):.3f} "
                  f"ARI {adjusted_rand_score(planted, labels):.3f}")


SPLITS = {"even": lambda i: i % 2 == 0, "odd": lambda i: i % 2 == 1, "all": lambda i: True}


def case_quality(folder: Path, splits: list[str], seed: int) -> None:
    """NMI/ARI of each primary-theme method vs the complaint's product, beside vanilla BERTopic on
    whole narratives and k-means (k = products) on whole-narrative embeddings, same texts. "even"
    rows tuned the defaults; "odd" rows and "all" were only reported."""
    from bertopic import BERTopic
    from sklearn.cluster import KMeans

    rows = cfpb_rows()
    vectors = embeddings("cfpb_narratives", [r["Consumer complaint narrative"] for r in rows])
    db = cfpb_store(folder)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for split in splits:
        chosen = [i for i in range(len(rows)) if SPLITS[split](i)]
        ids = [rows[i][""] for i in chosen]
        texts = [rows[i]["Consumer complaint narrative"] for i in chosen]
        products = [rows[i]["Product"] for i in chosen]
        by_method, theme_ids, centroids = case_methods(split_store(db, ids, split, seed))
        nearest = np.argmax(vectors[chosen] @ centroids.T, axis=1)
        by_method["whole text -> theme"] = {i: theme_ids[k] for i, k in zip(ids, nearest, strict=True)}
        k = len(set(products))
        baselines = {
            "k-means (k=products)": KMeans(k, n_init=10, random_state=seed).fit_predict(vectors[chosen]),
            "vanilla BERTopic": np.asarray(BERTopic().fit_transform([t.lower() for t in texts], vectors[chosen])[0]),
        }
        print(f"\ncfpb_narratives {split} rows: {len(ids)} complaints, {k} products; primary theme vs product")
        print(f"{'method':24s} {'clusters':>8s} {'NMI':>6s} {'ARI':>6s}")
        for method, assigned in by_method.items():
            labels = [assigned.get(i, -1) for i in ids]  # no theme: one more cluster
            print(f"{method:24s} {len(set(labels)):8d} {normalized_mutual_info_score(products, labels):6.3f} "
                  f"{adjusted_rand_score(products, labels):6.3f}")
        for method, labels in baselines.items():
            print(f"{method:24s} {len(set(labels.tolist())):8d} {normalized_mutual_info_score(products, labels):6.3f} "
                  f"{adjusted_rand_score(products, labels):6.3f}", flush=True)


if __name__ == "__main__":
    main()
