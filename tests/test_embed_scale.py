"""Cosine thresholds read on each model's own scale (vocmine.embed.scale)."""

from __future__ import annotations

import numpy as np
import pytest

from vocmine.config.analyst import AssumptionsConfig
from vocmine.config.themes import ThemesConfig
from vocmine.embed.scale import LEVELS, MINILM, CosineScale, cosine_scale, on_scale, pair_cosines, reference_phrases


class SquashedBackend:
    """MiniLM-like vectors squeezed towards one direction, as e5's are: every cosine lands high,
    in the same order."""

    name = "fake:squashed@1"

    def __init__(self, spread: float) -> None:
        self.spread = spread

    def encode(self, texts: list[str]) -> np.ndarray:
        rng = np.random.default_rng(0)
        topics = rng.normal(size=(8, 64))
        rows = np.array([topics[hash(t) % 8] + rng.normal(scale=1.0, size=64) for t in texts])
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        shared = np.zeros(64)
        shared[0] = 1.0
        squashed = shared + self.spread * rows
        return (squashed / np.linalg.norm(squashed, axis=1, keepdims=True)).astype(np.float32)


def test_embed_scale_minilm_table_is_monotone_and_covers_every_level():
    assert len(MINILM) == len(LEVELS)
    assert np.all(np.diff(MINILM) >= 0)
    assert MINILM[0] < 0.0 < MINILM[len(MINILM) // 2] < 0.3 < MINILM[-1]


def test_embed_scale_on_minilm_own_table_changes_nothing():
    same = CosineScale("minilm", tuple(MINILM))
    config = ThemesConfig()
    assert on_scale(config, same) == config
    assert same.threshold(0.25) == pytest.approx(0.25)
    assert same.to_reference(np.array([0.4]))[0] == pytest.approx(0.4)


def test_embed_scale_squashed_model_reads_thresholds_high_and_keeps_their_order():
    scale = cosine_scale(SquashedBackend(spread=0.4))
    config = on_scale(ThemesConfig(), scale)
    # the squashed model's unrelated pairs already sit near 0.9: 0.25 there would keep every stranger
    assert config.similarity_floor > 0.8
    assert config.similarity_floor < config.propose_similarity < config.merge_similarity < config.match_similarity < 1.0
    assert config.merge_keyword_similarity == ThemesConfig().merge_keyword_similarity  # words, not embeddings
    assert config.min_themes == ThemesConfig().min_themes


def test_embed_scale_a_threshold_and_its_reading_back_agree():
    scale = cosine_scale(SquashedBackend(spread=0.4))
    for reference in (0.1, 0.25, 0.42, 0.7):
        assert scale.to_reference(np.array([scale.threshold(reference)]))[0] == pytest.approx(reference, abs=1e-4)


def test_embed_scale_assumption_thresholds_follow_and_none_stays_none():
    scale = cosine_scale(SquashedBackend(spread=0.4))
    assumptions = on_scale(AssumptionsConfig(min_similarity=0.42, min_segment_similarity=0.3), scale)
    assert assumptions.min_similarity > assumptions.min_segment_similarity > 0.8
    assert on_scale(ThemesConfig(merge_similarity=None), scale).merge_similarity is None


def test_embed_scale_pair_cosines_are_non_decreasing_even_for_identical_rows():
    cosines = pair_cosines(np.ones((5, 3)))
    assert np.all(np.diff(cosines) >= 0) and cosines[-1] == pytest.approx(1.0)


def test_embed_scale_reference_phrases_are_distinct_sentences():
    phrases = reference_phrases()
    assert len(phrases) >= 150 and len(set(phrases)) == len(phrases)


@pytest.mark.slow
def test_embed_scale_shipped_table_is_minilm_measured_again():
    from vocmine.embed import load_backend

    measured = pair_cosines(load_backend("minilm").encode(reference_phrases()))
    assert np.allclose(measured, MINILM, atol=1e-4)


def test_embed_scale_minilm_measured_on_another_machine_reads_settings_as_written():
    jittered = CosineScale("minilm", tuple(MINILM + 2e-6))
    assert jittered.is_reference
    assert on_scale(ThemesConfig(), jittered) == ThemesConfig()
    assert not CosineScale("e5", tuple(MINILM * 0.2 + 0.8)).is_reference


def test_embed_scale_a_step_reads_the_store_model_scale_once_and_later_nights_load_no_model(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from vocmine.pipeline.context import StepContext

    class Counting(SquashedBackend):
        calls = 0

        def encode(self, texts):
            Counting.calls += 1
            return super().encode(texts)

    def night():
        backend = Counting(spread=0.4)
        ctx = StepContext(None, None, models={"choice": SimpleNamespace(model=backend.name), "backend": backend})
        return ctx, on_scale(ThemesConfig(), ctx.cosine_scale())

    monkeypatch.setenv("VOCMINE_CACHE_DIR", str(tmp_path))  # a cache no earlier run filled
    ctx, first = night()
    assert first.similarity_floor > 0.8 and ctx.cosine_scale() is ctx.cosine_scale()
    _, second = night()
    assert second == first and Counting.calls == 1  # the phrases' vectors were read back
