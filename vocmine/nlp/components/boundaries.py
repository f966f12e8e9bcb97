"""Sentence boundaries the sentence splitter gets wrong, mended before clauses are cut.

A rule-based sentencizer ends a sentence at every full stop, so "鞋跟6.5公分" became "鞋跟6." and
"5公分", and a numbered list "1.送餐慢2.菜凉了" became "1." | "送餐慢2." | "菜凉了": a bare number
is a segment of its own and the next item's number hangs on the previous item. Here a full stop
between digits never ends a sentence, and a list marker ("2.", "3、", "(4)", "⑤") starts the
item it numbers, in every language.

    >>> # "1.送餐慢2.菜凉了" -> ["1.送餐慢", "2.菜凉了"]; "6.5公分" stays one piece
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

# "2." "3、" "4)" "（5）" "⑥": at most two digits (or a Chinese numeral), not inside a number or a word
LIST_MARKER = re.compile(
    r"(?<![0-9A-Za-z.,])(?:[(（](?:\d{1,2}|[一二三四五六七八九十])[)）]"
    r"|(?:\d{1,2}|[一二三四五六七八九十])[.、．)）](?![0-9])"
    r"|[\u2460-\u2473\u2776-\u277f])")
# what may come just before a list marker: the start, a sentence end or a clause break
BEFORE_MARKER = set("。！？；;.!?:：，,…)）\n")
DECIMAL_POINT = {".", "．"}


def mend(doc: Doc) -> None:
    """Mend ``doc``'s sentence starts in place: decimals and list items."""
    _keep_decimals(doc)
    _start_list_items(doc)


def _keep_decimals(doc: Doc) -> None:
    for token in doc[2:]:
        point, before = doc[token.i - 1], doc[token.i - 2]
        if (token.is_sent_start and point.text in DECIMAL_POINT and not point.whitespace_ and not before.whitespace_
                and before.text[-1:].isdigit() and token.text[:1].isdigit()):
            token.is_sent_start = False


def _start_list_items(doc: Doc) -> None:
    starts = {token.idx: token for token in doc}
    text = doc.text
    for match in LIST_MARKER.finditer(text):
        first = starts.get(match.start())
        if first is None or not _marker_context(text, match.start()):
            continue
        if first.i > 0:
            first.is_sent_start = True
        # the marker's own tokens and the item's first word continue the marker's sentence
        end = match.end() + len(text[match.end():]) - len(text[match.end():].lstrip())
        for token in doc[first.i + 1:]:
            if token.idx > end:
                break
            token.is_sent_start = False


def _marker_context(text: str, start: int) -> bool:
    """A marker opens the text, follows a sentence end or clause break, or is glued to Chinese or
    Japanese text ("送餐慢2.菜凉了"); "I paid 2. Then" is a number, not a list."""
    before = text[:start].rstrip()
    if not before:
        return True
    last = before[-1]
    return last in BEFORE_MARKER or _is_cjk_char(last)


def _is_cjk_char(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff" or "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"
