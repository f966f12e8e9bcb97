"""Running the project's ``.sql`` files with named parameters.

DuckDB prepares one statement at a time, so a file is split into statements and each gets
only the ``$parameters`` it mentions. Files are ours (never user input); values are always
passed as parameters, never formatted into the text.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import duckdb
import pyarrow as pa

from vocmine.store.tx import as_dicts

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@cache
def read_sql(package: str, name: str) -> tuple[str, ...]:
    """The statements of ``<package>/sql/<name>``, without comment lines."""
    text = (resources.files(package) / "sql" / name).read_text(encoding="utf-8")
    statements = []
    for chunk in re.split(r";\s*(?:\n|$)", text):
        code = "\n".join(line for line in chunk.splitlines() if not line.lstrip().startswith("--"))
        if code.strip():
            statements.append(code.strip())
    return tuple(statements)


def run_sql(
    con: duckdb.DuckDBPyConnection, package: str, name: str, params: dict[str, Any] | None = None
) -> None:
    for statement in read_sql(package, name):
        con.execute(statement, _wanted(statement, params))


def execute_sql(
    con: duckdb.DuckDBPyConnection, package: str, name: str, params: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """A one-query ``.sql`` file run, ready to fetch from (its ``description`` names the columns
    even when there are no rows)."""
    (statement,) = read_sql(package, name)
    return con.execute(statement, _wanted(statement, params))


def fetch_sql(
    con: duckdb.DuckDBPyConnection, package: str, name: str, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The rows of a one-query ``.sql`` file, as dicts."""
    return as_dicts(execute_sql(con, package, name, params))


def fetch_arrow(
    con: duckdb.DuckDBPyConnection, package: str, name: str, params: dict[str, Any] | None = None
) -> pa.Table:
    """The rows of a one-query ``.sql`` file, as an Arrow table (many rows, no Python objects)."""
    (statement,) = read_sql(package, name)
    return con.sql(statement, params=_wanted(statement, params)).to_arrow_table()


def _wanted(statement: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """The parameters a statement mentions (DuckDB rejects any it does not)."""
    params = params or {}
    return {p: params[p] for p in set(_PARAM.findall(statement))}
