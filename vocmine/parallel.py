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
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

Batch = TypeVar("Batch")
Result = TypeVar("Result")
Item = TypeVar("Item")


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


class ModelUnavailable(RuntimeError):
    """A model or backend could not be loaded: no item's fault, so nothing is set aside for it
    and the step fails (``isolate_failures`` raises it at once, without halving)."""


@dataclass
class Isolated(Generic[Item, Result]):
    """What ``isolate_failures`` made of one batch: the parts that went through, each with what
    ``process`` returned for it, in batch order; and each item that fails on its own, with the
    error in one line (``one_line``)."""

    done: list[tuple[list[Item], Result]] = field(default_factory=list)
    failed: list[tuple[Item, str]] = field(default_factory=list)


# A batch whose first this many items all fail on their own, none going through, is a broken
# model rather than that many bad items in a row: the step fails without trying the rest one by one.
FAILING_IN_A_ROW = 16


def isolate_failures(process: Callable[[list[Item]], Result], items: Sequence[Item]) -> Isolated[Item, Result]:
    """``process(items)``; when it fails, halve the batch until the items that fail on their own
    are found, so one bad text costs the night one item, not a batch (issue 20).

    Shared by the steps that read customer text with a model (enrichment, embedding, journey
    tagging): each stores ``done`` and sets ``failed`` aside in ``quarantine`` with its step name.
    A failure that is no item's fault is raised: ``ModelUnavailable`` at once, and the first
    error when every item of the batch fails (or the first ``FAILING_IN_A_ROW`` do, none going
    through). Picklable with ``functools.partial`` when ``process`` is, so a remote runner
    halves on its worker.

    Example::

        isolated = isolate_failures(model.encode, texts)
        store(isolated.done); set_aside(isolated.failed)
    """
    items = list(items)
    try:
        return Isolated(done=[(items, process(items))])
    except ModelUnavailable:
        raise
    except Exception as exc:
        if len(items) == 1:
            return Isolated(failed=[(items[0], one_line(exc))])
        isolated: Isolated[Item, Result] = Isolated()
        try:
            _halve(process, items, isolated)
        except _Broken:
            raise exc from None
        if not isolated.done:  # every item failed: no item's fault
            raise
        return isolated


class _Broken(Exception):
    """Raised inside the halving when the first items all failed: the model is broken."""


def _halve(process: Callable[[list[Item]], Result], items: list[Item], isolated: Isolated[Item, Result]) -> None:
    middle = len(items) // 2
    for part in (items[:middle], items[middle:]):
        try:
            isolated.done.append((part, process(part)))
        except ModelUnavailable:
            raise
        except Exception as exc:
            if len(part) > 1:
                _halve(process, part, isolated)
                continue
            isolated.failed.append((part[0], one_line(exc)))
            if not isolated.done and len(isolated.failed) >= FAILING_IN_A_ROW:
                raise _Broken from exc


def batch_name(fn: Callable[..., Any]) -> str:
    """What a batch function does (``enrich_batch``, ``encode_batch``), under the ``partial``
    wrappers that bind its settings and ``isolate_failures``: the task's name on a dashboard."""
    while isinstance(fn, partial):
        fn = fn.args[0] if fn.args and callable(fn.args[0]) else fn.func
    return getattr(fn, "__name__", "batch")


def one_line(exc: BaseException) -> str:
    """An error as one line for ``quarantine.reason``: its type and the first line of its message."""
    text = str(exc).strip()
    first = text.splitlines()[0][:300] if text else ""
    return f"{type(exc).__name__}: {first}"


__all__ = ["FAILING_IN_A_ROW", "IN_PROCESS", "BatchRunner", "ExecutorBatches", "InProcess", "Isolated",
           "ModelUnavailable", "apply", "batch_name", "in_order", "isolate_failures", "one_line", "worker_model"]
