"""One typed settings object for the whole pipeline, loaded at the edges (the CLI and the flows).

:mod:`vocmine.config.settings` holds :class:`Settings` and :func:`load_settings`; each other
module of this package holds the sections of one concern (sources, ingest, nlp, boilerplate,
embedding, themes, journey, the analyst layer, privacy, publishing, the nightly run).

The edges (``vocmine.cli``, ``vocmine.pipeline``, ``flows``) import from ``vocmine.config``: it
names them all. A step imports only the section module it needs (``vocmine.config.themes``):
this package's ``__init__`` imports the whole settings object, which steps never see
(``.importlinter`` checks it).
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
from vocmine.config.embedding import EmbeddingConfig
from vocmine.config.ingest import IngestConfig
from vocmine.config.journey import JourneyConfig
from vocmine.config.nightly import NotifyConfig, PipelineConfig, ScaleConfig, ScheduleConfig
from vocmine.config.nlp import NlpConfig
from vocmine.config.privacy import PrivacyConfig
from vocmine.config.publish import PublishConfig
from vocmine.config.settings import (
    DEFAULT_CONFIG,
    DEFAULT_DB,
    TAXONOMY_FILE,
    Settings,
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
from vocmine.config.themes import ThemesConfig

__all__ = ["DEFAULT_CONFIG", "DEFAULT_DB", "FEEDBACK_KINDS", "KPI_METRICS", "TAXONOMY_FILE", "AssumptionsConfig",
           "BoilerplateConfig", "ColumnMapping", "EmbeddingConfig", "FeedbackKind", "FileFormat", "IngestConfig",
           "JourneyConfig", "Kpi", "LostCustomersConfig", "MetadataMapping", "NlpConfig", "NotifyConfig", "Outcome",
           "PipelineConfig", "PrioritiesConfig", "PrivacyConfig", "PublishConfig", "ScaleConfig", "ScheduleConfig",
           "Settings", "SourceConfig", "TeamConfig", "ThemesConfig", "config_path", "load_settings"]
