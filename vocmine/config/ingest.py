"""The `[ingest]` section: what a row may look like before it is set aside, and what happens
to files once read. Poison inputs (a 5 MB text, a date in year 9999, the same export every
night) are handled here by rule instead of stopping the night."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from vocmine.config.base import Strict


class IngestConfig(Strict):
    """The `[ingest]` table, for every source."""

    max_text_chars: int = Field(
        100_000, ge=1, le=1_000_000, description="a longer text is quarantined at ingest (spaCy refuses texts "
        "over 1,000,000 characters, and a 5 MB paste is not feedback)")
    earliest_date: date = Field(date(2000, 1, 1), description="a received_at before this day is quarantined")
    latest_days_ahead: int = Field(
        2, ge=0, description="a received_at more than this many days after the day it is ingested is quarantined")
    skip_unchanged: bool = Field(True, description="a file already ingested with the same path, size and "
                                 "content hash is skipped (a quiet night reads nothing)")
    archive_dir: Path | None = Field(
        None, description="move each file read from an inbox here (under the source's name) once ingested; "
        "none: files stay where they are")
    updates: Literal["new_version", "quarantine"] = Field(
        "new_version", description="a row whose id is known with different text: new_version replaces the "
        "feedback and keeps the old one in feedback_versions; quarantine sets the row aside")

    @model_validator(mode="after")
    def _window(self) -> IngestConfig:
        if self.earliest_date >= date.today():
            raise ValueError(f"ingest.earliest_date {self.earliest_date} is not in the past")
        return self
