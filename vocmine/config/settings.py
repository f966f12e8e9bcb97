"""One typed settings object for the whole pipeline.

The settings object, made of the sections beside it in this package. Only the edges (the CLI,
the pipeline wiring, the flows) see the whole object; each step receives its section(s).

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
from contextvars import ContextVar
from pathlib import Path

from pydantic import Field, model_validator
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
from vocmine.config.embedding import EmbeddingConfig
from vocmine.config.ingest import IngestConfig
from vocmine.config.journey import JourneyConfig
from vocmine.config.nightly import NotifyConfig, PipelineConfig, ScaleConfig, ScheduleConfig
from vocmine.config.nlp import NlpConfig
from vocmine.config.privacy import PrivacyConfig, check_team_name
from vocmine.config.publish import PublishConfig
from vocmine.config.sources import SourceConfig
from vocmine.config.themes import ThemesConfig

DEFAULT_CONFIG = Path("vocmine.toml")
DEFAULT_DB = Path("data/vocmine.duckdb")
TAXONOMY_FILE = "taxonomy.toml"

_config_file: ContextVar[Path | None] = ContextVar("vocmine_config_file", default=None)


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
    def _models_beside_the_config(self) -> Settings:
        """A model given by a relative path (``models/my-pipeline``, ``./e5-copy``) is read from the
        config file's folder, like every path in it, so a project finds its models from any
        working folder; a package, built-in or hub name (``org/model`` with no such folder) stays a name."""
        if self.config_file is None:
            return self
        for part, key in ((self.nlp, "model"), (self.embedding, "backend"), (self.embedding, "auto_multilingual")):
            value = getattr(part, key)
            path = Path(value).expanduser()
            looks_like_path = value.startswith((".", "~")) or "/" in value or "\\" in value
            if looks_like_path and not path.is_absolute() and (self.project_dir / path).exists():
                setattr(part, key, str(self.project_dir / path))
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
