"""What the nightly flow hands its tasks besides their parameters, in context variables.

They live in an importable module, not in ``flows/nightly.py``: ``python flows/nightly.py serve``
runs that file as ``__main__``, and Prefect pickles a served flow by value (cloudpickle), taking
the module-level objects its function uses along; a ``ContextVar`` cannot be pickled, while a
module imported by name travels as a reference.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

# the running step task's progress lines (the run's events go to the log of the task they happen in)
STEP_LOG: ContextVar[Callable[[str, str, Any], None] | None] = ContextVar("vocmine_step_log", default=None)
# The part of the run a task is to run (the pipeline's begin, run_step or end, bound to the open
# store). Handed over here, not as the task's parameter: Prefect sends a task's parameters with
# every batch it submits to a Dask worker ([scale] engine = "dask"), and an open store does not
# travel. The task's parameter is the part's name.
PART: ContextVar[Callable[[], Any] | None] = ContextVar("vocmine_part", default=None)
