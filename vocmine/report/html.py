"""A team report as one self-contained HTML file: inline CSS and SVG charts, no scripts, nothing
fetched, so it opens offline, in a mail client, or years later from an archive."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from importlib import resources

from vocmine.report import charts
from vocmine.report.data import MIN_CELL_SEGMENTS, KpiValue, TeamReport, undated_note
from vocmine.report.numbers import change_text, fmt_kpi, fmt_percent


def render_html(report: TeamReport) -> str:
    css = (resources.files("vocmine.report") / "report.css").read_text(encoding="utf-8")
    title = f"{_team_title(report)}: voice of the customer, {report.period.label}"
    sections = [_kpi_tiles(report.kpis), _priorities(report), _movers(report), _emerging(report),
                _trends(report), _heatmap(report), _verbatims(report)]
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{css}</style></head><body><main>"
            f"<header><p class='kicker'>vocmine team report</p><h1>{escape(title)}</h1>"
            f"<p class='meta'>Compared with the {escape(report.period.kind)} before. Generated "
            f"{report.generated_at:%Y-%m-%d %H:%M}. Every number here can be queried in the analyst views "
            f"(team_kpis, team_theme_periods, priorities, emerging_themes, team_stage_touchpoint_periods, "
            f"stage_touchpoint_periods).</p>"
            + (f"<p class='meta'>{escape(undated_note(report))}</p>" if report.undated else "") + "</header>"
            + "".join(sections) + "</main></body></html>\n")


def _section(title: str, body: str, note: str = "") -> str:
    note_html = f"<p class='note'>{escape(note)}</p>" if note else ""
    return f"<section><h2>{escape(title)}</h2>{note_html}{body}</section>"


def _kpi_tiles(kpis: Sequence[KpiValue]) -> str:
    tiles = []
    for k in kpis:
        status = {True: ("on", "on target"), False: ("off", "off target"), None: ("none", "")}[k.on_target]
        target = f"target {fmt_kpi(k, k.target)}" if k.target is not None else "no target set"
        tiles.append(
            f"<div class='kpi {status[0]}' data-metric='{escape(k.metric)}' data-value='{k.value}'>"
            f"<p class='kpi-title'>{escape(k.title)}</p><p class='kpi-value'>{escape(fmt_kpi(k, k.value))}</p>"
            f"<p class='kpi-change {_direction(k)}'>{escape(change_text(k))}</p>"
            f"<p class='kpi-target'>{escape(target)}{' · ' + status[1] if status[1] else ''}</p>"
            + charts.sparkline(k.history, title=f"{k.title}, last {len(k.history)} periods")
            + "</div>")
    return _section("Headline numbers", f"<div class='kpis'>{''.join(tiles)}</div>") if tiles else ""


def _direction(k: KpiValue) -> str:
    """'good' or 'bad' for the change arrow's colour; volume is neither."""
    if not k.change or k.better is None:
        return "flat"
    return "good" if (k.change > 0) == (k.better == "higher") else "bad"


def _priorities(report: TeamReport) -> str:
    rows = report.priorities
    if not rows:
        return _section("Top priorities", "<p>No theme of this team is among the top priorities.</p>")
    chart = charts.bar_chart([r["label"] for r in rows], [r["score"] for r in rows],
                             title="Priority score (0-1)", value_format=lambda v: f"{v:.2f}")
    counts = escape(rows[0].get("counts") or "segments")  # what the volume score counts
    parts = "".join(f"<th class='part'>{c}</th>" for c in (f"volume ({counts})", "negativity", "growth", "impact"))
    head = (f"<tr><th>rank</th><th>theme</th><th>score</th>{parts}<th>segments</th><th>cases</th><th>negative</th>"
            "<th>stage</th><th>touchpoint</th></tr>")
    body = "".join(
        f"<tr><td>{r['priority_rank']}</td><td>{escape(r['label'])}{' <b>new</b>' if r['emerging'] else ''}</td>"
        f"<td>{r['score']:.2f}</td>" + "".join(f"<td class='part'>{_opt(r[c])}</td>" for c in
                                               ("volume_score", "negativity_score", "growth_score", "impact_score"))
        + f"<td>{r['segments']:,}</td><td>{r['cases']:,}</td><td>{fmt_percent(r['negative_share'])}</td>"
        f"<td>{escape(_name(report.stages, r['dominant_stage']))}</td>"
        f"<td>{escape(_name(report.touchpoints, r['dominant_touchpoint']))}</td></tr>"
        for r in rows)
    return _section("Top priorities", chart + f"<table class='data'>{head}{body}</table>",
                    f"Company-wide rank of this team's themes; the score weighs volume ({counts}), negativity, "
                    "growth and impact on ratings (see the priorities view). Segments: how often a theme is said; "
                    "cases: feedback whose primary theme it is.")


def _name(names: dict[str, str], key: str | None) -> str:
    """The taxonomy's name of a stage or touchpoint id (what a person reads), '-' for none."""
    return "-" if key is None else names.get(key, key)


def _opt(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}"


def _movers(report: TeamReport) -> str:
    rows = report.movers
    if not rows:
        return _section("Top movers", "<p>No theme feedback in these two periods.</p>")
    chart = charts.bar_chart([r["label"] for r in rows], [r["share_change"] for r in rows],
                             title=f"Change in share of the team's feedback vs. the {report.period.kind} before",
                             value_format=charts.percent(1, signed=True, suffix=" pts"))
    return _section("Top movers", chart)


def _emerging(report: TeamReport) -> str:
    if not report.emerging:
        return _section("Emerging themes", "<p>None flagged in this team's themes.</p>")
    items = "".join(f"<li><b>{escape(e['label'])}</b>: {e['volume']:,} segments in the week of {e['week']}, "
                    f"{fmt_percent(e['share'], 1)} of all feedback. {escape(e['reason'] or '')}</li>"
                    for e in report.emerging)
    return _section("Emerging themes", f"<ul class='emerging'>{items}</ul>")


def _trends(report: TeamReport) -> str:
    if not report.trends:
        return ""
    labels = [f"{d:%d %b}" if report.period.kind == "week" else f"{d:%b %Y}" for d in report.trend_periods]
    chart = charts.line_chart(labels, report.trends, title=f"Segments per {report.period.kind}, top themes",
                              y_format=lambda v: f"{v:,.0f}")
    return _section("Theme trends", chart)


def _heatmap(report: TeamReport) -> str:
    """The team's stage x touchpoint cells of the period, beside the whole company's of the same
    period (what is the team's own, what everyone sees); names from the taxonomy."""
    team = _heat_chart(report, report.heatmap, f"{_team_title(report)}: share negative, this {report.period.kind}")
    company = _heat_chart(report, report.company_heatmap, f"All feedback: share negative, this {report.period.kind}")
    return _section("Where in the journey customers hurt", f"<div class='pair'>{team}{company}</div>",
                    f"Segments of {report.period.label} by journey stage and touchpoint; the number under each "
                    f"share is its segment count. Cells of fewer than {MIN_CELL_SEGMENTS} segments are not shaded "
                    "(marked few): too few to compare.")


def _heat_chart(report: TeamReport, rows: list[dict], title: str) -> str:
    cells = {(r["journey_stage"], r["touchpoint"]): r for r in rows}
    stages = [s for s in [*report.stages, *{k[0] for k in cells} - set(report.stages)] if any(k[0] == s for k in cells)]
    points = [t for t in [*report.touchpoints, *{k[1] for k in cells} - set(report.touchpoints)]
              if any(k[1] == t for k in cells)]
    if not cells:
        return f"<div><p>No feedback placed in the journey this {escape(report.period.kind)}.</p></div>"
    values = [[(cells.get((s, t)) or {}).get("negative_share") for t in points] for s in stages]
    counts = [[(cells.get((s, t)) or {}).get("volume") for t in points] for s in stages]
    return "<div>" + charts.heatmap(
        [report.stages.get(s, s) for s in stages], [report.touchpoints.get(t, t) for t in points], values,
        counts=counts, title=title, value_format=charts.percent(0), vmin=0, vmax=1,
        min_count=MIN_CELL_SEGMENTS) + "</div>"


def _team_title(report: TeamReport) -> str:
    return f"{report.team.replace('_', ' ').title()} team"


def _verbatims(report: TeamReport) -> str:
    if not report.verbatims:
        return ""
    blocks = []
    for label, quotes in report.verbatims.items():
        items = "".join(f"<blockquote>{escape(q['text'])}<cite>{escape(q['source'])}, {q['received_at']:%d %b %Y}"
                        f"{_rated(q['rating'])}</cite></blockquote>"
                        for q in quotes)
        blocks.append(f"<div class='quotes'><h3>{escape(label)}</h3>{items}</div>")
    return _section("In customers' words", "".join(blocks), "Redacted; typical of each theme and varied.")


def _rated(rating: float | None) -> str:
    return "" if rating is None else f", rated {rating:g}"
