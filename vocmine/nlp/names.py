"""People's names in English feedback: NER checked against lexicons, names NER misses, and cue rules.

The small English NER model finds about six names in ten, calls cities, months, phones and plan names
"PERSON" ("Oct bill", "Pixel 9", "Max 5G tariff", "Glasgow") and labels staff first names ORG or GPE
("Jamal at the store"). Redacting its PERSON spans as they come eats the words analysts read quotes for
and leaves the staff names in. So a name is decided by evidence, each kind from a data file in
``lexicons/`` (see :mod:`vocmine.nlp.name_lexicons`):

- a known given name (``first_names.txt``) is a name wherever NER puts it, unless it is also an
  ordinary word, a big place or a month (Will, Grace, Florence, May): those need a cue;
- a cue before ("spoke to", "Mrs", "my name is") or after ("... on the phone", "... in the Leeds
  store", "... said") makes a capitalised word a name, unless it is a month, product, plan, place or
  company word;
- an NER "person" is dropped when a word of it is such a word, when it is a product's model
  ("Pixel 9", "Max 5G"), when every word of it is an ordinary English word written with a capital
  ("Box arrived wet"), or when it is a lone unknown word at the start of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from vocmine.nlp.name_lexicons import NameLexicon, load_name_lexicon
from vocmine.nlp.pii import PiiSpan

# Tom, O'Brien, McDonald, Smith-Jones
_NAME_WORD = r"(?:[A-Z]'[A-Z][a-z]+|[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?)"
_CUES = (
    r"my name is|my name's|name's|i am|i'm|this is|signed|regards|cheers|thanks|thank you|hi|hello|hey|dear|"
    r"spoke (?:to|with)|spoke w/|talked (?:to|with)|speaking (?:to|with)|dealt with|served by|helped by|"
    r"praised|thanked|complimented|said|says|asked for|ask for|logged for|feedback for|called|named|"
    r"agent|advisor|adviser|colleague|manager|engineer|technician|driver|courier|account holder|"
    r"cust(?:omer)?"
)
_TITLES = r"mr|mrs|ms|miss|mx|dr"
_CUE_NAME = re.compile(
    rf"(?:\b(?i:{_CUES}),?\s+|(?=\b(?i:{_TITLES})\b))"
    rf"((?:(?i:{_TITLES})\.?\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD})?)"
)
# What follows a person in feedback: where they work, the phone, what they said or how they were.
_AFTER_A_PERSON = re.compile(
    r"\s+(?:(?:in|at|from) (?:the |your |our )?(?:[A-Z][a-z]+ )?(?:store|shop|branch|billing|team|"
    r"customer services?|support|call centre|call center)\b|on the (?:phone|line|chat)\b|"
    r"(?:said|says|told|explained|helped|sorted|fixed|resolved|promised|called|rang|answered|apologi[sz]ed)\b|"
    r"(?:was|is|were) (?:so |really |very |extremely |super |incredibly )?(?:helpful|friendly|rude|brilliant|"
    r"patient|lovely|great|amazing|excellent|fantastic|polite|kind|unhelpful|dismissive|professional)\b)")
_GREETINGS = frozenset({"hi", "hello", "hey", "dear", "thanks", "cheers", "morning", "evening", "night", "afternoon"})
# A signature glued to its mark, as support agents sign messages: "-Becky", "^Helen", "*JohnWard", "*ErikS".
_SIGNATURE = re.compile(r"[-^*~/–—]+(([A-Z][a-z]+)(?:[A-Z][a-z]*)?)")
_SIGNATURE_MARK = re.compile(r"[-^*~/–—]+")
_NO_PERSON_BEFORE = frozenset({"the", "a", "an", "your", "our", "their", "my", "his", "her", "its", "this", "that",
                               "in", "at", "near", "from", "of", "around", "outside", "inside"})  # a place
# A product's model or a plan after a word makes the word a product: "Pixel 9", "Galaxy S24", "Max 5G".
_MODEL = re.compile(r"\d+[A-Za-z+]*|[A-Z]\d+[A-Za-z+]*|XL|XR|XS|SE|Pro|Plus|Ultra|Max|Mini|Lite")
_NOT_A_MODEL_AFTER = re.compile(r"\s*(?:/|out of|stars?\b|x\b)")
NOT_NAMES = frozenset({
    # greetings and the people of a conversation
    "madam", "sir", "dear", "hi", "hello", "hey", "thanks", "thank", "regards", "cheers", "team", "customer", "cust",
    "agent", "advisor", "manager",
    # small words
    "the", "a", "an", "i", "it", "this", "that", "they", "we", "you", "he", "she", "my", "our", "your", "their",
    "please", "yes", "no", "ok", "okay",
    "today", "yesterday", "tomorrow",
    # what feedback is about
    "bill", "email", "app", "conf", "callback", "order", "acct", "account", "plan", "phone", "call", "chat", "store",
    "website", "online", "support",
})
_TITLE_WORDS = frozenset(_TITLES.split("|"))


def find_cued_names(text: str, lexicon: NameLexicon | None = None) -> list[PiiSpan]:
    """Names right after a cue: 'spoke to Tom', 'Mrs Okafor', 'my name is Priya Shah'.

    A cued word that is a month, product, plan, place or ordinary word is no name ("said Oct bill",
    "thanks Brighton store"), unless it is also a given name ("spoke to Grace"); ``lexicon`` defaults to
    the shipped one.
    """
    lexicon = lexicon or load_name_lexicon()
    spans = []
    for match in _CUE_NAME.finditer(text):
        words = match.group(1).split()
        titled = words[0].lower().rstrip(".") in _TITLE_WORDS
        while len(words) > titled and (words[-1].lower() in NOT_NAMES or _not_cued_name(words[-1], lexicon, titled)):
            words.pop()
        if len(words) > titled:
            start = match.start(1)
            spans.append(PiiSpan(start, start + len(" ".join(words)), "PERSON"))
    return spans


def _not_cued_name(word: str, lexicon: NameLexicon, titled: bool) -> bool:
    """After a title any capitalised word may be a surname ("Mrs May"); after a cue a month, product, plan,
    place or ordinary word is not a name ("said Oct bill", "thanks Brighton store", "said Terrible")."""
    if titled and not lexicon.is_place(word):
        return False
    return lexicon.never_a_name(word) or (lexicon.is_common_word(word) and not lexicon.is_first_name(word))


def could_be_a_name(text: str) -> bool:
    """Whether an NER 'PERSON' can really be one: capitalised words, no digits, no stop words."""
    words = text.replace("'s", "").split()
    return bool(words) and all(
        (re.fullmatch(_NAME_WORD, w) or w.lower().rstrip(".") in _TITLE_WORDS) and w.lower() not in NOT_NAMES
        for w in words)


def find_english_names(doc: Doc, lexicon: NameLexicon, company_words: Iterable[str] = ()) -> list[PiiSpan]:
    """Every person name in an English doc (NER already run, or not where no capital could be a name).

    ``company_words``: the company's own names (from its brand handles), never a person.
    """
    company = frozenset(w.lower() for w in company_words)
    names = [s for s in find_cued_names(doc.text, lexicon) if not _words_of(doc.text[s.start:s.end]) & company]
    names += [span for e in doc.ents if e.label_ == "PERSON" and _ner_person_holds(e, lexicon, company)
              for span in _trimmed(e, lexicon)]
    names += _known_first_names(doc, lexicon, company)
    return _longest_first(names)


def company_words(brand_handles: Iterable[str]) -> frozenset[str]:
    """The company's own names, read off its support handles: @BrightlineHelp -> brightline.

    >>> sorted(company_words(["@BrightlineHelp", "AskLloydsBank", "Uber_Support"]))
    ['brightline', 'lloydsbank', 'uber']
    """
    words = set()
    for handle in brand_handles:
        name = re.sub(r"(?i)^ask(?=[A-Z])|[_-]?(?:help|support|care|cares|service|team|official|cs|uk)$", "",
                      handle.lstrip("@"))
        if len(name) > 2:
            words.add(name.lower())
    return frozenset(words)


def _ner_person_holds(ent: Span, lexicon: NameLexicon, company: frozenset[str]) -> bool:
    if not could_be_a_name(ent.text) or _followed_by_model(ent.doc, ent.end):
        return False
    if ent.start > 0 and ent.doc[ent.start - 1].text == "#" or ent[-1].lower_.rstrip(".") in _TITLE_WORDS:
        return False  # a hashtag; "Anthony Dr" is a street
    words = [w for w in ent.text.replace("'s", "").split() if w.lower().rstrip(".") not in _TITLE_WORDS]
    if not words or any(w.lower() in company or lexicon.never_a_name(w) for w in words):
        return False
    if len(ent) == 1 and lexicon.is_place(words[0]) and not _cued(ent.doc, ent[0]):
        return False  # "Sofia" alone is the city; "Sofia on the phone" a person
    if all(lexicon.is_common_word(w) and not lexicon.is_first_name(w) for w in words):
        return False  # "Box arrived wet", "Funny bc ..."
    lone_opener = len(ent) == 1 and ent[0].is_sent_start  # "Chatbot closed chat", "Altima smells"
    return not (lone_opener and not lexicon.is_first_name(words[0], strict=True))


def _trimmed(ent: Span, lexicon: NameLexicon) -> list[PiiSpan]:
    """An NER person up to a line break and without ordinary words after the name: NER reads a signature
    and the device line under it as one person ("Ben\nSent", "Luis Sent" of "Regards, Luis Sent from my
    iPad"), and "[PERSON] from my iPad" then hides the sign-off the boilerplate rules look for."""
    tokens = list(ent)
    for i, token in enumerate(tokens[1:], 1):
        if "\n" in tokens[i - 1].whitespace_ or token.is_space:
            tokens = tokens[:i]
            break
    while len(tokens) > 1 and lexicon.is_common_word(tokens[-1].text) and not lexicon.is_first_name(tokens[-1].text):
        tokens.pop()
    tokens = [t for t in tokens if not t.is_space]
    if not tokens:
        return []
    return [PiiSpan(tokens[0].idx, tokens[-1].idx + len(tokens[-1]), "PERSON")]


def _known_first_names(doc: Doc, lexicon: NameLexicon, company: frozenset[str]) -> list[PiiSpan]:
    """Given names NER missed or mislabelled ("Jamal" as GPE), with a following surname, and signatures
    glued to a mark ("-Becky", "^Helen", "*JohnWard")."""
    found = []
    for token in doc:
        signed = _signature(doc, token)
        if signed and lexicon.is_first_name(signed.group(2), strict=True):
            found.append(PiiSpan(token.idx + len(token) - len(signed.group(1)), token.idx + len(token), "PERSON"))
            continue
        if not (token.is_title and token.is_alpha and len(token) > 1) or token.lower_ in company:
            continue
        glued = token.i > 0 and not doc[token.i - 1].whitespace_ and doc[token.i - 1].text[-1:].isalnum()
        if glued or (token.i > 0 and doc[token.i - 1].text == "#") or _in_other_entity(token):
            continue  # the end of "5G", a hashtag, a company's or product's name
        place = lexicon.is_place(token.text)
        strict = lexicon.is_first_name(token.text, strict=True) and not place
        # a name the lists lack, or one that is also a word or a place, needs a cue: "Sanjay on the phone"
        possible = lexicon.is_first_name(token.text) or not (
            place or lexicon.never_a_name(token.text) or lexicon.is_common_word(token.text))
        if not strict and not (possible and _cued(doc, token)):
            continue
        if _followed_by_model(doc, token.i + 1):
            continue
        end = token
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if following is not None and token.whitespace_ and _surname_like(following, lexicon, company):
            end = following
        found.append(PiiSpan(token.idx, end.idx + len(end), "PERSON"))
    return found


def _signature(doc: Doc, token: Token) -> re.Match[str] | None:
    """A signature: the mark glued to the name in one token ("-Becky"), or split off by the tokenizer ("*", "JohnWard")."""
    glued = _SIGNATURE.fullmatch(token.text)
    if glued or token.i == 0 or doc[token.i - 1].whitespace_ or not _SIGNATURE_MARK.fullmatch(doc[token.i - 1].text):
        return glued
    return _SIGNATURE.fullmatch("*" + token.text)


def _cued(doc: Doc, token: Token) -> bool:
    """'Grace on the phone', 'Sofia in the Belfast store', 'Max said', 'Hi George': a person, not the word."""
    before = doc[token.i - 1].lower_ if token.i > 0 else ""
    if before in _GREETINGS:
        return True
    return before not in _NO_PERSON_BEFORE and bool(_AFTER_A_PERSON.match(doc.text, token.idx + len(token)))


def _surname_like(token: Token, lexicon: NameLexicon, company: frozenset[str]) -> bool:
    return (token.is_title and token.is_alpha and token.lower_ not in company and token.lower_ not in _TITLE_WORDS
            and not lexicon.never_a_name(token.text)
            and not lexicon.is_common_word(token.text) and token.lower_ not in NOT_NAMES)


def _in_other_entity(token: Token) -> bool:
    """Inside a longer entity NER does not call a person ('Ben & Jerry's', 'Jordan Valley Hospital'); a
    greeting NER took in ('Hello Jason' as ORG) does not count."""
    if token.ent_type_ in ("", "PERSON"):
        return False
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return sum(t.lower_ not in _GREETINGS and not t.text.startswith("@") for t in ent) > 1
    return False


def _followed_by_model(doc: Doc, end: int) -> bool:
    if end >= len(doc) or not _MODEL.fullmatch(doc[end].text):
        return False
    return not _NOT_A_MODEL_AFTER.match(doc.text, doc[end].idx + len(doc[end]))


def _words_of(text: str) -> set[str]:
    return {w.lower() for w in text.split()}


def _longest_first(spans: list[PiiSpan]) -> list[PiiSpan]:
    kept: list[PiiSpan] = []
    for span in sorted(set(spans), key=lambda s: (s.start - s.end, s.start)):
        if not any(span.start < k.end and k.start < span.end for k in kept):
            kept.append(span)
    return sorted(kept)
