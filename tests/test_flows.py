from __future__ import annotations

import subprocess
import sys

import pytest
from prefect_server import local_prefect
from support.paths import ROOT


def test_flows_library_never_imports_prefect():
    code = ("import sys, vocmine.cli, vocmine.ingest, vocmine.store, vocmine.config, vocmine.pipeline, "
            "vocmine.pipeline.steps, vocmine.analytics, vocmine.report.write, vocmine.report.data; "
            "sys.exit(1 if any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT).returncode == 0


@pytest.mark.slow
def test_flows_ingest_inbox_runs_on_a_temporary_prefect_server(tmp_path):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "n.csv").write_text("id,text\n1,Billing error again\n2,Courier lost my parcel\n")
    config = tmp_path / "vocmine.toml"
    config.write_text('[sources.notes]\nkind = "call_note"\ninbox = ["inbox/*.csv"]\n'
                      '[sources.notes.columns]\nid = "id"\ntext = "text"\n')
    sys.path.insert(0, str(ROOT))
    try:
        from flows.ingest_inbox import ingest_inbox
    finally:
        sys.path.remove(str(ROOT))
    with local_prefect(tmp_path / "prefect"):  # settings re-read: Prefect may be imported already
        assert ingest_inbox(config) == {"notes": {"rows_read": 2, "loaded": 2, "updated": 0, "duplicates": 0,
                                                  "quarantined": 0}}
        assert ingest_inbox(config)["notes"]["rows_read"] == 0  # the unchanged file is not read again
