"""Does a multilingual backend put the demo's exit fees in one theme? (issue 18's strict xfail)

    python benchmarks/exit_fees_backends.py --store data/vocmine.duckdb [--backends minilm multilingual e5]

The demo writes exit fees in four registers (call notes, reviews, complaints, German). For each
backend, on the demo store's segments (built by ``scripts/demo.sh``): the cosine between the
centroids of the exit-fee segments of each register, and vocmine's default discovery on all
segments: the share of exit-fee segments in their most common theme (the test wants >= 0.9),
with the NMI against the planted themes beside it. Vectors are cached in benchmarks/results/.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from pathlib import Path

import duckdb
import numpy as np
from sklearn.metrics import normalized_mutual_info_score

from vocmine.config import ThemesConfig
from vocmine.embed import load_backend
from vocmine.embed.backends import backend_key
from vocmine.themes.discover import discover_themes

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
NAMES_FEE = re.compile(r"exit fee|termination|\bETF\b|early exit|Kündigung", re.IGNORECASE)


def planted() -> dict[tuple[str, str], set[str]]:
    with (ROOT / "data" / "demo" / "ground_truth.csv").open(encoding="utf-8", newline="") as handle:
        found: dict[tuple[str, str], set[str]] = {}
        for row in csv.DictReader(handle):
            found.setdefault((row["source"], row["record_id"]), set()).add(row["theme"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "data" / "vocmine.duckdb")
    parser.add_argument("--backends", nargs="+", default=["minilm", "multilingual", "e5"])
    args = parser.parse_args()
    con = duckdb.connect(str(args.store), read_only=True)
    rows = con.execute("SELECT s.segment_id, s.text, s.language, f.source, f.external_id, "
                       "s.lemmas || ' ' || array_to_string(s.key_phrases, ' ') FROM segments s "
                       "JOIN feedback f USING (feedback_id) ORDER BY s.segment_id").fetchall()
    truth = planted()
    texts = [r[1] for r in rows]
    documents = [r[5] for r in rows]
    fee = [i for i, r in enumerate(rows) if truth.get((r[3], r[4])) == {"exit_fee"} and NAMES_FEE.search(r[1])]
    register = ["German" if rows[i][2] == "de" else rows[i][3] for i in fee]
    single = [i for i, r in enumerate(rows) if len(truth.get((r[3], r[4]), ())) == 1]
    print(f"{len(rows):,} segments, {len(fee)} exit-fee segments: {dict(Counter(register))}")
    for name in args.backends:
        vectors = cached_vectors(name, texts, stored(con, name))
        centroids = {}
        for reg in sorted(set(register)):
            members = vectors[[i for i, r in zip(fee, register, strict=True) if r == reg]]
            c = members.mean(axis=0)
            centroids[reg] = c / np.linalg.norm(c)
        pairs = [f"{a[:6]}-{b[:6]} {centroids[a] @ centroids[b]:.2f}" for a in centroids for b in centroids if a < b]
        fit = discover_themes(vectors, documents, ThemesConfig())
        themes = Counter(int(fit.assignments[i]) for i in fee)
        top = themes.most_common(1)[0][1] / len(fee)
        nmi = normalized_mutual_info_score([next(iter(truth[(rows[i][3], rows[i][4])])) for i in single],
                                           [int(fit.assignments[i]) for i in single])
        print(f"{name:13s} themes {len(fit.labels):3d}  exit fees in their top theme {top:.1%} "
              f"({len(themes)} themes hold them)  NMI vs planted {nmi:.3f}", flush=True)
        print(f"{'':13s} register centroid cosines: {', '.join(pairs)}", flush=True)


def stored(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, np.ndarray]:
    """The store's own cached vectors of this backend (any version of it), by text."""
    family = backend_key(name).split("@")[0]
    found = con.execute("SELECT s.text, any_value(e.vector) FROM segments s JOIN embeddings e "
                        "ON e.text_hash = md5(s.text) AND split_part(e.model, '@', 1) = ? GROUP BY s.text",
                        [family]).fetchall()
    return {text: np.asarray(vector, dtype=np.float32) for text, vector in found}


def cached_vectors(name: str, texts: list[str], in_store: dict[str, np.ndarray]) -> np.ndarray:
    distinct = sorted(set(texts))
    key = re.sub(r"[^A-Za-z0-9.@-]+", "_", backend_key(name))
    path = RESULTS / f"exit_fees-{key}-{len(distinct)}.npy"
    if all(t in in_store for t in distinct):
        matrix = np.vstack([in_store[t] for t in distinct])
    elif path.exists():
        matrix = np.load(path)
    else:
        RESULTS.mkdir(exist_ok=True)
        matrix = load_backend(name).encode(distinct)
        np.save(path, matrix)
    position = {t: i for i, t in enumerate(distinct)}
    return matrix[[position[t] for t in texts]]


if __name__ == "__main__":
    main()
