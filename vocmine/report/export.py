"""A team report's tables as data files (CSV, Parquet, Excel), for teams who chart their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from vocmine.report.data import TeamReport


def report_tables(report: TeamReport) -> dict[str, list[dict[str, Any]]]:
    """Table name -> rows, with the same numbers the views hold."""
    period = {"team": report.team, "period": report.period.kind, "period_start": report.period.start}
    return {
        "kpis": [period | {"metric": k.metric, "title": k.title, "value": k.value, "previous": k.previous,
                           "change": k.change, "target": k.target, "on_target": k.on_target, "n": k.n}
                 for k in report.kpis],
        "priorities": report.priorities,
        "movers": [period | r for r in report.movers],
        "emerging": report.emerging,
        "trends": [{"theme": label, "period_start": start, "volume": v} for label, values in report.trends.items()
                   for start, v in zip(report.trend_periods, values, strict=True)],
        "stage_touchpoint": report.heatmap,
        "verbatims": [{"theme": label, **q} for label, quotes in report.verbatims.items() for q in quotes],
    }


def write_tables(report: TeamReport, base: Path, fmt: str) -> list[Path]:
    """``base``.xlsx (one sheet per table), or a ``base`` folder of .csv / .parquet files."""
    tables = {name: pa.Table.from_pylist(rows) for name, rows in report_tables(report).items()}
    if fmt == "xlsx":
        return [_write_xlsx(tables, base.with_suffix(".xlsx"))]
    base.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = base / f"{name}.{fmt}"
        if fmt == "csv":
            pacsv.write_csv(table, path)
        else:
            pq.write_table(table, path)
        written.append(path)
    return written


def _write_xlsx(tables: dict[str, pa.Table], path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, table in tables.items():
        sheet = book.create_sheet(name[:31])
        sheet.append(table.column_names)
        for row in table.to_pylist():
            sheet.append([_cell(v) for v in row.values()])
    book.save(path)
    return path


def _cell(value: Any) -> Any:
    """Excel cells hold numbers, text and dates; lists become text."""
    return ", ".join(map(str, value)) if isinstance(value, list) else value
