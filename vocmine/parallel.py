"""Heavy steps as batches that may be computed elsewhere and are written back here, in order.

DuckDB has one writer, so the process that holds the store plans the batches (it reads them)
and stores each result as it comes back, one transaction per batch, exactly as a run on one
machine would: an interrupted run resumes the same way. Only the pure part of a batch (spaCy
over a batch of feedback, the encoder over a batch of texts, a similarity matrix) may run in
another process or on another machine. A ``BatchRunner`` decides where:

- ``IN_PROCESS`` (the default): here, one batch after the other;
- ``ExecutorBatches``: any ``concurrent.futures`` executor (a process pool, a Dask client's
  ``get_executor()``);
- the nightly Prefect flow's runner (``flows/scale.py``): Prefect tasks on a Dask cluster.

A remote batch gets a picklable function (module level, settings bound with
``functools.partial``); it loads its model once per worker process through ``worker_model``.
Results come back in the order of the batches, whatever order they finish in, so the stored
rows are the same as on one machine.

Example::

    with ProcessPoolExecutor(2) as pool:
        enrich(con, config, runner=ExecutorBatches(pool))
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from typing import Any, Protocol, TypeVar

Batch = TypeVar("Batch")
Result = TypeVar("Result")


class BatchRunner(Protocol):
    remote: bool  # batches run in other processes, which load their own models

    def map(self, fn: Callable[[Batch], Result], batches: Iterable[Batch]) -> Iterator[Result]: ...


class InProcess:
    """One batch after the other, in this process, with the models it already has."""

    remote = False

    def map(self, fn: Callable[[Batch], Result], batches: Iterable[Batch]) -> Iterator[Result]:
        return map(fn, batches)


IN_PROCESS = InProcess()


def in_order(submit: Callable[[Batch], Any], result: Callable[[Any], Result], batches: Iterable[Batch],
             in_flight: int) -> Iterator[Result]:
    """Submit batches, keeping at most ``in_flight`` pending, and yield their results in order.

    Bounded so that a night of a million segments never holds every batch in memory at once;
    batches are read lazily, so the caller may write between two results."""
    pending: deque[Any] = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= in_flight:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


class ExecutorBatches:
    """Batches on a ``concurrent.futures`` executor: a process pool, or ``client.get_executor()``."""

    remote = True

    def __init__(self, executor: Executor, in_flight: int = 4) -> None:
        self.executor = executor
        self.in_flight = in_flight

    def map(self, fn: Callable[[Batch], Result], batches: Iterable[Batch]) -> Iterator[Result]:
        def result(future: Future) -> Result:
            return future.result()

        return in_order(lambda batch: self.executor.submit(fn, batch), result, batches, self.in_flight)


def apply(fn: Callable[[Batch], Result], batch: Batch) -> Result:
    """One batch where a worker runs it: a task runner's unit of work (importable wherever
    vocmine is installed, so a remote worker needs nothing else)."""
    return fn(batch)


_MODELS: dict[tuple, Any] = {}


def worker_model(key: tuple, load: Callable[[], Any]) -> Any:
    """A model loaded once per worker process (the key says which, e.g. a pipeline version)."""
    if key not in _MODELS:
        _MODELS[key] = load()
    return _MODELS[key]


__all__ = ["IN_PROCESS", "BatchRunner", "ExecutorBatches", "InProcess", "apply", "in_order", "worker_model"]
