"""The journey taxonomy: the company's own stages and touchpoints, as data the user edits.

CX teams agree on their journey stages and touchpoints before they look at feedback, and the
words differ by industry, so the taxonomy is a TOML file (the packaged default is copied into
the project by ``vocmine init``). A mistake in it (an unknown key, a duplicate id, no stages)
is reported with the file and the place, before any tagging. The version is a hash of what
the file says, stored with every tag, so a changed taxonomy is visible in the data.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

UNKNOWN = "unknown"  # the tag when nothing is confident enough; never a taxonomy id
# How vocmine reads a taxonomy, part of its version: a change makes every stored tag stale (``vocmine tag``
# says so; ``--rebuild`` re-tags). 1: raw cosines; 2: cosines on MiniLM's scale per backend (calibration.py).
TAGGING_VERSION = 2
TaxonomyId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InLanguage(_Strict):
    """An entry's words in one more language (``[stages.languages.zh]``): patterns that segments in
    that language are matched against, and examples embedded beside the English ones. Patterns
    are read as customers write, not as lemmas: in Chinese and Japanese a pattern is found
    anywhere in the text ("送餐"); elsewhere it is one to three words, each matched whole or, when
    it ends in "*", as the start of a word ("dostaw*" meets "dostawa", "dostawy", "dostawą")."""

    patterns: list[Phrase] = Field(default_factory=list)
    examples: list[Phrase] = Field(default_factory=list)


class Stage(_Strict):
    id: TaxonomyId
    name: Phrase
    description: Phrase
    examples: list[Phrase] = Field(default_factory=list)
    patterns: list[Phrase] = Field(default_factory=list)
    languages: dict[LanguageCode, InLanguage] = Field(default_factory=dict)

    def phrases(self) -> list[str]:
        """What is embedded for meaning: the description and the examples in every language."""
        return [self.description, *self.examples, *(e for words in self.languages.values() for e in words.examples)]


class Touchpoint(_Strict):
    id: TaxonomyId
    name: Phrase
    description: Phrase
    channels: list[Phrase] = Field(default_factory=list)
    patterns: list[Phrase] = Field(default_factory=list)
    examples: list[Phrase] = Field(default_factory=list)
    languages: dict[LanguageCode, InLanguage] = Field(default_factory=dict)

    def phrases(self) -> list[str]:
        """What is embedded for meaning: the description and the examples in every language."""
        return [self.description, *self.examples, *(e for words in self.languages.values() for e in words.examples)]


class Taxonomy(_Strict):
    stages: list[Stage] = Field(min_length=1)
    touchpoints: list[Touchpoint] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Taxonomy:
        for kind, items in (("stages", self.stages), ("touchpoints", self.touchpoints)):
            seen: set[str] = set()
            for item in items:
                if item.id == UNKNOWN:
                    raise ValueError(f"{kind}: '{UNKNOWN}' is reserved for segments nothing matches")
                if item.id in seen:
                    raise ValueError(f"{kind}: duplicate id '{item.id}'")
                seen.add(item.id)
        channels: dict[str, str] = {}
        for touchpoint in self.touchpoints:
            for channel in touchpoint.channels:
                other = channels.setdefault(channel.lower(), touchpoint.id)
                if other != touchpoint.id:
                    raise ValueError(f"touchpoints: channel '{channel}' belongs to both '{other}' and '{touchpoint.id}'")
        return self

    @property
    def version(self) -> str:
        """A hash of the content and of how vocmine reads it (``TAGGING_VERSION``): the same taxonomy
        gives the same version on any machine, and tags made another way are stale."""
        canonical = json.dumps({**self.model_dump(), "tagging_version": TAGGING_VERSION}, sort_keys=True,
                               ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]

    @property
    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    @property
    def touchpoint_ids(self) -> list[str]:
        return [t.id for t in self.touchpoints]

    @property
    def languages(self) -> list[str]:
        """The languages with their own patterns, besides English."""
        return sorted({code for item in (*self.stages, *self.touchpoints) for code, words in item.languages.items()
                       if words.patterns})

    def accepted_values(self) -> dict[str, list[str]]:
        """What a stored tag may be, by the names the column checks use."""
        return {"taxonomy:stages": [*self.stage_ids, UNKNOWN], "taxonomy:touchpoints": [*self.touchpoint_ids, UNKNOWN]}


def default_taxonomy_text() -> str:
    return (resources.files("vocmine.journey") / "taxonomy.toml").read_text(encoding="utf-8")


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The taxonomy in ``path`` (the packaged default when None), or a ValueError naming the problem."""
    where = str(path) if path else "the default taxonomy"
    try:
        text = path.read_text(encoding="utf-8") if path else default_taxonomy_text()
    except OSError as exc:
        raise ValueError(f"{where}: cannot read the taxonomy ({exc.strerror or exc})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where}: not valid TOML: {exc}") from exc
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_place(e['loc'], data)}: {_message(e)}" for e in exc.errors())
        raise ValueError(f"{where}: {problems}") from exc


def _place(loc: tuple, data: dict) -> str:
    """'stages[3] (billing).patterns' rather than pydantic's tuple."""
    parts, node = [], data
    for key in loc:
        if isinstance(key, int):
            item = node[key] if isinstance(node, list) and key < len(node) else None
            label = f" ({item['id']})" if isinstance(item, dict) and isinstance(item.get("id"), str) else ""
            parts[-1] = f"{parts[-1]}[{key + 1}]{label}" if parts else f"[{key + 1}]"
            node = item
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "taxonomy"


def _message(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key (a typo?)"
    if error["type"] == "string_pattern_mismatch":
        return f"{error['input']!r} is not a valid id (lowercase letters, digits and _; starting with a letter)"
    message = error["msg"]
    return message.removeprefix("Value error, ")


__all__ = ["TAGGING_VERSION", "UNKNOWN", "InLanguage", "Stage", "Taxonomy", "Touchpoint", "default_taxonomy_text", "load_taxonomy"]
