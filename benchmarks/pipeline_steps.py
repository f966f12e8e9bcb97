"""What each step of a run costs: `vocmine run` on the demo, and on 10k real feedback.

    python benchmarks/pipeline_steps.py [--n 10000] [--backend minilm] [--skip-demo]
    python benchmarks/pipeline_steps.py --languages en pl uk [--n 500] --backend auto [--baseline main]

Two first nights and one quiet night, each in a fresh folder: the bundled demo (3,000
feedback, the repository's vocmine.toml with its teams and outcomes), and N real English
feedback from ../shared/data (banking77, twcs inbound, bitext; spread over 12 weeks, no
teams). Prints the seconds of every step of the first run, then of a second run with nothing
new (the cost of a night without feedback), and the peak memory. Asserts nothing.

With --languages, the cost of a night per segment in each language, side by side in one run
(issue 19: a night stays within 2x of English's cost per segment): per language, N real
feedback from ../shared/data (en: as above; pl: pl_reviews; uk: uk_reviews; zh: waimai), the
default config (backend auto). Night 1 reads the first half, night 2 the second half; each night
is a fresh process (`vocmine run` is one), so what a process loads once per night counts. Prints
seconds per step, CPU ms per new segment and per 1,000 characters, and their ratio to English
(the Polish and Ukrainian sets' segments are 2-3x longer than English queries); with --baseline REF the same nights
run with the code at that git ref too (before/after in one run).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
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


def language_feedback(language: str, n: int) -> list[str]:
    """N real feedback texts in ``language`` from ../shared/data (see the module docstring)."""
    if language == "en":
        return real_feedback(n)
    from embed_languages import load_set

    texts = load_set(language)[0]
    if language == "pl":  # the label token is already cut off by load_set
        texts = [t for t in texts if t]
    return texts[:n]


def language_project(folder: Path, texts: list[str], backend: str) -> Path:
    """A store fed from ``inbox/``; the night's file is dropped there before each run."""
    (folder / "inbox").mkdir()
    config = folder / "vocmine.toml"
    config.write_text(f'[sources.real]\nkind = "survey"\ninbox = ["inbox/*.csv"]\n[sources.real.columns]\n'
                      f'id = "id"\ntext = "text"\nreceived_at = "received_at"\n'
                      f'[embedding]\nbackend = "{backend}"\n', encoding="utf-8")
    return config


def drop_night(folder: Path, night: int, texts: list[str], offset: int) -> None:
    with (folder / "inbox" / f"night{night}.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text", "received_at"])
        for i, text in enumerate(texts, start=offset):
            writer.writerow([i, text, (START + timedelta(days=night, minutes=i)).isoformat()])


def night_in_process(config: Path, env: dict[str, str]) -> dict:
    """One `vocmine run` in a fresh Python process: step seconds, new segments, wall seconds."""
    started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, __file__, "--one-night", str(config)], capture_output=True, text=True,
                          check=False, cwd=config.parent, env={**os.environ, **env})
    if done.returncode != 0:
        raise SystemExit(f"{config}: {done.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["seconds"]["process"] = time.perf_counter() - started
    # CPU seconds of the night's process (all its threads): on a shared machine, wall seconds swing with
    # the other jobs' load, CPU seconds much less
    result["seconds"]["cpu"] = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    return result


def code_at(ref: str, folder: Path) -> Path:
    """The repository's files at git ``ref``, unpacked into ``folder``: the code a baseline night imports."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def one_night(config: Path) -> None:
    """The child of night_in_process: prints one JSON line."""
    result = run_pipeline(load_settings(config), resume=False)
    if not result.ok:
        raise SystemExit(f"{config}: {result.error}")
    seconds = {s.step: s.seconds for s in result.steps}
    counts = {s.step: s.counts for s in result.steps}
    print(json.dumps({"seconds": seconds, "segments": counts.get("enrich", {}).get("segments", 0),
                      "counts": counts}, default=str))


def languages_table(languages: list[str], n: int, backend: str, baseline: str | None) -> None:
    """Night 1 and 2 per language, with this code and (``baseline``) with the code at that git ref, in one run.
    This code starts from an empty vocmine cache folder, so its first night pays for what it caches."""
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        versions = {"now": {}}
        if baseline:
            versions = {baseline: {"PYTHONPATH": str(code_at(baseline, Path(tmp) / "baseline"))}, **versions}
        for language in languages:
            texts = language_feedback(language, n)
            half = len(texts) // 2
            for version, env in versions.items():
                folder = Path(tmp) / f"{language}-{version}"
                folder.mkdir()
                config = language_project(folder, texts, backend)
                env = env | {"VOCMINE_CACHE_DIR": str(folder / "cache")}
                for night, part, offset in ((1, texts[:half], 0), (2, texts[half:], half)):
                    drop_night(folder, night, part, offset)
                    result = night_in_process(config, env)
                    rows[(version, language, night)] = result | {"feedback": len(part),
                                                                 "chars": sum(map(len, part)) / max(len(part), 1)}
                    print(f"{version}: {language} night {night}: {len(part)} feedback, {result['segments']} segments, "
                          f"{result['seconds']['process']:.1f} s, CPU {result['seconds']['cpu']:.1f} s; "
                          + ", ".join(f"{k} {v:.1f}" for k, v in result["seconds"].items()), flush=True)
    steps = [*STEPS, "process", "cpu"]
    for night in (1, 2):
        print(f"\nnight {night}: wall seconds per step, of the whole `vocmine run` process and its CPU seconds; "
              "CPU ms per new segment and its ratio to English with the same code (wall ratio beside)")
        print(f"{'code':8s} {'language':8s} {'fb':>4s} {'segs':>5s} {'chars':>5s}" + "".join(f"{s:>8s}" for s in steps)
              + f"{'cpu ms':>8s} {'x en':>6s} {'wall x':>6s} {'ms/kch':>6s} {'x en':>6s}")
        for version in versions:
            english = rows.get((version, "en", night))
            for language in languages:
                r = rows[(version, language, night)]
                ratio = {kind: (r["seconds"][kind] / max(r["segments"], 1))
                         / (english["seconds"][kind] / max(english["segments"], 1)) if english else float("nan")
                         for kind in ("cpu", "process")}
                print(f"{version:8.8s} {language:8s} {r['feedback']:4d} {r['segments']:5d} {r['chars']:5.0f}"
                      + "".join(f"{r['seconds'].get(s, 0):8.1f}" for s in steps)
                      + f"{r['seconds']['cpu'] / max(r['segments'], 1) * 1000:8.0f} {ratio['cpu']:6.2f}"
                      f" {ratio['process']:6.2f} {per_kchar(r):6.0f}"
                      f" {per_kchar(r) / per_kchar(english) if english else float('nan'):6.2f}")


def per_kchar(row: dict) -> float:
    """CPU ms per 1,000 characters of the night's feedback: segments differ in length between sets."""
    return row["seconds"]["cpu"] * 1000 / max(row["feedback"] * row["chars"] / 1000, 1e-9)


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
    parser.add_argument("--languages", nargs="*", help="cost of a night per segment per language (en first)")
    parser.add_argument("--baseline", help="with --languages: also run the code at this git ref (e.g. main)")
    parser.add_argument("--one-night", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.one_night:
        return one_night(args.one_night)
    if args.languages:
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"load average {os.getloadavg()[0]:.1f}; embedding backend {args.backend}")
        return languages_table(args.languages, args.n, args.backend, args.baseline)
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
