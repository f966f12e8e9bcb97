"""Tagging segments with a journey stage and a touchpoint: metadata, rules, then meaning.

For a touchpoint the text wins when it names one ("the app logged me out" in a phone call
note is about the app); otherwise the feedback's channel says it (a call note is the phone);
otherwise the closest touchpoint by meaning, if it is close enough. A stage comes from the
patterns the text contains, else from meaning. Below the thresholds the tag is ``unknown``
rather than a guess, and every tag says how it was made and how sure it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from vocmine.config import JourneyConfig, NlpConfig
from vocmine.embed.backends import EmbeddingBackend
from vocmine.journey.rules import RuleMatcher, RuleScores, Tokens, lemma_pipeline
from vocmine.journey.semantic import Prototypes
from vocmine.journey.taxonomy import UNKNOWN, Taxonomy


@dataclass(frozen=True)
class Tag:
    value: str  # a taxonomy id or 'unknown'
    confidence: float
    method: str  # metadata | rule | semantic | none


class JourneyTagger:
    """A taxonomy made ready to tag: patterns compiled, descriptions and examples embedded."""

    def __init__(self, taxonomy: Taxonomy, matcher: RuleMatcher, backend: EmbeddingBackend,
                 config: JourneyConfig) -> None:
        self.taxonomy, self.matcher, self.backend, self.config = taxonomy, matcher, backend, config
        self.stages = Prototypes([(s.id, [s.description, *s.examples]) for s in taxonomy.stages], backend)
        self.touchpoints = Prototypes([(t.id, [t.description, *t.examples]) for t in taxonomy.touchpoints], backend)
        self.channels = {c.lower(): t.id for t in taxonomy.touchpoints for c in t.channels}

    def tag(self, texts: list[str], channels: list[str | None], vectors: np.ndarray,
            tokens: list[Tokens | None] | None = None) -> list[tuple[Tag, Tag]]:
        """(stage, touchpoint) per segment; vectors are the segments' embeddings by ``backend``,
        tokens what enrichment stored for the rules (``RuleMatcher.scores``)."""
        rules = self.matcher.scores(texts, tokens)
        stage_similarity = self.stages.scores(vectors)
        touchpoint_similarity = self.touchpoints.scores(vectors)
        return [
            (decide_stage(stage_rules, stage_similarity[i], self.stages.ids, self.config),
             decide_touchpoint(touchpoint_rules, channels[i], touchpoint_similarity[i], self.touchpoints.ids,
                               self.channels, self.config))
            for i, (stage_rules, touchpoint_rules) in enumerate(rules)
        ]


class LazyTagger:
    """Stands in for a JourneyTagger and builds it (spaCy's lemmatizer, the embedding model) on
    first use of anything but the taxonomy and the settings: a night with no new segment loads
    no model."""

    def __init__(self, taxonomy: Taxonomy, config: JourneyConfig, load: Callable[[], JourneyTagger]) -> None:
        self.taxonomy, self.config, self._load, self._tagger = taxonomy, config, load, None

    def __getattr__(self, name: str) -> Any:
        if self._tagger is None:
            self._tagger = self._load()
        return getattr(self._tagger, name)


def load_tagger(taxonomy: Taxonomy, nlp: NlpConfig, backend: EmbeddingBackend, config: JourneyConfig) -> JourneyTagger:
    """A tagger from configuration: the English spaCy model's lemmatizer and the embedding backend."""
    return JourneyTagger(taxonomy, RuleMatcher(taxonomy, lemma_pipeline(nlp)), backend, config)


def decide_stage(rules: RuleScores, similarity: np.ndarray, ids: list[str], config: JourneyConfig) -> Tag:
    if rules:
        return _by_rules(rules, similarity, ids)
    return _by_meaning(similarity, ids, config.stage_min_similarity, config.min_margin)


def decide_touchpoint(rules: RuleScores, channel: str | None, similarity: np.ndarray, ids: list[str],
                      channels: dict[str, str], config: JourneyConfig) -> Tag:
    if rules:
        return _by_rules(rules, similarity, ids)
    if channel and channel.strip().lower() in channels:
        return Tag(channels[channel.strip().lower()], 1.0, "metadata")
    return _by_meaning(similarity, ids, config.touchpoint_min_similarity, config.min_margin)


def _by_rules(rules: RuleScores, similarity: np.ndarray, ids: list[str]) -> Tag:
    """The most pattern tokens wins; a tie goes to the closer by meaning."""
    best = max(rules, key=lambda key: (rules[key], similarity[ids.index(key)] if key in ids else -1.0, key))
    return Tag(best, round(rules[best] / sum(rules.values()), 4), "rule")


def _by_meaning(similarity: np.ndarray, ids: list[str], floor: float, margin: float) -> Tag:
    if len(ids) == 0:
        return Tag(UNKNOWN, 0.0, "none")
    order = np.argsort(-similarity, kind="stable")
    best = float(similarity[order[0]])
    second = float(similarity[order[1]]) if len(ids) > 1 else -1.0
    if best >= floor and best - second >= margin:
        return Tag(ids[order[0]], round(best, 4), "semantic")
    return Tag(UNKNOWN, round(max(best, 0.0), 4), "none")


__all__ = ["JourneyTagger", "LazyTagger", "Tag", "decide_stage", "decide_touchpoint", "load_tagger"]
