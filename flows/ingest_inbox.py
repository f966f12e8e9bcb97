"""Ingest every configured source's inbox, one Prefect task per source.

    python flows/ingest_inbox.py [--config vocmine.toml]

Each task runs the pipeline's ingest step (vocmine.pipeline.steps.ingest) for one source, as
``vocmine ingest --source NAME`` would. Sources run one after another: DuckDB has a single
writer, and each file is its own transaction, so a retried task simply skips what an earlier
attempt already loaded.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from prefect import flow, get_run_logger, task

from vocmine.config import load_settings
from vocmine.pipeline import StepContext, open_store, plan_ingest
from vocmine.pipeline.steps import ingest


@task(retries=2, retry_delay_seconds=[10, 60])
def ingest_source(config: Path | None, name: str) -> dict[str, int]:
    """The pipeline's ingest step for one source's inbox."""
    settings = load_settings(config)
    with open_store(settings) as con:
        [result] = ingest(StepContext(con, settings), plan_ingest(settings, source=name)).detail
    logger = get_run_logger()
    for summary in result.files:
        if summary.error:  # set aside in quarantine; the other files and sources go on
            logger.warning("set aside: %s", summary.error)
    totals = result.totals()
    logger.info("%s: %s", name, totals)
    return totals


@flow(name="ingest-inbox")
def ingest_inbox(config: Path | None = None) -> dict[str, dict[str, int]]:
    settings = load_settings(config)
    return {name: ingest_source(config, name) for name in sorted(settings.sources) if settings.sources[name].inbox}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=None)
    print(ingest_inbox(parser.parse_args().config))
