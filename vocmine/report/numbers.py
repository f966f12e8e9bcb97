"""How report numbers read: shares as percentages, counts with separators, changes with signs.

Outcomes read from true/false metadata (repeat contact, churn) are rates between 0 and 1 and
read as percentages too; ratings and times keep their own unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vocmine.report.data import KpiValue, TeamReport

COUNTS = ("volume", "emerging_themes")


def is_rate(k: KpiValue) -> bool:
    if k.metric == "negative_share":
        return True
    if k.metric in COUNTS or k.metric in ("avg_sentiment", "rating"):
        return False
    seen = [v for v in [*k.history, k.value, k.target] if v is not None]
    return bool(seen) and all(0 <= v <= 1 for v in seen)


def fmt_kpi(k: KpiValue, v: float | None) -> str:
    if v is None:
        return "-"
    if k.metric in COUNTS:
        return f"{v:,.0f}"
    if is_rate(k):
        return fmt_percent(v, 1)
    if k.metric == "avg_sentiment":
        return f"{v:+.2f}"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"


def change_text(k: KpiValue) -> str:
    """'+3.2 pts vs. previous' / '-41 vs. previous' / 'no previous period'."""
    if k.change is None:
        return "no previous value"
    arrow = "▲" if k.change > 0 else "▼" if k.change < 0 else "="
    if is_rate(k):
        amount = f"{100 * k.change:+.1f} pts"
    elif k.metric == "avg_sentiment":
        amount = f"{k.change:+.2f}"
    else:
        amount = f"{k.change:+,.0f}" if abs(k.change) >= 100 or k.metric in COUNTS else f"{k.change:+,.2f}"
    return f"{arrow} {amount} vs. previous"


def fmt_percent(v: float | None, decimals: int = 0) -> str:
    return "-" if v is None else f"{100 * v:.{decimals}f}%"


def period_label(report: TeamReport) -> str:
    """'September 2026 to October 2026', or 'week of 09 Nov to week of 16 Nov 2026'."""
    p = report.period
    if p.kind == "month":
        return f"{p.previous_start:%B %Y} to {p.start:%B %Y}"
    return f"week of {p.previous_start:%d %b} to week of {p.start:%d %b %Y}"
