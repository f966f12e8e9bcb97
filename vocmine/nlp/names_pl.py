"""People's names in Polish feedback (a blank spaCy pipeline, no NER): names after a cue.

Polish customers name staff after a form of address or a verb of service, and sign their letters:
"Pan Tomasz był bardzo pomocny", "rozmawiałam z Panią Kowalską", "obsługiwała mnie Pani Ania",
"kurier Marek zostawił paczkę", "Pozdrawiam, Anna Nowak". A capitalised word after

- Pan, Pani, Panem, Panią, Panu, Pana, Panie (the capital matters: "pan z serwisu" is anyone);
- a verb of service ("obsługiwał(a) mnie/nas", "rozmawiałem/am z", "pomógł/pomogła mi") or a job
  (konsultant(ka), kurier, doradca, sprzedawca, pracownik, technik, serwisant, pielęgniarka, lekarz, ...);
- a sign-off at the end ("Pozdrawiam", "Z poważaniem"), with nothing but the name after it,

is a name, with one more capitalised word (a surname). A word in ``not_names.txt`` or a place
stops it ("Pan z Warszawy"), and a polite "Pan"/"Pani" used as "you" is followed by a lower-case
verb ("czy Pan może"), which no rule takes.

    >>> from vocmine.nlp.name_lexicons import load_name_lexicon
    >>> text = "Obsługiwała mnie Pani Anna Nowak, a kurier z DPD się spóźnił."
    >>> [text[s.start:s.end] for s in find_polish_names(text, load_name_lexicon())]
    ['Anna Nowak']
"""

from __future__ import annotations

import re

from vocmine.nlp.name_lexicons import NameLexicon
from vocmine.nlp.pii import PiiSpan

_WORD = r"[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]+(?:-[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]+)?"
_ADDRESS = r"(?:Pan|Pani|Panem|Panią|Panu|Pana|Panie)"  # capitalised: a title before a name
_SERVICE = (r"(?i:obsługiwał[a]?\s+(?:mnie|nas)|obsłużył[a]?\s+(?:mnie|nas)|rozmawiał(?:em|am|a)?\s+z"
            r"|pomógł\s+mi|pomogła\s+mi|konsultant(?:ka|em|ką|a|ki)?|kurier(?:em|a|owi)?|doradc(?:a|ą|y|zyni)"
            r"|sprzedaw(?:ca|cą|cy|czyni)|pracowni(?:k|kiem|ca|cą)|techni(?:k|kiem)|serwisant(?:em|ka)?"
            r"|pielęgniark(?:a|ą|i)|lekar(?:z|zem|ka)|fryzjer(?:ka|em)?|kierowc(?:a|ą)|menedżer(?:em|ka)?"
            r"|kierowni(?:k|kiem|czka|czką))")
_CUE = re.compile(rf"(?<!\w)(?:{_ADDRESS}|{_SERVICE})(?:\s+{_ADDRESS})?[ \t]+({_WORD}(?:[ \t]+{_WORD})?)")
_SIGNOFF = re.compile(rf"(?i:pozdrawiam(?:\s+serdecznie)?|z\s+poważaniem|serdecznie\s+pozdrawiam)"
                      rf"[ \t]*[,.!]?\s*({_WORD}(?:[ \t]+{_WORD})?)[\s.!]*$")


def find_polish_names(text: str, lexicon: NameLexicon) -> list[PiiSpan]:
    """Person spans in a Polish text: names after a title, a verb of service or a job, and signatures."""
    spans = []
    for match in _CUE.finditer(text):
        span = _name(text, match.start(1), match.end(1), lexicon)
        if span is not None:
            spans.append(span)
    signature = _SIGNOFF.search(text)
    if signature and not any(s.start <= signature.start(1) < s.end for s in spans):
        span = _name(text, signature.start(1), signature.end(1), lexicon)
        if span is not None:
            spans.append(span)
    return sorted(spans)


def _name(text: str, start: int, end: int, lexicon: NameLexicon) -> PiiSpan | None:
    """The capitalised words from ``start`` up to the first that is no name (a place, a brand, a month)."""
    words = [(m.start() + start, m.group()) for m in re.finditer(r"\S+", text[start:end])]
    kept = []
    for offset, word in words:
        if lexicon.never_a_name(word) or lexicon.is_place(word) or re.fullmatch(_ADDRESS, word):
            break
        kept.append((offset, word))
    if not kept:
        return None
    return PiiSpan(kept[0][0], kept[-1][0] + len(kept[-1][1]), "PERSON")
