"""Boilerplate formulas on real feedback per language: what a change of the shipped formulas flags.

    python benchmarks/boilerplate_languages.py [--before main] [--sets uk zh pl twcs cfpb] [--zh-size 3000]

Real reviews from ../shared/data: uk_reviews (UAReviews dev, 4,051 reviews of public services,
each with its intent: Gratitude, Complaint, ...), zh_reviews waimai (a seeded sample of
``--zh-size`` food-delivery reviews), pl_reviews (513 product reviews) and, in English, twcs
(5,000 tweets: customers' and brands' apart) and CFPB complaint narratives (1,971). Each set is ingested
and enriched once with today's config; the boilerplate pass is then run on the same segments
with the formulas vocmine shipped at git ref ``--before`` (``vocmine/nlp/boilerplate.toml``
then) and with today's (the segments are the same when the cut-off patterns, greetings,
sign-offs, headers and words, did not change; the script says so, or enriches again).

Prints per set and per formula set: segments flagged (by rule), reviews whose every segment is
boilerplate (a review that would vanish from themes), for uk_reviews per intent (a review of
thanks, "Дякую ...", is real feedback: Gratitude must not vanish), and the lines flagged now that
were not before (to read for precision). Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from boilerplate_eval import formulas_at
from quality import SHARED

from vocmine.config import NlpConfig, SourceConfig
from vocmine.ingest import ingest_files
from vocmine.nlp.boilerplate import mark_boilerplate, split_patterns
from vocmine.nlp.enrich import enrich
from vocmine.store import connect


def reviews(name: str, zh_size: int) -> list[tuple[str, str]]:
    """(text, label, language) of a set: uk intent, zh sentiment (1 positive), twcs author, pl and cfpb none."""
    if name == "uk":
        rows = csv.DictReader((SHARED / "uk_reviews" / "uareviews_dev.csv").open(encoding="utf-8"))
        return [(r["text"], r["category"].split(" /")[0], "uk") for r in rows if (r["text"] or "").strip()]
    if name == "zh":
        rows = [r for r in csv.DictReader((SHARED / "zh_reviews" / "waimai_10k.csv").open(encoding="utf-8"))
                if r["review"].strip()]
        picked = sorted(random.Random(7).sample(range(len(rows)), min(zh_size, len(rows))))
        return [(rows[i]["review"], "positive" if rows[i]["label"] == "1" else "negative", "zh") for i in picked]
    if name == "twcs":
        rows = csv.DictReader((SHARED / "twcs_head5k" / "twcs_first5000.csv").open(encoding="utf-8"))
        return [(r["text"], "customers" if r["inbound"] == "True" else "brands", "en") for r in rows if (r["text"] or "").strip()]
    if name == "cfpb":
        rows = csv.DictReader((SHARED / "cfpb_narratives" / "complaints_dev.csv").open(encoding="utf-8"))
        return [(r["Consumer complaint narrative"], "complaints", "en") for r in rows
                if (r["Consumer complaint narrative"] or "").strip()]
    with (SHARED / "pl_reviews" / "products_main_all.jsonl").open(encoding="utf-8") as f:
        return [(r["text"], "review", "pl") for r in map(json.loads, f) if r["text"].strip()]


def enriched_store(folder: Path, rows: list[tuple[str, str, str]], nlp: NlpConfig):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "feedback.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "label", "language"])
        writer.writerows([str(i), *row] for i, row in enumerate(rows))
    con = connect(folder / "store.duckdb")
    ingest_files(con, [path], "eval", SourceConfig(kind="review", columns={"id": "id", "text": "text",
                                                                            "language": "language"},
                                                   metadata={"columns": ["label"]}))
    return con, enrich(con, nlp).run_id


def measure(con, nlp: NlpConfig, run_id: str) -> dict:
    """The boilerplate pass with ``nlp``'s formulas, and what it flags."""
    mark_boilerplate(con, nlp.boilerplate, run_id)
    by_rule = dict(con.execute("SELECT rule, count(*) FROM segment_boilerplate GROUP BY rule ORDER BY rule").fetchall())
    per_label = con.execute("""
        WITH per_feedback AS (
            SELECT f.feedback_id, f.metadata->>'label' AS label, count(*) AS segments, count(b.segment_id) AS flagged
            FROM feedback f JOIN segments s USING (feedback_id) LEFT JOIN segment_boilerplate b USING (segment_id)
            GROUP BY ALL)
        SELECT label, count(*), count(*) FILTER (WHERE flagged = segments) FROM per_feedback GROUP BY label ORDER BY label
        """).fetchall()
    lines = Counter(dict(con.execute("""
        SELECT lower(s.text), count(*) FROM segment_boilerplate b JOIN segments s USING (segment_id) GROUP BY ALL
        """).fetchall()))
    segments = con.execute("SELECT count(*) FROM segments").fetchone()[0]
    return {"segments": segments, "flagged": sum(by_rule.values()), "by_rule": by_rule,
            "vanished": {label: [n, lost] for label, n, lost in per_label}, "lines": lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", metavar="REF", help="git ref of the formulas to compare with")
    parser.add_argument("--sets", nargs="+", default=["uk", "zh", "pl", "twcs", "cfpb"],
                        choices=["uk", "zh", "pl", "twcs", "cfpb"])
    parser.add_argument("--zh-size", type=int, default=3000)
    parser.add_argument("--show", type=int, default=25, help="newly flagged lines to print per set")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"formulas before: {args.before}, now: this checkout")
    before, now = formulas_at(args.before), NlpConfig()
    for name in args.sets:
        rows = reviews(name, args.zh_size)
        with tempfile.TemporaryDirectory() as tmp:
            con, run_id = enriched_store(Path(tmp) / "now", rows, now)
            result = {"now": measure(con, now, run_id)}
            language = rows[0][2]
            if split_patterns(language, before.boilerplate) == split_patterns(language, now.boilerplate):
                result["before"] = measure(con, before, run_id)
                same = "the same segments (cut-off patterns unchanged)"
            else:
                con.close()
                con, run_id = enriched_store(Path(tmp) / "before", rows, before)
                result["before"] = measure(con, before, run_id)
                same = "enriched again: the cut-off patterns changed"
            con.close()
        b, n = result["before"], result["now"]
        print(f"\n{name}: {len(rows)} reviews, {n['segments']} segments ({same})")
        print(f"  segments flagged before {b['flagged']} {b['by_rule']} | now {n['flagged']} {n['by_rule']}")
        for label in sorted(n["vanished"]):
            (total, lost_before), (_, lost_now) = b["vanished"].get(label, [0, 0]), n["vanished"][label]
            print(f"  {label}: {total} reviews, every segment boilerplate: before {lost_before} "
                  f"({lost_before / total:.2%}) | now {lost_now} ({lost_now / total:.2%})")
        new = n["lines"] - b["lines"]
        released = b["lines"] - n["lines"]
        print(f"  newly flagged: {sum(new.values())} segments, {len(new)} lines; released: {sum(released.values())}")
        for line, count in new.most_common(args.show):
            print(f"    {count:4d}  {line!r}")


if __name__ == "__main__":
    main()
