"""Prefect flows: orchestration only. Each task calls one function of vocmine.pipeline.

- ``flows/nightly.py``: the whole pipeline, one task per step; ``run`` once or ``serve`` on a schedule.
- ``flows/ingest_inbox.py``: ingest every source's inbox, one task per source.
- ``flows/run_context.py``: what the nightly flow hands its tasks besides their parameters.
"""
