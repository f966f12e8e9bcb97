"""``vocmine_pii``: find what must not reach analysts, before anything is derived from the text.

Structured identifiers (e-mails, phones, Luhn-valid cards, IBANs, ...) come from
:mod:`vocmine.nlp.pii`; people's names from the pipeline's NER, where it has one. Brand
handles (``@AmazonHelp``) are not personal data: they are kept in the text and reported
separately so they neither leak customers nor drive themes.

Results are plain tuples in ``doc._.pii`` and ``doc._.brands`` so docs survive the trip back
from spaCy's worker processes.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from vocmine.nlp.pii import PiiRules, PiiSpan, find_brand_handles, find_pii

Doc.set_extension("pii", default=(), force=True)
Doc.set_extension("brands", default=(), force=True)


class PiiFinder:
    def __init__(self, rules: PiiRules, use_ner: bool) -> None:
        self.rules = rules
        self.use_ner = use_ner

    def __call__(self, doc: Doc) -> Doc:
        spans = list(find_pii(doc.text, self.rules))
        if self.use_ner:
            taken = [(s.start, s.end) for s in spans]
            for ent in doc.ents:
                if ent.label_ == "PERSON" and not any(ent.start_char < e and s < ent.end_char for s, e in taken):
                    spans.append(PiiSpan(ent.start_char, ent.end_char, "PERSON"))
        doc._.pii = tuple((s.start, s.end, s.kind) for s in sorted(spans))
        doc._.brands = tuple(find_brand_handles(doc.text, self.rules))
        return doc


@Language.factory(
    "vocmine_pii",
    default_config={"extra_patterns": {}, "brand_handles": [], "use_ner": True},
)
def make_pii_finder(
    nlp: Language, name: str, extra_patterns: dict[str, list[str]], brand_handles: list[str], use_ner: bool
) -> PiiFinder:
    rules = PiiRules(
        extra_patterns=tuple((kind, p) for kind, patterns in sorted(extra_patterns.items()) for p in patterns),
        brand_handles=frozenset(h.lower().lstrip("@") for h in brand_handles),
    )
    return PiiFinder(rules, use_ner=use_ner and "ner" in nlp.pipe_names)
