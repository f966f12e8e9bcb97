"""PII redaction quality and speed: the generated labelled set and the demo data's planted PII.

    python benchmarks/redaction_eval.py [--n 1200] [--seed 7] [--demo data/demo] [--show 5]

Prints the machine, per-kind span-level precision/recall/F1 (exact match) with the character-level
leak rate (share of gold PII characters no span covers) on the generated set, how many planted demo
values survive ``redact(text, find_pii(text))`` verbatim, and ``find_pii`` throughput. Asserts nothing.
Regexes find no names: PERSON is measured last, through the English enrichment pipeline
(spaCy NER, run only on texts with a capitalised word, and, for comparison, on every text).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections import Counter
from pathlib import Path

from vocmine.nlp.pii import PiiSpan, find_pii
from vocmine.nlp.pii_testset import (DEFAULT_TEST_RULES, STRUCTURED_KINDS, KindScore, LabelledText, generate,
                                     load_demo_texts, load_planted, score_spans)
from vocmine.nlp.redact import redact

ROOT = Path(__file__).resolve().parents[1]


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
    structured = KindScore("all 8", *(sum(getattr(s, f) for s in present) for f in
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1200, help="generated strings")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--demo", type=Path, default=ROOT / "data" / "demo", help="folder of the demo data")
    parser.add_argument("--show", type=int, default=10, help="errors to print")
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {platform.processor() or platform.system()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()} on {platform.platform()}")
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


if __name__ == "__main__":
    main()
