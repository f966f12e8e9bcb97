"""Acceptance of issue 20's "one bad thing stops every night", on real files through `vocmine run`:
every poison input beside good rows in one inbox, the run exits 0, the good rows are published,
the bad ones are quarantined with their reasons, and the next run changes nothing."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest
from support.projects import PipelineProject, checksums, run_vocmine

pytestmark = pytest.mark.slow  # runs `vocmine run` as processes: minutes

HEADER = ["note_id", "created_at", "channel", "customer_ref", "notes", "handle_time_sec", "repeat_contact", "csat",
          "churned"]
# a source without dates: held-out queries, as many exports come
QUERIES = """
[sources.queries]
kind = "survey"
inbox = ["inbox/queries*.csv"]
[sources.queries.columns]
text = "query"
"""


def _note(note_id: str, created: str, text: str) -> list[str]:
    return [note_id, created, "phone", "C90001", text, "300", "false", "3", "false"]


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
    return out.getvalue()


def _poison_inbox(project: PipelineProject) -> dict[str, str]:
    """Poison files and rows beside good ones; returns the good notes' ids -> words of their text."""
    inbox = project.folder / "inbox"
    first_night = (inbox / "call_notes_n1_1.csv").read_text(encoding="utf-8", errors="replace")
    updated_id = first_night.splitlines()[1].split(",")[0]
    good = {"PZ-1": "Customer says the courier never turned up with the replacement SIM",
            "PZ-2": "Roaming charges appeared on the bill although roaming was switched off",
            "PZ-3": "Agent reset the voicemail PIN and the customer was happy",
            "PZ-4": "Customer asked to move the contract to a new address next month",
            updated_id: "Correction: the customer was billed twice for the same broadband month"}
    rows = [_note("PZ-1", "2026-11-20 09:00:00", good["PZ-1"]),
            _note("PZ-BIG", "2026-11-20 09:05:00", "word " * 1_000_000),        # a 5 MB paste
            _note("PZ-2DIGIT", "1/9/26", "Signal drops every evening at home"),  # two-digit year, no format
            _note("PZ-FAR", "9999-12-31", "My bill is wrong"),                   # outside the plausible window
            _note("PZ-2", "2026-11-21 10:00:00", good["PZ-2"]),
            _note(updated_id, "2026-11-21 11:00:00", good[updated_id])]          # a repeated id, new text
    text = _csv(rows)
    text += 'PZ-QUOTE,2026-11-22 08:00:00,phone,C90002,"The quote never closes,300,false,3,false\n'
    text += _csv([_note("PZ-3", "2026-11-22 09:00:00", good["PZ-3"]),
                  _note("PZ-4", "2026-11-22 10:00:00", good["PZ-4"])]).split("\n", 1)[1]
    (inbox / "call_notes_poison.csv").write_text(text, encoding="utf-8")
    (inbox / "call_notes_empty.csv").write_bytes(b"")                     # an empty file
    (inbox / "complaints_broken.parquet").write_bytes(b"PAR1 not really")  # an unreadable file
    (inbox / "queries_1.csv").write_text("query\nhow do I top up my prepaid SIM\nwhy was my card declined\n",
                                         encoding="utf-8")
    return good


def test_pipeline_poison_inputs_are_set_aside_and_the_night_finishes(tmp_path):
    project = PipelineProject.create(tmp_path / "p")
    project.config.write_text(project.config.read_text(encoding="utf-8") + QUERIES, encoding="utf-8")
    project.add_night(1)
    good = _poison_inbox(project)

    first = project.run()
    assert first.returncode == 0, first.stdout + first.stderr

    published = duckdb.connect(str(project.published), read_only=True)
    texts = dict(published.execute("SELECT external_id, text FROM feedback WHERE source = 'call_notes'").fetchall())
    for note_id, text in good.items():  # every good row is published, the corrected one with its new text
        assert note_id in texts and texts[note_id].split()[-2:] == text.split()[-2:], note_id
    assert not {"PZ-BIG", "PZ-2DIGIT", "PZ-FAR", "PZ-QUOTE"} & set(texts)
    assert published.execute("SELECT count(*) FROM feedback WHERE source = 'queries' AND text IS NOT NULL"
                             ).fetchone() == (2,)
    assert published.execute("SELECT count(*) FROM feedback_versions").fetchone() == (1,)
    published.close()

    work = duckdb.connect(str(project.db), read_only=True)
    reasons = work.execute("SELECT file, reason FROM quarantine WHERE file LIKE '%poison%' OR file LIKE '%empty%' "
                           "OR file LIKE '%broken%'").fetchall()
    work.close()
    said = " | ".join(r for _, r in reasons)
    for expected in ("over ingest.max_text_chars", "has a two-digit year", "outside the plausible window",
                     "bad quoting", "the file is empty", "cannot be read as Parquet"):
        assert expected in said, (expected, said)
    assert project.step_counts("ingest")["set_aside_files"] == 2

    status = run_vocmine(project.folder, "status", "--config", str(project.config))
    assert status.returncode == 0 and "Set aside by the last run" in status.stdout
    assert "call_notes_empty.csv" in status.stdout and "two-digit year" in status.stdout

    before = checksums(project.db, project.folder)
    second = project.run()
    assert second.returncode == 0, second.stdout + second.stderr
    assert project.step_counts("ingest")["rows_read"] == 0  # nothing re-read
    after = checksums(project.db, project.folder)
    changed = {k for k in before if before[k] != after.get(k)} - EVERY_NIGHT
    assert not changed, changed


# the emerging check of each night is logged (one row per theme and run), whatever came in
EVERY_NIGHT = {"theme_trends"}
