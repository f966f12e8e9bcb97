"""Postal addresses: each country's shapes found whole, streets and numbers that find no building kept."""

from __future__ import annotations

import pytest

from vocmine.nlp.addresses import find_addresses
from vocmine.nlp.pii import find_pii
from vocmine.nlp.redact import redact


@pytest.mark.parametrize(("text", "address"), [
    ("Sent to 742 Evergreen Terrace, Springfield instead", "742 Evergreen Terrace, Springfield"),
    ("Flat 3, 12a Baker Street, London NW1 6XE please", "Flat 3, 12a Baker Street, London NW1 6XE"),
    ("The store on 193 W 237th St, Bronx, NY 10463 is closed", "193 W 237th St, Bronx, NY 10463"),
    ("My mailing address is 3003 E 107 Terr  Kansas City MO 64137", "3003 E 107 Terr  Kansas City MO 64137"),
    ("it is 12008 blue ridge blvd, grandview mo 64030.", "12008 blue ridge blvd, grandview mo 64030"),
    ("postcode SW1A 1AA", "SW1A 1AA"),
    ("stores near my zip 60431.", "60431"),
    ("Lieferung an Berliner Str. 12a, bitte", "Berliner Str. 12a"),
    ("Hauptstraße 5, 10115 Berlin", "Hauptstraße 5, 10115 Berlin"),
    ("Wysłano na ul. Marszałkowska 10/12, 00-950 Warszawa.", "ul. Marszałkowska 10/12, 00-950 Warszawa"),
    ("за адресою вул. Кобилянської, 7. Там", "вул. Кобилянської, 7"),
    ("по вулиці Луї Пастера 361, дуже", "вулиці Луї Пастера 361"),
    ("79008 м. Львів", "79008 м. Львів"),
])
def test_addresses_each_format_is_found_whole(text, address):
    start = text.index(address)
    assert find_addresses(text) == [(start, start + len(address))]
    assert address not in redact(text, find_pii(text)).text and "[ADDRESS]" in redact(text, find_pii(text)).text


@pytest.mark.parametrize("text", [
    "Went to the Oxford Street store", "train to Birmingham New Street on 23/11/17", "waited 2 days for the 5G",
    "Order 12345 Berlin", "3 Main issues, none fixed", "£30 Way too much", "it took 45 mins Street side",
    "вул. Хрещатик без номера", "на вулиці -9 йти", "площею 37,6 тис.кв.м", "flight BA2490 on 12 Nov",
])
def test_addresses_streets_without_a_building_and_numbers_are_kept(text):
    assert find_addresses(text) == []
