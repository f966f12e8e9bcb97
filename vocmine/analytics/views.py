"""The analyst views: layered ``.sql`` files under ``analytics/sql``, (re)created in one place.

Each file is one view, named by the file, written as a chain of named CTEs ending in a
``SELECT``: ``staging/`` holds views over the tables that apply the rules every view shares
once (what counts as a negative segment, which themes analysts see, which week feedback falls
in), ``marts/`` the views analysts query. Keeping them out of the migrations means a change to
a formula is an edit of one file, reviewed as a diff, instead of a migration that copies the
whole view; migrations keep the tables only.

``create_views`` runs ``CREATE OR REPLACE VIEW`` for every file, each after the views it
reads (found in its text), in one transaction. It needs no configuration: the views read
their settings from tables (``analysis_settings``, ``outcomes``, ``teams``, ...) that
``refresh_analysis`` writes. It is cheap (no rows are computed), so it runs wherever a store
is opened to be written (``pipeline.working_store``): once at the start of every pipeline run
(the themes step's emerging check reads ``theme_weekly``; the views step then only refreshes
their settings), `vocmine views`, `vocmine init`, `vocmine publish` and the theme commands.

Example::

    con = connect("data/vocmine.duckdb")
    create_views(con)          # ['stg_feedback', 'stg_segments', ..., 'priorities', ...]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb

from vocmine.store.sqlfiles import read_sql
from vocmine.store.tx import transaction

PACKAGE = "vocmine.analytics"
LAYERS = ("staging", "marts")   # a view reads tables and views of its own or an earlier layer


@dataclass(frozen=True)
class View:
    name: str
    layer: str
    sql: str           # the SELECT, comment lines removed
    reads: frozenset[str]   # the other analyst views it reads

    @property
    def statement(self) -> str:
        return f'CREATE OR REPLACE VIEW "{self.name}" AS\n{self.sql}'


@cache
def analyst_views() -> tuple[View, ...]:
    """Every analyst view, each after the views it reads (staging first, then marts; by name
    where the order is free)."""
    found: dict[str, tuple[str, str]] = {}
    for layer in LAYERS:
        for entry in sorted((resources.files(PACKAGE) / "sql" / layer).iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".sql"):
                continue
            name = entry.name.removesuffix(".sql")
            if name in found:
                raise RuntimeError(f"analytics/sql: view {name} is defined in {found[name][0]}/ and {layer}/")
            statements = read_sql(PACKAGE, f"{layer}/{entry.name}")
            if len(statements) != 1:
                raise RuntimeError(f"analytics/sql/{layer}/{entry.name}: one SELECT expected, "
                                   f"found {len(statements)} statements")
            found[name] = (layer, statements[0])
    views = {name: View(name, layer, sql, _reads(sql, name, found)) for name, (layer, sql) in found.items()}
    for view in views.values():
        later = [v for v in view.reads if LAYERS.index(views[v].layer) > LAYERS.index(view.layer)]
        if later:
            raise RuntimeError(f"analytics/sql/{view.layer}/{view.name}.sql reads {', '.join(sorted(later))} "
                               "of a later layer")
    return tuple(_in_dependency_order(views))


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create (or replace) every analyst view; returns their names in the order created."""
    views = analyst_views()
    with transaction(con):
        for view in views:
            con.execute(view.statement)
    return [v.name for v in views]


def _reads(sql: str, name: str, views: dict[str, tuple[str, str]]) -> frozenset[str]:
    """The analyst views a view's SQL names (whole words outside comments and quoted text; a CTE
    must not take a view's name)."""
    code = re.sub(r"--[^\n]*|'[^']*'", " ", sql)
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", code))
    return frozenset(v for v in views if v != name and v in words)


def _in_dependency_order(views: dict[str, View]) -> list[View]:
    order: list[View] = []
    state: dict[str, str] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise RuntimeError(f"analytics/sql: views read each other in a cycle: {' -> '.join((*path, name))}")
        state[name] = "visiting"
        for other in sorted(views[name].reads):
            visit(other, (*path, name))
        state[name] = "done"
        order.append(views[name])

    for view in sorted(views.values(), key=lambda v: (LAYERS.index(v.layer), v.name)):
        visit(view.name, ())
    return order
