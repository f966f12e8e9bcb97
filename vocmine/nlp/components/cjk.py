"""Clauses in Chinese and Japanese: sentence ends, turns and long comma chains.

A Chinese review is often one long sentence of clauses joined by ，: "菜品不错，送餐也快，就是包装
有点差，汤洒了一半". As one segment it gets one theme and one sentiment, so the complaint about
the packaging disappears. Here a sentence in Chinese or Japanese script is cut:

- after ；and … (the sentence splitter only knows 。！？);
- before a contrast word: 但是 可是 然而 でも しかし anywhere a clause can end before them,
  the shorter 但 不过 只是 就是 却 ただ けど only right after a comma (不但 "not only", 只是 "just");
- after ，in a sentence of more than ``LONG_SENTENCE`` characters, when both sides keep at least
  ``MIN_CLAUSE`` characters.

Cuts fall on token starts only, so a word tokenizer (jieba) and the character tokenizer both work.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

ENDS = ("；", ";", "…")
CONTRAST = ("但是", "可是", "然而", "しかし", "でも", "ところが", "けれども")  # a clause turns here, comma or not
CONTRAST_AFTER_COMMA = ("不过", "只是", "就是", "但", "却", "而是", "ただ", "けど")  # only after a comma
COMMAS = set("，,、")
LONG_SENTENCE = 20  # characters (letters and digits) before a chain of ，is cut
MIN_CLAUSE = 4  # characters a clause keeps at least


def is_cjk(text: str) -> bool:
    """True when most letters are Han, hiragana or katakana."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(_is_cjk_char(c) for c in letters) * 2 > len(letters)


def split(doc: Doc, sent: Span) -> None:
    """Set sentence starts inside ``sent`` (of ``doc``) at the cuts above."""
    starts = {token.idx: token for token in sent}
    text, offset = sent.text, sent.start_char
    cuts = sorted(set(_after_ends(text)) | set(_turns(text)))
    pieces = list(zip([0, *cuts], [*cuts, len(text)]))
    if _letters(text) > LONG_SENTENCE:
        cuts += [cut for start, end in pieces for cut in _comma_cuts(text, start, end)]
    for cut in sorted(set(cuts)):
        token = starts.get(offset + cut)
        if token is not None and token.i > sent.start:
            token.is_sent_start = True


def _after_ends(text: str) -> list[int]:
    cuts = []
    for i, char in enumerate(text):
        if char in ENDS:
            j = i + 1
            while j < len(text) and (text[j] in ENDS or text[j].isspace() or text[j] in "”」』)）"):
                j += 1
            if j < len(text) and _letters(text[:i]) >= 1:
                cuts.append(j)
    return cuts


def _turns(text: str) -> list[int]:
    cuts, i = [], 0
    while i < len(text):
        word = next((w for w in CONTRAST + CONTRAST_AFTER_COMMA if text.startswith(w, i)), None)
        if word is None:
            i += 1
            continue
        before = text[:i].rstrip()
        after_comma = bool(before) and before[-1] in COMMAS
        stripped = before.rstrip("".join(COMMAS))
        clause_before = _letters(stripped[max(stripped.rfind(c) for c in COMMAS) + 1:])
        if ((word in CONTRAST or after_comma) and clause_before >= 2 and _letters(text[i + len(word):]) >= 2):
            cuts.append(i)
        i += len(word)
    return cuts


def _comma_cuts(text: str, start: int, end: int) -> list[int]:
    """Cuts after commas in text[start:end]: each clause keeps MIN_CLAUSE characters."""
    cuts, last = [], start
    for i in range(start, end):
        if text[i] in "，," and _letters(text[last:i]) >= MIN_CLAUSE and _letters(text[i + 1:end]) >= MIN_CLAUSE:
            j = i + 1
            while j < end and text[j].isspace():
                j += 1
            cuts.append(j)
            last = j
    return cuts


def _letters(text: str) -> int:
    return sum(c.isalnum() for c in text)


def _is_cjk_char(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff" or "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"
