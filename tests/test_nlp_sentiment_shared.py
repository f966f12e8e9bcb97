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


ZH_SETS = ("waimai_10k.csv", "ChnSentiCorp_htl_all.csv")  # food delivery, hotels


def _chinese(name: str) -> list[tuple[str, str]]:
    with (SHARED_DATA / "zh_reviews" / name).open(encoding="utf-8", newline="") as f:
        return [(r["review"], "positive" if r["label"] == "1" else "negative")
                for r in csv.DictReader(f) if r["review"].strip()]


def _labelled(language: str) -> list[tuple[str, str]]:
    if language == "zh":
        return [row for name in ZH_SETS for row in _chinese(name)]
    if language == "uk":
        with (SHARED_DATA / "uk_reviews" / "uareviews_dev.csv").open(encoding="utf-8", newline="") as f:
            return [(r["text"], UK[r["category"]]) for r in csv.DictReader(f) if r["category"] in UK]
    return [(text, review) for text, review, _ in _polish() if review in PL.values()]


def _polish() -> list[tuple[str, str, str]]:
    """(sentence, its review's label, the sentence's own label from its annotated opinions), as
    benchmarks/sentiment_eval.py reads them (pl_rows): the own label is positive or negative when the
    sentence's opinions lean one way only, "other" when they are mixed or neutral."""
    rows = []
    with (SHARED_DATA / "pl_reviews" / "products_main_all.jsonl").open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            match = re.search(r"\s*__label__meta_(\S+)\s*$", record["text"])
            sides = {r["type"] for r in record["relations"]} - {"NEUTRAL"}
            own = {"POSITIVE": "positive", "NEGATIVE": "negative"}[sides.pop()] if len(sides) == 1 else "other"
            rows.append((record["text"][:match.start()], PL.get(match.group(1), "other"), own))
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


@pytest.mark.parametrize("name", ZH_SETS)
def test_nlp_sentiment_shared_each_chinese_set_meets_the_bar(name):
    """Food delivery and hotels each, not only together: hotels were 0.798 on the test half before the third pass
    (docs/sentiment.md); now 0.82 there and 0.84 on food delivery."""
    rows = _chinese(name)
    assert _macro_f1(rows, "zh") >= 0.80
    assert _macro_f1(_test_half(rows), "zh") >= 0.80


def test_nlp_sentiment_shared_polish_sentences_meet_the_bar():
    """Each segment scored against its own annotated opinions: 0.86 on the whole set and the test half."""
    rows = [(text, own) for text, _, own in _polish() if own != "other"]
    assert _macro_f1(rows, "pl") >= 0.75
    assert _macro_f1(_test_half(rows), "pl") >= 0.75


@pytest.mark.xfail(reason="each Polish sentence carries its whole review's label: a perfect sentence reader (the "
                          "annotated opinions themselves) reaches 0.75 on the whole set and 0.73 on the test half; "
                          "the lexicon 0.71 / 0.70 (docs/sentiment.md)", strict=True)
def test_nlp_sentiment_shared_polish_review_label_meets_the_bar():
    rows = _labelled("pl")
    assert _macro_f1(rows, "pl") >= 0.75


def test_nlp_sentiment_shared_polish_is_no_longer_a_neutral_wall():
    rows = _test_half(_labelled("pl"))
    scores = score_segments([text for text, _ in rows], "pl")
    assert sum(s == 0 for s in scores) / len(scores) < 0.20  # this half: 12.5%; 15.4% before; 22.9% first
    assert _macro_f1(rows, "pl") >= 0.65  # main: 0.62 on the whole set
