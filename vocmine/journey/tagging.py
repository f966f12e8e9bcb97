"""Tagging segments with a journey stage and a touchpoint: metadata, rules, then meaning.

For a touchpoint the text wins when it names one ("the app logged me out" in a phone call
note is about the app); otherwise the feedback's channel says it (a call note is the phone);
otherwise the closest touchpoint by meaning, if it is close enough. A stage comes from the
patterns the text contains, else from meaning, weighed (once themes are known) with the stages
its theme's pattern-tagged segments have. Below the thresholds the tag is ``unknown`` rather
than a guess, and every tag says how it was made and how sure it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from vocmine.config.journey import JourneyConfig
from vocmine.config.nlp import NlpConfig
from vocmine.embed.backends import EmbeddingBackend
from vocmine.journey.patterns import LanguagePatterns, language_patterns
from vocmine.journey.rules import RuleMatcher, RuleScores, Tokens, lemma_pipeline
from vocmine.journey.semantic import Prototypes, base_language
from vocmine.journey.taxonomy import UNKNOWN, Stage, Taxonomy, Touchpoint
from vocmine.parallel import ModelUnavailable
from vocmine.text.cache import cache_folder


@dataclass(frozen=True)
class Tag:
    value: str  # a taxonomy id or 'unknown'
    confidence: float
    method: str  # metadata | rule | semantic | theme | none


# Backends that read English only: segments in other languages are compared by the multilingual model.
ENGLISH_ONLY_BACKENDS = ("minilm:", "static:")


class JourneyTagger:
    """A taxonomy made ready to tag: patterns compiled, descriptions and examples embedded.

    Segments in a language the taxonomy has patterns for (``[stages.languages.zh]``) are matched
    on those (``patterns.py``); the others on the English patterns. For meaning, every entry is
    represented by its description and its examples in every language. When the configured
    backend reads English only (``minilm``, ``static``), segments in other languages are encoded
    by ``multilingual()`` and compared with the entries in that model's space instead: MiniLM
    puts a Chinese complaint about a late courier nowhere near "my parcel is late".

    Every cosine is put on MiniLM's scale first (``calibration.py``: each backend calibrated on the
    taxonomy's own phrases), so the thresholds and the theme's nudge mean the same on any backend."""

    def __init__(self, taxonomy: Taxonomy, matcher: RuleMatcher, backend: EmbeddingBackend,
                 config: JourneyConfig, multilingual: Callable[[], EmbeddingBackend] | None = None,
                 phrase_cache: Path | None = None) -> None:
        self.taxonomy, self.matcher, self.backend, self.config = taxonomy, matcher, backend, config
        self.phrase_cache = phrase_cache  # where the taxonomy phrases' vectors are kept between nights
        self.stages, self.touchpoints = _embedded(taxonomy, backend, phrase_cache)
        self.channels = {c.lower(): t.id for t in taxonomy.touchpoints for c in t.channels}
        self.language_rules: dict[str, LanguagePatterns] = language_patterns(taxonomy)
        self.english_only = backend.name.startswith(ENGLISH_ONLY_BACKENDS)
        self._multilingual = multilingual

    @cached_property
    def multilingual(self) -> tuple[EmbeddingBackend, Prototypes, Prototypes]:
        """The multilingual backend and the stages and touchpoints embedded by it (built on first use)."""
        try:
            backend = self._multilingual()
        except Exception as exc:  # no segment's fault: the step fails rather than set every foreign one aside
            raise ModelUnavailable(f"the multilingual backend does not load: {type(exc).__name__}: {exc}") from exc
        return (backend, *_embedded(self.taxonomy, backend, self.phrase_cache))

    def similarities(self, texts: Sequence[str], vectors: np.ndarray, languages: Sequence[str | None] | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
        """(segments x stages, segments x touchpoints) cosines on MiniLM's scale (``calibration.py``);
        segments not in English are read by the multilingual model when the configured backend reads
        English only."""
        stage, touchpoint = self.stages.similarity(vectors, languages), self.touchpoints.similarity(vectors, languages)
        foreign = [i for i, lang in enumerate(languages or []) if lang and not lang.startswith("en")]
        if foreign and self.english_only and self._multilingual is not None:
            backend, stages, touchpoints = self.multilingual
            encoded = backend.encode([texts[i] for i in foreign])
            read = [languages[i] for i in foreign]  # type: ignore[index]
            stage[foreign], touchpoint[foreign] = stages.similarity(encoded, read), touchpoints.similarity(encoded, read)
        return stage, touchpoint

    def rule_scores(self, texts: Sequence[str], tokens: Sequence[Tokens | None] | None,
                    languages: Sequence[str | None] | None) -> list[tuple[RuleScores, RuleScores]]:
        """(stage, touchpoint) rule scores per text: the language's own patterns where the taxonomy has
        them, the English ones (on lemmas) otherwise."""
        languages = list(languages) if languages is not None else [None] * len(texts)
        own = {i: self.language_rules[base_language(lang)] for i, lang in enumerate(languages)
               if base_language(lang) in self.language_rules}
        rest = [i for i in range(len(texts)) if i not in own]
        english = self.matcher.scores([texts[i] for i in rest], [tokens[i] for i in rest] if tokens else None)
        result: list[tuple[RuleScores, RuleScores]] = [({}, {})] * len(texts)
        for i, scores in zip(rest, english, strict=True):
            result[i] = scores
        for i, rules in own.items():
            result[i] = rules.score(texts[i])
        return result

    def tag(self, texts: list[str], channels: list[str | None], vectors: np.ndarray,
            tokens: list[Tokens | None] | None = None, stage_similarity: np.ndarray | None = None,
            languages: list[str | None] | None = None, touchpoint_similarity: np.ndarray | None = None
            ) -> list[tuple[Tag, Tag]]:
        """(stage, touchpoint) per segment; vectors are the segments' embeddings by ``backend``,
        tokens what enrichment stored for the rules (``RuleMatcher.scores``), languages each
        segment's language (None: English rules), stage_similarity and touchpoint_similarity
        ``self.similarities(...)`` where the caller has them already."""
        rules = self.rule_scores(texts, tokens, languages)
        if stage_similarity is None or touchpoint_similarity is None:
            stage_similarity, touchpoint_similarity = self.similarities(texts, vectors, languages)
        return [
            (decide_stage(stage_rules, stage_similarity[i], self.stages.ids, self.config),
             decide_touchpoint(touchpoint_rules, channels[i], touchpoint_similarity[i], self.touchpoints.ids,
                               self.channels, self.config))
            for i, (stage_rules, touchpoint_rules) in enumerate(rules)
        ]

    def stage_similarity(self, vectors: np.ndarray, languages: Sequence[str | None] | None = None) -> np.ndarray:
        """segments x stages: each segment's cosine to each stage on MiniLM's scale, in taxonomy order."""
        return self.stages.similarity(vectors, languages)


class LazyTagger:
    """Stands in for a JourneyTagger and builds it (spaCy's lemmatizer, the embedding model) on
    first use of anything but the taxonomy and the settings: a night with no new segment loads
    no model."""

    def __init__(self, taxonomy: Taxonomy, config: JourneyConfig, load: Callable[[], JourneyTagger]) -> None:
        self.taxonomy, self.config, self._load, self._tagger = taxonomy, config, load, None

    def __getattr__(self, name: str) -> Any:
        if self._tagger is None:
            try:
                self._tagger = self._load()
            except ModelUnavailable:
                raise
            except Exception as exc:  # no segment's fault: the step fails, nothing is set aside
                raise ModelUnavailable(f"the journey tagger does not load: {type(exc).__name__}: {exc}") from exc
        return getattr(self._tagger, name)


def load_tagger(taxonomy: Taxonomy, nlp: NlpConfig, backend: EmbeddingBackend, config: JourneyConfig,
                multilingual: Callable[[], EmbeddingBackend] | None = None) -> JourneyTagger:
    """A tagger from configuration: the English spaCy model's lemmatizer, the embedding backend and,
    for segments not in English when that backend reads English only, the multilingual one
    (``multilingual``: loaded on first need; by default vocmine's ``multilingual`` backend). The
    taxonomy phrases' vectors are kept in vocmine's cache folder (``vocmine.text.cache``)."""
    if multilingual is None:
        multilingual = _load_multilingual
    return JourneyTagger(taxonomy, RuleMatcher(taxonomy, lemma_pipeline(nlp)), backend, config, multilingual,
                         phrase_cache=cache_folder() / "phrases")


def _embedded(taxonomy: Taxonomy, backend: EmbeddingBackend, cache: Path | None) -> tuple[Prototypes, Prototypes]:
    """The stages and touchpoints embedded by ``backend``, each list calibrated on its phrases in the
    taxonomy's own language (the description and examples every entry has)."""
    def prototypes(entries: Sequence[Stage | Touchpoint], kind: str) -> Prototypes:
        return Prototypes([(e.id, e.phrases()) for e in entries], backend, cache, kind=kind, languages=[
            [None] * (1 + len(e.examples)) + [code for code, words in e.languages.items() for _ in words.examples]
            for e in entries])

    return prototypes(taxonomy.stages, "stages"), prototypes(taxonomy.touchpoints, "touchpoints")


def _load_multilingual() -> EmbeddingBackend:
    from vocmine.embed.backends import load_backend

    return load_backend("multilingual")


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


def stages_in_theme(similarity: np.ndarray, shares: np.ndarray, config: JourneyConfig
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Segments (rows) whose words name no stage: each one's cosine to each stage, and the shares
    of those stages among its theme's pattern-tagged segments (zeros where the theme has too
    few). Its own meaning decides, nudged by the theme: a clause like "had to stand in the
    garden to get a signal" names no stage, but the clauses of its theme say "usage" again and
    again. The nudge (``theme_weight`` times the share) settles close calls only, so a clause
    that clearly means another stage keeps it.
    Per row: the stage (index) the weighing picks; whether the nudge decided it (a tag of method
    ``theme``; elsewhere the segment's own meaning stands, as ``decide_stage`` gives it); and the
    weighed cosine, its confidence."""
    rows = np.arange(len(similarity))
    nudge = config.theme_weight * shares
    weighed = similarity + nudge
    pick = weighed.argmax(axis=1)
    own, _, own_known = _closest(similarity, config.stage_min_similarity, config.min_margin)
    by_theme = (nudge[rows, pick] > 0) & ~(own_known & (pick == own))
    return pick, by_theme, np.minimum(weighed[rows, pick], 1.0)


def _by_rules(rules: RuleScores, similarity: np.ndarray, ids: list[str]) -> Tag:
    """The most pattern tokens wins; a tie goes to the closer by meaning."""
    best = max(rules, key=lambda key: (rules[key], similarity[ids.index(key)] if key in ids else -1.0, key))
    return Tag(best, round(rules[best] / sum(rules.values()), 4), "rule")


def _by_meaning(similarity: np.ndarray, ids: list[str], floor: float, margin: float) -> Tag:
    if len(ids) == 0:
        return Tag(UNKNOWN, 0.0, "none")
    index, best, known = _closest(similarity[np.newaxis], floor, margin)
    confidence = min(float(best[0]), 1.0)  # a calibrated cosine can pass 1
    if known[0]:
        return Tag(ids[index[0]], round(confidence, 4), "semantic")
    return Tag(UNKNOWN, round(max(confidence, 0.0), 4), "none")


def _closest(similarity: np.ndarray, floor: float, margin: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of cosines: the closest entry (the first of equals), its cosine, and whether it
    is close enough (``floor``) and ahead of the second by ``margin`` to be a tag."""
    ranked = np.sort(similarity, axis=1)
    second = ranked[:, -2] if similarity.shape[1] > 1 else np.full(len(similarity), -1.0)
    return similarity.argmax(axis=1), ranked[:, -1], (ranked[:, -1] >= floor) & (ranked[:, -1] - second >= margin)


__all__ = ["JourneyTagger", "LazyTagger", "Tag", "decide_stage", "decide_touchpoint", "load_tagger",
           "stages_in_theme"]
