"""Does `priorities` rank what matters? Top 15 themes on real data, before and after shrinkage.

    python benchmarks/priorities_eval.py [--sets cfpb twcs bitext] [--sizes 1000 3000] [--priors 0 50]

For each data set and size, a seeded sample of the set in ../shared/data goes through the
pipeline (`vocmine run`'s steps ingest, enrich, embed, themes, views; default config, MiniLM)
into a store kept in benchmarks/results/priorities/ (git-ignored; reused by later runs). Then
the same store is ranked with each prior strength: 0 is the previous behaviour (a theme's raw
negative share and harm), 50 the default. Prints the top 15 side by side with each theme's
size, share of segments and negative share (raw / shrunk), and per store how many of the top
15 hold under 1% of segments without being emerging. Asserts nothing.

Sets: cfpb (CFPB complaint narratives, long, many segments each; no dates), twcs (customers'
tweets to support accounts, with dates, so growth and emerging count), bitext (short support
requests; no dates).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
from datetime import datetime
from pathlib import Path

import duckdb

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
RESULTS = Path(__file__).resolve().parent / "results" / "priorities"
STEPS = ["ingest", "enrich", "embed", "themes", "views"]
TOP = 15
SMALL = 0.01   # "a small theme": under 1% of segments

CONFIG = """\
db = "vocmine.duckdb"
[themes]
fits_dir = "fits"
[sources.feedback]
kind = "{kind}"
inbox = ["inbox/*.csv"]
[sources.feedback.columns]
id = "id"
text = "text"
{received_at}
[sources.feedback.metadata]
columns = ["label"]
"""


def load_rows(name: str) -> tuple[str, list[dict[str, str]]]:
    """(feedback kind, rows with id, text, received_at ('' when the set has no dates), label)."""
    if name == "cfpb":
        with (SHARED / "cfpb_narratives" / "complaints_dev.csv").open(encoding="utf-8", newline="") as handle:
            rows = [{"id": r[""], "text": r["Consumer complaint narrative"], "received_at": "", "label": r["Product"]}
                    for r in csv.DictReader(handle)]
        return "complaint", rows
    if name == "twcs":
        with (SHARED / "twcs_head5k" / "twcs_first5000.csv").open(encoding="utf-8", newline="") as handle:
            rows = [{"id": r["tweet_id"], "text": r["text"], "label": "",
                     "received_at": datetime.strptime(r["created_at"], "%a %b %d %H:%M:%S %z %Y").isoformat()}
                    for r in csv.DictReader(handle) if r["inbound"] == "True" and r["text"]]
        return "social", rows
    if name == "bitext":
        rows = []
        for path in sorted((SHARED / "bitext_customer_support").glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                rows += [{"id": f"{path.stem}-{i}", "text": r["instruction"], "received_at": "", "label": r["intent"]}
                         for i, r in enumerate(csv.DictReader(handle))]
        return "call_note", rows
    raise SystemExit(f"unknown set {name!r}: cfpb, twcs or bitext")


def build_store(name: str, size: int) -> tuple[Path, int]:
    """The store of a seeded sample of ``size`` feedback (all of the set when it has fewer)."""
    from vocmine.config import load_settings
    from vocmine.pipeline import run_pipeline

    kind, rows = load_rows(name)
    sample = random.Random(0).sample(rows, min(size, len(rows)))
    folder = RESULTS / f"{name}-{len(sample)}"
    db = folder / "vocmine.duckdb"
    if (folder / "done").exists():
        return db, len(sample)
    (folder / "inbox").mkdir(parents=True, exist_ok=True)
    with (folder / "inbox" / "feedback.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, ["id", "text", "received_at", "label"])
        writer.writeheader()
        writer.writerows(sample)
    dated = 'received_at = "received_at"' if any(r["received_at"] for r in sample) else ""
    (folder / "vocmine.toml").write_text(CONFIG.format(kind=kind, received_at=dated), encoding="utf-8")
    result = run_pipeline(load_settings(folder / "vocmine.toml"), steps=STEPS,
                          on_event=lambda step, event, detail: event in ("done", "failed")
                          and print(f"  {name}-{len(sample)} {step}: {event} {detail}", flush=True))
    if not result.ok:
        raise SystemExit(f"{name}-{len(sample)}: {result.error}")
    (folder / "done").touch()
    return db, len(sample)


def ranked(con: duckdb.DuckDBPyConnection, prior: float) -> list[tuple]:
    con.execute("UPDATE analysis_settings SET prior_strength = ?, top_n = ?", [prior, TOP])
    return con.execute("SELECT priority_rank, theme_id, label, volume, share, negative_share, negative_share_shrunk, "
                       "emerging FROM priorities ORDER BY priority_rank").fetchall()


def ranked_by_lower_bound(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The alternative not taken: raw shares (prior 0), but negativity scored by the lower end of
    the 95% Wilson interval of the raw share, harm unshrunk; in ``ranked``'s row shape."""
    con.execute("UPDATE analysis_settings SET prior_strength = 0, top_n = 100000")
    weights = con.execute("SELECT negativity_weight, volume_weight + negativity_weight + growth_weight, "
                          "impact_weight FROM analysis_settings").fetchone()
    rows = con.execute("SELECT score, negativity_score, negative_share_low, impact_score, theme_id, label, volume, "
                       "share, negative_share, negative_share_low, emerging FROM priorities").fetchall()
    rescored = []
    for score, negativity, low, impact, *rest in rows:
        total = weights[1] + (weights[2] if impact is not None else 0)
        rescored.append((score - weights[0] * (negativity - (low or 0)) / total, rest))
    rescored.sort(key=lambda r: (-r[0], -r[1][2], r[1][0]))
    return [(rank, *rest) for rank, (_, rest) in enumerate(rescored[:TOP], 1)]


def fitted_prior_strength(con: duckdb.DuckDBPyConnection) -> float | None:
    """The prior strength the store's own themes suggest (method of moments for a beta prior):
    the spread of themes' true negative shares is their observed spread less the sampling noise,
    and a beta prior with mean p0 and that variance is worth p0(1 - p0) / variance - 1 segments."""
    p0, observed, noise = con.execute(
        "SELECT (SELECT avg(is_negative::INTEGER) FROM stg_segments), var_pop(negative_share), "
        "avg((SELECT avg(is_negative::INTEGER) FROM stg_segments) "
        "    * (1 - (SELECT avg(is_negative::INTEGER) FROM stg_segments)) / scored_segments) "
        "FROM theme_overview WHERE scored_segments > 0").fetchone()
    if p0 is None or observed is None or observed <= noise:
        return None
    return p0 * (1 - p0) / (observed - noise) - 1


def small(rows: list[tuple]) -> list[tuple]:
    """Top themes under 1% of segments that are not emerging."""
    return [r for r in rows if r[4] < SMALL and not r[7]]


def describe(row: tuple | None) -> str:
    if row is None:
        return ""
    _, theme_id, label, volume, share, raw, shrunk, emerging = row
    flag = "*" if share < SMALL and not emerging else ("e" if emerging else " ")
    return (f"{flag}{theme_id:>4} {label[:28]:28s} {volume:>5} {100 * share:5.1f}% "
            f"{raw or 0:4.2f}/{shrunk or 0:4.2f}")


def evaluate(db: Path, name: str, n: int, priors: list[float]) -> tuple:
    """Print one store's top 15 before and after; return its summary row. The store's own
    settings are put back afterwards."""
    con = duckdb.connect(str(db))
    kept_settings = con.execute("SELECT prior_strength, top_n FROM analysis_settings").fetchone()
    try:
        segments, themes = con.execute("SELECT (SELECT count(*) FROM segment_themes), "
                                       "(SELECT count(*) FROM stg_themes)").fetchone()
        tables = {prior: ranked(con, prior) for prior in priors}
        lower_bound = ranked_by_lower_bound(con)
        fitted = fitted_prior_strength(con)
    finally:
        con.execute("UPDATE analysis_settings SET prior_strength = ?, top_n = ?", list(kept_settings))
        con.close()
    before, last = priors[0], priors[-1]
    print(f"\n{name}, {n:,} feedback, {segments:,} segments, {themes} themes "
          f"(* = under 1% of segments and not emerging, e = emerging; negative share raw/shrunk)")
    print(f"{'':3s} {'prior ' + format(before, 'g'):52s} | prior {format(last, 'g')}")
    for i in range(TOP):
        left, right = (t[i] if i < len(t) else None for t in (tables[before], tables[last]))
        print(f"{i + 1:>3} {describe(left):52s} | {describe(right)}")
    return (name, n, segments, themes, [len(small(tables[p])) for p in priors],
            len({r[1] for r in tables[before]} & {r[1] for r in tables[last]}), fitted,
            len(small(lower_bound)), [_smallest(tables[p]) for p in priors])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=["cfpb", "twcs", "bitext"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 3000])
    parser.add_argument("--priors", nargs="+", type=float, default=[0, 50],
                        help="prior strengths; the first is 'before', the last 'after'")
    parser.add_argument("--db", nargs="*", type=Path, default=[],
                        help="also rank these existing stores (e.g. the demo's data/vocmine.duckdb)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    summary = []
    for db in args.db:
        con = duckdb.connect(str(db), read_only=True)
        n = con.execute("SELECT count(*) FROM feedback").fetchone()[0]
        con.close()
        summary.append(evaluate(db, db.parent.name + "/" + db.name, n, args.priors))
    for name in args.sets:
        for size in args.sizes:
            db, n = build_store(name, size)
            summary.append(evaluate(db, name, n, args.priors))
    print("\ntop-15 themes under 1% of segments (not emerging), per prior strength "
          f"{', '.join(format(p, 'g') for p in args.priors)}; themes kept in the top 15 first to last")
    print("(Wilson LB: ranked instead by the lower end of the raw share's 95% interval, no shrinkage; "
          "fitted: the prior strength the store's own themes suggest, method of moments)")
    for name, n, segments, themes, counts, kept, fitted, lower, smallest in summary:
        print(f"{name:7s} {n:>6,} feedback {segments:>7,} segments {themes:>4} themes   under 1%: "
              f"{' -> '.join(map(str, counts))}   Wilson LB {lower}   smallest non-emerging share: "
              f"{' -> '.join(f'{100 * s:.2f}%' for s in smallest)}   kept {kept}/{TOP}   "
              f"fitted {fitted if fitted is not None else float('nan'):.1f}")


def _smallest(rows: list[tuple]) -> float:
    """The smallest share of segments among the top themes that are not emerging."""
    return min((r[4] for r in rows if not r[7]), default=float("nan"))


if __name__ == "__main__":
    main()
