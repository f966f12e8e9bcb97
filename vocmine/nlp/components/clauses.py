"""``vocmine_clauses``: split a sentence where it turns to a second issue.

"The courier was late but the agent sorted it out" is two segments with opposite
sentiment and different themes. A sentence is split before a contrast marker ("but",
"although", "ale", "pero", ...) when both sides are long enough to be clauses, and before
"and" only when what follows has its own subject and verb ("... and the box was damaged",
not "fast and friendly"). Where the pipeline has no part-of-speech tags (blank pipelines for
other languages), only contrast markers after a comma split.

Sentences written in Chinese or Japanese script follow their own rules (``cjk``): they also
end at ；and …, turn at contrast words (但是, 不过, でも ...) and a long chain of ，is cut into
clauses. Before any of that, boundaries the sentence splitter got wrong in any language are
mended (``boundaries``): "6.5公分" stays whole and a list number starts its item.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from vocmine.nlp.components import boundaries, cjk

CONTRAST = {
    "en": ["but", "although", "though", "however", "whereas", "yet"],
    "de": ["aber", "jedoch", "obwohl", "sondern"],
    "es": ["pero", "aunque", "sino"],
    "fr": ["mais", "cependant", "pourtant", "quoique"],
    "it": ["ma", "però", "tuttavia", "sebbene"],
    "nl": ["maar", "hoewel", "echter"],
    "pl": ["ale", "lecz", "jednak", "jednakże", "chociaż", "choć", "natomiast", "aczkolwiek", "niemniej", "a"],
    "pt": ["mas", "porém", "embora"],
    "uk": ["але", "проте", "однак", "хоча", "зате", "натомість", "втім", "щоправда", "а"],
    "ru": ["но", "однако", "хотя", "зато"],
}
ADDITION = {"en": ["and"]}
_VERB = {"VERB", "AUX"}
_SUBJECT = {"NOUN", "PROPN", "PRON"}


class ClauseSplitter:
    def __init__(self, contrast: list[str], addition: list[str], min_tokens: int) -> None:
        self.contrast = {w.lower() for w in contrast}
        self.addition = {w.lower() for w in addition}
        self.min_tokens = min_tokens

    def __call__(self, doc: Doc) -> Doc:
        if not doc.has_annotation("SENT_START"):
            return doc
        boundaries.mend(doc)
        tagged = doc.has_annotation("POS")
        for sent in list(doc.sents):
            if cjk.is_cjk(sent.text):
                cjk.split(doc, sent)
                continue
            start = sent.start
            for token in sent:
                if token.i - start < self.min_tokens or sent.end - token.i <= self.min_tokens:
                    continue
                if self._splits(token, doc[start:token.i], doc[token.i + 1:sent.end], tagged):
                    token.is_sent_start = True
                    start = token.i
        return doc

    def _splits(self, token, left: Span, right: Span, tagged: bool) -> bool:
        word = token.lower_
        after_comma = token.i > 0 and token.nbor(-1).text in {",", ";", "，", "–", "-"}
        if not tagged:
            return word in self.contrast and after_comma
        if word in self.contrast and token.pos_ in {"CCONJ", "SCONJ", "ADV"}:
            return _has(left, _VERB) and _has(right, _VERB)
        if word in self.addition and token.pos_ == "CCONJ":
            return _has(left, _VERB) and _starts_a_clause(right)
        return False


def _has(span: Span, pos: set[str]) -> bool:
    return any(t.pos_ in pos for t in span)


def _starts_a_clause(span: Span) -> bool:
    """A subject before the first verb within the first few words: 'the box was damaged'."""
    for token in span[:6]:
        if token.pos_ in _VERB:
            return False
        if token.pos_ in _SUBJECT:
            return any(t.pos_ in _VERB for t in span[token.i - span.start + 1:token.i - span.start + 5])
    return False


@Language.factory("vocmine_clauses", default_config={"contrast": None, "addition": None, "min_tokens": 3})
def make_clause_splitter(
    nlp: Language, name: str, contrast: list[str] | None, addition: list[str] | None, min_tokens: int
) -> ClauseSplitter:
    lang = nlp.lang
    return ClauseSplitter(
        contrast if contrast is not None else CONTRAST.get(lang, []),
        addition if addition is not None else ADDITION.get(lang, []),
        min_tokens,
    )
