"""The `[journey]` table: how segments are tagged with journey stages and touchpoints."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from vocmine.config.base import Strict as _Strict


class JourneyConfig(_Strict):
    """How segments are tagged with journey stages and touchpoints (the `[journey]` table)."""

    taxonomy: Path | None = Field(
        None, description="taxonomy file; default: taxonomy.toml beside the config if there is one, "
        "else the one shipped with vocmine")
    stage_min_similarity: float = Field(0.35, description="below this cosine to every stage: unknown (cosines "
                                        "on MiniLM's scale whatever the backend: vocmine/journey/calibration.py)")
    touchpoint_min_similarity: float = Field(0.55, description="below this cosine to every touchpoint: unknown "
                                             "(on MiniLM's scale)")
    min_margin: float = Field(0.0, ge=0, description="the best stage/touchpoint must beat the second by this")
    stage_from_theme: bool = Field(True, description="a segment no stage pattern matches weighs its theme's stage "
                                   "mix beside its own meaning (theme_weight, theme_min_segments)")
    theme_weight: float = Field(0.2, ge=0, description="added to a segment's cosine to each stage, times that "
                                "stage's share of its theme's pattern-tagged segments")
    theme_min_segments: int = Field(20, ge=1, description="pattern-tagged segments a theme needs before its "
                                    "stage mix counts")
    batch_size: int = Field(5000, ge=1, description="segments per committed batch")
