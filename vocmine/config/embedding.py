"""The `[embedding]` table: which model turns segments into vectors."""

from __future__ import annotations

from pydantic import Field, field_validator

from vocmine.config.base import Strict as _Strict


class EmbeddingConfig(_Strict):
    """Which model turns segments into vectors (the `[embedding]` table)."""

    backend: str = Field(
        "auto", description="auto | minilm | static | multilingual | e5 | a sentence-transformers name or path. "
        "auto: minilm for English feedback, auto_multilingual when more than auto_other_share of the segments are "
        "in other languages; decided per store and kept until a theme refit (docs/embeddings.md)")
    auto_multilingual: str = Field("e5", description="the multilingual backend auto picks: e5 | multilingual | a "
                                   "sentence-transformers name or path")
    auto_other_share: float = Field(0.02, ge=0, lt=1, description="auto picks the multilingual backend when more than "
                                    "this share of segments is not English (language identification misreads a "
                                    "few short English texts)")
    threads: int = Field(2, ge=1, description="threads for the multilingual encoders")

    @field_validator("auto_multilingual")
    @classmethod
    def _not_auto(cls, value: str) -> str:
        if value == "auto":
            raise ValueError("auto_multilingual names a backend, not 'auto'")
        return value
