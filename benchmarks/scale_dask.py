"""The nightly flow in one process vs on a local Dask cluster: seconds per step, same results.

    python benchmarks/scale_dask.py [--n 10000] [--backend minilm] [--workers 2]

N real English feedback (the run_all.py set) go through the nightly flow twice, each time into
a fresh project: with `[scale] engine = "local"`, then with `engine = "dask"` and a local
cluster of ``--workers`` processes started by the flow. Prints each step's seconds for both and
whether the published tables are identical. On a 2-core machine this shows the overhead and
what two worker processes gain on one box; on a real cluster, add workers. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
from run_all import CONFIG, english_feedback, write_feedback

ROOT = Path(__file__).resolve().parents[1]
STEPS = ["ingest", "enrich", "embed", "themes", "tag", "views", "publish", "reports"]


def run_flow(folder: Path, rows: list[dict], backend: str, scale: str) -> dict[str, float]:
    (folder / "inbox").mkdir(parents=True)
    (folder / "vocmine.toml").write_text(CONFIG.format(backend=backend) + scale, encoding="utf-8")
    write_feedback(folder / "inbox" / "feedback.csv", rows, 0, 84)
    env = os.environ | {"HF_HUB_OFFLINE": "1", "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                        "PREFECT_HOME": str(folder / "prefect"), "PREFECT_LOGGING_LEVEL": "WARNING",
                        "TOKENIZERS_PARALLELISM": "false"}
    subprocess.run([sys.executable, str(ROOT / "flows" / "nightly.py"), "run", "--config",
                    str(folder / "vocmine.toml")], check=True, env=env, cwd=folder)
    con = duckdb.connect(str(folder / "vocmine.duckdb"), read_only=True)
    try:
        return dict(con.execute("SELECT step, seconds FROM pipeline_steps ORDER BY position").fetchall())
    finally:
        con.close()


def fingerprint(db: Path) -> dict[str, str]:
    """md5 of the rows of the tables a night computes (run ids and clock times left out)."""
    tables = {"segments": "segment_id, text, sentiment, lemmas, key_phrases",
              "embeddings": "model, text_hash, vector", "segment_themes": "segment_id, theme_id, similarity",
              "segment_journey": "segment_id, journey_stage, touchpoint", "themes": "theme_id, label, size"}
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT md5(string_agg(({cols})::VARCHAR, '|' ORDER BY ({cols})::VARCHAR)) "
                               f"FROM {t}").fetchone()[0] for t, cols in tables.items()}
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--backend", default="minilm")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = english_feedback()[:args.n]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"data: {len(rows):,} real English feedback; backend {args.backend}; "
          f"dask: a local cluster of {args.workers} worker processes")
    with tempfile.TemporaryDirectory() as tmp:
        local = run_flow(Path(tmp) / "local", rows, args.backend, "")
        dask = run_flow(Path(tmp) / "dask", rows, args.backend,
                        f'[scale]\nengine = "dask"\nworkers = {args.workers}\n')
        same = fingerprint(Path(tmp) / "local" / "vocmine.duckdb") == fingerprint(Path(tmp) / "dask" / "vocmine.duckdb")
    print(f"\n{'step':8s} {'local s':>8s} {'dask s':>8s} {'ratio':>6s}")
    for step in STEPS:
        print(f"{step:8s} {local[step]:8.1f} {dask[step]:8.1f} {local[step] / max(dask[step], 1e-9):6.2f}")
    print(f"{'total':8s} {sum(local.values()):8.1f} {sum(dask.values()):8.1f} "
          f"{sum(local.values()) / sum(dask.values()):6.2f}")
    print(f"identical tables (segments, embeddings, themes, tags): {same}")
    out = ROOT / "benchmarks" / "results" / "scale_dask.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"n": args.n, "backend": args.backend, "workers": args.workers, "local": local,
                               "dask": dask, "identical": same}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
