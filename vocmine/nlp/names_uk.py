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
street named after someone, and one after "імені"/"ім." an institution: not a person.

pymorphy3's Ukrainian dictionary (the lemmatizer's, already installed for Ukrainian) reads what
the list cannot: diminutives are given names ("Даші", "Сашко"); a word it knows only as a verb,
adverb or adjective is no one ("Радимо", "Рекомендую", "Візова"); a known surname joins a name
("Грицак Євгеній"); a city in an oblique case is a place ("юристу Черкас Олександру": of
Cherkasy). Without pymorphy3 the rules run on the lists alone.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from vocmine.nlp.name_lexicons import NameLexicon
from vocmine.nlp.pii import PiiSpan

_WORD = r"[А-ЯІЇЄҐ][а-яіїєґi'ʼ’]+(?:-[А-ЯІЇЄҐ][а-яіїєґi'ʼ’]+)?"  # Latin i: a common typo for і
_INITIAL = r"[А-ЯІЇЄҐ]\.(?:\s?[А-ЯІЇЄҐ]\.)?"  # "Р.", "Р.О.", "Р. О."
_RUN = re.compile(rf"(?<![\w.])(?:{_WORD}|{_INITIAL})(?:[^\S\n]+(?:{_WORD}|{_INITIAL}))*")  # within a line
_PATRONYMIC = re.compile(r".+(?:ович|евич|євич)(?:а|у|ем|і|е)?|.+(?:івн|ївн|овн|евн)(?:а|и|і|у|ою|о)",
                         re.IGNORECASE)
_CUE = re.compile(
    r"(?<!\w)(?:працівни(?:к|ка|ку|ком|ці|ця|цю|цею|ків|кам)|співробітни(?:к|ка|ку|ком|ці|ця|цю|цею)|"
    r"лікар(?:я|ю|ем|ці|ка|ку|кою)?|юрист(?:а|у|ом|ці|ка|ку|кою)?|адвокат(?:а|у|ом|ці|ка|ку|кою)?|"
    r"нотаріус(?:а|у|ом)?|виклада(?:ч|ча|чу|чем|чці|чка|чку|чкою|чам|чів)|спеціаліст(?:а|у|ом|ці|ка|ку|кою)?|"
    r"адміністратор(?:а|у|ом|ці|ка|ку|кою)?|менеджер(?:а|у|ом|ці|ка|ку|кою)?|консультант(?:а|у|ом|ці|ка|ку|кою)?|"
    r"майст(?:ер|ра|ру|ром|рині|риня|риню)|судд(?:я|і|ю|ею)|інспектор(?:а|у|ом)?|"
    r"пан(?:а|у|ом|і|ові)?|п\.|дяк(?:ую|уємо)|подяк(?:а|у|ою)|вдячн(?:ість|і|а|ий)|спасибі|"
    # more staff: operators, cashiers, nurses, dog handlers, instructors, teachers, examiners, heads
    r"(?:оператор|касир|секретар|медсест[е]?р|кінолог|ветеринар|інструктор|тренер|вчител|педагог|"
    r"екзаменатор|психолог|логопед|стоматолог|хірург|терапевт|педіатр|фармацевт|провізор|бухгалтер|юристк|"
    r"адвокатк|працівниц|фахів[цч]|директор|начальни|керівни|завідувач|декан|куратор|ректор|волонтер|"
    r"лікар)[а-яіїєґ]{0,4}(?<!ів)(?<!ам)(?<!ами)(?<!ах))"  # one person, not "вчителів"
    r"[,:]?\s+$", re.IGNORECASE)
# a head of something: "голова суду Гєрцов", "Голова СНАУ Ладик", "директору школи Іваненко"
_HEAD_CUE = re.compile(r"(?<!\w)(?i:голов(?:а|и|і|у|ою)|директор[а-яі]{0,3}|начальни[а-яі]{1,4}|керівни[а-яі]{1,4}|"
                       r"завідувач[а-яі]{0,4}|заступни[а-яі]{1,4})\s+(?:[а-яіїєґ'’]+|[А-ЯІЇЄҐ]{2,})\s+$")
_STREET = re.compile(r"(?<!\w)(?:вул|вулиц[яіею]|просп|проспект[уі]?|пл|площ[аіею]|бульв|бульвар[уі]?|пров|провул(?:ок|ку)"
                     r"|ім|імені)\.?\s*$", re.IGNORECASE)
_PET = re.compile(r"(?<!\w)(?:улюблен(?:ець|ця|цю|цем|иця|иці|ицю|ицею)|кот(?:а|у|ом|ик|ика|ику)?|кішк(?:а|и|у|ою|ці)|"
                  r"кошен(?:я|яти|ям)|соба(?:ка|ки|ці|ку|кою|чк[аиуі])|пес(?:ик)?|пса|псу|песика|цуцен(?:я|яти))"
                  r"[,:]?\s+$", re.IGNORECASE)
_NAMED_THING = re.compile(r"(?<!\w)(?:школ[аіу]|салон[іу]?|магазин[іу]?|клінік[аіу]|компані[яїю]|кафе|ресторан[іу]?|"
                          r"готел[ьію]|ляльк[аиуі]|мереж[аіу]|бренд[уі]?|агенці[яїю]|студі[яїю])[,:]?\s+[«\"]?$",
                          re.IGNORECASE)
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
        before = text[max(0, run.start() - 40):run.start()]
        if _PET.search(before) or _NAMED_THING.search(before):
            continue  # "нашої улюблениці Елеонори": a pet; "школі Афіна", "ляльки Тільди": a school, a doll
        cued = bool(_CUE.search(before) or _HEAD_CUE.search(before))
        if _CUE.fullmatch(words[0][1] + " "):  # "Дякую Олені ...": the cue opens the run
            cued, words = True, words[1:]
        # the next name of a list: "спасибі Шабаліну, Нефьодову та Силіною"
        cued = cued or bool(spans and _LIST.fullmatch(text[spans[-1].end:run.start()]))
        opens = not text[:run.start()].strip() or text[:run.start()].rstrip()[-1] in ".!?…\n"
        # a lone word opening a sentence needs a cue ("Радимо ...": a verb, not Радим) unless only a name
        if words and not (opens and len(words) == 1 and not cued and not _only_a_name(words[0][1], stems, lexicon)):
            spans += _names_in_run(words, cued, stems, lexicon)
    return spans


def _names_in_run(words: list[tuple[int, str]], cued: bool, stems: frozenset[str],
                  lexicon: NameLexicon) -> list[PiiSpan]:
    """The part of a run of capitalised words that names someone: from the first name-like word to the last."""
    kinds = [_kind(word, stems, lexicon) for _, word in words]
    anchors = [i for i, kind in enumerate(kinds) if kind in ("patronymic", "given", "initial")]
    if cued and not anchors and kinds and (kinds[0] in ("surname", "ambiguous") or (
            kinds[0] == "other" and not _common_noun(words[0][1]))):
        anchors = [0]  # "юрист Гєрцов", "дякую Шабаліну"; not "дякую Департаменту"
    if not anchors:
        return []
    first, last = anchors[0], anchors[-1]
    joins = ("other", "surname", "ambiguous")  # a word that may be a surname next to a name
    if kinds[first] == "patronymic" and first > 0 and kinds[first - 1] in joins:
        first -= 1  # a patronymic follows its given name, even one that is also a word: "Романа Володимировича"
    if first > 0 and (kinds[first - 1] in joins or (kinds[first - 1] == "word" and kinds[first] == "initial")) and (
            first > 1 or cued or kinds[first] == "initial" or kinds[first - 1] == "surname"
            or _surname_shaped(words[first - 1][1])):
        first -= 1  # a surname before the given name or an initial: "Лисенко Анастасії", "Коцур Л."
    if last + 1 < len(words) and (kinds[last + 1] in (*joins, "initial")
                                  or (kinds[last + 1] == "word" and kinds[last] != "initial")):
        last += 1  # a surname or initials after: "Олегу Володимировичу Жепалову", "Оксані Сивера", "Щербак Р.О."
    if first == last and kinds[first] == "initial":
        return []
    start, end = words[first][0], words[last][0] + len(words[last][1])
    return [PiiSpan(start, end, "PERSON")]


def _kind(word: str, stems: frozenset[str], lexicon: NameLexicon) -> str:
    """initial, patronymic, given, surname, ambiguous (a name that is also a word), word (a verb, adverb
    or adjective to the dictionary), other (unknown, or a noun) or no (a place, a month, a polite pronoun)."""
    if re.fullmatch(_INITIAL, word):
        return "initial"
    bare = word.rstrip(".,")
    if lexicon.never_a_name(bare) or lexicon.is_place(bare):
        return "no"
    reading = _reading(bare)
    if reading == "no" and _surname_shaped(bare):
        reading = None  # adjectival surnames read as adjectives: "Василівської", "Крамська"
    if reading == "no":
        return "word"  # "Радимо", "Рекомендую": no name by itself; a surname after one ("Надії Порядній")
    if reading not in ("given", "ambiguous") and _place_form(bare, lexicon):
        return "no"  # "Черкас", "Харкова": a city's case form
    if _PATRONYMIC.fullmatch(bare):
        return "patronymic"
    if reading == "given" or any(bare[:i] in stems and bare[i:] in _ENDINGS
                                 for i in range(max(3, len(bare) - 3), len(bare) + 1)):
        return "given"
    return reading if reading in ("surname", "ambiguous") else "other"


def _only_a_name(word: str, stems: frozenset[str], lexicon: NameLexicon) -> bool:
    """A given name to the list and nothing but a name to the dictionary (Ірина, Денис), so a sentence
    may open with it; not "Нема" (there is no), which the dictionary also lists as a name."""
    bare = word.rstrip(".,")
    return (_reading(bare) == "given" and not lexicon.never_a_name(bare)
            and any(bare[:i] in stems and bare[i:] in _ENDINGS for i in range(max(3, len(bare) - 3), len(bare) + 1)))


@cache
def _morph():
    try:
        import pymorphy3
        return pymorphy3.MorphAnalyzer(lang="uk")
    except (ImportError, ValueError):  # no pymorphy3 or no Ukrainian dictionary: the lists alone
        return None


_NOT_NOUNS = frozenset({"VERB", "INFN", "ADVB", "ADJF", "ADJS", "PRCL", "CONJ", "PREP", "NPRO", "GRND", "PRTF",
                        "PRTS", "NUMR", "INTJ", "COMP"})


@lru_cache(maxsize=100_000)  # capitalised words of a corpus: bounded, but a night may bring many
def _parses(word: str) -> tuple:
    """The dictionary's readings of a word (guesses for unknown words left out)."""
    morph = _morph()
    if morph is None:
        return ()
    return tuple(p for p in morph.parse(word.replace("’", "'").replace("ʼ", "'"))
                 if type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer")


@lru_cache(maxsize=100_000)
def _reading(word: str) -> str | None:
    """given: every reading a given name; surname: a surname reading and no given name; ambiguous: a
    given name that is also a word; no: only verbs, adverbs, adjectives, pronouns; None: unknown or a noun."""
    parses = _parses(word)
    if not parses:
        return None
    names = ["Name" in p.tag for p in parses]
    if all(names):
        return "given"
    if any(names):
        return "ambiguous"
    if any("Surn" in p.tag or "Patr" in p.tag for p in parses):
        return "surname"
    if all(str(p.tag.POS) in _NOT_NOUNS for p in parses):
        return "no"
    return None


def _common_noun(word: str) -> bool:
    """A noun the dictionary knows and not as a name ("Департаменту", "Богу"): no one by itself."""
    return bool(_parses(word.rstrip(".,"))) and _reading(word.rstrip(".,")) is None


def _place_form(word: str, lexicon: NameLexicon) -> bool:
    """A case form of a place in the list: "Черкас" (of Черкаси), "Харкова" (of Харків)."""
    if lexicon.is_place(word + "и") or (word[-1:] in "иіуа" and lexicon.is_place(word[:-1] + "и")):
        return True
    return any(lexicon.is_place(p.normal_form.capitalize()) for p in _parses(word) if "Surn" not in p.tag)


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
