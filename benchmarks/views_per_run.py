"""What making the analyst views once per run saves: the views step with and without making them again.

    python benchmarks/views_per_run.py [--db data/vocmine.duckdb] [--repeats 7]

Until 2026-12-06 a run made the analyst views twice: when it opened the store
(``pipeline.working_store``, before the first step) and again in its views step. On a copy of a
built store (default: the demo's, `scripts/demo.sh`), with the repository's vocmine.toml, this
times in one process, alternating, ``repeats`` times each:

- ``create_views``: making every view once (what a run no longer does a second time);
- views step before: ``create_views`` then the views step as it is now (``refresh_analysis``);
- views step now: the views step alone;
- opening the store (``working_store``: migrations checked, views made), the same before and after.

What a run saves is one ``create_views``; the two step timings show it beside the step's own
spread (measured on the demo, 2026-12-06, two runs: 136 and 148 ms saved, the step 6.5-16.5 s).

The embedding model the views step uses for assumed priorities is loaded once, before timing.
Prints medians in milliseconds. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from vocmine.analytics.views import create_views
from vocmine.config import load_settings
from vocmine.pipeline import StepContext, steps, working_store

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "vocmine.duckdb")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; store {args.db}")
    times: dict[str, list[float]] = {"create_views": [], "views step before": [], "views step now": [],
                                     "open the store": []}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "vocmine.duckdb"
        shutil.copy(args.db, db)
        settings = load_settings(ROOT / "vocmine.toml", db=db)
        started = time.perf_counter()
        with working_store(settings) as con:
            times["open the store"].append(time.perf_counter() - started)
            ctx = StepContext(con, settings)
            steps.views(ctx)  # loads the embedding model once (assumed priorities)
            for _ in range(args.repeats):
                times["create_views"].append(_timed(lambda: create_views(con)))
                times["views step before"].append(_timed(lambda: (create_views(con), steps.views(ctx))))
                times["views step now"].append(_timed(lambda: steps.views(ctx)))
        for _ in range(args.repeats - 1):
            started = time.perf_counter()
            with working_store(settings):
                times["open the store"].append(time.perf_counter() - started)
    for what, values in times.items():
        print(f"  {what:<20} median {statistics.median(values) * 1000:7.1f} ms "
              f"(runs: {', '.join(f'{v * 1000:.0f}' for v in values)})")
    saved, step = statistics.median(times["create_views"]), statistics.median(times["views step now"])
    print(f"  saved per run: one create_views, {saved * 1000:.0f} ms ({saved / step:.1%} of the views step; "
          "the step's own spread, mostly matching assumed priorities, is larger than that)")


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
