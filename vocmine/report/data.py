"""What a team report says, read from the analyst views so the report and the views agree.

A report covers the last complete ISO week or calendar month before ``as_of`` (by default the
day after the newest feedback, so a report on a quiet day still shows a full period) and
compares it with the period before. Every number comes from a view an analyst can query
(``team_kpis``, ``team_theme_periods``, ``priorities``, ``emerging_themes``,
``stage_touchpoint``); the report only selects and arranges.

Example::

    data = team_report(con, "billing", settings.teams["billing"], period="week")
    data.kpis[0].value, data.priorities[0]["label"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

import duckdb

from vocmine.config.analyst import KPI_METRICS, Kpi, TeamConfig
from vocmine.report.verbatims import pick_verbatims
from vocmine.store.sqlfiles import execute_sql, fetch_sql
from vocmine.store.tx import as_dicts

PeriodKind = Literal["week", "month"]
HISTORY = 8            # periods shown in sparklines and trend charts
TREND_THEMES = 6       # themes drawn in the trend chart
VERBATIM_THEMES = 5    # themes quoted
MOVERS = 8
MIN_CELL_SEGMENTS = 10  # heatmap cells with fewer segments are not shaded: 1 of 1 negative is no 100%
UNKNOWN = "unknown"     # the journey stage or touchpoint of a segment the tagger could not place
# which way is better for the built-in metrics (outcomes say so in the config)
BUILTIN_BETTER = {"volume": None, "negative_share": "lower", "avg_sentiment": "higher", "emerging_themes": "lower"}


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date              # exclusive
    previous_start: date
    history_start: date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return self.start.strftime("%B %Y")
        year, week, _ = self.start.isocalendar()
        return f"week {week} of {year} ({self.start:%d %b} - {self.end - timedelta(days=1):%d %b %Y})"


@dataclass(frozen=True)
class KpiValue:
    title: str
    metric: str
    value: float | None
    previous: float | None
    target: float | None
    better: str | None      # 'higher', 'lower' or None (volume: neither)
    history: list[float | None]
    n: int

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.previous is None else self.value - self.previous

    @property
    def on_target(self) -> bool | None:
        if self.target is None or self.value is None or self.better is None:
            return None
        return self.value >= self.target if self.better == "higher" else self.value <= self.target


@dataclass
class TeamReport:
    team: str
    period: Period
    generated_at: datetime
    kpis: list[KpiValue]
    movers: list[dict[str, Any]]
    emerging: list[dict[str, Any]]
    priorities: list[dict[str, Any]]
    heatmap: list[dict[str, Any]]              # the team's stage x touchpoint cells of the period
    company_heatmap: list[dict[str, Any]]      # every segment's cells of the same period
    stages: dict[str, str]                     # journey stage id -> its name in the taxonomy, in journey order
    touchpoints: dict[str, str]                # touchpoint id -> name, in the taxonomy's order
    trend_periods: list[date]
    trends: dict[str, list[float]]            # theme label -> volume per period
    verbatims: dict[str, list[dict[str, Any]]] = field(default_factory=dict)   # theme label -> quotes
    undated: int = 0    # feedback of the period without a received date: dated by the day they were ingested
    # the column names of the tables read from the store (priorities, emerging, movers,
    # stage_touchpoint, verbatims): a table with no rows this period still exports its header
    columns: dict[str, list[str]] = field(default_factory=dict)


def report_period(con: duckdb.DuckDBPyConnection, kind: PeriodKind, as_of: date | None = None) -> Period:
    """The last complete week (Monday to Sunday) or month before ``as_of``."""
    if as_of is None:
        newest = con.execute("SELECT max(coalesce(received_at, ingested_at)) FROM feedback").fetchone()[0]
        if newest is None:
            raise ValueError("no feedback yet: nothing to report")
        as_of = newest.date() + timedelta(days=1)
    if kind == "week":
        end = as_of - timedelta(days=as_of.weekday())
        start = end - timedelta(days=7)
        return Period(kind, start, end, start - timedelta(days=7), start - timedelta(days=7 * (HISTORY - 1)))
    end = as_of.replace(day=1)
    start = _months_before(end, 1)
    return Period(kind, start, end, _months_before(end, 2), _months_before(end, HISTORY))


def _months_before(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def team_report(
    con: duckdb.DuckDBPyConnection, name: str, team: TeamConfig, *, period: PeriodKind = "week",
    as_of: date | None = None,
) -> TeamReport:
    """Everything the team's report shows, for the period before ``as_of``."""
    if con.execute("SELECT count(*) FROM teams WHERE team = ?", [name]).fetchone()[0] == 0:
        raise ValueError(f"team {name!r} is not in the database: run `vocmine views` after adding it to the config")
    p = report_period(con, period, as_of)
    params = {"team": name, "period": period, "start": p.start, "previous_start": p.previous_start,
              "history_start": p.history_start, "end": p.end, "limit": MOVERS}
    columns: dict[str, list[str]] = {}
    priorities = _rows(con.execute("SELECT p.* FROM priorities p JOIN team_themes tt USING (theme_id) "
                                   "WHERE tt.team = ? ORDER BY p.priority_rank", [name]), columns, "priorities")
    emerging = _rows(con.execute("SELECT e.* FROM emerging_themes e JOIN team_themes tt USING (theme_id) "
                                 "WHERE tt.team = ? ORDER BY e.z_score DESC NULLS LAST", [name]), columns, "emerging")
    focus = _focus_themes(con, priorities, params)
    quoted = focus[:VERBATIM_THEMES]
    trend_rows = fetch_sql(con, "vocmine.report", "trends.sql", params | {"theme_ids": focus[:TREND_THEMES]})
    periods = sorted({r["period_start"] for r in trend_rows})
    trends: dict[str, list[float]] = {}
    for r in trend_rows:
        trends.setdefault(r["label"], []).append(r["volume"])
    quotes = pick_verbatims(_rows(execute_sql(con, "vocmine.report", "verbatims.sql", params | {"theme_ids": quoted}),
                                  columns, "verbatims"))
    labels = dict(con.execute("SELECT theme_id, label FROM themes WHERE list_contains(?, theme_id)",
                              [quoted]).fetchall())
    return TeamReport(
        team=name, period=p, generated_at=datetime.now().replace(microsecond=0),
        kpis=_kpis(con, team.kpis or _default_kpis(con), params),
        movers=_rows(execute_sql(con, "vocmine.report", "movers.sql", params), columns, "movers"),
        emerging=emerging, priorities=priorities,
        heatmap=_rows(con.execute(
            "SELECT journey_stage, touchpoint, volume, negative_share FROM team_stage_touchpoint_periods "
            "WHERE team = ? AND period = ? AND period_start = ? ORDER BY ALL", [name, period, p.start]),
            columns, "journey_heatmap"),
        company_heatmap=_rows(con.execute(
            "SELECT journey_stage, touchpoint, volume, negative_share FROM stage_touchpoint_periods "
            "WHERE period = ? AND period_start = ? ORDER BY ALL", [period, p.start]), columns, "journey_heatmap_company"),
        stages=_names(con, "SELECT stage_id, name FROM journey_stages ORDER BY position"),
        touchpoints=_names(con, "SELECT touchpoint_id, name FROM touchpoints ORDER BY position"),
        trend_periods=periods, trends=trends,
        verbatims={labels[tid]: quotes[tid] for tid in quoted if quotes.get(tid)},
        columns=columns, undated=_undated(con, params),
    )


def undated_note(report: TeamReport) -> str:
    """What the report says when some of its feedback came without a date."""
    if not report.undated:
        return ""
    return (f"{report.undated:,} feedback of this {report.period.kind} came without a received date and are "
            "counted on the day they were ingested.")


def _undated(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> int:
    return con.execute("SELECT count(DISTINCT p.feedback_id) FROM team_period_segments p JOIN stg_feedback f "
                       "USING (feedback_id) WHERE p.team = ? AND p.period = ? AND p.period_start = ? "
                       "AND f.dated_by = 'ingested'", [params["team"], params["period"], params["start"]]).fetchone()[0]


def _names(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, str]:
    """Id -> the taxonomy's name, what a person reads; segments no rule or meaning placed are 'unknown'."""
    return dict(con.execute(query).fetchall()) | {UNKNOWN: "Unknown"}


def _focus_themes(con: duckdb.DuckDBPyConnection, priorities: list[dict[str, Any]], params: dict[str, Any]) -> list:
    """Themes to chart and quote: the team's priorities, then its largest themes of the period
    (a team whose themes are not among the company's top priorities still gets a full report)."""
    largest = con.execute("SELECT theme_id FROM team_theme_periods WHERE team = ? AND period = ? AND period_start = ? "
                          "AND theme_id IS NOT NULL ORDER BY volume DESC, theme_id",
                          [params["team"], params["period"], params["start"]]).fetchall()
    return list(dict.fromkeys([r["theme_id"] for r in priorities] + [r[0] for r in largest]))


def _rows(cursor: duckdb.DuckDBPyConnection, columns: dict[str, list[str]], table: str) -> list[dict[str, Any]]:
    """The rows as dicts; their column names go to ``columns[table]``."""
    columns[table] = [d[0] for d in cursor.description]
    return as_dicts(cursor)


def _default_kpis(con: duckdb.DuckDBPyConnection) -> list[Kpi]:
    """Without configured KPIs: the built-in ones and the first outcomes, six at most."""
    outcomes = [r[0] for r in con.execute("SELECT outcome FROM outcomes").fetchall()]
    return [Kpi(metric=m) for m in [*KPI_METRICS, *outcomes][:6]]


def _kpis(con: duckdb.DuckDBPyConnection, kpis: list[Kpi], params: dict[str, Any]) -> list[KpiValue]:
    rows = fetch_sql(con, "vocmine.report", "kpis.sql", params)
    better = BUILTIN_BETTER | dict(con.execute("SELECT outcome, better FROM outcomes").fetchall())
    history_starts = sorted({r["period_start"] for r in rows})
    values = {(r["metric"], r["period_start"]): r for r in rows}
    out = []
    for kpi in kpis:
        now, before = values.get((kpi.metric, params["start"])), values.get((kpi.metric, params["previous_start"]))
        out.append(KpiValue(
            title=kpi.title, metric=kpi.metric, value=now and now["value"], previous=before and before["value"],
            target=kpi.target, better=better.get(kpi.metric), n=now["n"] if now else 0,
            history=[(values.get((kpi.metric, s)) or {}).get("value") for s in history_starts]))
    return out
