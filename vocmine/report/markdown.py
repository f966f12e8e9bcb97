"""A team report as a Markdown digest: the same content as the HTML, for chat, mail or a wiki."""

from __future__ import annotations

from vocmine.report.data import TeamReport
from vocmine.report.numbers import change_text, fmt_kpi, fmt_percent, period_label


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    clean = [[c.replace("|", "\\|").replace("\n", " ") for c in row] for row in rows]
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in clean]


def render_markdown(report: TeamReport) -> str:
    lines = [f"# {report.team.replace('_', ' ').title()} team: voice of the customer, {report.period.label}", "",
             f"Compared with the {report.period.kind} before. Generated {report.generated_at:%Y-%m-%d %H:%M}.", "",
             "## Headline numbers", ""]
    lines += _table(["KPI", "value", "change", "target", "status"], [
        [k.title, fmt_kpi(k, k.value), change_text(k), fmt_kpi(k, k.target),
         {True: "on target", False: "**off target**", None: "-"}[k.on_target]] for k in report.kpis])
    lines += ["", "## Top priorities", ""]
    if report.priorities:
        lines += [f"Volume in the score counts {report.priorities[0].get('counts') or 'segments'}; segments: how "
                  "often a theme is said, cases: feedback whose primary theme it is.", ""]
    lines += _table(["rank", "theme", "score", "segments", "cases", "negative", "stage", "touchpoint"], [
        [str(r["priority_rank"]), r["label"] + (" (emerging)" if r["emerging"] else ""), f"{r['score']:.2f}",
         f"{r['segments']:,}", f"{r['cases']:,}", fmt_percent(r["negative_share"]), r["dominant_stage"] or "-",
         r["dominant_touchpoint"] or "-"] for r in report.priorities]) if report.priorities else ["None."]
    lines += ["", f"## Top movers ({period_label(report)})", ""]
    lines += _table(["theme", "segments", "before", "share change"], [
        [r["label"], f"{r['volume']:,}", f"{r['previous_volume']:,}", f"{100 * r['share_change']:+.1f} pts"]
        for r in report.movers]) if report.movers else ["None."]
    lines += ["", "## Emerging themes", ""]
    lines += [f"- **{e['label']}**: {e['volume']:,} segments in the week of {e['week']}. {e['reason'] or ''}"
              for e in report.emerging] or ["None flagged in this team's themes."]
    if report.verbatims:
        lines += ["", "## In customers' words", ""]
        for label, quotes in report.verbatims.items():
            lines += [f"**{label}**", ""] + [f"> {q['text']}  \n> *{q['source']}, {q['received_at']:%d %b %Y}*\n"
                                             for q in quotes]
    return "\n".join(lines).rstrip() + "\n"
