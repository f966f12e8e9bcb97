"""Journey stages on real Chinese, Ukrainian and Polish feedback from ../shared/data (slow: the
multilingual model). Issue 19 asks that at most half of their segments stay ``unknown``.
benchmarks/journey_languages.py prints the same at 1,000 and 3,000 feedback, before and after."""

from __future__ import annotations

import csv
import hashlib
import json

import pytest
from support.paths import SHARED_DATA

from vocmine.config import JourneyConfig, NlpConfig
from vocmine.embed import load_backend
from vocmine.journey.tagging import load_tagger
from vocmine.journey.taxonomy import UNKNOWN, load_taxonomy
from vocmine.nlp.pipeline import build_pipeline
from vocmine.nlp.segments import enrich_doc

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not beside the project")]
SAMPLE = 300  # feedback per language, by a stable hash order


def _feedback(language: str) -> list[str]:
    if language == "zh":
        with (SHARED_DATA / "zh_reviews" / "waimai_10k.csv").open(encoding="utf-8", newline="") as f:
            texts = [r["review"] for r in csv.DictReader(f)]
    elif language == "uk":
        with (SHARED_DATA / "uk_reviews" / "uareviews_dev.csv").open(encoding="utf-8", newline="") as f:
            texts = [r["text"] for r in csv.DictReader(f)]
    else:
        with (SHARED_DATA / "pl_reviews" / "products_main_all.jsonl").open(encoding="utf-8") as f:
            texts = [json.loads(line)["text"].split("__label__")[0] for line in f]
    texts = [t for t in texts if t.strip()]
    return sorted(texts, key=lambda t: hashlib.sha1(t.encode("utf-8")).hexdigest())[:SAMPLE]


@pytest.fixture(scope="module")
def multilingual_tagger():
    backend = load_backend("multilingual")  # what embedding.backend "auto" picks for feedback not in English
    return load_tagger(load_taxonomy(), NlpConfig(), backend, JourneyConfig())


@pytest.mark.parametrize("language", ["zh", "uk", "pl"])
def test_journey_languages_shared_unknown_share_at_most_half(multilingual_tagger, language):
    nlp = build_pipeline(language, NlpConfig())
    segments = [s.text for doc in nlp.pipe(_feedback(language)) for s in enrich_doc(doc, "f", language).segments]
    tags = multilingual_tagger.tag(segments, [None] * len(segments), multilingual_tagger.backend.encode(segments),
                                   languages=[language] * len(segments))
    unknown = sum(stage.value == UNKNOWN for stage, _ in tags) / len(tags)
    assert unknown <= 0.5, f"{language}: {unknown:.1%} of {len(tags)} segments unknown"
    assert sum(stage.method == "rule" for stage, _ in tags) / len(tags) >= 0.2  # the language's own patterns work
