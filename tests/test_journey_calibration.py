"""Cosines on one scale whatever the embedding model: the taxonomy's phrases calibrate each backend.

Embeddings are fakes (unit tests only): words hashed into dimensions, so closeness is word overlap,
and the same vectors squeezed high by a shared dimension (``CompressedBackend``) the way
multilingual-e5's cosines are. The slow test measures MiniLM's anchors, the reference scale.
"""

from __future__ import annotations

import numpy as np
import pytest
from support.fakes import CompressedBackend, HashedWordsBackend

from vocmine.config import JourneyConfig, NlpConfig
from vocmine.journey.calibration import IDENTITY, REFERENCE, Calibration, fit_calibration
from vocmine.journey.tagging import decide_stage, load_tagger, stages_in_theme
from vocmine.journey.taxonomy import UNKNOWN, load_taxonomy

TAXONOMY = """
[[stages]]
id = "delivery"
name = "Delivery"
description = "Parcel delivery by courier"
examples = ["my parcel never arrived", "the courier came late with the parcel", "parcel delivery took weeks"]

[[stages]]
id = "billing"
name = "Billing"
description = "Bills, charges and refunds"
examples = ["charged twice on my bill", "still waiting for my refund", "the bill shows a wrong charge"]

[[stages]]
id = "support"
name = "Support"
description = "Help from support agents"
examples = ["the support agent was rude", "nobody from support answered", "the agent solved my problem"]

[[touchpoints]]
id = "phone"
name = "Phone"
description = "Phone calls to the hotline"
examples = ["I phoned the hotline", "the hotline kept me waiting on the phone"]

[[touchpoints]]
id = "app"
name = "Mobile app"
description = "The mobile app"
examples = ["the mobile app crashes", "logging into the app fails"]
"""
JUNK = "Lovely weather today"  # no word of any entry's description or examples
CLOSE = "The courier lost my parcel"


EXAMPLES = {block.split('id = "')[1].split('"')[0]: block.split("examples = ")[1].split("\n")[0]
            for block in TAXONOMY.split("[[stages]]")[1:]}


def _words() -> HashedWordsBackend:
    return HashedWordsBackend(dim=4096)  # wide enough that no two words of the taxonomy collide


@pytest.fixture
def taxonomy(tmp_path):
    path = tmp_path / "taxonomy.toml"
    path.write_text(TAXONOMY, encoding="utf-8")
    return load_taxonomy(path)


def _tagger(taxonomy, backend, calibrated: bool = True):
    tagger = load_tagger(taxonomy, NlpConfig(), backend, JourneyConfig())
    if not calibrated:  # as vocmine read every backend before: raw cosines against the thresholds
        tagger.stages.calibration = tagger.touchpoints.calibration = IDENTITY
    return tagger


def _by_meaning(tagger, text: str):
    """The stage a text gets by meaning alone (rules left out: no pattern is asked)."""
    similarity = tagger.stage_similarity(tagger.backend.encode([text]))[0]
    return decide_stage({}, similarity, tagger.stages.ids, tagger.config)


def test_journey_calibration_compressed_backend_leaves_junk_unknown_and_tags_a_close_segment(taxonomy):
    compressed = CompressedBackend(_words(), shared=0.8)
    raw = _tagger(taxonomy, compressed, calibrated=False)
    assert _by_meaning(raw, JUNK).value != UNKNOWN  # 0.8 clears 0.35: every segment got a stage
    tagger = _tagger(taxonomy, compressed)
    junk, close = _by_meaning(tagger, JUNK), _by_meaning(tagger, CLOSE)
    assert (junk.value, junk.method) == (UNKNOWN, "none")
    assert (close.value, close.method) == ("delivery", "semantic")


def test_journey_calibration_squeezed_cosines_give_the_same_tags_as_the_plain_ones(taxonomy):
    """An affine squeeze of a model's cosines tells nothing new: calibrated, it tags as the model does."""
    plain, compressed = _words(), CompressedBackend(_words(), shared=0.8)
    texts = [JUNK, CLOSE, "They charged me twice and the refund is missing", "the mobile app crashes again",
             "the support agent never answered", "I phoned the hotline"]
    first, second = _tagger(taxonomy, plain), _tagger(taxonomy, compressed)
    a = first.similarities(texts, plain.encode(texts))
    b = second.similarities(texts, compressed.encode(texts))
    assert np.allclose(a[0], b[0], atol=1e-4) and np.allclose(a[1], b[1], atol=1e-4)
    tags = [(s.value, t.value) for s, t in first.tag(texts, [None] * len(texts), plain.encode(texts))]
    assert tags == [(s.value, t.value) for s, t in second.tag(texts, [None] * len(texts), compressed.encode(texts))]


def test_journey_calibration_reference_backend_is_left_as_it_is(taxonomy):
    backend = HashedWordsBackend("minilm:fake-words", dim=4096)  # read as MiniLM: its cosines are the scale
    tagger = _tagger(taxonomy, backend)
    vectors = backend.encode([JUNK, CLOSE])
    assert tagger.stages.calibration.identity and tagger.touchpoints.calibration.identity
    assert np.array_equal(tagger.stage_similarity(vectors), tagger.stages.scores(vectors))
    assert np.array_equal(tagger.similarities([JUNK, CLOSE], vectors)[1], tagger.touchpoints.scores(vectors))


def test_journey_calibration_theme_nudge_acts_on_the_calibrated_scale(taxonomy):
    """On raw squeezed cosines a theme's nudge (0.2 x share) outweighs any difference between stages and
    takes a clearly delivery segment to billing; calibrated, its own meaning keeps it."""
    compressed = CompressedBackend(_words(), shared=0.8)
    shares = np.zeros((1, 3), dtype=np.float32)
    for calibrated, expected in ((False, "billing"), (True, "delivery")):
        tagger = _tagger(taxonomy, compressed, calibrated)
        ids = tagger.stages.ids
        shares[0, ids.index("billing")] = 1.0  # a theme whose pattern-tagged segments are all billing
        similarity = tagger.stage_similarity(compressed.encode([CLOSE]))
        pick, _, _ = stages_in_theme(similarity, shares, tagger.config)
        assert ids[pick[0]] == expected


def test_journey_calibration_anchors_are_the_medians_of_best_cosines():
    # three entries of two phrases; each phrase's best cosine to its own entry and to the others is known
    angles = np.radians([0, 20, 60, 80, 150, 170])
    vectors = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    owner = np.array([0, 0, 1, 1, 2, 2])
    calibration = fit_calibration(vectors, owner, REFERENCE["stages"])
    assert calibration.related == pytest.approx(np.cos(np.radians(20)))
    # per phrase, the best cosine to each other entry: 12 values, their median
    best_other = [np.cos(np.radians(min(abs(a - b) for b in np.degrees(angles)[owner == e])))
                  for i, a in enumerate(np.degrees(angles)) for e in range(3) if e != owner[i]]
    assert calibration.unrelated == pytest.approx(float(np.median(best_other)))
    mapped = calibration.apply(np.array([calibration.unrelated, calibration.related]))
    assert mapped == pytest.approx(list(REFERENCE["stages"]))


def test_journey_calibration_too_little_to_measure_is_the_identity():
    one_entry = fit_calibration(np.eye(3), np.zeros(3, dtype=int), REFERENCE["touchpoints"])
    single_phrases = fit_calibration(np.eye(3), np.arange(3), REFERENCE["touchpoints"])
    same = Calibration(0.5, 0.5, *REFERENCE["stages"])  # the model cannot tell an entry's phrases apart
    cosines = np.array([0.1, 0.9], dtype=np.float32)
    for calibration in (one_entry, single_phrases, same):
        assert calibration.apply(cosines) is cosines


class ChineseLifted:
    """Hashed words, with texts in Chinese lifted toward each other by a shared dimension: like e5, whose
    Chinese texts sit closer to each other (0.88 unrelated) than English ones (0.86)."""

    name = "fake:lifted"

    def __init__(self, lift: float = 0.5) -> None:
        self.words, self.lift = HashedWordsBackend(dim=4096, words=r"\w+"), lift

    def encode(self, texts: list[str]) -> np.ndarray:
        chinese = np.array([[any("\u4e00" <= c <= "\u9fff" for c in t)] for t in texts], dtype=np.float32)
        scale = np.where(chinese > 0, np.sqrt(1 - self.lift), 1.0).astype(np.float32)
        return np.hstack([self.words.encode(texts) * scale, chinese * np.sqrt(self.lift)]).astype(np.float32)


def test_journey_calibration_a_language_that_sits_higher_gets_its_own_level(tmp_path):
    zh = {"delivery": ["快递 很慢", "包裹 没到", "快递员 迟到"], "billing": ["多收 钱", "退款 没到账", "账单 错了"],
          "support": ["客服 态度差", "客服 不回复", "客服 解决了"]}
    text = TAXONOMY.split("[[touchpoints]]")[0]
    for stage, examples in zh.items():  # each stage's block gets its Chinese examples
        block = f'examples = {EXAMPLES[stage]}'
        text = text.replace(block, block + f"\n\n[stages.languages.zh]\nexamples = {examples!r}".replace("'", '"'))
    path = tmp_path / "taxonomy.toml"
    path.write_text(text, encoding="utf-8")
    tagger = _tagger(load_taxonomy(path), ChineseLifted())
    assert tagger.stages.calibrations["zh"].unrelated == pytest.approx(0.5, abs=1e-3)  # the lift itself
    junk, close = "今天 天气 很好", "快递 很慢 包裹 没到"
    similarity = tagger.stage_similarity(tagger.backend.encode([junk, close]), ["zh", "zh"])
    tags = [decide_stage({}, row, tagger.stages.ids, tagger.config) for row in similarity]
    assert [(t.value, t.method) for t in tags] == [(UNKNOWN, "none"), ("delivery", "semantic")]
    # read with the level of the taxonomy's own language, the lift alone would clear the floor
    unlifted = decide_stage({}, tagger.stage_similarity(tagger.backend.encode([junk]))[0], tagger.stages.ids,
                            tagger.config)
    assert unlifted.value != UNKNOWN


@pytest.mark.slow
def test_journey_calibration_reference_is_minilms_scale_on_the_shipped_taxonomy():
    from vocmine.embed import load_backend
    from vocmine.journey.calibration import fit_calibration as fit

    tagger = load_tagger(load_taxonomy(), NlpConfig(), load_backend("minilm"), JourneyConfig())
    for kind, prototypes in (("stages", tagger.stages), ("touchpoints", tagger.touchpoints)):
        own = prototypes.language == ""  # the description and English examples
        measured = fit(prototypes.vectors[own], prototypes.owner[own], REFERENCE[kind])
        assert (measured.unrelated, measured.related) == pytest.approx(REFERENCE[kind], abs=0.005)
