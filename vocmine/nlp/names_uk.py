"""People's names in Ukrainian feedback, which has no NER here (a blank spaCy pipeline): rules on word shapes.

Ukrainian reviews of public services thank or blame staff by name and patronymic, in any grammatical
case: "дякую Валерії Юріївні", "у юриста Олега Вікторовича", "Лисенко Анастасії Михайлівні",
"Коцур Л.", "п. Оксані Сивера". Three cheap signals find most of them:

- a patronymic (Павлович, Павловичу, Юріївна, Юріївни, ...): its suffix is unmistakable;
- a given name from ``first_names.txt`` in any case (Олег, Олега, Олегу; Ірина, Ірині, Ірину);
- a cue before a capitalised word: a job (працівник, юрист, лікар, адвокат, викладач, ...), a form
  of address (пан, пані, п.) or thanks (дякую, подяка, вдячність, спасибі).

Neighbouring capitalised words join the name (surname before or after, an initial), so
"Лисенко Анастасії Михайлівні" is one span. A capitalised run after "вул."/"вулиця"/"просп." is a
street named after someone, not a person.
"""

from __future__ import annotations

import re
from functools import cache

from vocmine.nlp.name_lexicons import NameLexicon
from vocmine.nlp.pii import PiiSpan

_WORD = r"[А-ЯІЇЄҐ][а-яіїєґi'ʼ’]+(?:-[А-ЯІЇЄҐ][а-яіїєґi'ʼ’]+)?"  # Latin i: a common typo for і
_INITIAL = r"[А-ЯІЇЄҐ]\."
_RUN = re.compile(rf"(?<![\w.])(?:{_WORD}|{_INITIAL})(?:\s+(?:{_WORD}|{_INITIAL}))*")
_PATRONYMIC = re.compile(r".+(?:ович|евич|євич)(?:а|у|ем|і|е)?|.+(?:івн|ївн|овн|евн)(?:а|и|і|у|ою|о)",
                         re.IGNORECASE)
_CUE = re.compile(
    r"(?<!\w)(?:працівни(?:к|ка|ку|ком|ці|ця|цю|цею|ків|кам)|співробітни(?:к|ка|ку|ком|ці|ця|цю|цею)|"
    r"лікар(?:я|ю|ем|ці|ка|ку|кою)?|юрист(?:а|у|ом|ці|ка|ку|кою)?|адвокат(?:а|у|ом|ці|ка|ку|кою)?|"
    r"нотаріус(?:а|у|ом)?|виклада(?:ч|ча|чу|чем|чці|чка|чку|чкою|чам|чів)|спеціаліст(?:а|у|ом|ці|ка|ку|кою)?|"
    r"адміністратор(?:а|у|ом|ці|ка|ку|кою)?|менеджер(?:а|у|ом|ці|ка|ку|кою)?|консультант(?:а|у|ом|ці|ка|ку|кою)?|"
    r"майст(?:ер|ра|ру|ром|рині|риня|риню)|судд(?:я|і|ю|ею)|інспектор(?:а|у|ом)?|"
    r"пан(?:а|у|ом|і|ові)?|п\.|дяк(?:ую|уємо)|подяк(?:а|у|ою)|вдячн(?:ість|і|а|ий)|спасибі)"
    r"[,:]?\s+$", re.IGNORECASE)
_STREET = re.compile(r"(?<!\w)(?:вул|вулиц[яіею]|просп|проспект[уі]?|пл|площ[аіею]|бульв|бульвар[уі]?|пров|провул(?:ок|ку))"
                     r"\.?\s*$", re.IGNORECASE)
_LIST = re.compile(r"\s*(?:,|та|і|й|and)\s*", re.IGNORECASE)
_ENDINGS = frozenset(("", "а", "я", "у", "ю", "і", "ї", "и", "о", "е", "є", "ом", "ем", "єм", "ою", "ею", "єю",
                      "ові", "еві", "єві", "й", "ь"))


def find_ukrainian_names(text: str, lexicon: NameLexicon) -> list[PiiSpan]:
    """Person spans in a Ukrainian text.

    >>> from vocmine.nlp.name_lexicons import load_name_lexicon
    >>> text = "Дякую юристу Олегу Вікторовичу! Вул. Володимира Антоновича, Київ."
    >>> [text[s.start:s.end] for s in find_ukrainian_names(text, load_name_lexicon())]
    ['Олегу Вікторовичу']
    """
    stems = _stems(lexicon)
    spans: list[PiiSpan] = []
    for run in _RUN.finditer(text):
        if _STREET.search(text, 0, run.start()):
            continue
        words = [(m.start() + run.start(), m.group()) for m in re.finditer(r"\S+", run.group())]
        cued = bool(_CUE.search(text[max(0, run.start() - 30):run.start()]))
        if _CUE.fullmatch(words[0][1] + " "):  # "Дякую Олені ...": the cue opens the run
            cued, words = True, words[1:]
        # the next name of a list: "спасибі Шабаліну, Нефьодову та Силіною"
        cued = cued or bool(spans and _LIST.fullmatch(text[spans[-1].end:run.start()]))
        opens = not text[:run.start()].strip() or text[:run.start()].rstrip()[-1] in ".!?…\n"
        if words and not (opens and len(words) == 1 and not cued):  # "Радимо ...": a verb, not Радим
            spans += _names_in_run(words, cued, stems, lexicon)
    return spans


def _names_in_run(words: list[tuple[int, str]], cued: bool, stems: frozenset[str],
                  lexicon: NameLexicon) -> list[PiiSpan]:
    """The part of a run of capitalised words that names someone: from the first name-like word to the last."""
    kinds = [_kind(word, stems, lexicon) for _, word in words]
    anchors = [i for i, kind in enumerate(kinds) if kind in ("patronymic", "given", "initial")]
    if cued and not anchors and kinds and kinds[0] == "other":
        anchors = [0]  # "юрист Гєрцов", "дякую Шабаліну"
    if not anchors:
        return []
    first, last = anchors[0], anchors[-1]
    if first > 0 and kinds[first - 1] == "other" and (
            first > 1 or cued or kinds[first] == "initial" or _surname_shaped(words[first - 1][1])):
        first -= 1  # a surname before the given name or an initial: "Лисенко Анастасії", "Коцур Л."
    if last + 1 < len(words) and kinds[last + 1] == "other":
        last += 1  # a surname after: "Олегу Володимировичу Жепалову", "Оксані Сивера"
    if first == last and kinds[first] == "initial":
        return []
    start, end = words[first][0], words[last][0] + len(words[last][1])
    return [PiiSpan(start, end, "PERSON")]


def _kind(word: str, stems: frozenset[str], lexicon: NameLexicon) -> str:
    if re.fullmatch(r"[А-ЯІЇЄҐ]\.", word):
        return "initial"
    bare = word.rstrip(".,")
    if lexicon.never_a_name(bare) or lexicon.is_place(bare):
        return "no"
    if _PATRONYMIC.fullmatch(bare):
        return "patronymic"
    if any(bare[:i] in stems and bare[i:] in _ENDINGS for i in range(max(3, len(bare) - 3), len(bare) + 1)):
        return "given"
    return "other"


_SURNAME = re.compile(r".+(?:енк|ук|юк|чук|ськ|цьк|зьк|ов|ев|єв|ін|ин|ович|ич|як|ишин|ко)(?:а|о|у|ій|ий|ої|ою|ому|им"
                      r"|ій|ої|і|ої)?", re.IGNORECASE)


def _surname_shaped(word: str) -> bool:
    return bool(_SURNAME.fullmatch(word))


@cache
def _stems(lexicon: NameLexicon) -> frozenset[str]:
    """Stems of the unambiguous Cyrillic given names: "Ірин" of Ірина, "Олег" of Олег, "Сергі" of Сергій."""
    stems = set()
    for name in lexicon.first_names:
        if name in lexicon.ambiguous or not re.match(r"[А-ЯІЇЄҐ]", name):
            continue
        stem = name[:-1] if name[-1] in "аяоййь" else name
        if len(stem) >= 3:
            stems.add(stem)
    return frozenset(stems)
