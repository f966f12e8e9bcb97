"""Postal addresses in feedback text: house number + street, and postcodes, in several countries' formats.

An address is personal data the moment it finds a building: "12 Baker Street", "вул. Кобилянської, 7",
"ul. Marszałkowska 10/12", "Berliner Str. 12a", "193 W 237th St, Bronx, NY 10463", "SW1A 1AA",
"00-950 Warszawa". A street named without a number ("the shop on Baker Street", "Birmingham New
Street" station) finds no one and stays: themes about a branch or a road keep their words.

Shapes, each a pattern below:
- English (UK, US, IE, ...): a house number, up to four street words, a street type (Street, St, Road,
  Ave, Terrace, ...), optionally a flat ("Flat 3,", "Apt 4B"), then a town and a postcode or a US state
  and ZIP when they follow.
- German, Polish, Ukrainian/Russian: a street word (Hauptstraße, Str., ul., al., вул., просп., ...),
  the street's name, then the house number ("10/12", "12a", "22-А").
- Postcodes alone: UK (SW1A 1AA), US ZIP after a state ("NY 10463") or after "zip", PL (00-950) and
  UA ("79008 м. Львів") when a town's name follows; a German one only after its street (a bare
  five-digit number is an order as often as a postcode).

    >>> find_addresses("Sent to 742 Evergreen Terrace, Springfield instead")
    [(8, 42)]
"""

from __future__ import annotations

import re

__all__ = ["find_addresses"]

_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"  # capitals of Latin scripts (Polish Ł, Ś, Ż ... included)
_LOW = "a-zß-öø-ÿā-ž"
_CYR_UP, _CYR = "А-ЯЁІЇЄҐ", "А-Яа-яЁёІіЇїЄєҐґ'’"
_HOUSE_REST = r"\d{0,4}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?"  # a house number after its first digit
_HOUSE = r"\d" + _HOUSE_REST
_EN_TYPES = (r"Street|St|Road|Rd|Avenue|Ave|Av|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Terr|Ter"
             r"|Close|Crescent|Cres|Parkway|Pkwy|Highway|Hwy|Square|Sq|Grove|Gardens|Gdns|Row|Mews|Circle|Cir"
             r"|Trail|Tr|Pike|Walk|Hill|Park|Rise|Green|Parade|Broadway")
_EN_WORD = rf"(?:[{_UP}][\w'’.-]*|\d+(?:st|nd|rd|th)?)"  # Baker, O'Connell, St., 237th, E 107 Terr
_STATE = (r"A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]"
          r"|W[AVIY]")
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}"
_TOWN = rf"[{_UP}][{_LOW}]+(?:[ -][{_UP}][{_LOW}]+){{0,2}}"
_TAIL = (  # what may follow a street: a flat, a town, then a postcode or a state and ZIP
    rf"(?:,? (?:Apt|Apartment|Unit|Flat|Suite|Ste)\.? ?#?\w{{1,5}})?"
    rf"(?:(?:,?\s{{1,2}}{_TOWN})?,?\s{{1,2}}(?:{_UK_POSTCODE}|(?:{_STATE})\s{{1,2}}\d{{5}}(?:-\d{{4}})?)(?![\w-])"
    rf"|,? {_TOWN}(?=[,.!?;)]|$| (?:and|but|instead|in|on|at|to|is|was|for)\b))?")

# (gate, pattern): a pattern runs only where its cheap gate holds (most feedback has numbers, few have a
# street): a regex searched in the text, substrings of the lower-cased text, or words of it (a set).
# A pattern's group "a", where it has one, is the address; else the whole match.
Gate = re.Pattern[str] | tuple[str, ...] | frozenset[str]
_PATTERNS: tuple[tuple[Gate, re.Pattern[str]], ...] = (
    # 12 Baker Street; 12a Baker St; 193 W 237th St, Bronx, NY 10463; 742 Evergreen Terrace, Springfield
    (frozenset(_EN_TYPES.lower().split("|")),
     re.compile(rf"\d(?<![\w.,/£$€-]\d){_HOUSE_REST}"
                rf"(?:,? (?:[NSEW]|North|South|East|West)\.?)? (?:{_EN_WORD} ){{1,4}}(?:{_EN_TYPES})\b" + _TAIL)),
    # lower-case street names only with an unambiguous street type: "123 main st", "12 oak road"
    (frozenset(("street", "st", "road", "rd", "avenue", "ave", "blvd", "lane", "ln", "dr", "drive", "hwy", "terr")),
     re.compile(rf"\d(?<![\w.,/£$€-]\d){_HOUSE_REST} (?:[nsew]\.? )?(?:[a-z]{{3,}} ){{1,2}}"
                rf"(?:street|st|road|rd|avenue|ave|blvd|lane|ln|dr|drive|hwy|terr)\b"
                rf"(?:,? ?[a-z]{{3,}}(?: [a-z]{{3,}})?,? ?(?:[a-z]{{2}} )?\d{{5}}(?![\w-]))?")),
    # German: Hauptstraße 5, Berliner Str. 12a, Am Lindenweg 3, 10115 Berlin after it
    (("straße", "strasse", "str.", "weg", "allee", "platz", "gasse", "damm", "ufer", "ring"),
     re.compile(rf"(?:(?:[{_UP}][{_LOW}]+ )?[{_UP}][{_LOW}]*(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ufer|ring)"
                rf"|[{_UP}][{_LOW}]+ (?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Damm|Ufer|Ring))"
                rf" ?{_HOUSE}\b(?:,? \d{{5}} {_TOWN})?")),
    # Polish: ul. Marszałkowska 10/12, al. Jerozolimskie 54, 00-950 Warszawa after it
    (("ul.", "al.", "os.", "pl."),
     re.compile(rf"\b(?:ul|al|os|pl)\. ?(?:[{_UP}][\w.-]* ){{0,3}}[{_UP}][\w-]*,? (?:nr )?{_HOUSE}\b"
                rf"(?:,? \d{{2}}-\d{{3}} {_TOWN})?")),
    # Ukrainian/Russian: вул. Кобилянської, 7; вулиці Луї Пастера 361; проспект Червоної калини, 109
    (("вул", "ул.", "улиц", "просп", "пр-т", "пров", "бул.", "бульв", "пл.", "площ", "ш."),
     re.compile(rf"(?<![{_CYR}])(?:вул|ул|просп|пр-т|пров|бульв|бул|пл|ш)\. ?"
                rf"(?:[{_CYR_UP}]\.? ?)?(?:[{_CYR}-]+ ){{0,3}}[{_CYR}-]+,? (?:буд\. ?|д\. ?)?{_HOUSE}(?![\d{_CYR}])"
                rf"|(?<![{_CYR}])(?:[Вв]улиц[яіюеи]|[Пп]роспект[іу]?|[Пп]ровул(?:ок|ку)|[Бб]ульвар[іу]?|[Пп]лощ[аіу]"
                rf"|[Уу]лиц[аеуы])"
                rf" (?:[{_CYR_UP}]\.? ?)?(?:[{_CYR}-]+ ){{0,3}}[{_CYR}-]+,? (?:буд\. ?|д\. ?)?{_HOUSE}(?![\d{_CYR}])")),
    # postcodes on their own: UK; a US ZIP after a state or "zip"; PL with its town; UA "79008 м. Львів"
    (re.compile(r"[A-Z]\d"), re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}(?![\w-])")),
    (re.compile(r"\d{5}"),
     re.compile(rf"(?:\b(?:{_STATE})\s{{1,2}}|\b[Zz][Ii][Pp](?: [Cc]ode)?:? ?)(?P<a>\d{{5}}(?:-\d{{4}})?)(?![\w-])")),
    (re.compile(r"\d\d-\d\d\d "), re.compile(rf"\d(?<![\w-]\d)\d-\d{{3}} {_TOWN}")),
    (re.compile(r"\d{5},? м\."), re.compile(rf"\d(?<![\w-]\d)\d{{4}},? м\. ?[{_CYR_UP}][{_CYR}]+")),
)
_WORD = re.compile(r"[a-z]+")
_FLAT = re.compile(r"(?:Flat|Apt|Apartment|Unit|Suite) \w{1,5},? $")  # "Flat 3, " before a house number
# "in 2 days", "on 5 St Patrick's Day": a number then words that are no street (the street type must
# not be part of a longer phrase that is plainly no address)
_NOT_AFTER_NUMBER = re.compile(r"^\d+ (?:days?|weeks?|months?|years?|hours?|minutes?|mins?|times?|people|of)\b", re.IGNORECASE)


def find_addresses(text: str) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of addresses, longest first on overlap, sorted by start;
    ``find_pii`` reports them as ADDRESS.

    >>> text = "Sent to ul. Marszałkowska 10/12, 00-950 Warszawa."
    >>> [text[s:e] for s, e in find_addresses(text)]
    ['ul. Marszałkowska 10/12, 00-950 Warszawa']
    """
    if not any(ch.isdigit() for ch in text):
        return []  # every address shape holds a digit: most feedback is skipped here
    found = []
    lower = text.lower()
    words: set[str] | None = None
    for gate, pattern in _PATTERNS:
        if isinstance(gate, frozenset):
            words = set(_WORD.findall(lower)) if words is None else words
            if gate.isdisjoint(words):
                continue
        elif isinstance(gate, tuple):
            if not any(cue in lower for cue in gate):
                continue
        elif not gate.search(text):
            continue
        for m in pattern.finditer(text):
            group = "a" if "a" in pattern.groupindex else 0
            start, value = m.start(group), m.group(group).rstrip(" ,")
            if value and not _NOT_AFTER_NUMBER.match(value):
                flat = _FLAT.search(text, max(0, start - 16), start)
                found.append((flat.start() if flat else start, start + len(value)))
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(set(found), key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= s or e <= start for s, e in chosen):
            chosen.append((start, end))
    return sorted(chosen)
