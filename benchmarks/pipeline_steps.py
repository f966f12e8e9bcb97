"""What each step of a run costs: `vocmine run` on the demo, and on 10k real feedback.

    python benchmarks/pipeline_steps.py [--n 10000] [--backend minilm] [--skip-demo]

Two first nights and one quiet night, each in a fresh folder: the bundled demo (3,000
feedback, the repository's vocmine.toml with its teams and outcomes), and N real English
feedback from ../shared/data (banking77, twcs inbound, bitext; spread over 12 weeks, no
teams). Prints the seconds of every step of the first run, then of a second run with nothing
new (the cost of a night without feedback), and the peak memory. Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import shutil
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from enrich_throughput import real_feedback

from vocmine.config import load_settings
from vocmine.pipeline import STEPS, run_pipeline

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2026, 8, 31)


def demo_project(folder: Path, backend: str) -> Path:
    """The repository's demo config, with every path it writes moved into ``folder``."""
    text = (ROOT / "vocmine.toml").read_text(encoding="utf-8")
    text = text.replace('"data/demo/', f'"{ROOT}/data/demo/').replace(
        'taxonomy = "vocmine/journey/taxonomy.toml"', f'taxonomy = "{ROOT}/vocmine/journey/taxonomy.toml"')
    config = folder / "vocmine.toml"
    config.write_text(text + f'\n[embedding]\nbackend = "{backend}"\n', encoding="utf-8")
    return config


def real_project(folder: Path, n: int, backend: str) -> Path:
    texts = real_feedback(n)
    with (folder / "feedback.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text", "received_at"])
        for i, text in enumerate(texts):
            writer.writerow([i, text, (START + timedelta(minutes=i * 84 * 24 * 60 // len(texts))).isoformat()])
    config = folder / "vocmine.toml"
    config.write_text(f'[sources.real]\nkind = "survey"\ninbox = ["feedback.csv"]\n[sources.real.columns]\n'
                      f'id = "id"\ntext = "text"\nreceived_at = "received_at"\n'
                      f'[embedding]\nbackend = "{backend}"\n', encoding="utf-8")
    return config


def timed_run(config: Path) -> dict[str, float]:
    started = time.perf_counter()
    result = run_pipeline(load_settings(config), resume=False)
    if not result.ok:
        raise SystemExit(f"{config}: {result.error}")
    seconds = {s.step: s.seconds for s in result.steps}
    seconds["total"] = time.perf_counter() - started
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--backend", default="minilm")
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"embedding backend {args.backend}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        projects = [] if args.skip_demo else [("demo, 3,000 feedback", demo_project, ())]
        projects.append((f"real, {args.n:,} feedback", real_project, (args.n,)))
        for name, make, extra in projects:
            folder = Path(tmp) / name.split(",")[0]
            folder.mkdir()
            config = make(folder, *extra, args.backend)
            rows.append((f"{name}: first run", timed_run(config)))
            rows.append((f"{name}: night with nothing new", timed_run(config)))
            shutil.rmtree(folder)
    steps = [*STEPS, "total"]
    print(f"\n{'run':45s}" + "".join(f"{s:>9s}" for s in steps))
    for name, seconds in rows:
        print(f"{name:45s}" + "".join(f"{seconds.get(s, 0):9.1f}" for s in steps))
    print(f"\npeak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
