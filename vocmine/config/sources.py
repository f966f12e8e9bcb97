"""Where feedback comes from: a source's files, how its columns map onto feedback, and which
extra columns are kept (and whether analysts may see them). Part of the settings object
(:mod:`vocmine.config`), which re-exports everything here."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from vocmine.config.base import Strict as _Strict

FEEDBACK_KINDS = ("call_note", "review", "complaint", "survey", "social")
FeedbackKind = Literal["call_note", "review", "complaint", "survey", "social"]
FileFormat = Literal["csv", "jsonl", "parquet"]


class ColumnMapping(_Strict):
    """Which column of a source file holds each feedback field; only ``text`` is required."""

    id: str | None = None
    text: str
    received_at: str | None = None
    received_at_format: str | None = Field(
        None, description="strptime format, e.g. '%d/%m/%Y', when dates are ambiguous"
    )
    channel: str | None = None
    rating: str | None = None
    customer_id: str | None = None
    language: str | None = None

    def mapped(self) -> dict[str, str]:
        """Field name -> source column, for the fields this source maps."""
        fields = ("id", "text", "received_at", "channel", "rating", "customer_id", "language")
        return {f: getattr(self, f) for f in fields if getattr(self, f)}


class MetadataMapping(_Strict):
    """Source columns kept beside the text, in ``feedback.metadata``, and which of them analysts see.

    Every kept column is *restricted* (working database only) unless listed in ``public``: a column of
    phone numbers or addresses added to an export stays out of the published copy by default.
    ``columns`` lists kept columns (restricted unless also in ``public``); ``public`` and
    ``restricted`` both keep the column too, so ``public = ["plan"]`` alone is enough. Metadata keys
    that outcomes or the lost-customer rule read are published whatever is declared: the published
    views compute from them.

    >>> MetadataMapping(columns=["phone"], public=["plan"]).columns
    ['phone', 'plan']
    """

    columns: list[str] = Field(default_factory=list, description="columns kept (restricted unless in `public`)")
    public: list[str] = Field(default_factory=list, description="kept columns analysts may see")
    restricted: list[str] = Field(default_factory=list, description="kept columns that never leave the working "
                                  "database (the default for any column not in `public`)")

    @model_validator(mode="after")
    def _every_declared_column_is_kept(self) -> MetadataMapping:
        both = sorted(set(self.public) & set(self.restricted))
        if both:
            raise ValueError(f"metadata columns {both} are declared both public and restricted")
        self.columns = list(dict.fromkeys([*self.columns, *self.public, *self.restricted]))
        return self


class SourceConfig(_Strict):
    """A feedback source: what kind of feedback, where its files land, how to read them."""

    kind: FeedbackKind
    format: FileFormat | None = None
    inbox: list[str] = Field(
        default_factory=list, description="glob(s) of files to ingest when no file is named"
    )
    encoding: Literal["utf-8", "utf-16", "latin-1"] = "utf-8"
    delimiter: str = ","
    columns: ColumnMapping
    metadata: MetadataMapping = Field(default_factory=MetadataMapping)

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, value: str) -> str:
        if len(value) != 1 or value in ('"', "\r", "\n"):
            raise ValueError(f"delimiter {value!r} must be exactly one character, not a quote or a line break "
                             "(e.g. \",\", \";\" or \"\\t\")")
        return value

    @field_validator("inbox", mode="before")
    @classmethod
    def _one_glob_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _metadata_not_mapped_twice(self) -> SourceConfig:
        mapped = set(self.columns.mapped().values())
        twice = sorted(mapped.intersection(self.metadata.columns))
        if twice:
            raise ValueError(f"metadata columns {twice} are already mapped to feedback fields")
        return self

    def format_for(self, path: Path) -> FileFormat:
        """The configured format, or the one the file extension implies."""
        if self.format:
            return self.format
        suffixes = [s.lower() for s in path.suffixes]
        for fmt, exts in (("csv", {".csv", ".tsv"}), ("jsonl", {".jsonl", ".ndjson", ".json"}),
                          ("parquet", {".parquet", ".pq"})):
            if exts.intersection(suffixes):
                return fmt  # type: ignore[return-value]
        raise ValueError(f"{path}: cannot tell the format from the extension; set `format`")
