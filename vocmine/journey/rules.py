"""Rule tagging: the taxonomy's patterns found in a segment, on lemmas of content words.

Patterns are written in base form ("charge", "cancel contract"); matching lemmas lets
"charged", "charges" and "Cancelled my contract" hit them without listing every inflection,
and dropping function words (articles, pronouns, prepositions, auxiliaries, particles) lets
one pattern cover "cancel the contract" and "cancel my contract".
Each stage or touchpoint scores the number of words its matches cover. Overlapping matches
are resolved among stages (and among touchpoints) in favour of the longest, so the most
specific phrase claims its words ("termination charge" counts for renewal, not also "charge"
for billing); stages and touchpoints are resolved separately, so "bill" can signal the billing
stage and the bill touchpoint at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from vocmine.config import NlpConfig
from vocmine.journey.taxonomy import Taxonomy
from vocmine.nlp.pipeline import keep_placeholders, load_trained

RuleScores = dict[str, float]


@Language.component("vocmine_lower_lemmas")
def _lower_lemmas(doc):
    """'Chat' as a proper noun keeps its capital in its lemma; patterns are lowercase."""
    for token in doc:
        token.lemma_ = token.lemma_.lower()
    return doc


def lemma_pipeline(config: NlpConfig) -> Language:
    """Tokenizer, tagger and lemmatizer of the English model; nothing else is needed here."""
    nlp = load_trained(config.model, ("parser", "ner", "senter"))
    keep_placeholders(nlp, config)
    nlp.add_pipe("vocmine_lower_lemmas")
    return nlp


FUNCTION_POS = {"DET", "PRON", "AUX", "CCONJ", "SCONJ", "PART"}


class RuleMatcher:
    """Patterns and segments both lose articles, pronouns, auxiliaries, conjunctions and
    particles, so "closed my account" meets the pattern "close account"; prepositions stay, so
    "on the phone" (the call centre) differs from "my phone" (the handset). Each is matched on lemmas
    and on the words as written: a pattern lemmatised out of context ("booking" -> "book")
    still finds its literal form."""

    def __init__(self, taxonomy: Taxonomy, nlp: Language) -> None:
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab)
        for kind, items in (("stage", taxonomy.stages), ("touchpoint", taxonomy.touchpoints)):
            for item in items:
                docs = [d for pair in self._reduced(nlp.pipe(p.lower() for p in item.patterns)) for d in pair if len(d)]
                if docs:
                    self.matcher.add(f"{kind}:{item.id}", docs)

    def scores(self, texts: Iterable[str], batch_size: int = 256) -> list[tuple[RuleScores, RuleScores]]:
        """(stage scores, touchpoint scores) per text."""
        found = []
        for lemmas, words in self._reduced(self.nlp.pipe(texts, batch_size=batch_size)):
            spans = {(s.label_, s.start, s.end): s for s in [*self.matcher(lemmas, as_spans=True),
                                                             *self.matcher(words, as_spans=True)]}
            result: tuple[RuleScores, RuleScores] = ({}, {})
            for index, kind in enumerate(("stage:", "touchpoint:")):
                # the longest phrase claims its words: "termination charge" is not also "charge"
                for span in filter_spans([s for s in spans.values() if s.label_.startswith(kind)]):
                    key = span.label_.removeprefix(kind)
                    result[index][key] = result[index].get(key, 0.0) + len(span)
            found.append(result)
        return found

    def _reduced(self, docs: Iterable[Doc]) -> Iterable[tuple[Doc, Doc]]:
        """(lemmas, lowercase words) without punctuation, spaces and function words that are stop
        words (prepositions excepted); a word the tagger is unsure of ("webchat") stays."""
        for doc in docs:
            kept = [t for t in doc if not (t.is_punct or t.is_space or (t.is_stop and t.pos_ in FUNCTION_POS))]
            yield (Doc(self.nlp.vocab, words=[t.lemma_ or t.lower_ for t in kept]),
                   Doc(self.nlp.vocab, words=[t.lower_ for t in kept]))


__all__ = ["RuleMatcher", "RuleScores", "lemma_pipeline"]
