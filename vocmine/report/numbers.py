"""How report numbers read: shares as percentages (changes in points), counts with separators,
times in seconds, ratings and sentiment with two decimals, changes with signs and never "-0.00".

Outcomes read from true/false metadata (repeat contact, churn) are rates between 0 and 1 and
read as percentages too; ratings and times keep their own unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vocmine.report.data import KpiValue, TeamReport

COUNTS = ("volume", "emerging_themes")
RATINGS = ("rating",)


def kind(k: KpiValue) -> str:
    """How a KPI reads: count, rate (a share: percent, changes in points), sentiment (-1..1),
    seconds (a time: the metric or its title says so, e.g. handle_time or "handle time (s)"),
    rating, or number."""
    if k.metric in COUNTS:
        return "count"
    if k.metric == "avg_sentiment":
        return "sentiment"
    if k.metric in RATINGS:
        return "rating"
    if is_rate(k):
        return "rate"
    words = f"{k.metric} {k.title}".lower()
    if "time" in words or "(s)" in words or "_sec" in words or "seconds" in words:
        return "seconds"
    return "number"


def is_rate(k: KpiValue) -> bool:
    if k.metric == "negative_share":
        return True
    if k.metric in COUNTS or k.metric in ("avg_sentiment", *RATINGS):
        return False
    seen = [v for v in [*k.history, k.value, k.target] if v is not None]
    return bool(seen) and all(0 <= v <= 1 for v in seen)


def _fixed(v: float, decimals: int, sign: str = "") -> str:
    """``v`` rounded, never "-0.00": a value that rounds to zero has no sign."""
    rounded = round(v, decimals) + 0.0
    return f"{rounded:{sign},.{decimals}f}"


def fmt_kpi(k: KpiValue, v: float | None) -> str:
    if v is None:
        return "-"
    return {
        "count": lambda: _fixed(v, 0),
        "rate": lambda: fmt_percent(v, 1),
        "sentiment": lambda: _fixed(v, 2, "+") if round(v, 2) else "0.00",
        "seconds": lambda: f"{_fixed(v, 0)} s",
        "rating": lambda: _fixed(v, 2),
        "number": lambda: _fixed(v, 0) if abs(v) >= 100 else _fixed(v, 2),
    }[kind(k)]()


def change_text(k: KpiValue) -> str:
    """'▲ +3.2 pts vs. previous', '▼ -51 s vs. previous', '= no change vs. previous' (a change
    that rounds to nothing at the shown precision), 'no previous value'."""
    if k.change is None:
        return "no previous value"
    what = kind(k)
    change = 100 * k.change if what == "rate" else k.change
    decimals = {"count": 0, "rate": 1, "seconds": 0, "sentiment": 2, "rating": 2}.get(
        what, 0 if abs(change) >= 100 else 2)
    if round(change, decimals) == 0:
        return "= no change vs. previous"
    unit = {"rate": " pts", "seconds": " s"}.get(what, "")
    arrow = "▲" if change > 0 else "▼"
    return f"{arrow} {_fixed(change, decimals, '+')}{unit} vs. previous"


def fmt_percent(v: float | None, decimals: int = 0) -> str:
    return "-" if v is None else f"{_fixed(100 * v, decimals)}%"


def period_label(report: TeamReport) -> str:
    """'September 2026 to October 2026', or 'week of 09 Nov to week of 16 Nov 2026'."""
    p = report.period
    if p.kind == "month":
        return f"{p.previous_start:%B %Y} to {p.start:%B %Y}"
    return f"week of {p.previous_start:%d %b} to week of {p.start:%d %b %Y}"
