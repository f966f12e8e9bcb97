"""Enrichment throughput on 10k real feedback from ../shared/data (English, default pipeline).

    python benchmarks/enrich_throughput.py [--n 10000] [--n-process 1 2]

The feedback: banking77 queries, customer tweets from twcs (inbound only) and bitext
requests, in that order until N. Prints feedback/s and segments/s per setting; asserts
nothing. Model loading is timed separately (it is paid once per run).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

import spacy

from vocmine.config import NlpConfig, SourceConfig
from vocmine.ingest import ingest_files
from vocmine.nlp.enrich import Pipelines, enrich
from vocmine.store import connect

# ../shared/data beside the project; VOCMINE_SHARED_DATA names it from a checkout elsewhere (a worktree)
SHARED = Path(os.environ.get("VOCMINE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def real_feedback(n: int) -> list[str]:
    texts = [r["text"] for r in csv.DictReader((SHARED / "banking77" / "train.csv").open(encoding="utf-8"))]
    with (SHARED / "twcs_head5k" / "twcs_first5000.csv").open(encoding="utf-8", newline="") as handle:
        texts += [r["text"] for r in csv.DictReader(handle) if r["inbound"] == "True" and r["text"]]
    bitext = next((SHARED / "bitext_customer_support").glob("*.csv"))
    texts += [r["instruction"] for r in csv.DictReader(bitext.open(encoding="utf-8"))]
    return texts[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--n-process", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    texts = real_feedback(args.n)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"spaCy {spacy.__version__}")
    print(f"data: {len(texts):,} real English feedback (banking77, twcs inbound, bitext)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feedback.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["id", "text"])
            writer.writerows((i, t) for i, t in enumerate(texts))
        for n_process in args.n_process:
            config = NlpConfig(n_process=n_process)
            con = connect(Path(tmp) / f"enrich-{n_process}.duckdb")
            ingest_files(con, [path], "bench", SourceConfig(kind="survey", columns={"id": "id", "text": "text"}))
            started = time.perf_counter()
            pipelines = Pipelines(config)
            pipelines["en"]
            loading = time.perf_counter() - started
            result = enrich(con, config, pipelines=pipelines)
            print(f"n_process={n_process}: {result.feedback / result.seconds:,.0f} feedback/s, "
                  f"{result.segments / result.seconds:,.0f} segments/s ({result.feedback:,} feedback, "
                  f"{result.segments:,} segments, {result.seconds:.1f} s; model load {loading:.1f} s; "
                  f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)")
            con.close()


if __name__ == "__main__":
    main()
