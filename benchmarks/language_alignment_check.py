"""Is ``[themes] align_languages`` the method language_gate.py measured? The same cases, moved by the library and by the benchmark's former copy, in one run.

    VOCMINE_SHARED_DATA=../shared/data python benchmarks/language_alignment_check.py [--seed 42]

language_gate.py measured ``+partial`` and ``+aligned`` with its own function; the method now
lives in vocmine.themes.languages (``align_languages = "partial"`` / ``"full"``) and the
benchmark calls it. This script keeps the former copy (``benchmark_copy``, verbatim from
gate19's language_gate.py) and, on two one-business pairs (Home Assistant requests, 8 per item:
en-zh, en-pl) and two sets with a business per language (from the 1,500:1,000:513 zh:uk:pl draw:
Chinese food delivery + Polish products, Chinese hotels + Ukrainian public services), prints
whether both give the same vectors, and the fit's numbers from each (vocmine's discovery, same
seed). Needs ``hassil`` and ``home-assistant-intents`` (see language_gate.py). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embed_languages import load_set, purity, sample_rows, vectors_for
from language_gate import domain_report, fit, moved, taxonomy_entries
from mixed_themes import DOMAIN, documents_of
from parallel_sets import home_assistant_requests
from parallel_themes import request_documents, together, vectors

from vocmine.embed.backends import normalise_rows

MIN_SEGMENTS = 50


def benchmark_copy(v: np.ndarray, languages: np.ndarray, how: str, entries: dict) -> np.ndarray:
    """language_gate.py's ``moved`` as gate19 measured it (the reference the library must match)."""
    names, counts = np.unique(languages, return_counts=True)
    kept = [str(n) for n, c in zip(names, counts, strict=True) if c >= MIN_SEGMENTS]
    out = v.astype(np.float64).copy()
    centre = v[np.isin(languages, kept)].mean(axis=0, dtype=np.float64)
    taxonomy_centre = np.mean([entries[lang].mean(axis=0) for lang in kept], axis=0)
    for lang in kept:
        deviation = v[languages == lang].mean(axis=0, dtype=np.float64) - centre
        if how == "partial":
            direction = entries[lang].mean(axis=0) - taxonomy_centre
            direction /= np.linalg.norm(direction)
            deviation = (deviation @ direction) * direction
        out[languages == lang] -= deviation
    return normalise_rows(out)


def compare(title: str, v: np.ndarray, languages: np.ndarray, documents: list[str], entries: dict, seed: int,
            report) -> None:
    print(f"\n{title}", flush=True)
    for how in ("partial", "aligned"):
        library, copy = moved(v, languages, how, entries), benchmark_copy(v, languages, how, entries)
        same = np.array_equal(library, copy)
        print(f"  +{how}: vectors identical {same} (largest difference {float(np.abs(library - copy).max()):.1e})",
              flush=True)
        for name, x in (("library", library), ("benchmark copy", copy)):
            started = time.perf_counter()
            themes = np.asarray(fit(x, documents, seed))
            print(f"    {name:14s} themes {len(set(themes.tolist()) - {-1}):3d}, outliers "
                  f"{float((themes == -1).mean()):.3f}, {report(themes)}   ({time.perf_counter() - started:.0f} s)",
                  flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; e5, seed {args.seed}")
    loaded: dict = {}
    entries = taxonomy_entries(loaded)
    for other in ("zh", "pl"):
        rows = home_assistant_requests(["en", other], 8, args.seed)
        items = [r.item_id for r in rows]
        intents = [i.split("|")[0] for i in items]
        compare(f"one business: en-{other}, {len(rows):,} requests", vectors(rows, "e5", loaded),
                np.array([r.language for r in rows]), request_documents(rows), entries, args.seed,
                lambda t, rows=rows, items=items, intents=intents:
                f"purity item {purity(t, items):.3f}, intent {purity(t, intents):.3f}, same item together "
                f"across {together(t, rows, True):.3f} / within {together(t, rows, False):.3f}")
    parts, documents, languages, domains = [], [], [], []
    for name, count in (("zh", 1500), ("uk", 1000), ("pl", 513)):
        texts, labels, _ = load_set(name)
        rows = sample_rows(len(texts), min(count, len(texts)), args.seed)
        parts.append(vectors_for(name, "e5", texts, rows, args.seed, loaded))
        documents += documents_of([texts[i] for i in rows], name)
        languages += [name] * len(rows)
        domains += [DOMAIN[labels[i]] if name == "zh" else DOMAIN[name] for i in rows]
    v, languages, domains = np.vstack(parts), np.array(languages), np.array(domains)
    for title, pair in (("zh food delivery + pl products", ["food delivery", "products"]),
                        ("zh hotels + uk public services", ["hotel", "public services"])):
        rows = np.isin(domains, pair)
        compare(f"a business per language: {title}, {int(rows.sum()):,} feedback", v[rows], languages[rows],
                [documents[i] for i in np.flatnonzero(rows)], entries, args.seed,
                domain_report(list(domains[rows]), languages[rows]))


if __name__ == "__main__":
    main()
