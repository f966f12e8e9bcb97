"""The `[themes]` table: how themes are discovered, placed nightly, proposed and flagged as emerging."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from vocmine.config.base import Strict as _Strict


class ThemesConfig(_Strict):
    """How themes are discovered (the `[themes]` table)."""

    # cosines between embeddings, written on MiniLM's scale and read on the store's model's
    # (vocmine.embed.scale); merge_keyword_similarity compares words, not embeddings
    COSINES: ClassVar[tuple[str, ...]] = ("merge_similarity", "similarity_floor", "match_similarity",
                                          "propose_similarity")

    min_themes: int = Field(20, ge=2)
    max_themes: int = Field(120, ge=2)
    target_themes: int | None = Field(
        None, description="fixed number of themes; default: the number within the bounds that best separates the "
        "segments")
    merge_similarity: float | None = Field(
        0.7, description="two fitted themes merge when their centroids are at least this similar (cosine) and their "
        "keywords agree (merge_keyword_similarity). None: never merge")
    merge_keyword_similarity: float = Field(
        0.5, ge=0, le=1, description="c-TF-IDF cosine of two themes' words needed, beside merge_similarity, to merge "
        "them")
    similarity_floor: float = Field(0.25, description="below this cosine to its theme a segment is an outlier")
    fit_sample: int | None = Field(
        50_000, ge=1000, description="a refit fits on at most this many segments (a seeded sample); the rest "
        "join their nearest theme. None: fit on all")
    match_similarity: float = Field(0.8, description="a refit theme keeps a known theme's ID from this cosine on")
    fits_dir: Path = Field(Path("models/themes"), description="where theme fits are saved (safetensors)")
    refit_keep_margin: float = Field(
        0.05, ge=0, description="at a refit a segment keeps its theme unless another is closer by this cosine")
    keep_fits: int = Field(3, ge=1, description="saved fits kept under fits_dir; older folders are deleted")
    seed: int = 42
    align_languages: Literal["never", "partial", "full"] = Field(
        "never", description="move each language's vectors before themes are fitted, for stores whose languages "
        "share one business (the same products in several languages): partial along the journey taxonomy's "
        "language direction, full onto the store's mean. Where each language is its own business this puts "
        "businesses together (docs/languages.md)")
    # nightly assignment of new segments, and new themes from what fits no known theme
    novelty_percentile: float = Field(
        5.0, ge=0, le=50, description="a new segment less similar to its nearest theme than this percentile of "
        "the theme's own segments at the fit stays unassigned")
    propose_after: int = Field(50, ge=1, description="unassigned segments needed before new themes are proposed")
    propose_min_size: int = Field(15, ge=2, description="segments a proposed theme needs")
    propose_similarity: float = Field(0.4, description="average cosine within a proposed theme")
    refit_every_days: int = Field(28, ge=0, description="nightly runs refit when the last fit is older (0: never)")
    # emerging themes
    baseline_weeks: int = Field(8, ge=4, description="prior weeks a theme's latest share is compared with")
    emerging_z: float = Field(3.0, gt=0, description="z-score of the latest weekly share that flags a theme")
    emerging_min_volume: int = Field(10, ge=1, description="segments in the latest week a flagged theme needs")
    new_within_weeks: int = Field(2, ge=1, description="a theme first seen within these weeks counts as new")
    # themes per feedback (cases): long feedback is placed by its whole text
    case_min_segments: int = Field(
        3, ge=2, description="feedback with at least this many segments (boilerplate left out) is long: its primary "
        "theme is its kind of case, found on whole texts")
    case_min_feedback: int = Field(
        200, ge=50, description="long feedback needed before kinds of case are fitted; until then every primary "
        "theme comes from the feedback's segments")
    case_min_themes: int = Field(5, ge=2, description="fewest kinds of case a refit fits")
    case_max_themes: int = Field(40, ge=2, description="most kinds of case a refit fits (never more than the themes)")
    stop_words: list[str] = Field(
        default_factory=lambda: ["cust", "customer", "pls", "please", "thanks", "thank", "hi", "hello",
                                 "adv", "advise", "advised", "say", "says", "said", "want", "wants"],
        description="words never used in theme keywords, on top of English stop words",
    )

    @model_validator(mode="after")
    def _range(self) -> ThemesConfig:
        if self.min_themes > self.max_themes:
            raise ValueError("themes.min_themes is larger than themes.max_themes")
        if self.case_min_themes > self.case_max_themes:
            raise ValueError("themes.case_min_themes is larger than themes.case_max_themes")
        return self
