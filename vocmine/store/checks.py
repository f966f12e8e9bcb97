"""Declared column checks (``checks.toml``): unique keys, no NULLs, accepted values.

DuckDB tables here carry no key indexes (they cost more than a bulk load), and tags come
from a taxonomy the user edits, so what must hold is declared once and checked after each
step (``vocmine check``) rather than trusted.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

import duckdb


@dataclass(frozen=True)
class CheckResult:
    table: str
    column: str
    test: str
    failures: int  # offending rows (unique: duplicated values)
    examples: tuple[str, ...] = ()  # a few offending values

    @property
    def ok(self) -> bool:
        return self.failures == 0


def declared_checks() -> list[dict[str, object]]:
    text = (resources.files("vocmine.store") / "checks.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["check"]


def run_checks(con: duckdb.DuckDBPyConnection, named: dict[str, list[str]]) -> list[CheckResult]:
    """``named``: the value lists checks.toml refers to by name, e.g. ``taxonomy:stages``
    (from ``Taxonomy.accepted_values``), so the store does not need to know the taxonomy."""
    results = []
    for check in declared_checks():
        table, column = str(check["table"]), str(check["column"])
        target = f'"{table}"', f'"{column}"'
        for test in check.get("tests", []):
            results.append(_run(con, table, column, test, *target))
        if "accepted_values" in check:
            values = _accepted(check["accepted_values"], named)
            rows = con.execute(f"SELECT {target[1]}::VARCHAR, count(*) FROM {target[0]} "
                               f"WHERE {target[1]} IS NOT NULL AND {target[1]}::VARCHAR NOT IN "
                               f"(SELECT unnest($values)) GROUP BY 1 ORDER BY 2 DESC, 1",
                               {"values": values}).fetchall()
            results.append(CheckResult(table, column, "accepted_values", sum(n for _, n in rows),
                                       tuple(v for v, _ in rows[:5])))
    return results


def _run(con, table: str, column: str, test: str, quoted_table: str, quoted_column: str) -> CheckResult:
    if test == "not_null":
        sql = f"SELECT count(*), [] FROM {quoted_table} WHERE {quoted_column} IS NULL"
    elif test == "unique":
        sql = (f"SELECT count(*), list(v ORDER BY v)[:5] FROM (SELECT {quoted_column}::VARCHAR AS v "
               f"FROM {quoted_table} WHERE {quoted_column} IS NOT NULL GROUP BY 1 HAVING count(*) > 1)")
    else:
        raise ValueError(f"checks.toml: unknown test {test!r} on {table}.{column}")
    failures, examples = con.execute(sql).fetchall()[0]
    return CheckResult(table, column, test, failures, tuple(examples or ()))


def _accepted(values: object, named: dict[str, list[str]]) -> list[str]:
    if isinstance(values, str) and values in named:
        return named[values]
    if isinstance(values, list):
        return [str(v) for v in values]
    raise ValueError(f"checks.toml: accepted_values must be a list or one of {sorted(named)}, not {values!r}")


__all__ = ["CheckResult", "declared_checks", "run_checks"]
