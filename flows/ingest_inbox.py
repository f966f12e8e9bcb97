"""Ingest every configured source's inbox, one Prefect task per source.

    python flows/ingest_inbox.py [--config vocmine.toml]

Sources run one after another: DuckDB has a single writer, and each file is its own
transaction, so a retried task simply skips what an earlier attempt already loaded.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from prefect import flow, get_run_logger, task

from vocmine.config import load_settings
from vocmine.ingest import archive_folder, inbox_files, ingest_files
from vocmine.store import connect


@task(retries=2, retry_delay_seconds=[10, 60])
def ingest_source(config: Path | None, name: str) -> dict[str, int]:
    settings = load_settings(config)
    paths = inbox_files(settings.source(name), settings.project_dir)
    con = connect(settings.db_path)
    try:
        result = ingest_files(con, paths, name, settings.source(name), rules=settings.ingest,
                              archive_to=archive_folder(settings.ingest, settings.project_dir))
    finally:
        con.close()
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
