"""Journey tagging on the demo against its planted ground truth (stage and touchpoint per clause).

Ground-truth clauses are aligned to vocmine's segments by word overlap within the same
feedback (redaction changes the words of personal data only), so the comparison does not
depend on the segmenter cutting exactly where the generator joined clauses.
"""

from __future__ import annotations

import csv
import re

import pytest
from support.paths import ROOT

from vocmine.journey.taxonomy import load_taxonomy
from vocmine.store.checks import run_checks

WORD = re.compile(r"[a-z]{2,}")


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def align(truth: list[dict[str, str]], segments: dict[tuple[str, str], list[tuple[str, str]]]):
    """(ground-truth row, segment id) for clauses whose best segment shares most of their words."""
    pairs = []
    for row in truth:
        candidates = segments.get((row["source"], row["record_id"]), [])
        scored = [(len(_words(row["text"]) & _words(text)) / max(1, len(_words(row["text"]))), sid)
                  for sid, text in candidates]
        if scored and max(scored)[0] >= 0.6:
            pairs.append((row, max(scored)[1]))
    return pairs


@pytest.fixture(scope="module")
def tagged_demo(demo_pipeline):
    """The demo tagged by the session's pipeline run (tag_segments with the default taxonomy)."""
    settings, con, _ = demo_pipeline
    return con, load_taxonomy(settings.taxonomy_path)


@pytest.mark.slow
def test_journey_tags_on_the_demo_agree_with_the_planted_truth(tagged_demo):
    con, _ = tagged_demo
    assert con.execute("SELECT count(*) FROM segment_journey").fetchone() == \
        con.execute("SELECT count(*) FROM segments").fetchone()
    with (ROOT / "data" / "demo" / "ground_truth.csv").open(encoding="utf-8", newline="") as handle:
        truth = list(csv.DictReader(handle))
    segments: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for source, record, sid, text in con.execute(
            "SELECT f.source, f.external_id, s.segment_id, s.text FROM feedback f JOIN segments s USING (feedback_id)"
    ).fetchall():
        segments.setdefault((source, record), []).append((sid, text))
    pairs = align([r for r in truth if r["language"] == "en"], segments)
    tags = {r[0]: r[1:] for r in con.execute("SELECT segment_id, journey_stage, touchpoint FROM segment_journey")
            .fetchall()}
    stage = sum(tags[sid][0] == row["journey_stage"] for row, sid in pairs) / len(pairs)
    touchpoint = sum(tags[sid][1] == row["touchpoint"] for row, sid in pairs) / len(pairs)
    print(f"\ndemo: {len(pairs):,} of {len(truth):,} planted clauses aligned; stage agreement {stage:.1%}, "
          f"touchpoint agreement {touchpoint:.1%}")
    assert len(pairs) >= 0.8 * len(truth)
    # Measured with the default taxonomy: stage 82.4% on one machine, 81.4% on another (AMD EPYC),
    # touchpoint 91.9% on both: the themes come out a little different between machines, and with them
    # the stage the theme lends (docs/journey.md). Issue 5 aims at 90% for both: the touchpoint
    # goal is asserted; the stage goal is not met, and its floor (below both measured values)
    # only catches regressions until it is.
    assert stage >= 0.80 and touchpoint >= 0.90


@pytest.mark.slow
def test_journey_tags_on_the_demo_pass_the_declared_checks(tagged_demo):
    con, taxonomy = tagged_demo
    failing = [r for r in run_checks(con, taxonomy.accepted_values()) if not r.ok]
    assert failing == []
