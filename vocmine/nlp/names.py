"""People's names that NER misses or invents, by the cues feedback writers use.

The small English NER model finds about six names in ten and calls plan names, salutations
and speed figures "PERSON". Two cheap rules fix much of that: a name after a cue that
introduces a person ("my name is", "spoke to", "praised", "Mrs", "cust") is redacted even
when NER missed it, and an NER "person" that cannot be a name (digits, a salutation, a
lower-case word, a word from the stop list) is dropped.
"""

from __future__ import annotations

import re

from vocmine.nlp.pii import PiiSpan

# Tom, O'Brien, McDonald, Smith-Jones
_NAME_WORD = r"(?:[A-Z]'[A-Z][a-z]+|[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?)"
_CUES = (
    r"my name is|my name's|name's|i am|i'm|this is|signed|regards|cheers|thanks|thank you|"
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
NOT_NAMES = frozenset("""
madam sir dear hi hello hey thanks thank regards cheers team customer cust agent advisor manager
the a an i it this that they we you he she my our your their please yes no ok okay
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december today yesterday tomorrow
bill email app conf callback order acct account plan phone call chat store website online support
""".split())


_TITLE_WORDS = frozenset(_TITLES.split("|"))


def find_cued_names(text: str) -> list[PiiSpan]:
    """Names right after a cue: 'spoke to Tom', 'Mrs Okafor', 'my name is Priya Shah'."""
    spans = []
    for match in _CUE_NAME.finditer(text):
        words = match.group(1).split()
        while words and words[-1].lower() in NOT_NAMES:
            words.pop()
        if words and (words[0].lower().rstrip(".") in _TITLE_WORDS or words[0].lower() not in NOT_NAMES):
            start = match.start(1)
            spans.append(PiiSpan(start, start + len(" ".join(words)), "PERSON"))
    return spans


def could_be_a_name(text: str) -> bool:
    """Whether an NER 'PERSON' can really be one: capitalised words, no digits, no stop words."""
    words = text.replace("'s", "").split()
    return bool(words) and all(
        (re.fullmatch(_NAME_WORD, w) or w.lower().rstrip(".") in _TITLE_WORDS) and w.lower() not in NOT_NAMES
        for w in words)
