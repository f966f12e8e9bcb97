"""The `[publish]` table: the file format of the analysts' copy."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from vocmine.config.base import Strict as _Strict


class PublishConfig(_Strict):
    """The `[publish]` table: the file format of the analysts' copy.

    DuckDB writes its own newest storage format unless told otherwise, and an older engine
    refuses a newer file. Analysts' tools often bundle a DuckDB 1.x (the ``duckdb-cli`` package,
    BI connectors), so the copy is written in a format every 1.x reads; the working database
    keeps the engine's own. Trade-off: an older format lacks the newer engines' compression
    (docs/analyst-guide.md has the sizes on the demo)."""

    storage_version: str = Field(
        "v1.0.0", description="DuckDB storage version of the published file: 'v1.0.0' opens in every DuckDB from "
        "1.0; 'latest' is this engine's own (only as new a DuckDB opens it)")

    @field_validator("storage_version")
    @classmethod
    def _version_form(cls, value: str) -> str:
        if value != "latest" and not re.fullmatch(r"v\d+\.\d+\.\d+", value):
            raise ValueError(f"publish.storage_version {value!r} is not 'latest' nor a DuckDB version such as 'v1.0.0'")
        return value
