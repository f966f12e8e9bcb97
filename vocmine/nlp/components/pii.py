"""``vocmine_pii``: find what must not reach analysts, before anything is derived from the text.

Structured identifiers (e-mails, phones, Luhn-valid cards, IBANs, ...) come from
:mod:`vocmine.nlp.pii`; people's names in English from the pipeline's NER, checked against the
name lexicons and completed by known given names and cue rules (:mod:`vocmine.nlp.names`), in
Ukrainian from word-shape rules (:mod:`vocmine.nlp.names_uk`), in Chinese a surname with a title
(:mod:`vocmine.nlp.names_zh`), in Polish names after a cue (:mod:`vocmine.nlp.names_pl`); other
languages get no names. Brand
handles (``@AmazonHelp``) are not personal data: they are kept in the text and reported
separately so they neither leak customers nor drive themes.

Results are plain tuples in ``doc._.pii`` and ``doc._.brands`` so docs survive the trip back
from spaCy's worker processes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from vocmine.nlp.name_lexicons import load_name_lexicon
from vocmine.nlp.names import company_words, find_english_names
from vocmine.nlp.names_pl import find_polish_names
from vocmine.nlp.names_uk import find_ukrainian_names
from vocmine.nlp.names_zh import find_chinese_names
from vocmine.nlp.pii import PiiRules, PiiSpan, find_brand_handles, find_pii

Doc.set_extension("pii", default=(), force=True)
Doc.set_extension("brands", default=(), force=True)


class PiiFinder:
    """Runs the pipeline's NER itself, and only on docs that could hold a name.

    The statistical NER finds people by capitalised words; most feedback has none beyond
    its first word ("where is my card?"), and skipping NER there roughly halves the cost
    of enrichment. The ``ner`` pipe is disabled in the pipeline and called from here.
    """

    def __init__(self, rules: PiiRules, ner: Callable | None, names: Callable[[Doc], list[PiiSpan]] | None = None
                 ) -> None:
        self.rules = rules
        self.ner = ner
        self.names = names  # doc -> person spans (after NER, where there is one); None: no names

    def __call__(self, doc: Doc) -> Doc:
        if self.ner is not None and may_name_someone(doc):
            doc = self.ner(doc)
        return self._find(doc)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            if self.ner is not None:
                for _ in self.ner.pipe([d for d in batch if may_name_someone(d)], batch_size=batch_size):
                    pass  # NER sets doc.ents in place
            yield from (self._find(doc) for doc in batch)

    def _find(self, doc: Doc) -> Doc:
        spans = list(find_pii(doc.text, self.rules))
        if self.names is not None:
            for name in sorted(self.names(doc), key=lambda n: n.start - n.end):  # longest first
                if not any(name.start < s.end and s.start < name.end for s in spans):
                    spans.append(name)
        doc._.pii = tuple((s.start, s.end, s.kind) for s in sorted(spans))
        doc._.brands = tuple(find_brand_handles(doc.text, self.rules))
        return doc


def may_name_someone(doc: Doc) -> bool:
    """A capitalised word that is not just a sentence's first word (or is a proper noun)."""
    for token in doc:
        if token.is_title and token.is_alpha and len(token) > 1 and (
                not token.is_sent_start or token.tag_ in {"NNP", "NNPS"}):
            return True
    return False


@Language.factory(
    "vocmine_pii",
    default_config={"extra_patterns": {}, "brand_handles": [], "use_ner": True},
)
def make_pii_finder(
    nlp: Language, name: str, extra_patterns: dict[str, list[str]], brand_handles: list[str], use_ner: bool
) -> PiiFinder:
    ner = None
    if use_ner and "ner" in nlp.component_names:
        ner = nlp.get_pipe("ner")
        if "ner" in nlp.pipe_names:
            nlp.disable_pipe("ner")
    rules = PiiRules(
        extra_patterns=tuple((kind, p) for kind, patterns in sorted(extra_patterns.items()) for p in patterns),
        brand_handles=frozenset(h.lower().lstrip("@") for h in brand_handles),
    )
    return PiiFinder(rules, ner, _name_finder(nlp.lang, ner is not None, company_words(brand_handles)))


def _name_finder(language: str, has_ner: bool, company: frozenset[str]) -> Callable[[Doc], list[PiiSpan]] | None:
    """English with NER; Ukrainian, Chinese and Polish by rules; elsewhere no name detector (yet)."""
    lexicon = load_name_lexicon()
    if language == "en" and has_ner:
        return partial(find_english_names, lexicon=lexicon, company_words=company)
    if language == "uk":
        return partial(_ukrainian_names, lexicon=lexicon)
    if language == "zh":
        return partial(_chinese_names, lexicon=lexicon)
    if language == "pl":
        return partial(_polish_names, lexicon=lexicon)
    return None


def _ukrainian_names(doc: Doc, lexicon) -> list[PiiSpan]:
    return find_ukrainian_names(doc.text, lexicon)


def _chinese_names(doc: Doc, lexicon) -> list[PiiSpan]:
    return find_chinese_names([(token.text, token.idx) for token in doc], lexicon)  # jieba's words


def _polish_names(doc: Doc, lexicon) -> list[PiiSpan]:
    return find_polish_names(doc.text, lexicon)
