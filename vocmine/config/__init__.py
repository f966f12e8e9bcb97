"""One typed settings object for the whole pipeline, loaded at the edges (the CLI and the flows).

:mod:`vocmine.config.settings` holds :class:`Settings` and :func:`load_settings`; each other
module of this package holds the sections of one concern (sources, ingest, privacy, the analyst
layer, boilerplate, the nightly run). Import from ``vocmine.config``: it names them all.
"""

from vocmine.config.analyst import (
    KPI_METRICS,
    AssumptionsConfig,
    Kpi,
    LostCustomersConfig,
    Outcome,
    PrioritiesConfig,
    TeamConfig,
)
from vocmine.config.boilerplate import BoilerplateConfig
from vocmine.config.ingest import IngestConfig
from vocmine.config.nightly import NotifyConfig, PipelineConfig, ScaleConfig, ScheduleConfig
from vocmine.config.privacy import PrivacyConfig
from vocmine.config.settings import (
    DEFAULT_CONFIG,
    DEFAULT_DB,
    TAXONOMY_FILE,
    EmbeddingConfig,
    JourneyConfig,
    NlpConfig,
    PublishConfig,
    Settings,
    ThemesConfig,
    config_path,
    load_settings,
)
from vocmine.config.sources import (
    FEEDBACK_KINDS,
    ColumnMapping,
    FeedbackKind,
    FileFormat,
    MetadataMapping,
    SourceConfig,
)

__all__ = ["DEFAULT_CONFIG", "DEFAULT_DB", "FEEDBACK_KINDS", "KPI_METRICS", "TAXONOMY_FILE", "AssumptionsConfig",
           "BoilerplateConfig", "ColumnMapping", "EmbeddingConfig", "FeedbackKind", "FileFormat", "IngestConfig",
           "JourneyConfig", "Kpi", "LostCustomersConfig", "MetadataMapping", "NlpConfig", "NotifyConfig", "Outcome",
           "PipelineConfig", "PrioritiesConfig", "PrivacyConfig", "PublishConfig", "ScaleConfig", "ScheduleConfig",
           "Settings", "SourceConfig", "TeamConfig", "ThemesConfig", "config_path", "load_settings"]
