"""The real public data sets in ../shared/data load through the example mappings."""

from __future__ import annotations

import importlib.util

import pytest
from support.paths import ROOT, SHARED_DATA

from vocmine.config import load_settings
from vocmine.ingest import inbox_files, ingest_files
from vocmine.store import connect

pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not beside the project")

EXPECTED = {  # rows read, quarantined (twcs: one tweet holds a bare carriage return outside quotes)
    "banking77": (10_003, 0),
    "bitext": (4_514, 0),
    "twcs": (5_001, 2),
}


@pytest.fixture(scope="module")
def shared_settings(tmp_path_factory):
    return load_settings(ROOT / "docs" / "examples" / "shared-data.toml",
                         db=tmp_path_factory.mktemp("shared") / "shared.duckdb")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shared_data_ingests_and_reconciles(shared_settings, name):
    con = connect(":memory:")
    result = ingest_files(con, inbox_files(shared_settings.source(name), shared_settings.project_dir), name, shared_settings.source(name))
    (summary,) = result.files
    assert summary.error is None and summary.reconciles
    assert (summary.rows_read, summary.quarantined) == EXPECTED[name]
    again = ingest_files(con, inbox_files(shared_settings.source(name), shared_settings.project_dir), name, shared_settings.source(name))
    assert again.totals()["loaded"] == 0


def test_shared_data_clinc150_through_jsonl_conversion(shared_settings, tmp_path):
    spec = importlib.util.spec_from_file_location("clinc", ROOT / "docs" / "examples" / "clinc150_to_jsonl.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    converted = tmp_path / "clinc150.jsonl"
    assert module.convert(SHARED_DATA / "clinc150" / "data_full.json", converted) == 23_700
    con = connect(":memory:")
    (summary,) = ingest_files(con, [converted], "clinc150", shared_settings.source("clinc150")).files
    assert (summary.rows_read, summary.loaded, summary.quarantined) == (23_700, 23_700, 0)
    intents = con.execute("SELECT count(DISTINCT metadata->>'intent') FROM feedback").fetchone()[0]
    assert intents == 151  # 150 intents + out-of-scope


def test_shared_data_twcs_dates_parse(shared_settings):
    con = connect(":memory:")
    ingest_files(con, inbox_files(shared_settings.source("twcs"), shared_settings.project_dir), "twcs", shared_settings.source("twcs"))
    first, last, missing = con.execute(
        "SELECT min(received_at)::VARCHAR, max(received_at)::VARCHAR, count(*) FILTER (received_at IS NULL) "
        "FROM feedback").fetchone()
    assert first.startswith("2011") and last.startswith("2017") and missing == 0
