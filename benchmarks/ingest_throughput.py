"""Ingest throughput: rows/s for a generated CSV of N rows (default 1M) into a fresh store.

    python benchmarks/ingest_throughput.py [--rows 1000000] [--bad-every 0]

Prints the machine, the data and the numbers; asserts nothing. The rows are synthetic
(clearly so: they measure cost, never quality). `--bad-every K` makes every K-th row
malformed, to measure the slower record-by-record path that exact quarantine needs. The third
pass is a quiet night: the file is unchanged, so it is only hashed, not read.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from vocmine.config import IngestConfig, SourceConfig
from vocmine.ingest import ingest_files
from vocmine.store import connect

WORDS = ["delivery", "late", "courier", "refund", "bill", "charged", "twice", "app", "crash", "signal", "dropped",
         "agent", "helpful", "waiting", "hold", "minutes", "store", "staff", "contract", "cancel", "fee", "roaming",
         "data", "slow", "activation", "sim"]


def write_csv(path: Path, rows: int, bad_every: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("note_id,created_at,channel,customer_ref,notes,handle_time_sec,csat\n")
        for i in range(rows):
            if bad_every and i % bad_every == bad_every - 1:
                out.write(f"N{i},2026-09-01 10:00:00,phone\n")
                continue
            words = " ".join(rng.choices(WORDS, k=12))
            out.write(f'N{i},2026-09-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:00,{("phone", "chat", "email")[i % 3]},'
                      f'C{10000 + i % 50000},"synthetic note {i}: {words}",{60 + i % 900},{1 + i % 5}\n')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bad-every", type=int, default=0)
    args = parser.parse_args()
    source = SourceConfig(
        kind="call_note",
        columns={"id": "note_id", "text": "notes", "received_at": "created_at", "channel": "channel",
                 "customer_id": "customer_ref", "rating": "csat"},
        metadata={"columns": ["handle_time_sec"]},
    )
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "notes.csv"
        started = time.perf_counter()
        write_csv(csv_path, args.rows, args.bad_every, seed=7)
        size_mb = csv_path.stat().st_size / 1e6
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"duckdb {duckdb.__version__}")
        print(f"data: {args.rows:,} synthetic rows, {size_mb:.0f} MB CSV (written in {time.perf_counter() - started:.1f} s)")
        con = connect(Path(tmp) / "bench.duckdb")
        passes = (("first ingest", IngestConfig()), ("re-read (all duplicates)", IngestConfig(skip_unchanged=False)),
                  ("quiet night (file unchanged)", IngestConfig()))
        for label, rules in passes:
            started = time.perf_counter()
            result = ingest_files(con, [csv_path], "notes", source, rules=rules)
            seconds = time.perf_counter() - started
            t = result.totals()
            print(f"{label:28s} {seconds:6.2f} s  {t['rows_read'] / seconds:>10,.0f} rows/s  "
                  f"loaded {t['loaded']:,}  duplicates {t['duplicates']:,}  quarantined {t['quarantined']:,}  "
                  f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
