"""The whole pipeline as one plain-Python run: what `vocmine run` and the nightly flow call."""

from vocmine.pipeline.preflight import check_run_settings, refuse_run
from vocmine.pipeline.run import (
    PipelineBusy,
    PipelineResult,
    StepResult,
    begin_run,
    end_run,
    open_store,
    run_pipeline,
    run_step,
)
from vocmine.pipeline.steps import STEPS, StepContext

__all__ = ["STEPS", "PipelineBusy", "PipelineResult", "StepContext", "StepResult", "begin_run", "check_run_settings",
           "end_run", "open_store", "refuse_run", "run_pipeline", "run_step"]
