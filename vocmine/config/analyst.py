"""The analyst layer's sections of the settings: outcomes, priorities, lost customers,
assumed priorities and teams (``[outcomes]``, ``[priorities]``, ``[lost_customers]``,
``[assumptions]``, ``[teams.NAME]``). ``vocmine views`` copies them into the store."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from vocmine.config.base import Strict as _Strict

KPI_METRICS = ("volume", "negative_share", "avg_sentiment", "emerging_themes")  # besides outcomes


class Outcome(_Strict):
    """A number per feedback that themes may move: the rating, or a metadata column.

    Metadata values ``true``/``false`` (or yes/no) count as 1/0, so flags such as ``repeat_contact`` or
    ``churned`` work as rates.
    """

    column: Literal["rating"] | None = Field(None, description="a feedback column holding the number")
    metadata: str | None = Field(None, description="a metadata key holding the number (or true/false, yes/no)")
    better: Literal["higher", "lower"] = Field(description="which way the number should move")

    @model_validator(mode="after")
    def _one_place(self) -> Outcome:
        if (self.column is None) == (self.metadata is None):
            raise ValueError("an outcome names exactly one of `column` or `metadata`")
        return self


class PrioritiesConfig(_Strict):
    """How the `priorities` view scores themes (the `[priorities]` table): a weighted mean of
    components scaled to 0..1, each shown as a column so the ranking can be argued with. A
    theme's negativity and harm are shrunk toward the company-wide level by its size, so eight
    segments that happen to be all negative do not outrank a large, mostly negative theme."""

    top: int = Field(15, ge=1, description="themes in the priorities list")
    volume_weight: float = Field(1.0, ge=0)
    negativity_weight: float = Field(1.0, ge=0)
    growth_weight: float = Field(0.5, ge=0)
    impact_weight: float = Field(1.0, ge=0)
    impact_outcome: str | None = Field("rating", description="the outcome whose harm counts as impact")
    prior_strength: float = Field(
        50.0, ge=0, description="segments' worth of the company-wide level every theme's negativity and harm "
        "start from before its own segments count (0: a theme's raw numbers, however few its segments)")
    count: Literal["segments", "cases"] = Field(
        "segments", description="what a theme's volume counts: segments (how often it is said) or cases (feedback "
        "whose primary theme it is: how many complaints are about it)")

    @model_validator(mode="after")
    def _some_weight(self) -> PrioritiesConfig:
        if not any((self.volume_weight, self.negativity_weight, self.growth_weight, self.impact_weight)):
            raise ValueError("priorities: at least one weight must be above 0")
        return self


class LostCustomersConfig(_Strict):
    """Which customers count as lost (the `[lost_customers]` table): a metadata rule."""

    metadata: str = Field("churned", description="metadata key that marks a lost customer")
    values: list[str] = Field(default_factory=lambda: ["true", "yes", "1", "y"],
                              description="values of that key (case-insensitive) that mean lost")
    date_metadata: str | None = Field(
        None, description="metadata key with the date the customer left; default: their last feedback")

    @field_validator("values")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [v.strip().lower() for v in value]


class AssumptionsConfig(_Strict):
    """What the company believes customers care about (the `[assumptions]` table)."""

    # written on MiniLM's scale, read on the store's model's (vocmine.embed.scale)
    COSINES: ClassVar[tuple[str, ...]] = ("min_similarity", "min_segment_similarity")

    priorities: list[str] = Field(default_factory=list, description='e.g. ["price", "delivery speed"]')
    min_similarity: float = Field(
        0.42, description="cosine from which a theme's label or one of its keywords means the assumption")
    min_segment_similarity: float = Field(
        0.3, description="cosine from which a segment means the assumption (a short assumption and a whole "
        "sentence come out less similar than two names)")
    min_segment_share: float = Field(
        0.2, ge=0, le=1, description="share of a theme's segments that must mean the assumption for the theme "
        "to match (half of it when the theme's label or a keyword means it too)")
    rarely_voiced_share: float = Field(
        0.01, ge=0, le=1, description="an assumption whose themes hold less of all segments is over-assumed")


class Kpi(_Strict):
    """A headline number of a team report, with the target the team agreed."""

    metric: str = Field(description="volume | negative_share | avg_sentiment | emerging_themes | an outcome name")
    target: float | None = None
    name: str | None = Field(None, description="shown in the report; default: the metric")

    @property
    def title(self) -> str:
        return self.name or self.metric.replace("_", " ")


class TeamConfig(_Strict):
    """A team's slice of the feedback (the `[teams.NAME]` tables): segments at any of its
    stages, touchpoints or themes; with none given, everything."""

    stages: list[str] = Field(default_factory=list)
    touchpoints: list[str] = Field(default_factory=list)
    themes: list[int | str] = Field(default_factory=list, description="theme IDs, or words of theme labels")
    kpis: list[Kpi] = Field(default_factory=list)


def default_outcomes() -> dict[str, Outcome]:
    return {"rating": Outcome(column="rating", better="higher")}
