"""What a night costs as the corpus grows: time and memory of `vocmine run` adding new feedback.

    python benchmarks/increment_cost.py [--backend static] [--sizes 10000 40000 100000 200000 1000000]
                                        [--new 1000 10000] [--json FILE]

The corpus: N feedback already ingested, enriched, embedded, themed and tagged.
- N = 10,000 and 40,000: real English feedback (the run_all.py set), processed by `vocmine run`.
- N above 40,000: SYNTHETIC, for cost only: the processed 40k corpus copied under new ids,
  with distinct texts and older dates (benchmarks/replicate_corpus.sql), until it holds N
  feedback. Its themes, tags and vectors are copies, so it says nothing about quality.
The new feedback of a night: real texts with a reference appended ("... #17"), so each is
text the store has never seen (the same kind of night at every N). Each night runs in a
fresh process on a copy of the corpus; per step: seconds; for the night: peak memory.
The aim is a night whose cost follows the new feedback, not the corpus. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run_all import CONFIG, english_feedback, write_feedback

HERE = Path(__file__).resolve().parent
REAL = 40_000
DAYS = 84  # the real corpus's span; each synthetic copy is this much older


def project(folder: Path, backend: str) -> Path:
    (folder / "inbox").mkdir(parents=True, exist_ok=True)
    config = folder / "vocmine.toml"
    config.write_text(CONFIG.format(backend=backend), encoding="utf-8")
    return config


def build_real(folder: Path, rows: list[dict], backend: str) -> tuple[Path, float]:
    """A real processed corpus: `vocmine run` on the rows; returns the database and seconds."""
    from vocmine.config import load_settings
    from vocmine.pipeline import run_pipeline

    config = project(folder, backend)
    write_feedback(folder / "inbox" / "corpus.csv", rows, 0, DAYS)
    started = time.perf_counter()
    result = run_pipeline(load_settings(config), steps=["ingest", "enrich", "embed", "themes", "tag"])
    if not result.ok:
        raise SystemExit(result.error)
    return folder / "vocmine.duckdb", time.perf_counter() - started


def grow(db: Path, feedback: int) -> float:
    """Add synthetic copies of the real corpus until ``db`` holds ``feedback``; returns seconds."""
    import duckdb

    text = "\n".join(line for line in (HERE / "replicate_corpus.sql").read_text(encoding="utf-8").splitlines()
                     if not line.startswith("--"))
    sql = [s for s in text.split(";") if s.strip()]
    started = time.perf_counter()
    con = duckdb.connect(str(db))
    try:
        have = con.execute("SELECT count(*) FROM feedback").fetchone()[0]
        real = con.execute("SELECT count(*) FROM feedback WHERE NOT contains(feedback_id, '~')").fetchone()[0]
        while have < feedback:
            copy = have // real  # 1: the first synthetic copy; a partial one is finished first
            done = have - copy * real
            params = {"n": min(real - done, feedback - have), "done": done, "sfx": f"~{copy}", "days": DAYS * copy}
            con.execute("BEGIN")
            for statement in sql:
                con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
            con.execute("COMMIT")
            have = con.execute("SELECT count(*) FROM feedback").fetchone()[0]
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return time.perf_counter() - started


def new_feedback(rows: list[dict], n: int, start: int) -> list[dict]:
    rng = random.Random(n)
    picked = [rng.choice(rows) for _ in range(n)]
    return [r | {"id": f"new-{start + i}", "text": f'{r["text"]} #{start + i}'} for i, r in enumerate(picked)]


def night(folder: Path) -> dict:
    """The night in this (child) process: every step's seconds and the peak memory."""
    from vocmine.config import load_settings
    from vocmine.pipeline import run_pipeline

    started = time.perf_counter()
    result = run_pipeline(load_settings(folder / "vocmine.toml"))
    if not result.ok:
        raise SystemExit(result.error)
    return {"steps": {s.step: round(s.seconds, 2) for s in result.steps}, "seconds": time.perf_counter() - started,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "counts": {s.step: s.counts for s in result.steps if s.step in ("enrich", "embed", "themes", "tag")}}


def measure(db: Path, rows: list[dict], n_new: int, backend: str, work: Path, profile: Path | None = None) -> dict:
    folder = work / "night"
    shutil.rmtree(folder, ignore_errors=True)
    project(folder, backend)
    shutil.copy(db, folder / "vocmine.duckdb")
    write_feedback(folder / "inbox" / "new.csv", new_feedback(rows, n_new, 0), DAYS, 1)
    out = work / "night.json"
    env = os.environ | {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    command = [sys.executable, __file__, "--night", str(folder), "--result", str(out)]
    if profile:  # sampled by py-spy: collapsed stacks, one line per distinct stack
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        command = [spy, "record", "--format", "raw", "--rate", "50", "-o", str(profile), "--", *command]
    subprocess.run(command, check=True, env=env)
    return json.loads(out.read_text(encoding="utf-8"))


def _frame(frame: str) -> str:
    """'enrich (/x/vocmine/nlp/enrich.py:96)' -> 'enrich (nlp/enrich.py)'."""
    function, _, where = frame.partition(" (")
    return f"{function} ({where.split('vocmine/', 1)[-1].split(':')[0]})"


def hotspots(profile: Path, top: int = 15) -> list[tuple[str, float]]:
    """Share of the samples each vocmine function (or a DuckDB/spaCy call it made) was on the stack."""
    counts: dict[str, int] = {}
    total = 0
    for line in profile.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        frames = {_frame(f) for f in stack.split(";") if "(vocmine/" in f or "/vocmine/" in f}
        for frame in frames:
            counts[frame] = counts.get(frame, 0) + int(count)
    return sorted(((f, c / total) for f, c in counts.items()), key=lambda x: -x[1])[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="static")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 40_000, 100_000, 200_000, 1_000_000])
    parser.add_argument("--new", type=int, nargs="+", default=[1_000, 10_000], help="0: a night with nothing new")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--profile", action="store_true", help="sample the largest night with py-spy")
    parser.add_argument("--work", type=Path, help="keep the corpora in this folder and reuse those already there")
    parser.add_argument("--night", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.night:
        args.result.write_text(json.dumps(night(args.night)), encoding="utf-8")
        return
    rows = english_feedback()
    (HERE / "results").mkdir(exist_ok=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"backend {args.backend}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        stores: dict[int, Path] = {}

        def real(size: int) -> Path:
            kept = work / f"real-{size}" / "vocmine.duckdb"
            if args.work and kept.exists():
                print(f"corpus {size:>9,}: real, reused {kept}", flush=True)
            else:
                seconds = build_real(kept.parent, rows[:size], args.backend)[1]
                print(f"corpus {size:>9,}: real, processed in {seconds:.0f} s", flush=True)
            return kept

        for size in sorted(args.sizes):
            grown = work / f"synthetic-{size}.duckdb"
            if size <= REAL:
                stores[size] = real(size)
            elif args.work and grown.exists():
                stores[size] = grown
                print(f"corpus {size:>9,}: SYNTHETIC, reused {grown}", flush=True)
            else:
                stores[REAL] = stores.get(REAL) or real(REAL)
                smaller = max((s for s in stores if s < size), default=REAL)
                shutil.copy(stores[smaller], grown)
                seconds = grow(grown, size)
                stores[size] = grown
                print(f"corpus {size:>9,}: SYNTHETIC copies of the real 40k, grown in {seconds:.0f} s "
                      f"({grown.stat().st_size / 2**30:.1f} GiB)", flush=True)
            for n_new in args.new:
                profiled = args.profile and size == max(args.sizes) and n_new == max(args.new)
                profile = HERE / "results" / f"profile-{args.backend}-{size}-{n_new}.txt" if profiled else None
                measured = measure(stores[size], rows, n_new, args.backend, work, profile)
                measured |= {"corpus": size, "synthetic": size > REAL, "new": n_new}
                results.append(measured)
                steps = " ".join(f"{k} {v:.1f}" for k, v in measured["steps"].items())
                print(f"  +{n_new:>6,} new: {measured['seconds']:7.1f} s, {measured['peak_mb']:6.0f} MB peak | {steps}",
                      flush=True)
    for profile in sorted((HERE / "results").glob(f"profile-{args.backend}-*.txt")) if args.profile else []:
        print(f"\nWhere the night {profile.stem} spends its time (share of samples with the function on the stack):")
        for frame, share in hotspots(profile):
            print(f"  {share:6.1%}  {frame}")
    print(f"\n{'corpus':>10s} {'kind':9s} {'new':>6s} {'night s':>8s} {'ms/new':>7s} {'peak MB':>8s}")
    for r in results:
        print(f"{r['corpus']:>10,} {'synthetic' if r['synthetic'] else 'real':9s} {r['new']:>6,} {r['seconds']:8.1f} "
              f"{1000 * r['seconds'] / r['new'] if r['new'] else 0:7.1f} {r['peak_mb']:8.0f}")
    path = args.json or HERE / "results" / f"increment_cost-{args.backend}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"backend": args.backend, "machine": platform.machine(), "cores": os.cpu_count(),
                                "nights": results}, indent=1), encoding="utf-8")
    print(f"JSON: {path}")


if __name__ == "__main__":
    main()
