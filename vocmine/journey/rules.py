"""Rule tagging: the taxonomy's patterns found in a segment, on lemmas of content words.

Patterns are written in base form ("charge", "cancel contract"); matching lemmas lets
"charged", "charges" and "Cancelled my contract" hit them without listing every inflection,
and dropping function words (articles, pronouns, auxiliaries, conjunctions, particles) lets
one pattern cover "cancel the contract" and "cancel my contract". Enrichment stores each
segment's words read this way, so tagging needs no second pass of the language model.
Each stage or touchpoint scores the number of words its matches cover. Overlapping matches
are resolved among stages (and among touchpoints) in favour of the longest, so the most
specific phrase claims its words ("termination charge" counts for renewal, not also "charge"
for billing); stages and touchpoints are resolved separately, so "bill" can signal the billing
stage and the bill touchpoint at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from vocmine.config.nlp import NlpConfig
from vocmine.journey.taxonomy import Taxonomy
from vocmine.text.tokens import keep_placeholders, load_trained, match_tokens

RuleScores = dict[str, float]
Tokens = tuple[Sequence[str], Sequence[str]]  # (lemmas, words) as match_tokens makes them


def lemma_pipeline(config: NlpConfig) -> Language:
    """Tokenizer, tagger and lemmatizer of the English model; nothing else is needed here."""
    nlp = load_trained(config.model, ("parser", "ner", "senter"))
    keep_placeholders(nlp, config.pii_patterns)
    return nlp


class RuleMatcher:
    """Patterns and segments both lose articles, pronouns, auxiliaries, conjunctions and
    particles (``match_tokens``), so "closed my account" meets the pattern "close account". Each
    is matched on lemmas and on the words as written: a pattern lemmatised out of context
    ("booking" -> "book") still finds its literal form."""

    def __init__(self, taxonomy: Taxonomy, nlp: Language) -> None:
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab)
        for kind, items in (("stage", taxonomy.stages), ("touchpoint", taxonomy.touchpoints)):
            for item in items:
                docs = [self._doc(words) for doc in nlp.pipe(p.lower() for p in item.patterns)
                        for words in match_tokens(doc) if words]
                if docs:
                    self.matcher.add(f"{kind}:{item.id}", docs)

    def scores(self, texts: Sequence[str], tokens: Sequence[Tokens | None] | None = None,
               batch_size: int = 256) -> list[tuple[RuleScores, RuleScores]]:
        """(stage scores, touchpoint scores) per text. ``tokens``: what enrichment stored for each
        (None where it stored nothing, e.g. enriched by an older version: that text is read now)."""
        read = list(tokens) if tokens is not None else [None] * len(texts)
        missing = [i for i, t in enumerate(read) if t is None]
        for i, doc in zip(missing, self.nlp.pipe((texts[i] for i in missing), batch_size=batch_size), strict=True):
            read[i] = match_tokens(doc)
        return [self._score(lemmas, words) for lemmas, words in read]

    def _score(self, lemmas: Sequence[str], words: Sequence[str]) -> tuple[RuleScores, RuleScores]:
        spans = {(s.label_, s.start, s.end): s for s in [*self.matcher(self._doc(lemmas), as_spans=True),
                                                         *self.matcher(self._doc(words), as_spans=True)]}
        result: tuple[RuleScores, RuleScores] = ({}, {})
        for index, kind in enumerate(("stage:", "touchpoint:")):
            # the longest phrase claims its words: "termination charge" is not also "charge"
            for span in filter_spans([s for s in spans.values() if s.label_.startswith(kind)]):
                key = span.label_.removeprefix(kind)
                result[index][key] = result[index].get(key, 0.0) + len(span)
        return result

    def _doc(self, words: Sequence[str]) -> Doc:
        return Doc(self.nlp.vocab, words=list(words))


__all__ = ["RuleMatcher", "RuleScores", "Tokens", "lemma_pipeline"]
