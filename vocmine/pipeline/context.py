"""What every step is handed (``StepContext``) and what it hands back (``Outcome``).

The same step function serves ``vocmine run``, the nightly flow and the step's own command
(``vocmine enrich``, ``vocmine themes update``, ...): the caller opens the store, says where
progress goes, and reads the outcome. The run log keeps the outcome's counts; a command prints
from the library's full result the outcome carries (``Outcome.detail``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb

from vocmine.config import Settings
from vocmine.parallel import IN_PROCESS, BatchRunner

Progress = Callable[[int, int], None]


class StepFailed(RuntimeError):
    """A step could not do its work; the message says what to fix."""


class Outcome(dict):
    """What a step did: its counts for the run log (this dict, JSON-ready), and the library's own
    result in ``detail`` for a command that prints more than counts.

    >>> done = Outcome({"feedback": 3}, detail="the library's result")
    >>> done["feedback"], done.detail
    (3, "the library's result")
    """

    def __init__(self, counts: Mapping[str, Any], detail: Any = None) -> None:
        super().__init__(counts)
        self.detail = detail


@dataclass
class StepContext:
    con: duckdb.DuckDBPyConnection
    settings: Settings
    on_progress: Progress = lambda done, total: None
    on_phase: Callable[[int, int, str], None] = lambda done, total, what: None  # steps counted in phases
    models: dict[str, Any] = field(default_factory=dict)
    runner: BatchRunner = IN_PROCESS  # where enrich, embed and theme assignment compute their batches

    def choice(self, *, decide: bool = False):
        """The store's embedding model (``auto`` resolved and recorded, see vocmine.embed.choice):
        the embed step decides it, the later steps of the run use the same."""
        if "choice" not in self.models or decide:
            from vocmine.embed.choice import resolve_backend

            self.models["choice"] = resolve_backend(self.con, self.settings.embedding, decide=decide)
            if self.models.get("backend") is not None and self.models["backend"].name != self.models["choice"].model:
                del self.models["backend"]
        return self.models["choice"]

    def backend(self):
        if "backend" not in self.models:
            from vocmine.embed import load_backend
            from vocmine.parallel import ModelUnavailable

            backend = self.choice().backend
            try:
                self.models["backend"] = load_backend(backend, threads=self.settings.embedding.threads)
            except Exception as exc:  # no text's fault: the step fails, nothing is set aside (vocmine.parallel)
                raise ModelUnavailable(f"embedding.backend {backend!r} does not load: {exc}") from exc
        return self.models["backend"]

    def encode(self, texts: list[str]):
        """The store's model's vectors of ``texts``, the model loaded on first use (a quiet night loads none)."""
        return self.backend().encode(texts)

    def cosine_scale(self):
        """The store's model's cosine scale (vocmine.embed.scale), measured once per model: its
        vectors of the reference phrases are kept in the cache folder, so after the first night
        no model loads for it."""
        from types import SimpleNamespace

        from vocmine.embed.scale import cosine_scale
        from vocmine.text.cache import cache_folder

        model = self.choice().model
        if getattr(self.models.get("scale"), "model", None) != model:
            self.models["scale"] = cosine_scale(SimpleNamespace(name=model, encode=self.encode),
                                                cache_folder() / "phrases")
        return self.models["scale"]
