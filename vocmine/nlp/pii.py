"""Structured PII detection: emails, phones, cards, IBANs, SSNs, URLs, handles, postal addresses
(``addresses.py``) and configured patterns.

Structured identifiers have shapes a regex finds cheaply, and cards and IBANs carry checksums that
separate the real thing from look-alikes (reference numbers, order ids). Names have no shape: the
spaCy component adds PERSON spans from NER on top of these.

Each detector is a compiled pattern plus a small validator. A validator accepts a match (returns a
kind), ignores it, or marks it as a *look-alike* (a card-shaped number failing Luhn, an IBAN-shaped
string failing mod-97, an invalid SSN, a date): a look-alike vetoes the looser PHONE patterns over
its characters, so "Ref 1234 5678 9012 3456" stays untouched instead of becoming half a phone.

    >>> find_pii("Call me on 07700 900123 or mail jo@example.com")
    [PiiSpan(start=11, end=23, kind='PHONE'), PiiSpan(start=32, end=46, kind='EMAIL')]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from vocmine.nlp.addresses import find_addresses

__all__ = ["PiiRules", "PiiSpan", "find_brand_handles", "find_pii", "iban_is_valid", "is_brand_handle", "luhn_is_valid"]


@dataclass(frozen=True, order=True)
class PiiSpan:
    """A detected identifier: character offsets into the input text and its kind (EMAIL, PHONE, ...)."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class PiiRules:
    """Per-deployment additions: extra (kind, regex) patterns and the company's own handles.

    >>> PiiRules(brand_handles=frozenset({"@BrightlineHelp"})).brand_handles
    frozenset({'brightlinehelp'})
    """

    extra_patterns: tuple[tuple[str, str], ...] = ()
    brand_handles: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Handles are compared case-insensitively and without '@'; normalise once here.
        object.__setattr__(self, "brand_handles", frozenset(h.lower().lstrip("@") for h in self.brand_handles))


# --- patterns (data) --------------------------------------------------------------------------------
# Digit patterns must not start glued to a word, a decimal, a path, a currency sign or another number,
# nor end glued to one: that single rule keeps prices, versions, plan codes and flight numbers out.
# The left check is written as a lookbehind *after* the first character (`\d(?<![...]\d)`): a pattern
# that starts with a character class lets the regex engine skip ahead to candidates, 2-3x faster.
_NOT_AFTER = r"[\w+#£$€-]"
_NOT_DECIMAL = r"(?<!\d[.,].)"  # after the first character: "No.07700 900123" is a phone, "0.123456789" is not
_RIGHT = r"(?![\w%£$€]|[.,:+-]\d| ?[%£$€])"

_PATTERNS: dict[str, re.Pattern[str]] = {
    "card": re.compile(
        r"[1-9](?<![\w+.,-].)\d{3}(?:(?P<s>[ -])\d{4}(?P=s)\d{4}(?P=s)\d{1,4}(?:(?P=s)\d{1,3})?"
        r"|(?P<a>[ -])\d{6}(?P=a)\d{4,5}|\d{9,15})(?!\w|[.,-]\d)"),
    "iban": re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b", re.IGNORECASE),
    "ssn": re.compile(r"(\d(?<![\w-]\d)\d\d)-(\d{2})-(\d{4})(?![\w-]|\.\d)"),
    "ni": re.compile(r"\b([A-Z]{2}) ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE),
    "phone_intl": re.compile(
        r"[+0(](?<![\w+].)(?:(?<=\+)\d{8,15}|(?<=0)0\d{8,13}|(?:(?<=\()\+\d{1,3}\)|(?<=\+)\d{1,3}|(?<=0)0\d{1,3})"
        r"(?:[ .-]?\(0\)[ .-]?\d{1,5}|[ .-]?\(\d{1,5}\)|[ .-]?\d{1,8})(?:[ .-]\d{1,8}){0,6})" + _RIGHT),
    "phone_grouped": re.compile(
        rf"[(\d](?<!{_NOT_AFTER}.){_NOT_DECIMAL}(?:(?<=\()\d{{2,5}}\)[ .-]?|(?<=\d)\d{{0,5}}[ .-])"
        r"\d{2,8}(?:[ .-]\d{2,8}){0,5}" + _RIGHT),
    "phone_bare": re.compile(
        rf"\d(?<!{_NOT_AFTER}\d){_NOT_DECIMAL}"  # 0 + 9-10 digits, NANP with or without 1, UK MSISDN 44...
        r"(?:(?<=0)[1-9]\d{8,9}|(?<=1)[2-9]\d{2}[2-9]\d{6}|(?<=4)4[1-9]\d{9}|(?<=[2-9])\d{2}[2-9]\d{6})" + _RIGHT),
    "date": re.compile(r"(?<![\d.])(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))"
                       r"(?!\d|[-/.]\d)"),
    "email": re.compile(r"(?<![\w.+-])[A-Za-z0-9][\w.%+'-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}"
                        r"(?![\w-]|\.[A-Za-z0-9])"),
    "url": re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE),
    "url_bare": re.compile(
        r"(?<![\w@./-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|co|uk|us|ly|me|gl|gd|to|de|fr|es|it|nl|pl"
        r"|ie|be|ch|at|pt|eu|info|biz|app|dev|ai|tv|shop|link|page)/[^\s<>\"]*", re.IGNORECASE),
    "handle": re.compile(r"@(?<![\w@/:+-]@)([A-Za-z0-9_]{1,15})(?![\w@]|[:.]\d)"),
}
# Cheap pre-checks: a detector only runs when its hint is present (most feedback has no PII at all).
_HINTS: dict[str, re.Pattern[str]] = {
    "digit_run": re.compile(r"\d(?:[ ()+.-]{0,3}\d){8}"),  # nine digits close together
    "iban": re.compile(r"\d(?<=[A-Za-z]{2}\d)\d"),
    "ni": re.compile(r"\d\d ?\d\d ?\d\d ?[A-Da-d]\b"),
    "url_bare": re.compile(r"\.[A-Za-z]{2,4}/"),
}
_BRAND_SUFFIX = re.compile(r"(?:help|support|care|cares|service|team|official|_cs)$", re.IGNORECASE)
_ASK_BRAND = re.compile(r"^[Aa]sk[A-Z]")
_TIME_HANDLE = re.compile(r"^\d{1,2}(?:am|pm)$", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\"*"

# IBAN lengths per country (ISO 13616 registry) for the countries we see; others accept 15-34.
IBAN_LENGTHS = {
    "GB": 22, "DE": 22, "FR": 27, "ES": 24, "IT": 27, "NL": 18, "PL": 28, "IE": 22, "BE": 16, "CH": 21,
    "AT": 20, "PT": 25, "SE": 24, "DK": 18, "NO": 15, "FI": 18, "LU": 20, "CZ": 24, "SK": 24, "HU": 28,
    "RO": 24, "GR": 27, "HR": 21, "SI": 19, "LT": 20, "LV": 21, "EE": 20, "BG": 22, "MT": 31, "CY": 28,
}
_NI_BAD_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})

# On equal length the more specific kind wins (a 3-2-4 SSN is also a 9-digit grouped phone).
_PRIORITY = {"CARD": 0, "IBAN": 1, "SSN": 2, "EMAIL": 4, "URL": 5, "PHONE": 6, "HANDLE": 7, "ADDRESS": 8}
_EXTRA_PRIORITY = 3
VETO = "_LOOKALIKE"
_VETOABLE = frozenset({"PHONE", "CARD", "SSN"})  # digit kinds a look-alike silences (a Luhn run inside a bad IBAN)

Candidate = tuple[int, int, str]


# --- checksums -------------------------------------------------------------------------------------
def luhn_is_valid(digits: str) -> bool:
    """Luhn mod-10 check used by every card scheme; it rejects 90% of random 16-digit references.

    >>> luhn_is_valid("4111111111111111"), luhn_is_valid("4111111111111112")
    (True, False)
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_is_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check (spaces ignored) plus the country's length where we know it.

    >>> iban_is_valid("GB82 WEST 1234 5698 7654 32"), iban_is_valid("GB82 WEST 1234 5698 7654 33")
    (True, False)
    """
    compact = iban.replace(" ", "").upper()
    if not (compact.isascii() and compact.isalnum() and compact[2:4].isdigit()):
        return False
    if not 15 <= len(compact) <= 34 or IBAN_LENGTHS.get(compact[:2], len(compact)) != len(compact):
        return False
    remainder = 0
    for ch in compact[4:] + compact[:4]:
        remainder = (remainder * (100 if ch.isalpha() else 10) + int(ch, 36)) % 97
    return remainder == 1


def _digit_count(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


# --- validators: match -> candidates (kind or VETO) -------------------------------------------------
def _cards(m: re.Match[str], rules: PiiRules) -> Iterator[Candidate]:
    digits = re.sub(r"\D", "", m.group())
    yield m.start(), m.end(), "CARD" if luhn_is_valid(digits) else VETO


def _ibans(m: re.Match[str], rules: PiiRules) -> Iterator[Candidate]:
    """Accept the longest prefix ending at a group boundary that passes mod-97 (a match may run into a
    following 4-letter word); an IBAN shape that never validates is a look-alike."""
    raw = m.group()
    ends = [i + 1 for i, ch in enumerate(raw) if ch != " " and (i + 1 == len(raw) or raw[i + 1] == " ")]
    for end in reversed(ends):
        if end >= 15 and iban_is_valid(raw[:end]):
            yield m.start(), m.start() + end, "IBAN"
            return
    if _digit_count(raw) >= 8:
        yield m.start(), m.end(), VETO


def _ssns(m: re.Match[str], rules: PiiRules) -> Iterator[Candidate]:
    area, group, serial = m.groups()
    valid = area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"
    yield m.start(), m.end(), "SSN" if valid else VETO


def _ni_numbers(m: re.Match[str], rules: PiiRules) -> Iterator[Candidate]:
    prefix = m.group(1).upper()
    if prefix[0] not in "DFIQUV" and prefix[1] not in "DFIOQUV" and prefix not in _NI_BAD_PREFIXES:
        yield m.start(), m.end(), "SSN"


def _intl_phones(m: re.Match[str], rules: PiiRules) -> Iterator[Candidate]:
    body = m.group().replace("(0)", "").lstrip("(")
    digits = _digit_count(body) - (2 if body.startswith("00") else 0)
    if 8 <= digits <= 15:
        yield m.start(), m.end(), "PHONE"


def _grouped_phones(m: re.Match[str], rules: PiiRules) -> Iterator[Candidate]:
    groups = re.findall(r"\d+", m.group())
    if 9 <= sum(map(len, groups)) <= 15 and not _other_grouped_number(m.group(), groups):
        yield m.start(), m.end(), "PHONE"


def _other_grouped_number(raw: str, groups: list[str]) -> bool:
    """Grouped digits that are not a phone: counts, thousands (1.234.567), IP addresses, years, dates with
    a time (14.09.2026 10.22; the boundary rules guarantee such a date lies wholly inside the match)."""
    first, digits = groups[0], sum(map(len, groups))
    if len(first) == 1 and not (first in "01" and digits >= 10 + (first == "1")):
        return True  # a lone leading digit is a trunk prefix (0 7700..., 1 800...), else a count
    dotted = "." in raw and not re.search(r"[ ()-]", raw)
    if dotted and (all(len(g) == 3 for g in groups[1:]) or (len(groups) == 4 and all(int(g) < 256 for g in groups))):
        return True  # 1.234.567, 192.168.0.1
    year_first = len(first) == 4 and first[:2] in ("19", "20")
    if year_first and (len(groups[1]) <= 2 or all(len(g) == 4 and g[:2] in ("19", "20") for g in groups)):
        return True  # 2026 09 14 10 22, 2019 2020 2021
    return bool(_PATTERNS["date"].search(raw))


def _bare_phones(m: re.Match[str], rules: PiiRules) -> Iterator[Candidate]:
    yield m.start(), m.end(), "PHONE"


def _emails(m: re.Match[str], rules: PiiRules) -> Iterator[Candidate]:
    yield m.start(), m.end(), "EMAIL"


def _urls(m: re.Match[str], rules: PiiRules) -> Iterator[Candidate]:
    """Trailing sentence punctuation and an unbalanced closing bracket belong to the sentence."""
    url = m.group()
    while url:
        if url[-1] in _URL_TRAILING or (url[-1] == ")" and url.count("(") < url.count(")")):
            url = url[:-1]
        else:
            break
    if len(url) > 4 and not url.lower().endswith(("://", "www.")):
        yield m.start(), m.start() + len(url), "URL"


def _handles(m: re.Match[str], rules: PiiRules) -> Iterator[Candidate]:
    handle = m.group(1)
    if not _TIME_HANDLE.match(handle) and not is_brand_handle(handle, rules):
        yield m.start(), m.end(), "HANDLE"


# (pattern, gate, validator) in no particular order: overlaps are resolved afterwards.
_DETECTORS: tuple[tuple[str, str, Callable[[re.Match[str], PiiRules], Iterator[Candidate]]], ...] = (
    ("card", "digits", _cards), ("ssn", "digits", _ssns), ("phone_intl", "intl", _intl_phones),
    ("phone_grouped", "digits", _grouped_phones), ("phone_bare", "digits", _bare_phones),
    ("iban", "iban", _ibans), ("ni", "ni", _ni_numbers), ("email", "at", _emails), ("handle", "at", _handles),
    ("url", "url", _urls), ("url_bare", "url_bare", _urls),
)


def is_brand_handle(handle: str, rules: PiiRules) -> bool:
    """Company accounts (@BrightlineHelp, @AskPayPal) are not personal data; analysts need them kept.

    Configured handles, or a support-account name: ends with help/support/care/cares/service/team/
    official/_cs, or Ask + capitalised brand. Purely numeric handles are anonymised customers.

    >>> is_brand_handle("@AmazonHelp", PiiRules()), is_brand_handle("jenny_k_88", PiiRules())
    (True, False)
    """
    name = handle.lstrip("@")
    if not name or name.isdigit():
        return False
    return name.lower() in rules.brand_handles or bool(_BRAND_SUFFIX.search(name) or _ASK_BRAND.match(name))


def find_brand_handles(text: str, rules: PiiRules = PiiRules()) -> list[tuple[int, int, str]]:
    """Brand handles as (start, end, handle) metadata; the span covers the '@', the handle is lower-case.

    >>> find_brand_handles("@jo_88 wrote to @BrightlineHelp")
    [(16, 31, 'brightlinehelp')]
    """
    if "@" not in text:
        return []
    return [(m.start(), m.end(), m.group(1).lower()) for m in _PATTERNS["handle"].finditer(text)
            if is_brand_handle(m.group(1), rules)]


@functools.lru_cache(maxsize=64)
def _compile_extras(extra_patterns: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    compiled = []
    for kind, pattern in extra_patterns:
        try:
            compiled.append((kind, re.compile(pattern)))
        except re.error as exc:
            raise ValueError(f"PiiRules.extra_patterns: {kind} pattern {pattern!r} does not compile: {exc}") from exc
    return tuple(compiled)


def _gates(text: str) -> dict[str, bool]:
    """Which detector families this text can trigger; each check is a substring test or one fast scan."""
    digits = bool(_HINTS["digit_run"].search(text))
    return {
        "digits": digits,
        "intl": digits and ("+" in text or "00" in text),
        "iban": bool(_HINTS["iban"].search(text)),  # not behind "digits": CH or QA IBANs may hold few
        "ni": bool(_HINTS["ni"].search(text)),
        "at": "@" in text,
        "url": "://" in text or "www." in text or "WWW." in text,
        "url_bare": "/" in text and bool(_HINTS["url_bare"].search(text)),
    }


def _candidates(text: str, rules: PiiRules) -> Iterator[Candidate]:
    """Every detector's candidates, skipping detectors the text cannot trigger."""
    gates = _gates(text)
    for name, gate, validate in _DETECTORS:
        if gates[gate]:
            for m in _PATTERNS[name].finditer(text):
                yield from validate(m, rules)
    for start, end in find_addresses(text):  # house number + street, postcodes (nlp/addresses.py)
        yield start, end, "ADDRESS"
    for kind, pattern in _compile_extras(rules.extra_patterns):
        for m in pattern.finditer(text):
            if m.end() > m.start():
                yield m.start(), m.end(), kind


def _resolve(candidates: list[Candidate]) -> list[PiiSpan]:
    """Drop digit kinds over look-alikes, then keep the longest (then most specific) of overlapping spans."""
    vetoes = [(s, e) for s, e, k in candidates if k == VETO]
    kept = [(s, e, k) for s, e, k in candidates
            if k != VETO and not (k in _VETOABLE and any(s < ve and vs < e for vs, ve in vetoes))]
    kept.sort(key=lambda c: (c[0] - c[1], _PRIORITY.get(c[2], _EXTRA_PRIORITY), c[0]))
    chosen: list[PiiSpan] = []
    for s, e, k in kept:
        if all(e <= c.start or c.end <= s for c in chosen):
            chosen.append(PiiSpan(s, e, k))
    return sorted(chosen)


def find_pii(text: str, rules: PiiRules = PiiRules()) -> list[PiiSpan]:
    """Non-overlapping spans sorted by start; on overlap the longer/more specific wins.

    >>> find_pii("Card 4111 1111 1111 1111, ref 4111 1111 1111 1112, @jenny_k_88 to @AmazonHelp")
    [PiiSpan(start=5, end=24, kind='CARD'), PiiSpan(start=51, end=62, kind='HANDLE')]
    """
    candidates = list(_candidates(text, rules))
    if not candidates:
        return []
    return _resolve(candidates)
