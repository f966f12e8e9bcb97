"""A team report as a Markdown digest: the same content as the HTML, for chat, mail or a wiki.

Quotes, labels and reasons come from customers' text: Markdown renderers pass raw HTML through, so
``<script>`` or ``<img onerror=...>`` in a quote would run in the reader's wiki or mail client, and
``[text](url)`` would become a link. Every such text goes through ``_text``: HTML escaped, link
brackets escaped, on one line.
"""

from __future__ import annotations

import html

from vocmine.report.data import TeamReport, undated_note
from vocmine.report.numbers import change_text, fmt_kpi, fmt_percent, period_label


def _text(value: object) -> str:
    """Customer-derived text safe in Markdown: no HTML, no link, no line break.

    >>> print(_text("<img src=x onerror=alert(1)> [win](http://x)"))
    &lt;img src=x onerror=alert(1)&gt; \\[win\\](http://x)
    """
    flat = " ".join(str(value).split())
    return html.escape(flat, quote=False).replace("[", "\\[").replace("]", "\\]")


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    clean = [[_text(c).replace("|", "\\|") for c in row] for row in rows]
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in clean]


def render_markdown(report: TeamReport) -> str:
    lines = [f"# {report.team.replace('_', ' ').title()} team: voice of the customer, {report.period.label}", "",
             f"Compared with the {report.period.kind} before. Generated {report.generated_at:%Y-%m-%d %H:%M}."
             + (f" {undated_note(report)}" if report.undated else ""), "",
             "## Headline numbers", ""]
    lines += _table(["KPI", "value", "change", "target", "status"], [
        [k.title, fmt_kpi(k, k.value), change_text(k), fmt_kpi(k, k.target),
         {True: "on target", False: "**off target**", None: "-"}[k.on_target]] for k in report.kpis])
    lines += ["", "## Top priorities", ""]
    if report.priorities:
        lines += [(f"Volume in the score counts {report.priorities[0].get('counts') or 'segments'}; segments: how "
                   "often a theme is said, cases: feedback whose primary theme it is."), ""]
    lines += _table(["rank", "theme", "score", "segments", "cases", "negative", "stage", "touchpoint"], [
        [str(r["priority_rank"]), r["label"] + (" (emerging)" if r["emerging"] else ""), f"{r['score']:.2f}",
         f"{r['segments']:,}", f"{r['cases']:,}", fmt_percent(r["negative_share"]),
         report.stages.get(r["dominant_stage"], r["dominant_stage"] or "-"),
         report.touchpoints.get(r["dominant_touchpoint"], r["dominant_touchpoint"] or "-")]
        for r in report.priorities]) if report.priorities else ["None."]
    lines += ["", f"## Top movers ({period_label(report)})", ""]
    lines += _table(["theme", "segments", "before", "share change"], [
        [r["label"], f"{r['volume']:,}", f"{r['previous_volume']:,}", f"{100 * r['share_change']:+.1f} pts"]
        for r in report.movers]) if report.movers else ["None."]
    lines += ["", "## Emerging themes", ""]
    lines += [f"- **{_text(e['label'])}**: {e['volume']:,} segments in the week of {e['week']}. "
              f"{_text(e['reason'] or '')}"
              for e in report.emerging] or ["None flagged in this team's themes."]
    if report.verbatims:
        lines += ["", "## In customers' words", ""]
        for label, quotes in report.verbatims.items():
            lines += [f"**{_text(label)}**", ""] + [f"> {_text(q['text'])}  \n> *{_text(q['source'])}, "
                                                    f"{q['received_at']:%d %b %Y}*\n"
                                             for q in quotes]
    return "\n".join(lines).rstrip() + "\n"
