"""What a night costs: adding new feedback to a processed corpus vs refitting the themes.

    python benchmarks/theme_increment.py [--corpus 20000] [--new 1000] [--backend minilm]

Real English feedback from ../shared/data (banking77, twcs inbound, bitext, then clinc150
as needed; shuffled with a fixed seed), spread over 12 weeks. The corpus is ingested, enriched, embedded and fitted
once; then N new feedback (dated the day after) go through a night: ingest, enrich, embed and
`themes update` (placement in known themes, proposals, emerging flags), each step timed. For
comparison, a full refit on corpus + new, and how many earlier segments keep their theme_id
through that refit. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from enrich_throughput import real_feedback
from quality import load_set

from vocmine.analytics.views import create_views
from vocmine.config import NlpConfig, SourceConfig, ThemesConfig
from vocmine.embed import embed_segments, load_backend
from vocmine.ingest import ingest_files
from vocmine.nlp.enrich import Pipelines, enrich
from vocmine.store import connect
from vocmine.themes.assign import refresh_themes
from vocmine.themes.registry import refit_themes

SOURCE = SourceConfig(kind="survey", columns={"id": "id", "text": "text", "received_at": "received_at"})
START = datetime(2026, 8, 31)


def write(path: Path, rows: list[tuple[int, str, datetime]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text", "received_at"])
        writer.writerows((i, text, when.isoformat()) for i, text, when in rows)
    return path


def timed(label: str, timings: dict[str, float], step):
    started = time.perf_counter()
    result = step()
    timings[label] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=int, default=20_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--backend", default="minilm")
    parser.add_argument("--keep-margin", type=float, default=ThemesConfig().refit_keep_margin)
    args = parser.parse_args()
    texts = (real_feedback(10**9) + load_set("clinc150")[0])[:args.corpus + args.new]
    random.Random(7).shuffle(texts)
    rng = random.Random(11)
    corpus = [(i, t, START + timedelta(seconds=rng.randrange(84 * 86400))) for i, t in enumerate(texts[:args.corpus])]
    new = [(args.corpus + i, t, START + timedelta(days=84, seconds=rng.randrange(86400)))
           for i, t in enumerate(texts[args.corpus:])]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"data: {len(corpus):,} real English feedback as the corpus + {len(new):,} new "
          f"(banking77, twcs inbound, bitext, clinc150); backend {args.backend}")
    config, nlp = ThemesConfig(refit_every_days=0, refit_keep_margin=args.keep_margin), NlpConfig()
    pipelines, backend = Pipelines(nlp), load_backend(args.backend)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        con = connect(folder / "bench.duckdb")
        create_views(con)  # the emerging check reads theme_weekly
        setup: dict[str, float] = {}
        timed("ingest", setup, lambda: ingest_files(con, [write(folder / "corpus.csv", corpus)], "bench", SOURCE))
        timed("enrich", setup, lambda: enrich(con, nlp, pipelines=pipelines))
        timed("embed", setup, lambda: embed_segments(con, backend))
        fit = timed("refit", setup, lambda: refit_themes(con, backend.name, config, folder / "fits", backend.encode))
        print(f"corpus: {', '.join(f'{k} {v:.1f} s' for k, v in setup.items())}; "
              f"{fit.themes} themes, {fit.outlier_share:.1%} unassigned")
        before = dict(con.execute("SELECT segment_id, theme_id FROM segment_themes").fetchall())

        night: dict[str, float] = {}
        timed("ingest", night, lambda: ingest_files(con, [write(folder / "new.csv", new)], "bench", SOURCE))
        timed("enrich", night, lambda: enrich(con, nlp, pipelines=pipelines))
        timed("embed", night, lambda: embed_segments(con, backend))
        update = timed("themes update", night, lambda: refresh_themes(con, backend.name, config, folder / "fits",
                                                                      encode=backend.encode))
        a = update.assigned
        total = sum(night.values())
        print(f"night, {len(new):,} new feedback: {', '.join(f'{k} {v:.1f} s' for k, v in night.items())}; "
              f"total {total:.1f} s = {total / len(new) * 1000:.1f} ms per feedback")
        print(f"  {a.new_segments:,} new segments: {a.assigned:,} placed, {a.unassigned:,} unassigned "
              f"({a.pool:,} in the pool), {len(a.proposed)} themes proposed, {len(update.emerging)} emerging")

        refit_timing: dict[str, float] = {}
        refit = timed("refit", refit_timing,
                      lambda: refit_themes(con, backend.name, config, folder / "fits", backend.encode))
        after = dict(con.execute("SELECT segment_id, theme_id FROM segment_themes").fetchall())
        earlier = [s for s, t in before.items() if t is not None]
        kept = sum(after.get(s) == before[s] for s in earlier) / len(earlier)
        retired = {r[0] for r in con.execute("SELECT theme_id FROM themes WHERE status = 'retired'").fetchall()}
        orphaned = sum(before[s] in retired for s in earlier) / len(earlier)
        print(f"full refit on {len(after):,} segments instead: {refit_timing['refit']:.1f} s "
              f"({refit_timing['refit'] / night['themes update']:.0f}x the nightly theme step); "
              f"{refit.kept} themes kept, {refit.created} new, {refit.retired} retired; "
              f"{kept:.1%} of earlier assigned segments keep their theme_id "
              f"(margin {config.refit_keep_margin}; {orphaned:.1%} were in themes the refit retired)")
        print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
        con.close()


if __name__ == "__main__":
    main()
