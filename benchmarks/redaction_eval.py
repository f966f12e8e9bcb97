"""PII redaction quality and speed: the generated labelled set and the demo data's planted PII.

    python benchmarks/redaction_eval.py [--n 1200] [--seed 7] [--demo data/demo] [--show 5]
                                        [--data ../shared/data] [--baseline main]

Prints the machine, per-kind span-level precision/recall/F1 (exact match) with the character-level
leak rate (share of gold PII characters no span covers) on the generated set, how many planted demo
values survive ``redact(text, find_pii(text))`` verbatim, and ``find_pii`` throughput. Asserts nothing.
Regexes find no names: PERSON is measured last, through the English enrichment pipeline
(spaCy NER, run only on texts with a capitalised word, and, for comparison, on every text).
Then postal addresses (issue 20) and every structured kind, this checkout beside ``--baseline`` in the same
run: per-kind precision/recall on the generated set, and on real feedback the hand-labelled ADDRESS rows of
``redaction_labels.csv`` (split ``addresses``) plus a scan of all of twcs_first5000 and uareviews_dev (every
span found, of any kind, counted; an ADDRESS overlapping no labelled address is a false positive).
Then person names as the enrichment pipelines find them, for this checkout and, in the same run, for
``--baseline`` (a git ref, run from a ``git archive`` of its ``vocmine``): the demo's planted names
(``[PERSON]`` where none was planted is a false positive; whether "Oct bill", "Pixel 9" and "5G tariff"
survive) and the hand-labelled rows of ``redaction_labels.csv`` (uk_reviews, twcs).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the generated set lives with the tests

from pii_testset import (
    DEFAULT_TEST_RULES,
    STRUCTURED_KINDS,
    KindScore,
    LabelledText,
    generate,
    load_demo_texts,
    load_planted,
    score_spans,
)

from vocmine.nlp.pii import PiiSpan, find_pii
from vocmine.nlp.redact import redact

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def throughput(texts: list[str], repeats: int = 5) -> float:
    """Best-of-``repeats`` strings per second for find_pii with the test rules, on one core."""
    best = 0.0
    for _ in range(repeats):
        started = time.perf_counter()
        for text in texts:
            find_pii(text, DEFAULT_TEST_RULES)
        best = max(best, len(texts) / (time.perf_counter() - started))
    return best


def report_generated(items: list[LabelledText], show: int) -> None:
    predictions = [find_pii(item.text, DEFAULT_TEST_RULES) for item in items]
    scores = score_spans(items, predictions)
    print(f"{'kind':8s} {'gold':>6s} {'found':>6s} {'precision':>9s} {'recall':>7s} {'F1':>7s} {'leak':>7s}")
    present = [scores[kind] for kind in STRUCTURED_KINDS if kind in scores]
    structured = KindScore(f"all {len(present)}", *(sum(getattr(s, f) for s in present) for f in
                                      ("gold", "predicted", "matched", "gold_chars", "leaked_chars")))
    for s in (*present, structured):
        print(f"{s.kind:8s} {s.gold:6d} {s.predicted:6d} {s.precision:9.4f} {s.recall:7.4f} {s.f1:7.4f} "
              f"{s.leak_rate:7.2%}")
    if "PERSON" in scores:
        print(f"{'PERSON':8s} {scores['PERSON'].gold:6d}      0  needs NER (measured in the enrichment benchmark); "
              "recall 0 from regexes alone")
    errors = [(kind, item.text, span) for item, found in zip(items, predictions)
              for kind, spans in (("false positive", set(found) - set(item.spans)),
                                  ("missed", {s for s in set(item.spans) - set(found) if s.kind != "PERSON"}))
              for span in spans]
    print(f"errors (PERSON aside): {len(errors)}")
    for kind, text, span in errors[:show]:
        print(f"  {kind} {span.kind}: {text[span.start:span.end]!r} in {text!r}")


def report_demo(folder: Path) -> list[str]:
    texts = load_demo_texts(folder)
    survived: Counter[str] = Counter()
    planted: Counter[str] = Counter()
    missing_records = 0
    for source, record_id, kind, value in load_planted(folder):
        if kind == "PERSON":
            continue
        text = texts.get((source, record_id))
        if text is None or value not in text:
            missing_records += 1
            continue
        planted[kind] += 1
        survived[kind] += value in redact(text, find_pii(text, DEFAULT_TEST_RULES)).text
    print(f"{'type':8s} {'planted':>7s} {'survived':>8s}")
    for kind in sorted(planted):
        print(f"{kind:8s} {planted[kind]:7d} {survived[kind]:8d}")
    if missing_records:
        print(f"planted values not found in their record's text (not counted): {missing_records}")
    return list(texts.values())


def report_with_ner(items: list[LabelledText], demo_folder: Path) -> None:
    """Everything the enrichment pipeline's PII component finds, names included."""
    import vocmine.nlp.components.pii as component
    from vocmine.config import NlpConfig
    from vocmine.nlp.pipeline import build_pipeline

    config = NlpConfig(brand_handles=sorted(DEFAULT_TEST_RULES.brand_handles),
                       pii_patterns={"ACCOUNT": [p for _, p in DEFAULT_TEST_RULES.extra_patterns]})
    nlp = build_pipeline("en", config)
    gate = component.may_name_someone
    texts = load_demo_texts(demo_folder)
    names = [(texts.get((src, rid)), value) for src, rid, kind, value in load_planted(demo_folder) if kind == "PERSON"]
    names = [(text, value) for text, value in names if text and value in text]
    for label, gated in (("NER where a capitalised word is (default)", True), ("NER on every text", False)):
        component.may_name_someone = gate if gated else (lambda doc: True)
        started = time.perf_counter()
        docs = list(nlp.pipe([item.text for item in items]))
        rate = len(docs) / (time.perf_counter() - started)
        predictions = [[PiiSpan(s, e, k) for s, e, k in doc._.pii] for doc in docs]
        person = score_spans(items, predictions)["PERSON"]
        leaked = sum(value in redact(doc.text, [PiiSpan(s, e, k) for s, e, k in doc._.pii]).text
                     for doc, (_, value) in zip(nlp.pipe([t for t, _ in names]), names))
        print(f"  {label}: PERSON precision {person.precision:.3f}, recall {person.recall:.3f} (exact span), "
              f"name characters leaked {person.leak_rate:.1%}; demo names surviving {leaked}/{len(names)}; "
              f"{rate:,.0f} texts/s through the whole pipeline")
    component.may_name_someone = gate


# --- person names: the demo's planted names and hand-labelled real feedback, this checkout vs a baseline ------
# Only APIs that older checkouts have too (build_pipeline, identify_languages, the demo loaders): the baseline
# runs this same code in a subprocess against an older checkout's vocmine.
LABELS = Path(__file__).resolve().parent / "redaction_labels.csv"
SPECIAL_CASES = ("Oct bill", "Pixel 9", "Max 5G")  # words quotes lost to [PERSON] before issue 18 ("[PERSON] 5G tariff")


@dataclass
class NameScore:
    """Overlap-matched person-name counts: a found span matching any gold name is right, and the reverse."""

    texts: int = 0
    gold: int = 0
    found: int = 0
    found_right: int = 0
    gold_found: int = 0
    gold_chars: int = 0
    leaked_chars: int = 0
    wrong: Counter = field(default_factory=Counter)  # text of found spans that name no one -> count

    def add(self, text: str, gold: list[tuple[int, int]], found: list[tuple[int, int]]) -> None:
        self.texts += 1
        self.gold += len(gold)
        self.found += len(found)
        overlaps = lambda a, b: a[0] < b[1] and b[0] < a[1]
        for span in found:
            if any(overlaps(span, g) for g in gold):
                self.found_right += 1
            else:
                self.wrong[text[span[0]:span[1]]] += 1
        for g in gold:
            self.gold_found += any(overlaps(g, span) for span in found)
            self.gold_chars += g[1] - g[0]
            self.leaked_chars += sum(not any(s <= i < e for s, e in found) for i in range(*g))

    def row(self) -> dict:
        return {"texts": self.texts, "gold": self.gold, "found": self.found,
                "precision": self.found_right / self.found if self.found else 1.0,
                "recall": self.gold_found / self.gold if self.gold else 1.0,
                "false_positives": self.found - self.found_right,
                "leak": self.leaked_chars / self.gold_chars if self.gold_chars else 0.0,
                "top_false_positives": self.wrong.most_common(12)}


def _person_spans(texts: list[str], languages: list[str], config) -> list[list[tuple[int, int]]]:
    """PERSON spans the enrichment pipeline of each text's language finds."""
    from vocmine.nlp.pipeline import build_pipeline

    spans: list[list[tuple[int, int]]] = [[] for _ in texts]
    for language in sorted(set(languages)):
        nlp = build_pipeline(language, config)
        indexes = [i for i, lang in enumerate(languages) if lang == language]
        for i, doc in zip(indexes, nlp.pipe([texts[i] for i in indexes])):
            spans[i] = [(s, e) for s, e, kind in doc._.pii if kind == "PERSON"]
    return spans


def measure_demo_names(folder: Path) -> dict:
    """Planted names found, and [PERSON] where no name was planted; languages detected as enrichment does."""
    from vocmine.config import NlpConfig
    from vocmine.nlp.language import identify_languages

    config = NlpConfig(brand_handles=sorted(DEFAULT_TEST_RULES.brand_handles),
                       pii_patterns={"ACCOUNT": [p for _, p in DEFAULT_TEST_RULES.extra_patterns]})
    records = load_demo_texts(folder)
    planted: dict[tuple[str, str], list[str]] = {}
    for source, record_id, kind, value in load_planted(folder):
        if kind == "PERSON":
            planted.setdefault((source, record_id), []).append(value)
    keys = [k for k, text in records.items() if text.strip()]
    texts = [records[k] for k in keys]
    languages = identify_languages(texts, config.languages, config.default_language, config.min_language_confidence)
    score, kept = NameScore(), Counter()
    for key, text, found in zip(keys, texts, _person_spans(texts, languages, config)):
        gold = [(m.start(), m.end()) for name in planted.get(key, [])
                for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        score.add(text, gold, found)
        redacted = redact(text, [PiiSpan(s, e, "PERSON") for s, e in found]).text
        for case in SPECIAL_CASES:
            kept[case, "in"] += text.count(case)
            kept[case, "kept"] += redacted.count(case)
    return {**score.row(), "cases": {case: [kept[case, "kept"], kept[case, "in"]] for case in SPECIAL_CASES}}


def load_labelled(data: Path, labels: Path = LABELS) -> dict[str, list[tuple[str, str, list[tuple[int, int]]]]]:
    """'dataset split' -> [(row id, text, gold person spans)] for the hand-labelled rows of ``redaction_labels.csv``."""
    gold: dict[tuple[str, str], dict[str, list[tuple[int, int]]]] = {}
    with labels.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            if row["split"] == "addresses":  # ADDRESS labels: measure_pii reads them
                continue
            spans = gold.setdefault((row["dataset"], row["split"]), {}).setdefault(row["row_id"], [])
            if row["start"]:
                spans.append((int(row["start"]), int(row["end"])))
    sources = {"uk_reviews": (data / "uk_reviews" / "uareviews_dev.csv", "id"),
               "twcs": (data / "twcs_head5k" / "twcs_first5000.csv", "tweet_id")}
    out = {}
    for (dataset, split), rows in sorted(gold.items()):
        if dataset == "zh_reviews":
            texts = _zh_texts(data)
        else:
            path, id_column = sources[dataset]
            with path.open(encoding="utf-8", newline="") as f:
                texts = {r[id_column]: r["text"] for r in csv.DictReader(f)}
        out[f"{dataset} {split}"] = [(rid, texts[rid], spans) for rid, spans in rows.items()]
    out["bitext (its labels)"] = _bitext_names(data)
    return out


def _zh_texts(data: Path) -> dict[str, str]:
    """Chinese reviews by ``<file stem>:<row number from 0>`` (the files have no id column)."""
    texts = {}
    for stem in ("waimai_10k", "ChnSentiCorp_htl_all"):
        with (data / "zh_reviews" / f"{stem}.csv").open(encoding="utf-8", newline="") as f:
            texts |= {f"{stem}:{i}": r["review"] or "" for i, r in enumerate(csv.DictReader(f))}
    return texts


def _bitext_names(data: Path) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """Every Bitext instruction with its authors' ``person_name`` span: labels no one on the project made."""
    path = data / "bitext_customer_support" / "Bitext_Sample_Customer_Support_Training_Dataset_4514.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return [(str(i), r["instruction"], [(int(r["start_offset"]), int(r["end_offset"]))]
                 if r["entity_type"] == "person_name" else []) for i, r in enumerate(csv.DictReader(f))]


def measure_labelled_names(data: Path) -> dict:
    """Person names in hand-labelled real feedback, each set through its language's pipeline as detected."""
    from vocmine.config import NlpConfig
    from vocmine.nlp.language import identify_languages

    config = NlpConfig()
    results = {}
    for dataset, rows in load_labelled(data).items():
        texts = [text for _, text, _ in rows]
        languages = identify_languages(texts, config.languages, config.default_language,
                                       config.min_language_confidence)
        score = NameScore()
        for (_, text, gold), found in zip(rows, _person_spans(texts, languages, config)):
            score.add(text, gold, found)
        results[dataset] = {**score.row(), "languages": dict(Counter(languages))}
    return results


def _corpora(data: Path) -> dict[str, dict[str, str]]:
    return {"twcs": _texts(data / "twcs_head5k" / "twcs_first5000.csv", "tweet_id"),
            "uk_reviews": _texts(data / "uk_reviews" / "uareviews_dev.csv", "id")}


def _texts(path: Path, id_column: str) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as f:
        return {r[id_column]: r["text"] or "" for r in csv.DictReader(f)}


def measure_pii(n: int, seed: int, data: Path) -> dict:
    """Per-kind scores on the generated set; addresses against the hand labels; spans per kind in the corpora."""
    items = generate(n, seed)
    generated = {k: [v.gold, v.predicted, v.precision, v.recall] for k, v in
                 score_spans(items, [find_pii(i.text, DEFAULT_TEST_RULES) for i in items]).items()}
    labelled: dict[tuple[str, str], list[tuple[int, int]]] = {}
    with LABELS.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            if row["split"] == "addresses":
                spans = labelled.setdefault((row["dataset"], row["row_id"]), [])
                if row["start"]:
                    spans.append((int(row["start"]), int(row["end"])))
    corpora, results = _corpora(data), {}
    for dataset, texts in corpora.items():
        score, kinds, scan = NameScore(), Counter(), NameScore()
        for row_id, text in texts.items():
            found = find_pii(text)
            kinds.update(s.kind for s in found)
            addresses = [(s.start, s.end) for s in found if s.kind == "ADDRESS"]
            gold = labelled.get((dataset, row_id))
            if gold is not None:
                score.add(text, gold, addresses)
            scan.add(text, gold or [], addresses)
        results[dataset] = {"labelled": score.row(), "scan": scan.row(), "texts": len(texts), "kinds": dict(kinds)}
    return {"generated": generated, "real": results}


def report_pii(before: dict | None, after: dict, ref: str) -> None:
    print(f"{'kind':8s} {'version':8s} {'gold':>5s} {'found':>5s} {'precision':>9s} {'recall':>7s}   (generated set)")
    for kind in sorted(after["generated"]):
        for label, result in ((ref, before), ("this", after)):
            if result is not None and kind in result["generated"]:
                gold, found, p, r = result["generated"][kind]
                print(f"{kind:8s} {label:8s} {gold:5d} {found:5d} {p:9.3f} {r:7.3f}")
    print(f"\n{'set':12s} {'version':8s} {'rows':>5s} {'gold':>5s} {'found':>5s} {'precision':>9s} {'recall':>7s} "
          f"{'leak':>6s}  | whole set: texts, ADDRESS found, not a labelled address; spans of every kind")
    for dataset in after["real"]:
        for label, result in ((ref, before), ("this", after)):
            if result is None:
                continue
            r, scan = result["real"][dataset]["labelled"], result["real"][dataset]["scan"]
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(result["real"][dataset]["kinds"].items()))
            print(f"{dataset:12s} {label:8s} {r['texts']:5d} {r['gold']:5d} {r['found']:5d} {r['precision']:9.3f} "
                  f"{r['recall']:7.3f} {r['leak']:6.1%}  | {result['real'][dataset]['texts']}, {scan['found']}, "
                  f"{scan['false_positives']} {[t for t, _ in scan['top_false_positives']]}; {kinds}")


def baseline_pii(ref: str, n: int, seed: int, data: Path) -> dict:
    """``measure_pii`` on ``ref``'s vocmine (git archive), with this checkout's test set and labels."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "vocmine"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        env = {**os.environ, "PYTHONPATH": tmp}
        out = subprocess.run([sys.executable, __file__, "--pii-json", "--n", str(n), "--seed", str(seed),
                              "--data", str(data)], env=env, check=True, capture_output=True, text=True, cwd=tmp)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_names(folder: Path, data: Path, labelled_only: bool = False) -> dict:
    return {**({} if labelled_only else {"demo": measure_demo_names(folder)}), **measure_labelled_names(data)}


def baseline_names(ref: str, folder: Path, data: Path, labelled_only: bool = False) -> dict:
    """The same measurements on ``ref``'s vocmine (git archive into a temporary folder, run in a subprocess)."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "vocmine"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        env = {**os.environ, "PYTHONPATH": tmp}
        out = subprocess.run([sys.executable, __file__, "--names-json", "--demo", str(folder), "--data", str(data),
                              *(["--names-only"] if labelled_only else [])],
                             env=env, check=True, capture_output=True, text=True, cwd=tmp)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report_names(before: dict | None, after: dict, ref: str) -> None:
    print(f"{'set':20s} {'version':10s} {'texts':>5s} {'gold':>5s} {'found':>5s} {'precision':>9s} {'recall':>7s} "
          f"{'wrong':>5s} {'leak':>6s}")
    for dataset in after:
        for label, result in ((ref, before), ("this", after)):
            if result is None:
                continue
            r = result[dataset]
            print(f"{dataset:20s} {label:10s} {r['texts']:5d} {r['gold']:5d} {r['found']:5d} {r['precision']:9.3f} "
                  f"{r['recall']:7.3f} {r['false_positives']:5d} {r['leak']:6.1%}")
    for label, result in ((ref, before), ("this", after)):
        if result is None:
            continue
        if "demo" in result:
            cases = ", ".join(f"'{case}' kept {kept}/{n}" for case, (kept, n) in result["demo"]["cases"].items())
            print(f"\n{label}: demo {cases}")
        else:
            print(f"\n{label}:")
        for dataset, r in result.items():
            wrong = ", ".join(f"{text!r} x{n}" for text, n in r["top_false_positives"])
            print(f"  {dataset} [PERSON] where no one is named: {wrong or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1200, help="generated strings")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--demo", type=Path, default=ROOT / "data" / "demo", help="folder of the demo data")
    parser.add_argument("--show", type=int, default=10, help="errors to print")
    parser.add_argument("--data", type=Path, default=SHARED, help="../shared/data (uk_reviews, twcs_head5k)")
    parser.add_argument("--baseline", default="main", help="git ref whose person names are measured beside this "
                        "checkout's ('' for none)")
    parser.add_argument("--names-json", action="store_true", help=argparse.SUPPRESS)  # the baseline's subprocess
    parser.add_argument("--pii-json", action="store_true", help=argparse.SUPPRESS)  # the baseline's subprocess
    parser.add_argument("--pii-only", action="store_true", help="only the structured kinds and addresses, "
                        "this checkout beside the baseline (skips the NER and name measurements)")
    parser.add_argument("--names-only", action="store_true", help="only person names in the hand-labelled real "
                        "rows, this checkout beside the baseline (skips the demo, NER speed and structured kinds)")
    args = parser.parse_args()
    if args.names_json:
        print(json.dumps(measure_names(args.demo, args.data, args.names_only)))
        return
    if args.names_only:
        before = baseline_names(args.baseline, args.demo, args.data, True) if args.baseline else None
        report_names(before, measure_names(args.demo, args.data, True), args.baseline)
        return
    if args.pii_json:
        print(json.dumps(measure_pii(args.n, args.seed, args.data)))
        return

    print(f"machine: {platform.machine()}, {platform.processor() or platform.system()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()} on {platform.platform()}")
    print(f"\nstructured kinds and addresses (issue 20), {args.baseline or 'no baseline'} beside this checkout:")
    before_pii = baseline_pii(args.baseline, args.n, args.seed, args.data) if args.baseline else None
    report_pii(before_pii, measure_pii(args.n, args.seed, args.data), args.baseline)
    if args.pii_only:
        return
    items = generate(args.n, args.seed)
    print(f"\ngenerated set: {len(items):,} strings (seed {args.seed}), rules DEFAULT_TEST_RULES, exact span match")
    report_generated(items, args.show)

    print(f"\ndemo data ({args.demo}): planted values still verbatim in the redacted text (PERSON excluded)")
    demo_texts = report_demo(args.demo)

    print("\nthroughput of find_pii, one core, best of 5:")
    for label, texts in (("generated (PII in every string)", [i.text for i in items]), ("demo feedback", demo_texts)):
        chars = sum(map(len, texts)) / len(texts)
        print(f"  {label:32s} {len(texts):6,} strings, {chars:5.0f} chars avg: {throughput(texts):>9,.0f} strings/s")

    print("\nnames (PERSON) through the English enrichment pipeline, generated set and demo data:")
    report_with_ner(items, args.demo)

    print(f"\nperson names, overlap match, each text through its detected language's pipeline: the demo's planted "
          f"names and hand-labelled real feedback ({LABELS.name}); {args.baseline or 'no baseline'} beside this checkout")
    before = baseline_names(args.baseline, args.demo, args.data) if args.baseline else None
    report_names(before, measure_names(args.demo, args.data), args.baseline)


if __name__ == "__main__":
    main()
