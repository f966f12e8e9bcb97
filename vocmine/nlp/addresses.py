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
_HOUSE = r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?"
_EN_TYPES = (r"Street|St|Road|Rd|Avenue|Ave|Av|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Terr?"
             r"|Close|Crescent|Cres|Parkway|Pkwy|Highway|Hwy|Square|Sq|Grove|Gardens|Gdns|Row|Mews|Circle|Cir"
             r"|Trail|Tr|Pike|Walk|Hill|Park|Rise|Green|Parade|Broadway")
_EN_WORD = rf"(?:[{_UP}][\w'’.-]*|\d+(?:st|nd|rd|th)?)"  # Baker, O'Connell, St., 237th, E 107 Terr
_STATE = (r"A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]"
          r"|W[AVIY]")
_UK_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}"
_TOWN = rf"[{_UP}][{_LOW}]+(?:[ -][{_UP}][{_LOW}]+){{0,2}}"
_TAIL = (  # what may follow a street: a flat, a town, then a postcode or a state and ZIP
    rf"(?:,? (?:Apt|Apartment|Unit|Flat|Suite|Ste)\.? ?#?\w{{1,5}})?"
    rf"(?:(?:,?\s{{1,2}}{_TOWN})?,?\s{{1,2}}(?:{_UK_POSTCODE}|(?:{_STATE})\s{{1,2}}\d{{5}}(?:-\d{{4}})?)(?![\w-])"
    rf"|,? {_TOWN}(?=[,.!?;)]|$| (?:and|but|instead|in|on|at|to|is|was|for)\b))?")

_PATTERNS = (
    # 12 Baker Street; Flat 3, 12a Baker St.; 193 W 237th St, Bronx, NY 10463; 742 Evergreen Terrace
    re.compile(rf"(?:(?:Flat|Apt|Apartment|Unit|Suite) \w{{1,5}},? )?(?<![\w.,/£$€-]){_HOUSE}"
               rf"(?:,? (?:[NSEW]|North|South|East|West)\.?)? (?:{_EN_WORD} ){{1,4}}(?:{_EN_TYPES})\b"
               + _TAIL),
    # lower-case street names only with an unambiguous street type: "123 main st", "12 oak road"
    re.compile(rf"(?<![\w.,/£$€-]){_HOUSE} (?:[nsew]\.? )?(?:[a-z]{{3,}} ){{1,2}}"
               rf"(?:street|st|road|rd|avenue|ave|blvd|lane|ln|dr|drive|hwy|terr)\b"
               rf"(?:,? ?[a-z]{{3,}}(?: [a-z]{{3,}})?,? ?(?:[a-z]{{2}} )?\d{{5}}(?![\w-]))?"),
    # German: Hauptstraße 5, Berliner Str. 12a, Am Lindenweg 3, 10115 Berlin after it
    re.compile(rf"(?:(?:[{_UP}][{_LOW}]+ )?[{_UP}][{_LOW}]*(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ufer|ring)"
               rf"|[{_UP}][{_LOW}]+ (?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Damm|Ufer|Ring))"
               rf" ?{_HOUSE}\b(?:,? \d{{5}} {_TOWN})?"),
    # Polish: ul. Marszałkowska 10/12, al. Jerozolimskie 54, 00-950 Warszawa after it
    re.compile(rf"\b(?:ul|al|os|pl)\. ?(?:[{_UP}][\w.-]* ){{0,3}}[{_UP}][\w-]*,? (?:nr )?{_HOUSE}\b"
               rf"(?:,? \d{{2}}-\d{{3}} {_TOWN})?"),
    # Ukrainian/Russian: вул. Кобилянської, 7; вулиці Луї Пастера 361; проспект Червоної калини, 109
    re.compile(rf"(?<![{_CYR}])(?:вул|ул|просп|пр-т|пров|бульв|бул|пл|ш)\. ?"
               rf"(?:[{_CYR_UP}]\.? ?)?(?:[{_CYR}-]+ ){{0,3}}[{_CYR}-]+,? (?:буд\. ?|д\. ?)?{_HOUSE}(?![\d{_CYR}])"
               rf"|(?<![{_CYR}])(?:[Вв]улиц[яіюеи]|[Пп]роспект[іу]?|[Пп]ровул(?:ок|ку)|[Бб]ульвар[іу]?|[Пп]лощ[аіу]"
               rf"|[Уу]лиц[аеуы])"
               rf" (?:[{_CYR_UP}]\.? ?)?(?:[{_CYR}-]+ ){{0,3}}[{_CYR}-]+,? (?:буд\. ?|д\. ?)?{_HOUSE}(?![\d{_CYR}])"),
    # postcodes on their own
    re.compile(rf"(?<![\w-]){_UK_POSTCODE}(?![\w-])"),
    re.compile(rf"(?<=\b(?:{_STATE}) )\d{{5}}(?:-\d{{4}})?(?![\w-])|(?<=\b[Zz][Ii][Pp] )\d{{5}}(?:-\d{{4}})?\b"
               rf"|(?<=\b[Zz][Ii][Pp] [Cc]ode )\d{{5}}(?:-\d{{4}})?\b|(?<=\b[Zz][Ii][Pp]:)\d{{5}}(?:-\d{{4}})?\b"
               rf"|(?<=\b[Zz][Ii][Pp]: )\d{{5}}(?:-\d{{4}})?\b"),
    re.compile(rf"(?<![\w-])\d{{2}}-\d{{3}} {_TOWN}"),  # PL
    re.compile(rf"(?<![\w-])\d{{5}},? м\. ?[{_CYR_UP}][{_CYR}]+"),  # UA: 79008 м. Львів
)
# "in 2 days", "on 5 St Patrick's Day": a number then words that are no street (the street type must
# not be part of a longer phrase that is plainly no address)
_NOT_AFTER_NUMBER = re.compile(r"^\d+ (?:days?|weeks?|months?|years?|hours?|minutes?|mins?|times?|people|of)\b", re.I)


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
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            value = m.group().rstrip(" ,")
            if value and not _NOT_AFTER_NUMBER.match(value):
                found.append((m.start(), m.start() + len(value)))
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(set(found), key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= s or e <= start for s, e in chosen):
            chosen.append((start, end))
    return sorted(chosen)
