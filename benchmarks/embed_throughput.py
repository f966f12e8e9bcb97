"""Embedding throughput per backend on real feedback (banking77 queries, twcs customer tweets).

    python benchmarks/embed_throughput.py [--n 4000] [--backends minilm static multilingual]

Prints sentences/s per backend after loading (load time shown apart). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from enrich_throughput import real_feedback

from vocmine.embed import load_backend


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--backends", nargs="+", default=["minilm", "static", "multilingual"])
    args = parser.parse_args()
    texts = real_feedback(20_000)[::5][: args.n]  # a spread over banking77, twcs and bitext
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"data: {len(texts):,} real feedback texts, {sum(map(len, texts)) / len(texts):.0f} chars on average")
    for name in args.backends:
        started = time.perf_counter()
        backend = load_backend(name)
        backend.encode(texts[:8])  # warm up
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        vectors = backend.encode(texts)
        seconds = time.perf_counter() - started
        print(f"{backend.name:28s} dim {vectors.shape[1]:4d}  {len(texts) / seconds:>9,.0f} sentences/s  "
              f"(load {loaded:.1f} s)")


if __name__ == "__main__":
    main()
