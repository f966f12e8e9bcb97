"""The nightly run's sections of the settings: what the pipeline does at its end, when it is
scheduled, and whom it tells (``[pipeline]``, ``[schedule]``, ``[notify]``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from vocmine.config.base import Strict


class PipelineConfig(Strict):
    """The `[pipeline]` table: `vocmine run` and the nightly flow."""

    reports: bool = Field(True, description="write every team's report at the end of a run")
    report_period: Literal["week", "month"] = "week"
    report_formats: list[Literal["html", "md", "csv", "parquet", "xlsx"]] = Field(
        default_factory=lambda: ["html", "md"])


class ScheduleConfig(Strict):
    """The `[schedule]` table: when `python flows/nightly.py serve` runs the nightly flow."""

    cron: str = Field("0 2 * * *", description="cron expression (minute hour day month weekday)")
    timezone: str = Field("UTC", description="IANA time zone the cron expression is read in")

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, value: str) -> str:
        if len(value.split()) != 5:
            raise ValueError(f"schedule.cron {value!r} needs 5 fields: minute hour day month weekday")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"schedule.timezone {value!r} is not an IANA time zone (e.g. Europe/London)") from exc
        return value


class NotifyConfig(Strict):
    """The `[notify]` table: a webhook and/or a shell command told how each run ended."""

    webhook: str | None = Field(None, description="URL that receives a JSON POST with the run summary")
    command: str | None = Field(None, description="shell command; VOCMINE_RUN_* environment variables describe the run")
    on: list[Literal["failure", "success"]] = Field(default_factory=lambda: ["failure"])


class ScaleConfig(Strict):
    """The `[scale]` table: where the nightly flow computes its heavy steps.

    ``local``: in the flow's own process. ``dask``: enrichment, embedding and theme assignment
    run as Prefect tasks on a Dask cluster (``pip install prefect-dask``), in batches; the
    flow's process stays the only one writing the database. See docs/scaling.md."""

    engine: Literal["local", "dask"] = "local"
    address: str | None = Field(
        None, description="scheduler of a running Dask cluster, e.g. tcp://10.0.0.5:8786; "
        "none: the flow starts a local cluster for the run")
    workers: int = Field(2, ge=1, description="worker processes of the local cluster (when no address)")
    in_flight: int = Field(0, ge=0, description="batches sent ahead of the one being stored (0: twice the "
                           "cluster's worker threads)")
