"""A team report's tables as data files (CSV, Parquet, Excel), for teams who chart their own.

Quotes and labels come from customers: a CSV or Excel cell that starts with ``=``, ``+``, ``-``, ``@``
(or a tab or carriage return) would be read by the spreadsheet as a formula, which can fetch URLs or
run commands on the reader's machine. Such text cells get a leading apostrophe, the spreadsheet's own
"this is text" mark (OWASP's advice for CSV injection); Parquet keeps the values as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from vocmine.report.data import TeamReport


def report_tables(report: TeamReport) -> dict[str, pa.Table]:
    """Table name -> table, with the same numbers the views hold. A table with no rows this period
    (no emerging theme this week) keeps its columns, so what reads last week's files reads this
    week's."""
    period = {"team": report.team, "period": report.period.kind, "period_start": report.period.start}
    kpi = ["metric", "title", "value", "previous", "change", "target", "on_target", "n"]
    trend = ["theme", "period_start", "volume"]
    rows = {
        "kpis": [period | dict(zip(kpi, (k.metric, k.title, k.value, k.previous, k.change, k.target, k.on_target,
                                          k.n), strict=True))
                 for k in report.kpis],
        "priorities": report.priorities,
        "movers": [period | r for r in report.movers],
        "emerging": report.emerging,
        "trends": [dict(zip(trend, (label, start, v), strict=True)) for label, values in report.trends.items()
                   for start, v in zip(report.trend_periods, values, strict=True)],
        "journey_heatmap": report.heatmap,
        "journey_heatmap_company": report.company_heatmap,
        "verbatims": [{"theme": label, **q} for label, quotes in report.verbatims.items() for q in quotes],
    }
    columns = report.columns | {
        "kpis": [*period, *kpi],
        "movers": [*period, *report.columns["movers"]],
        "trends": trend,
        "verbatims": ["theme", *report.columns["verbatims"]],
    }
    return {name: pa.Table.from_pylist(table) if table else pa.table({c: pa.nulls(0) for c in columns[name]})
            for name, table in rows.items()}


def write_tables(report: TeamReport, base: Path, fmt: str) -> list[Path]:
    """``base``.xlsx (one sheet per table), or a ``base`` folder of .csv / .parquet files."""
    tables = report_tables(report)
    if fmt == "xlsx":
        return [_write_xlsx(tables, base.with_suffix(".xlsx"))]
    base.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = base / f"{name}.{fmt}"
        if fmt == "csv":
            pacsv.write_csv(_neutralised(table), path)
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
    """Excel cells hold numbers, text and dates; lists become text; text is never a formula."""
    return neutralise(", ".join(map(str, value)) if isinstance(value, list) else value)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    r"""Text a spreadsheet would run as a formula, made plain text; anything else unchanged.

    >>> neutralise('=HYPERLINK("http://x")'), neutralise("-1 star"), neutralise("fine"), neutralise(-1)
    ('\'=HYPERLINK("http://x")', "'-1 star", 'fine', -1)
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _neutralised(table: pa.Table) -> pa.Table:
    """``neutralise`` on every text column of ``table``."""
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = table.column(i)
            risky = pc.fill_null(pc.match_substring_regex(column, r"^[=+\-@\t\r]"), False)
            table = table.set_column(i, field, pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column))
    return table
