"""Choosing the quotes a report shows: typical of the theme, but not the same sentence three times.

Customers often phrase a complaint alike, and the segments closest to a theme's centre are the
most alike of all. Quotes are taken most-typical first, skipping any that share most of their
words with one already chosen, and preferring a source not yet quoted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

QUOTES_PER_THEME = 3
MAX_OVERLAP = 0.4       # Jaccard overlap of words above which two quotes say the same thing
MIN_WORDS = 4           # shorter segments rarely make a useful quote

_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def pick_verbatims(rows: Iterable[dict[str, Any]], per_theme: int = QUOTES_PER_THEME) -> dict[int, list[dict]]:
    """Theme ID -> up to ``per_theme`` varied quotes; ``rows`` come most typical first per theme."""
    by_theme: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_theme.setdefault(row["theme_id"], []).append(row)
    return {theme: _varied(candidates, per_theme) for theme, candidates in by_theme.items()}


def _varied(candidates: list[dict[str, Any]], wanted: int) -> list[dict[str, Any]]:
    chosen: list[tuple[dict[str, Any], set[str]]] = []
    usable = [(row, _words(row["text"])) for row in candidates if len(_words(row["text"])) >= MIN_WORDS]
    for new_source_only in (True, False):    # first pass: one quote per source; then any source
        for row, words in usable:
            if len(chosen) == wanted:
                return [r for r, _ in chosen]
            if any(r is row for r, _ in chosen) or any(_overlap(words, w) > MAX_OVERLAP for _, w in chosen):
                continue
            if new_source_only and any(r["source"] == row["source"] for r, _ in chosen):
                continue
            chosen.append((row, words))
    return [r for r, _ in chosen]
