"""The analyst views as layered .sql files: every documented view answers, the migrations hold
tables only after 013, each shared rule is written once, and the views are created in an order
DuckDB accepts (each after what it reads), again and again."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from support.handmade import refresh
from support.paths import ROOT

from vocmine.analytics.views import LAYERS, analyst_views, create_views
from vocmine.config import TeamConfig
from vocmine.store import connect
from vocmine.store.migrate import available_migrations

SQL = ROOT / "vocmine" / "analytics" / "sql"
CREATE_VIEW = re.compile(r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?VIEW\b", re.IGNORECASE)


def _guide_views() -> set[str]:
    """Views the analyst guide documents: the ### headings under '## Views' and '## Staging views'."""
    text = (ROOT / "docs" / "analyst-guide.md").read_text(encoding="utf-8")
    names = set()
    for section in re.split(r"^## ", text, flags=re.MULTILINE):
        if section.startswith(("Views", "Staging views")):
            names |= set(re.findall(r"^### `([a-z_]+)`", section, flags=re.MULTILINE))
    return names


def _readme_views() -> set[str]:
    """Views the README's table of tables marks '(view)' or '(views)'."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    names = set()
    for first_cell in re.findall(r"^\| ([^|]*\(views?\)) \|", text, flags=re.MULTILINE):
        names |= set(re.findall(r"`([a-z_]+)`", first_cell))
    return names


def test_views_every_documented_view_answers_on_a_store(handmade_store):
    refresh(handmade_store, assumptions=["refund"], teams={"billing": TeamConfig(stages=["billing"])})
    handmade_store.execute("INSERT INTO theme_trends VALUES ('r', now(), 3, DATE '2026-10-26', 1, 0.5, 4, 0.1, 0.1, "
                           "4.0, false, true, 'surging')")
    documented = _guide_views() | _readme_views()
    assert {"priorities", "theme_overview", "team_kpis", "stg_segments"} <= documented
    assert documented == {v.name for v in analyst_views()}   # no file undocumented, no document without a file
    empty = [name for name in sorted(documented)
             if not handmade_store.execute(f'SELECT * FROM "{name}" LIMIT 3').fetchall()]
    assert empty == []


def test_views_no_migration_after_013_creates_a_view():
    later = [m for m in available_migrations() if m.version >= 13]
    assert later and later[0].name == "drop_analyst_views"
    assert [f"{m.version:03d}_{m.name}" for m in later if CREATE_VIEW.search(m.sql)] == []


def test_views_migrations_leave_no_view_and_create_views_makes_every_one(tmp_path):
    con = connect(tmp_path / "x.duckdb")
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone()[0] == 0
    created = create_views(con)
    assert created == [v.name for v in analyst_views()]
    assert create_views(con) == created   # CREATE OR REPLACE: a second run changes nothing
    present = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert present == set(created)


def test_views_come_after_what_they_read_and_staging_before_marts():
    order = [v.name for v in analyst_views()]
    for view in analyst_views():
        assert all(order.index(other) < order.index(view.name) for other in view.reads), view.name
        assert all(LAYERS.index(next(v.layer for v in analyst_views() if v.name == other))
                   <= LAYERS.index(view.layer) for other in view.reads)
    assert {v.layer for v in analyst_views()} == set(LAYERS)
    assert next(v for v in analyst_views() if v.name == "priorities").reads >= {"theme_overview", "theme_drivers"}


@pytest.mark.parametrize(("rule", "pattern"), [
    ("negative segment", r"-0\.05"),
    ("active theme", r"status\s*=\s*'active'"),
    ("ISO week", r"date_trunc\('week'"),
])
def test_views_each_shared_rule_is_written_once(rule, pattern):
    hits = [f"{p.parent.name}/{p.name}" for layer in LAYERS for p in sorted((SQL / layer).glob("*.sql"))
            for _ in re.finditer(pattern, _code(p.read_text(encoding="utf-8")))]
    assert len(hits) == 1 and hits[0].startswith("staging/"), (rule, hits)


def test_views_files_are_one_select_each_in_a_known_layer():
    folders = {p.name for p in (resources.files("vocmine.analytics") / "sql").iterdir() if p.is_dir()}
    assert folders >= set(LAYERS)
    for view in analyst_views():
        assert view.sql.lstrip().upper().startswith(("WITH", "SELECT")), view.name
        assert not CREATE_VIEW.search(view.sql), view.name


def _code(sql: str) -> str:
    """The SQL without its comments (rules are explained in comments, written in code once)."""
    return re.sub(r"--[^\n]*", "", sql)
