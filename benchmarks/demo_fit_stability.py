"""Do the demo's planted findings hold on more than one theme fit? (issue 18: fit-sensitive properties)

    python benchmarks/demo_fit_stability.py [--seeds 42 1 2] [--fits vectors phrasings]

A theme fit depends on its seed (UMAP, k-means): two fits of the same segments cut some planted
problems at other places. A finding an analyst reads off the views should not hang on one cut.
The demo store is built once as the slow tests build it (ingest, enrich, embed, journey tags;
kept in benchmarks/results/demo_stability/), then for each seed and each way of fitting a
copy is refitted with the demo config, placed per feedback and analysed, and the properties the
slow tests check are printed for each way of fitting (``--fits``):

- phrasings: one point per phrasing, segments saying the same words numbers aside, weighted
  sqrt(copies), as a refit does (``discover_themes(..., phrasings=texts)``);
- vectors: one point per distinct vector, the refit before phrasings (a template's copies differ
  by their numbers, so each copy is a point).

Properties:

- exit fees: share of the exit-fee segments in their most common theme (tests want >= 0.9);
- churn: the planted theme of the worst theme for churn (exit_fee);
- handle time: whether double charge is among the three worst themes for handle time;
- small: priorities (top 15) under 1% of segments and not emerging (tests want none);
- coverage: the planted theme "network coverage" lands on (poor_signal / slow_mobile_data);
- lost #1: the planted theme of the first row of ``lost_customers`` (exit_fee); arc: the churn arc
  the slow test checks (that row at renewal, lift > 3, 0-4 days before leaving; a double-charge
  theme in the first ten, 7 days or more before; a price-rise theme in the first ten);
- themes, and NMI of segment themes against the planted problems.

Asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import Counter
from pathlib import Path

from sklearn.metrics import normalized_mutual_info_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the demo store exactly as the slow tests build it

from support.stores import build_demo_store, planted_theme_of, planted_theme_per_segment

from vocmine.store import connect

FOLDER = ROOT / "benchmarks" / "results" / "demo_stability"
SMALL = 0.01


def base_store() -> Path:
    """Ingested, enriched, embedded and journey-tagged once; themes never fitted on it."""
    from vocmine.journey.store import tag_segments
    from vocmine.journey.tagging import load_tagger
    from vocmine.journey.taxonomy import load_taxonomy

    db = FOLDER / "base.duckdb"
    if db.exists():
        return db
    FOLDER.mkdir(parents=True, exist_ok=True)
    settings, con, backend = build_demo_store(FOLDER / "building.duckdb")
    tag_segments(con, load_tagger(load_taxonomy(settings.taxonomy_path), settings.nlp, backend, settings.journey))
    con.close()
    (FOLDER / "building.duckdb").rename(db)
    return db


def fit_and_analyse(base: Path, seed: int, fit: str) -> dict[str, object]:
    from vocmine.analytics import refresh_analysis
    from vocmine.config import load_settings
    from vocmine.embed import load_backend
    from vocmine.embed.choice import resolve_backend
    from vocmine.themes import registry
    from vocmine.themes.assign import refresh_themes
    from vocmine.themes.cases import refresh_feedback_themes

    db = FOLDER / f"seed{seed}-{fit}.duckdb"
    shutil.copy(base, db)
    settings = load_settings(ROOT / "vocmine.toml", db=db)
    themes = settings.themes.model_copy(update={"seed": seed})
    con = connect(db)
    backend = load_backend(resolve_backend(con, settings.embedding).backend)
    fit_on_sample = registry.fit_on_sample
    if fit == "vectors":  # the fit before phrasings: the segments' texts withheld, one point per distinct vector
        registry.fit_on_sample = lambda vectors, documents, config, phrasings=None: fit_on_sample(
            vectors, documents, config)
    try:
        result = refresh_themes(con, backend.name, themes, FOLDER / f"fits-{seed}-{fit}", encode=backend.encode)
    finally:
        registry.fit_on_sample = fit_on_sample
    refresh_feedback_themes(con, backend.name, themes, result.refit.run_id, refit=True)
    refresh_analysis(con, outcomes=settings.outcomes, priorities=settings.priorities,
                     lost_customers=settings.lost_customers, assumptions=settings.assumptions,
                     teams=settings.teams, backend=backend)
    found = properties(con)
    con.close()
    db.unlink()
    shutil.rmtree(FOLDER / f"fits-{seed}-{fit}", ignore_errors=True)
    return found


def exit_fee_segments(con) -> list[str]:
    """Segments naming the fee, from feedback whose only planted problem is the exit fee (as the test reads them)."""
    from exit_fees_backends import NAMES_FEE, planted

    problems = planted()
    rows = con.execute("SELECT f.source, f.external_id, s.segment_id, s.text FROM segments s "
                       "JOIN feedback f USING (feedback_id)").fetchall()
    return [sid for source, rid, sid, text in rows
            if problems.get((source, rid)) == {"exit_fee"} and NAMES_FEE.search(text)]


def properties(con) -> dict[str, object]:
    planted = planted_theme_of(con)
    assigned = dict(con.execute("SELECT segment_id, theme_id FROM segment_themes").fetchall())
    fees = Counter(assigned.get(s) for s in exit_fee_segments(con))
    churn = con.execute("SELECT theme_id FROM theme_drivers WHERE outcome = 'churned' AND harm_rank = 1").fetchone()
    handle = [planted.get(t) for (t,) in con.execute(
        "SELECT theme_id FROM theme_drivers WHERE outcome = 'handle_time' AND harm_rank <= 3").fetchall()]
    small = con.execute("SELECT count(*) FROM priorities WHERE share < ? AND NOT emerging", [SMALL]).fetchone()[0]
    coverage = con.execute("SELECT theme_id FROM assumption_gap WHERE assumption = 'network coverage'").fetchone()
    lost = con.execute("SELECT theme_id, journey_stage, lift, median_days_before_loss FROM lost_customers "
                       "ORDER BY rank LIMIT 10").fetchall()
    early = [days for theme, _, _, days in lost if planted.get(theme) == "double_charge"]
    truth = planted_theme_per_segment(con)
    known = [s for s in truth if assigned.get(s) is not None]
    return {
        "themes": con.execute("SELECT count(*) FROM themes WHERE level = 2 AND status = 'active'").fetchone()[0],
        "exit fees": fees.most_common(1)[0][1] / sum(fees.values()),
        "churn": planted.get(churn[0]) if churn else None,
        "handle time": "double_charge" in handle,
        "small": small,
        "coverage": planted.get(coverage[0]) if coverage else None,
        "lost": planted.get(lost[0][0]) if lost else None,
        "arc": bool(lost) and lost[0][1] == "renewal_cancellation" and lost[0][2] > 3 and lost[0][3] <= 4
        and bool(early) and min(early) >= 7 and any(planted.get(t) == "price_rise_renewal" for t, *_ in lost),
        "NMI": normalized_mutual_info_score([truth[s] for s in known], [assigned[s] for s in known]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[42, 1, 2])
    parser.add_argument("--fits", nargs="+", default=["phrasings", "vectors"], choices=["phrasings", "vectors"])
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    base = base_store()
    print(f"{'seed':>4s} {'fit':9s} {'themes':>6s} {'exit fees':>9s} {'churn':10s} {'handle':6s} {'small':>5s} "
          f"{'coverage':16s} {'lost #1':10s} {'arc':5s} {'NMI':>5s}", flush=True)
    for seed in args.seeds:
        for fit in args.fits:
            p = fit_and_analyse(base, seed, fit)
            print(f"{seed:4d} {fit:9s} {p['themes']:6d} {p['exit fees']:9.2f} {p['churn']!s:10s} "
                  f"{p['handle time']!s:6s} {p['small']:5d} {p['coverage']!s:16s} {p['lost']!s:10s} {p['arc']!s:5s} "
                  f"{p['NMI']:5.3f}", flush=True)


if __name__ == "__main__":
    main()
