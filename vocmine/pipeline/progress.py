"""Progress lines for a log: one when a step starts and ends, and one every few seconds between.

Under cron, Prefect or ``vocmine run > run.log`` no bar is redrawn, so a long step would say
nothing until its end. ``ProgressLines`` writes, through any ``write(line)`` (a console, a
Prefect logger), a line per step at start and end and one every ``every`` seconds in between
with done/total, rate and time left, or, while a step is inside one long call (a theme fit),
the phase it is in and the time so far. A background thread keeps the lines coming while the
step's own thread is busy. The events are the pipeline's (``run_pipeline(on_event=...)``).

Example (a log)::

    enrich: 2,000/2,986 feedback · 310/s · about 3 s left
    themes: phase 2/5 · fitting themes on 8,247 segments · 21 s so far
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

EVERY_SECONDS = 5.0
# what a step counts, for the lines and the bars
UNITS = {"ingest": "files", "enrich": "feedback", "embed": "texts", "tag": "segments", "themes": "phases"}


def seconds_text(seconds: float) -> str:
    """12 s, 3 min 05 s, 1 h 02 min: short enough for a log line."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


@dataclass
class _Step:
    name: str
    started: float
    done: int = 0
    total: int | None = None
    what: str = ""
    printed: float = 0.0
    unit: str = ""


class ProgressLines:
    """Timed progress lines for a log: a line per step at start and end, and every ``every``
    seconds in between (from a background thread, so a step inside one long call is heard of
    too). ``update`` and ``finish`` are called by the step's own thread."""

    def __init__(self, write: Callable[[str], None], every: float = EVERY_SECONDS) -> None:
        self.write, self.every = write, every
        self._lock = threading.Lock()
        self._step: _Step | None = None
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="vocmine-progress", daemon=True)

    def __enter__(self) -> Self:
        self._ticker.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._ticker.join()

    def start(self, name: str, unit: str = "") -> None:
        with self._lock:
            self._step = _Step(name, time.monotonic(), unit=unit or UNITS.get(name, ""))
            self._print(f"{name}: started")

    def update(self, name: str, done: int, total: int | None, what: str = "") -> None:
        with self._lock:
            step = self._step
            if step is None or step.name != name:
                return
            # the first line with a total, and the first with a rate, however soon they come
            first_count = (total and not step.total) or (done and not step.done)
            new_phase = what and what != step.what
            step.done, step.total, step.what = done, total, what
            if first_count or new_phase or time.monotonic() - step.printed >= self.every:
                self._print(self._line(step))

    def finish(self, name: str, outcome: str) -> None:
        with self._lock:
            step, self._step = self._step, None
            took = f" ({seconds_text(time.monotonic() - step.started)})" if step and step.name == name else ""
            self._print(f"{name}: {outcome}{took}")

    def _tick(self) -> None:
        while not self._stop.wait(self.every / 5):
            with self._lock:
                step = self._step
                if step is not None and time.monotonic() - step.printed >= self.every:
                    self._print(self._line(step))

    def _print(self, line: str) -> None:
        self.write(line)
        if self._step is not None:
            self._step.printed = time.monotonic()

    @staticmethod
    def _line(step: _Step) -> str:
        elapsed = time.monotonic() - step.started
        if step.what:  # counted in phases: the rate of phases means nothing
            current = min(step.done + 1, step.total or 0)  # phases done before this one, plus this one
            return f"{step.name}: phase {current}/{step.total} · {step.what} · {seconds_text(elapsed)} so far"
        if not step.total:
            return f"{step.name}: working · {seconds_text(elapsed)} so far"
        unit = f" {step.unit}" if step.unit else ""
        if step.done == 0:
            return f"{step.name}: 0/{step.total:,}{unit} · first batch under way · {seconds_text(elapsed)} so far"
        rate = step.done / elapsed if elapsed > 0 else 0.0
        left = f"about {seconds_text((step.total - step.done) / rate)} left" if rate and step.done < step.total \
            else "finishing"
        return f"{step.name}: {step.done:,}/{step.total:,}{unit} · {rate:,.0f}/s · {left}"


def log_events(lines: ProgressLines, brief: Callable[[dict[str, Any]], str]) -> Callable[[str, str, Any], None]:
    """``run_pipeline``'s ``on_event`` writing progress lines; ``brief(counts)`` words a finished step."""

    def on_event(step: str, event: str, detail: Any) -> None:
        if event == "start":
            lines.start(step)
        elif event == "skip":
            lines.write(f"{step}: done in the interrupted run, skipped")
        elif event == "progress":
            lines.update(step, detail[0], detail[1], detail[2] if len(detail) > 2 else "")
        elif event == "done":
            lines.finish(step, brief(detail))
        elif event == "failed":
            lines.finish(step, "failed")
            lines.write(f"{step} failed: {detail}")

    return on_event
