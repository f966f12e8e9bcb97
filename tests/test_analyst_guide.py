"""docs/analyst-guide.md documents every table and view, column by column."""

from __future__ import annotations

import re

from support.paths import ROOT


def _sections() -> dict[str, str]:
    text = (ROOT / "docs" / "analyst-guide.md").read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z_]+)`\s*$", text, flags=re.MULTILINE)
    return {name: body for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_analyst_guide_documents_every_table_and_view_and_their_columns(fresh_db):
    sections = _sections()
    relations = fresh_db.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' UNION ALL "
        "SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal").fetchall()
    missing, undocumented = [], []
    for (name,) in relations:
        if name not in sections:
            missing.append(name)
            continue
        columns = fresh_db.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [name]).fetchall()
        undocumented += [f"{name}.{c}" for (c,) in columns if f"`{c}`" not in sections[name]]
    assert missing == [] and undocumented == []


def test_analyst_guide_documents_nothing_that_does_not_exist(fresh_db):
    names = {r[0] for r in fresh_db.execute(
        "SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()").fetchall()}
    assert set(_sections()) - names == set()
