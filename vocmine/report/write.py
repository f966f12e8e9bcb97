"""Writing team reports to a folder: one file (or folder of tables) per format.

Example::

    paths = write_report(team_report(con, "billing", team), Path("reports"), ["html", "md"])
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from vocmine.config.privacy import check_team_name
from vocmine.report.data import TeamReport
from vocmine.report.export import write_tables
from vocmine.report.html import render_html
from vocmine.report.markdown import render_markdown

FORMATS = ("html", "md", "csv", "parquet", "xlsx")


def report_stem(report: TeamReport) -> str:
    """``billing-week-2026-11-16``: sorts by team, then period. A team name that is not a plain
    identifier ("../../x") raises ValueError: it would write outside the reports folder."""
    check_team_name(report.team)
    return f"{report.team}-{report.period.kind}-{report.period.start:%Y-%m-%d}"


def write_report(report: TeamReport, out_dir: Path, formats: Iterable[str]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    base = out_dir / report_stem(report)
    written = []
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")
        if fmt == "html":
            written.append(_write_text(base.with_suffix(".html"), render_html(report)))
        elif fmt == "md":
            written.append(_write_text(base.with_suffix(".md"), render_markdown(report)))
        else:
            written += write_tables(report, base, fmt)
    return written


def _write_text(path: Path, text: str) -> Path:
    """Written beside and renamed, so a reader never opens half a report."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
    return path
