"""Progress a person can follow: bars in a terminal, timed lines in a log.

In a terminal a step shows a bar with done/total, rate and time left (nothing is shown as
``0/?`` before the total is known). Without a terminal (cron, ``> run.log``) a bar would print
nothing until the end, so the commands print the timed lines of ``vocmine.pipeline.progress``
instead, on the console.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from vocmine.pipeline.progress import UNITS, ProgressLines, seconds_text

__all__ = ["UNITS", "ProgressLines", "console_lines", "progress_bars", "seconds_text"]


def console_lines(console: Console, every: float | None = None) -> ProgressLines:
    """Progress lines printed on ``console`` as they are (no markup, no wrapping), flushed at once."""
    def write(line: str) -> None:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
        console.file.flush()

    return ProgressLines(write) if every is None else ProgressLines(write, every)


class _Count(ProgressColumn):
    """done/total, or only done while the total is unknown (never ``0/?``)."""

    def render(self, task: Task) -> Text:
        if task.total is None:
            return Text(f"{int(task.completed):,}" if task.completed else "", style="progress.download")
        return Text(f"{int(task.completed):,}/{int(task.total):,} {task.fields.get('unit', '')}".rstrip(),
                    style="progress.download")


class _Rate(ProgressColumn):
    """Items per second, once there is a rate to show."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")


def progress_bars(console: Console, *, disable: bool = False) -> Progress:
    """Transient bars with totals, rate, time left and time taken."""
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), _Count(), _Rate(),
                    TimeRemainingColumn(), TimeElapsedColumn(), console=console, transient=True, disable=disable)


