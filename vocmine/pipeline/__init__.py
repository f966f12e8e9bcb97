"""The wiring: one function per step (vocmine.pipeline.steps), the run loop that calls them in
order (vocmine.pipeline.run), and how the store is held. The commands, ``vocmine run`` and the
Prefect flows call only this package to run a step."""

from vocmine.pipeline.preflight import check_run_settings, refuse_run
from vocmine.pipeline.run import (
    PipelineBusy,
    PipelineResult,
    RunRefused,
    StepResult,
    begin_run,
    end_run,
    open_store,
    run_pipeline,
    run_step,
    working_store,
)
from vocmine.pipeline.steps import STEPS, IngestPlan, Outcome, StepContext, StepFailed, plan_ingest

__all__ = ["STEPS", "IngestPlan", "Outcome", "PipelineBusy", "PipelineResult", "RunRefused", "StepContext", "StepFailed",
           "StepResult", "begin_run", "check_run_settings", "end_run", "open_store", "plan_ingest", "refuse_run",
           "run_pipeline", "run_step", "working_store"]
