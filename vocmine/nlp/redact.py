"""Apply PII spans to a text: each span becomes a ``[KIND]`` placeholder, offsets stay mappable.

Why a separate step from detection: spans come from several detectors (regexes in ``pii.py``, PERSON
from NER) that may overlap; redaction resolves them once, deterministically, and keeps enough to map
any offset of the original text (a sentence boundary, a token) onto the redacted text.

    >>> r = redact("Call me on 07700 900123", [PiiSpan(11, 23, "PHONE")])
    >>> r.text, r.to_redacted(23), r.counts()
    ('Call me on [PHONE]', 18, {'PHONE': 1})
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from vocmine.nlp.pii import PiiSpan
from vocmine.text.tokens import placeholder

__all__ = ["Redaction", "placeholder", "redact"]


@dataclass(frozen=True)
class Redaction:
    """A redacted text and the spans applied, as offsets into the original text."""

    text: str
    spans: tuple[PiiSpan, ...]
    # Where each placeholder starts and ends in the redacted text, derived from ``spans``.
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _new_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        shift, new_starts = 0, []
        for span in self.spans:
            new_starts.append(span.start + shift)
            shift += len(placeholder(span.kind)) - (span.end - span.start)
        object.__setattr__(self, "_starts", tuple(s.start for s in self.spans))
        object.__setattr__(self, "_new_starts", tuple(new_starts))

    def to_redacted(self, offset: int) -> int:
        """Map an offset in the original text to the redacted text.

        Inside a redacted span (its start included) maps to the placeholder's start; a span's end to
        the placeholder's end, so ``[to_redacted(s), to_redacted(e))`` never cuts a placeholder in two.
        """
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return offset
        span, new_start = self.spans[i], self._new_starts[i]
        if offset < span.end:
            return new_start
        return new_start + len(placeholder(span.kind)) + (offset - span.end)

    def counts(self) -> dict[str, int]:
        """Kind -> number of spans redacted, e.g. ``{"EMAIL": 1, "PHONE": 2}``."""
        return dict(Counter(span.kind for span in self.spans))


def _non_overlapping(spans: Iterable[PiiSpan]) -> list[PiiSpan]:
    """Earliest start wins, then the longer span, then the kind's name (so the result never depends on
    the order detectors reported in); spans overlapping a kept one are dropped, empty ones ignored."""
    kept: list[PiiSpan] = []
    for span in sorted(set(spans), key=lambda s: (s.start, -s.end, s.kind)):
        if span.end > span.start and (not kept or span.start >= kept[-1].end):
            kept.append(span)
    return kept


def redact(text: str, spans: Iterable[PiiSpan]) -> Redaction:
    """Replace each span with ``[KIND]``; overlapping spans: the earlier, then the longer, wins.

    >>> redact("Jo Lee, jo@example.com", [PiiSpan(8, 22, "EMAIL"), PiiSpan(0, 6, "PERSON")]).text
    '[PERSON], [EMAIL]'
    """
    applied = _non_overlapping(spans)
    for span in applied:
        if span.start < 0 or span.end > len(text):
            raise ValueError(f"span {span} lies outside the text (length {len(text)})")
    pieces, last = [], 0
    for span in applied:
        pieces += (text[last:span.start], placeholder(span.kind))
        last = span.end
    pieces.append(text[last:])
    return Redaction("".join(pieces), tuple(applied))
