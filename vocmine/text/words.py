"""Words of a text in its own language, for theme labels: what a word is differs by script.

Latin and Cyrillic scripts put spaces between words, so a word is a run of letters and digits
(apostrophes and hyphens inside it kept: "can't", "e-mail", "пів-години"), whatever its
letters: "obsługa", "черга". Chinese writes no spaces, so its words come from jieba, the
same segmenter the Chinese enrichment pipeline uses (``nlp.pipeline.chinese_words``): a
label is then made of words such as 扣款 (a charge), not of single characters, and is
written without spaces ("重复扣款"). Stop words are spaCy's list for each language.

Example::

    >>> words("Obsługa miła, ale długo czekałem.", "pl")
    ['Obsługa', 'miła', 'ale', 'długo', 'czekałem']
    >>> join(["重复", "扣款"], "zh")
    '重复扣款'
"""

from __future__ import annotations

import logging
import re
from functools import cache

import spacy

# languages written without spaces between words
UNSPACED = frozenset({"zh", "ja", "th"})
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words(text: str, language: str) -> list[str]:
    """The words of ``text`` as written, punctuation and spaces left out."""
    if language == "zh" or (language not in UNSPACED and _HAN.search(text or "")):
        return [w for w in _jieba().lcut(text or "") if any(ch.isalnum() for ch in w) and not w.isspace()]
    return _WORD.findall(text or "")


def join(parts: list[str] | tuple[str, ...], language: str) -> str:
    """Words back into a phrase: with spaces, or without for Chinese and Japanese.

    A Latin word between two Chinese ones keeps a space on its side ("app 闪退")."""
    if language not in UNSPACED:
        return " ".join(parts)
    out = ""
    for part in parts:
        if out and (out[-1].isascii() and out[-1].isalnum() or part[:1].isascii() and part[:1].isalnum()):
            out += " "
        out += part
    return out


@cache
def stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words of ``language`` (lower case); none when spaCy has no list for it."""
    try:
        return frozenset(w.lower() for w in spacy.util.get_lang_class(language).Defaults.stop_words)
    except (ImportError, AttributeError):
        return frozenset()


@cache
def _jieba():
    try:
        import jieba
    except ImportError as exc:
        raise RuntimeError("Chinese feedback needs jieba: pip install jieba==0.42.1") from exc
    jieba.setLogLevel(logging.WARNING)
    return jieba


__all__ = ["UNSPACED", "join", "stop_words", "words"]
