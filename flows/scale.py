"""The nightly flow's heavy batches as Prefect tasks on a Dask cluster (``[scale] engine = "dask"``).

Enrichment, embedding and theme assignment hand their batches to a ``BatchRunner``
(vocmine/parallel.py). Here that runner submits each batch as a Prefect task to a
``DaskTaskRunner``: on the cluster at ``[scale] address``, or on a local cluster of
``[scale] workers`` processes started for the run. The flow's own process keeps reading the
batches from DuckDB and storing their results in order, so the database still has one writer
and a killed run resumes as it would on one machine. See docs/scaling.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from vocmine.config import ScaleConfig
from vocmine.parallel import IN_PROCESS, BatchRunner, apply, batch_name, in_order

# the worker imports vocmine.parallel.apply and the library function ``fn`` names: nothing from flows/
BATCH_TASK = task(apply, name="batch", cache_policy=NO_CACHE, persist_result=False)


class PrefectBatches:
    """Batches as Prefect task runs on a started task runner, results in batch order."""

    remote = True

    def __init__(self, task_runner: Any, in_flight: int) -> None:
        self.task_runner = task_runner
        self.in_flight = in_flight

    def map(self, fn: Callable[[Any], Any], batches: Iterable[Any]) -> Iterator[Any]:
        name = batch_name(fn)  # enrich_batch, encode_batch, ...
        batch_task = BATCH_TASK.with_options(name=name, task_run_name=name)

        def submit(batch: Any) -> Any:
            return self.task_runner.submit(batch_task, parameters={"fn": fn, "batch": batch})

        return in_order(submit, lambda future: future.result(), batches, self.in_flight)


@contextmanager
def batch_runner(scale: ScaleConfig) -> Iterator[BatchRunner]:
    """The runner for the configured engine, its cluster connected (or started) for the block."""
    if scale.engine == "local":
        yield IN_PROCESS
        return
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:  # an optional engine: say what to install
        raise RuntimeError("[scale] engine = 'dask' needs prefect-dask: pip install prefect-dask") from exc
    if scale.address:
        task_runner = DaskTaskRunner(address=scale.address)
    else:
        task_runner = DaskTaskRunner(cluster_kwargs={"n_workers": scale.workers, "threads_per_worker": 1,
                                                     "processes": True, "dashboard_address": None})
    with task_runner:
        threads = sum(task_runner.client.nthreads().values())
        yield PrefectBatches(task_runner, scale.in_flight or max(2, 2 * threads))
