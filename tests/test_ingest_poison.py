"""Poison inputs at ingest (issue 20): each one beside good rows, the good rows load, the bad
ones are set aside with their reason and place, and reading the inbox again changes nothing."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from support.stores import write_bytes

from vocmine.config import IngestConfig, SourceConfig
from vocmine.ingest import expand_paths, ingest_files

HEADER = "id,text,when,stars,channel,customer,plan\n"
GOOD = "G1,The courier was late,2026-09-01 10:00:00,2,web,C1,gold\nG2,Refund took weeks,2026-09-02,1,app,C2,basic\n"


def _quarantine(con):
    return con.execute("SELECT file, row_number, reason, raw, step FROM quarantine ORDER BY file, row_number").fetchall()


def _state(con):
    """Everything ingest writes, to compare two nights."""
    return [con.execute(f"SELECT * EXCLUDE ({cols}) FROM {table} ORDER BY ALL").fetchall()
            for table, cols in (("feedback", "ingested_at"), ("feedback_raw", "feedback_id"),
                                ("quarantine", "quarantined_at"), ("feedback_versions", "replaced_at"))]


def test_ingest_over_long_text_is_quarantined_with_the_limit_named(fresh_db, tmp_path, review_source):
    huge = "x" * 5_000_000  # a 5 MB paste
    path = write_bytes(tmp_path, "r.csv", HEADER + GOOD + f"P1,{huge},2026-09-03,3,web,C3,gold\n")
    summary = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    assert (summary.rows_read, summary.loaded, summary.quarantined) == (3, 2, 1) and summary.reconciles
    (_, row, reason, raw, step), = _quarantine(fresh_db)
    assert row == 3 and step == "ingest"
    assert reason == "text is 5000000 characters long, over ingest.max_text_chars (100000)"
    assert huge in raw  # kept whole, in the restricted table only
    assert fresh_db.execute("SELECT max(length(text)) FROM feedback_raw").fetchone()[0] < 100


def test_ingest_over_long_text_limit_is_a_setting(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.csv", HEADER + GOOD)
    summary = ingest_files(fresh_db, [path], "reviews", review_source, rules=IngestConfig(max_text_chars=18)).files[0]
    assert (summary.loaded, summary.quarantined) == (1, 1)  # "The courier was late" is 20 characters


@pytest.mark.parametrize("poison, reason", [
    (b"", "the file is empty (0 bytes)"),
    (b"id,text,when\n", "column 'channel' mapped as channel is not in the file"),
    (b"\x00\x01PAR1 garbage", "cannot be read as Parquet"),
])
def test_ingest_unreadable_file_is_set_aside_and_the_others_load(fresh_db, tmp_path, review_source, poison, reason):
    bad = write_bytes(tmp_path, "a_bad.parquet" if b"PAR1" in poison else "a_bad.csv", poison)
    good = write_bytes(tmp_path, "b_good.csv", HEADER + GOOD)
    result = ingest_files(fresh_db, [bad, good], "reviews", review_source)
    assert [bool(f.error) for f in result.files] == [True, False]
    assert result.files[1].loaded == 2
    (file, row, stored_reason, raw, step), = _quarantine(fresh_db)
    assert file == str(bad.resolve()) and row is None and raw is None and step == "ingest"
    assert reason in stored_reason and str(bad) in stored_reason
    before = _state(fresh_db)
    again = ingest_files(fresh_db, [bad, good], "reviews", review_source)
    assert all(f.skipped for f in again.files) and _state(fresh_db) == before  # the next night changes nothing


def test_ingest_set_aside_file_is_read_again_once_the_mapping_changes(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.csv", "id,body,when,stars,channel,customer,plan\nA,hello,,,,,\n")
    assert ingest_files(fresh_db, [path], "reviews", review_source).files[0].error
    fixed = review_source.model_copy(update={"columns": review_source.columns.model_copy(update={"text": "body"})})
    assert ingest_files(fresh_db, [path], "reviews", fixed).files[0].loaded == 1


@pytest.mark.parametrize("value, fmt, stored, reason", [
    ("1/9/26", None, None, "received_at '1/9/26' has a two-digit year: set columns.received_at_format"),
    ("1/9/26", "%d/%m/%y", "2026-09-01 00:00:00", None),
    ("9999-12-31", None, None, "received_at '9999-12-31' is outside the plausible window 2000-01-01 to "),
    ("1899-05-01", None, None, "is outside the plausible window"),
    ("0001-09-01", None, None, "is outside the plausible window"),
])
def test_ingest_implausible_dates_are_quarantined(fresh_db, tmp_path, review_source, value, fmt, stored, reason):
    source = review_source.model_copy(update={"columns": review_source.columns.model_copy(
        update={"received_at_format": fmt})})
    path = write_bytes(tmp_path, "r.csv", HEADER + f"D1,Bill was wrong,{value},2,web,C1,gold\n" + GOOD.replace(
        "2026-09-02", "02/09/2026" if fmt else "2026-09-02").replace("2026-09-01 10:00:00", "01/09/26" if fmt else
                                                                   "2026-09-01 10:00:00"))
    summary = ingest_files(fresh_db, [path], "reviews", source).files[0]
    quarantined = _quarantine(fresh_db)
    if reason is None:
        assert fresh_db.execute("SELECT received_at::VARCHAR FROM feedback WHERE external_id = 'D1'").fetchone() == (
            stored,)
    else:
        assert summary.loaded == 2 and len(quarantined) == 1 and quarantined[0][2].startswith(reason) or \
            reason in quarantined[0][2]
        assert "ingest.earliest_date" in quarantined[0][2] or "received_at_format" in quarantined[0][2]


def test_ingest_plausible_window_is_a_setting(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.csv", HEADER + GOOD)
    rules = IngestConfig(earliest_date="2026-09-02")
    summary = ingest_files(fresh_db, [path], "reviews", review_source, rules=rules).files[0]
    assert (summary.loaded, summary.quarantined) == (1, 1)


def test_ingest_feedback_without_dates_loads(fresh_db, tmp_path):
    source = SourceConfig(kind="survey", columns={"text": "query"})
    path = write_bytes(tmp_path, "q.csv", "query\nhow do I top up\nmy card was declined\n")
    summary = ingest_files(fresh_db, [path], "queries", source).files[0]
    assert summary.loaded == 2
    assert fresh_db.execute("SELECT count(*) FROM stg_feedback WHERE dated_by = 'ingested' AND week IS NOT NULL"
                            ).fetchone() == (2,)


def test_ingest_unchanged_file_is_skipped_and_a_changed_one_read(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.csv", HEADER + GOOD)
    first = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    quiet = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    assert first.loaded == 2 and quiet.skipped.startswith("unchanged since ingest-") and quiet.rows_read == 0
    path.write_text(HEADER + GOOD + "G3,New one,2026-09-03,4,web,C4,gold\n", encoding="utf-8")
    grown = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    assert (grown.rows_read, grown.loaded, grown.duplicates) == (3, 1, 2)


def test_ingest_archive_moves_loaded_files(fresh_db, tmp_path, review_source):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = write_bytes(inbox, "r.csv", HEADER + GOOD)
    bad = write_bytes(inbox, "s.csv", "")
    result = ingest_files(fresh_db, [path, bad], "reviews", review_source, archive_to=tmp_path / "archive")
    assert not path.exists() and (tmp_path / "archive" / "reviews" / "r.csv").is_file()
    assert result.files[0].archived.endswith("r.csv")
    assert bad.exists() and result.files[1].archived is None  # a set-aside file stays for a person to look at


def test_ingest_unbalanced_quote_keeps_its_lines_and_loads_the_rows_after(fresh_db, tmp_path, review_source):
    body = (HEADER + "G1,The courier was late,2026-09-01,2,web,C1,gold\n"
            + 'Q1,"Refund never came,2026-09-02,1,app,C2,basic\n'   # the quote is never closed
            + "G2,App crashes on login,2026-09-03,1,app,C3,basic\n"
            + 'G3,"Quoted, fine",2026-09-04,5,web,C4,gold\n'
            + "G4,Great service,2026-09-05,5,web,C5,gold\n")
    path = write_bytes(tmp_path, "r.csv", body)
    summary = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    loaded = sorted(r[0] for r in fresh_db.execute("SELECT external_id FROM feedback").fetchall())
    assert loaded == ["G1", "G2", "G3", "G4"] and summary.reconciles
    (_, row, reason, raw, _), = _quarantine(fresh_db)
    assert row == 2 and reason.startswith("bad quoting") and "line 3" in reason
    assert raw == 'Q1,"Refund never came,2026-09-02,1,app,C2,basic'


def test_ingest_unbalanced_quote_at_the_end_keeps_every_line(fresh_db, tmp_path, review_source):
    body = HEADER + "G1,fine,2026-09-01,2,web,C1,gold\n" + 'Q1,"open,2026-09-02,1,app,C2,basic\nstill the note\n'
    path = write_bytes(tmp_path, "r.csv", body)
    summary = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    assert (summary.loaded, summary.quarantined) == (1, 1)
    (_, _, reason, raw, _), = _quarantine(fresh_db)
    assert "lines 3-4, kept in raw" in reason and raw.endswith("still the note")


def test_ingest_repeated_id_with_new_text_is_a_new_version(fresh_db, tmp_path, review_source):
    first = write_bytes(tmp_path, "a.csv", HEADER + GOOD)
    ingest_files(fresh_db, [first], "reviews", review_source)
    fresh_db.execute("UPDATE feedback SET text = 'The courier was late' WHERE external_id = 'G1'")  # as if enriched
    fix = write_bytes(tmp_path, "b.csv", HEADER + "G1,The courier was two days late,2026-09-01 10:00:00,2,web,C1,gold\n"
                      + GOOD.splitlines()[1] + "\n")
    summary = ingest_files(fresh_db, [fix], "reviews", review_source).files[0]
    assert (summary.rows_read, summary.loaded, summary.updated, summary.duplicates) == (2, 0, 1, 1)
    assert summary.reconciles
    assert fresh_db.execute("SELECT r.text FROM feedback f JOIN feedback_raw r USING (feedback_id) "
                            "WHERE external_id = 'G1'").fetchone() == ("The courier was two days late",)
    version = fresh_db.execute("SELECT version, text, file FROM feedback_versions").fetchone()
    assert version == (1, "The courier was late", str(first.resolve()))
    assert fresh_db.execute("SELECT count(*) FROM feedback").fetchone() == (2,)


def test_ingest_repeated_id_with_new_text_can_be_quarantined_instead(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "a.csv", HEADER + GOOD + "G1,Another text,2026-09-01 10:00:00,2,web,C1,gold\n")
    summary = ingest_files(fresh_db, [path], "reviews", review_source,
                           rules=IngestConfig(updates="quarantine")).files[0]
    assert (summary.loaded, summary.updated, summary.quarantined) == (2, 0, 1) and summary.reconciles
    assert "loaded before with different content" in _quarantine(fresh_db)[0][2]


def test_ingest_a_directory_is_read_as_its_files(fresh_db, tmp_path, review_source):
    folder = tmp_path / "export"
    (folder / "sub").mkdir(parents=True)
    write_bytes(folder, "a.csv", HEADER + GOOD)
    write_bytes(folder / "sub", "b.csv", HEADER + "G9,Late again,2026-09-05,1,web,C9,gold\n")
    write_bytes(folder, ".hidden.csv", "junk")
    assert [p.name for p in expand_paths([folder])] == ["a.csv", "b.csv"]
    result = ingest_files(fresh_db, [folder], "reviews", review_source)
    assert result.totals()["loaded"] == 3 and not result.failed


def test_ingest_a_load_that_loses_a_row_does_not_reconcile(fresh_db, tmp_path, review_source, monkeypatch):
    from vocmine.ingest import load

    real = load.add_loaded

    def lossy(con, params):
        real(con, params)  # a bug that drops a good row after loading it
        con.execute("DELETE FROM feedback WHERE external_id = 'G2'")

    monkeypatch.setattr(load, "add_loaded", lossy)
    path = write_bytes(tmp_path, "r.csv", HEADER + GOOD)
    summary = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    assert summary.error and "rows do not reconcile (read 2; loaded 1" in summary.error
    assert fresh_db.execute("SELECT count(*) FROM feedback").fetchone() == (0,)  # nothing of the file kept


def test_ingest_parquet_poison_rows_beside_good_ones(fresh_db, tmp_path, review_source):
    table = pa.table({"id": ["G1", "P1", "P2"], "text": ["fine", "y" * 200_001, "ok"],
                      "when": ["2026-09-01", "2026-09-01", "9999-12-31"], "stars": [1, 2, 3],
                      "channel": ["web"] * 3, "customer": ["C1", "C2", "C3"], "plan": ["a"] * 3})
    path = tmp_path / "r.parquet"
    pq.write_table(table, path)
    summary = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    assert (summary.loaded, summary.quarantined) == (1, 2)
