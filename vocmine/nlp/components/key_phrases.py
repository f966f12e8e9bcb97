"""``vocmine_key_phrases``: the noun phrases a theme label can be made of.

Without the (slow) parser there are no noun chunks, so phrases come from part-of-speech
patterns: adjectives and nouns ending in a noun ("late delivery", "roaming charges",
"tracking number"), lower-cased with the head noun lemmatised, so "roaming charges" and
"roaming charge" count together.
Tokens inside personal data or brand handles never become phrases.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

Doc.set_extension("key_phrases", default=(), force=True)

_MODIFIER = {"IS_STOP": False, "OP": "*"}
_PATTERNS = [
    # "late delivery", "tracking number": adjectives and nouns before a noun
    [{**_MODIFIER, "POS": {"IN": ["ADJ", "NOUN", "PROPN"]}}, {"POS": {"IN": ["NOUN", "PROPN"]}, "IS_STOP": False}],
    # "roaming charges": the tagger reads noun modifiers in -ing as verbs
    [{"TAG": "VBG", "IS_STOP": False}, {**_MODIFIER, "POS": {"IN": ["ADJ", "NOUN"]}},
     {"POS": "NOUN", "IS_STOP": False}],
]


class KeyPhrases:
    def __init__(self, nlp: Language, max_words: int) -> None:
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("PHRASE", _PATTERNS, greedy="LONGEST")
        self.max_words = max_words

    def __call__(self, doc: Doc) -> Doc:
        if not doc.has_annotation("POS"):
            return doc
        hidden = [(s, e) for s, e, *_ in (*doc._.pii, *doc._.brands)]
        phrases = []
        for _, start, end in sorted(self.matcher(doc), key=lambda m: m[1]):
            span = doc[start:end]
            if end - start > self.max_words or any(span.start_char < e and s < span.end_char for s, e in hidden):
                continue
            words = [t.lower_ for t in span[:-1] if t.is_alpha and len(t) > 1] + [span[-1].lemma_.lower()]
            if span[-1].is_alpha:
                phrases.append((span.start_char, span.end_char, " ".join(words)))
        doc._.key_phrases = tuple(phrases)
        return doc


@Language.factory("vocmine_key_phrases", default_config={"max_words": 4})
def make_key_phrases(nlp: Language, name: str, max_words: int) -> KeyPhrases:
    return KeyPhrases(nlp, max_words)
