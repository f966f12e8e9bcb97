from __future__ import annotations

import json

import pytest
from support.stores import write_bytes

from vocmine.config import IngestConfig, SourceConfig
from vocmine.ingest import ingest_file, ingest_files

HEADER = "id,text,when,stars,channel,customer,plan\n"


def _quarantine(con):
    return con.execute("SELECT row_number, reason FROM quarantine ORDER BY row_number").fetchall()


def test_ingest_csv_loads_fields_metadata_and_raw_text_apart(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.csv", HEADER + "A1,Courier was late,2026-09-01 10:00:00,2,web,C1,gold\n")
    result = ingest_files(fresh_db, [path], "reviews", review_source)
    assert result.totals() == {"rows_read": 1, "loaded": 1, "updated": 0, "duplicates": 0, "quarantined": 0}
    row = fresh_db.execute(
        "SELECT source, kind, external_id, received_at::VARCHAR, rating, channel, customer_id, metadata, text, "
        "row_number FROM feedback").fetchone()
    assert row[:7] == ("reviews", "review", "A1", "2026-09-01 10:00:00", 2.0, "web", "C1")
    assert json.loads(row[7]) == {"plan": "gold"}
    assert row[8] is None and row[9] == 1  # analyst-visible text waits for redaction
    assert fresh_db.execute("SELECT text FROM feedback_raw").fetchone() == ("Courier was late",)


def test_ingest_csv_same_file_twice_adds_nothing(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.csv", HEADER + "A1,late,,,,,\nA2,slow,,,,,\nA1,late again,,,,,\n")
    first = ingest_files(fresh_db, [path], "reviews", review_source).totals()
    reread = IngestConfig(skip_unchanged=False)
    again = ingest_files(fresh_db, [path], "reviews", review_source, rules=reread).totals()
    skipped = ingest_files(fresh_db, [path], "reviews", review_source)
    # A1 again with other text is its second version, not a duplicate
    assert first == {"rows_read": 3, "loaded": 2, "updated": 1, "duplicates": 0, "quarantined": 0}
    assert again == {"rows_read": 3, "loaded": 0, "updated": 0, "duplicates": 3, "quarantined": 0}
    assert skipped.totals()["rows_read"] == 0 and skipped.files[0].skipped.startswith("unchanged since ingest-")
    assert fresh_db.execute("SELECT count(*), count(DISTINCT feedback_id) FROM feedback").fetchone() == (2, 2)


def test_ingest_csv_without_id_the_content_identifies_a_row(fresh_db, tmp_path):
    source = SourceConfig(kind="survey", columns={"text": "text", "customer_id": "who"})
    path = write_bytes(tmp_path, "s.csv", "text,who\nGreat,C1\nGreat,C2\nGreat,C1\n")
    assert ingest_files(fresh_db, [path], "s", source).totals()["loaded"] == 2
    other = write_bytes(tmp_path, "t.csv", "who,text\nC1,Great\nC3,Great\n")  # columns reordered
    totals = ingest_files(fresh_db, [other], "s", source).totals()
    assert (totals["loaded"], totals["duplicates"]) == (1, 1)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("A1,,2026-09-01,3,web,C1,gold", "text is empty"),
        ('A1,"   ",2026-09-01,3,web,C1,gold', "text is empty"),
        ("A1,fine,yesterday,3,web,C1,gold", "received_at 'yesterday' is not a recognised date"),
        ("A1,fine,2026-13-45,3,web,C1,gold", "received_at '2026-13-45' is not a recognised date"),
        ("A1,fine,03/04/2026,3,web,C1,gold", "day/month order is ambiguous"),
        ("A1,fine,2026-09-01,five,web,C1,gold", "rating 'five' is not a number"),
        ("A1,fine,2026-09-01,3,web,C1", "wrong number of columns: 7 expected, 6 found"),
        ("A1,fine,2026-09-01,3,web,C1,gold,extra", "wrong number of columns: 7 expected, 8 found"),
        (b"A1,caf\xe9 was cold,2026-09-01,3,web,C1,gold", "undecodable bytes: not valid utf-8"),
        ('A1,"unbalanced "quote" here",2026-09-01,3,web,C1,gold', "bad quoting"),
    ],
)
def test_ingest_csv_quarantines_bad_rows_with_a_reason(fresh_db, tmp_path, review_source, line, reason):
    good = "A0,good row,2026-09-01,4,web,C1,gold\n"
    bad = line if isinstance(line, bytes) else line.encode()
    path = write_bytes(tmp_path, "r.csv", HEADER.encode() + good.encode() + bad + b"\n" + b"A9,after,,,,,\n")
    summary = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    assert (summary.rows_read, summary.loaded, summary.quarantined) == (3, 2, 1)
    (row_number, why), = _quarantine(fresh_db)
    assert row_number == 2 and reason in why
    assert fresh_db.execute("SELECT file, raw IS NOT NULL FROM quarantine").fetchone() == (str(path), True)


def test_ingest_csv_row_numbers_count_records_not_lines(fresh_db, tmp_path, review_source):
    content = (HEADER + 'A1,"first line\nsecond line, with ""quotes""",,,,,\n\n'
               "A2,,,,,,\nA3,ok,,five,,,\nA4,short\n")
    path = write_bytes(tmp_path, "r.csv", content)
    ingest_files(fresh_db, [path], "reviews", review_source)
    assert [r[0] for r in _quarantine(fresh_db)] == [2, 3, 4]
    text = fresh_db.execute("SELECT text FROM feedback_raw").fetchone()[0]
    assert text == 'first line\nsecond line, with "quotes"'


def test_ingest_csv_clean_file_keeps_newlines_and_quotes(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.csv", HEADER + 'A1,"said ""hi""\nthen left",,,,,\nA2,plain,,,,,\n')
    assert ingest_files(fresh_db, [path], "reviews", review_source).totals()["loaded"] == 2
    assert fresh_db.execute("SELECT f.row_number, r.text FROM feedback f JOIN feedback_raw r USING (feedback_id) "
                            "ORDER BY 1").fetchall() == [(1, 'said "hi"\nthen left'), (2, "plain")]


def test_ingest_csv_with_byte_order_mark(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.csv", b"\xef\xbb\xbf" + (HEADER + "A1,bom file,,,,,\n").encode())
    assert ingest_files(fresh_db, [path], "reviews", review_source).totals()["loaded"] == 1
    assert fresh_db.execute("SELECT external_id FROM feedback").fetchone() == ("A1",)


def test_ingest_csv_latin1_when_configured(fresh_db, tmp_path):
    source = SourceConfig(kind="review", encoding="latin-1", columns={"text": "text"})
    path = write_bytes(tmp_path, "l.csv", "text\ncafé froid\n".encode("latin-1"))
    assert ingest_files(fresh_db, [path], "l", source).totals()["loaded"] == 1
    assert fresh_db.execute("SELECT text FROM feedback_raw").fetchone() == ("café froid",)


def test_ingest_csv_missing_mapped_column_fails_the_file_and_loads_nothing(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.csv", "id,body,when,stars,channel,customer,plan\nA1,hi,,,,,\n")
    good = write_bytes(tmp_path, "good.csv", HEADER + "A2,fine,,,,,\n")
    result = ingest_files(fresh_db, [path, good], "reviews", review_source)
    failed, loaded = result.files
    assert str(path) in failed.error and "'text'" in failed.error and "body" in failed.error
    assert loaded.loaded == 1  # the other file still loads
    assert fresh_db.execute("SELECT count(*) FROM feedback").fetchone() == (1,)
    assert fresh_db.execute("SELECT status FROM runs").fetchone() == ("failed",)
    assert fresh_db.execute("SELECT status, error IS NOT NULL FROM ingested_files ORDER BY status").fetchall() == [
        ("failed", True), ("loaded", False)]


def test_ingest_csv_not_a_csv_fails_clearly(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.csv", bytes(range(256)) * 20)
    summary = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    assert summary.error and str(path) in summary.error
    assert fresh_db.execute("SELECT count(*) FROM feedback").fetchone() == (0,)


def test_ingest_csv_column_name_case_hint(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "r.csv", "id,Text,when,stars,channel,customer,plan\nA1,hi,,,,,\n")
    summary = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    assert "did you mean 'Text'" in summary.error


def test_ingest_csv_dates_in_common_and_explicit_formats(fresh_db, tmp_path):
    source = SourceConfig(kind="social", columns={"id": "id", "text": "t", "received_at": "d"})
    rows = ["1,a,Tue Oct 31 22:10:47 +0000 2017", "2,b,2026-09-01T10:00:00+02:00", "3,c,2026-09-01",
            "4,d,1 Sep 2026", "5,e,01.09.2026"]
    path = write_bytes(tmp_path, "d.csv", "id,t,d\n" + "\n".join(rows) + "\n")
    ingest_files(fresh_db, [path], "s", source)
    got = dict(fresh_db.execute("SELECT external_id, received_at::VARCHAR FROM feedback").fetchall())
    assert got == {"1": "2017-10-31 22:10:47", "2": "2026-09-01 08:00:00", "3": "2026-09-01 00:00:00",
                   "4": "2026-09-01 00:00:00", "5": "2026-09-01 00:00:00"}
    dmy = SourceConfig(kind="social", columns={"text": "t", "received_at": "d", "received_at_format": "%d/%m/%Y"})
    path = write_bytes(tmp_path, "e.csv", "t,d\nx,03/04/2026\n")
    ingest_files(fresh_db, [path], "dmy", dmy)
    assert fresh_db.execute("SELECT received_at::DATE::VARCHAR FROM feedback WHERE source = 'dmy'").fetchone() == (
        "2026-04-03",)


def test_ingest_file_is_one_transaction(fresh_db, tmp_path, review_source, monkeypatch):
    from vocmine.ingest import load

    path = write_bytes(tmp_path, "r.csv", HEADER + "A1,ok,,,,,\nA2,,,,,,\n")
    real = load.run_sql

    def crash_on_load(con, package, name, params=None):
        if name == "load.sql":
            raise RuntimeError("crash after quarantine, before load")
        return real(con, package, name, params)

    monkeypatch.setattr(load, "run_sql", crash_on_load)
    with pytest.raises(RuntimeError):
        ingest_file(fresh_db, path, "reviews", review_source, "run-1")
    counts = fresh_db.execute("SELECT (SELECT count(*) FROM quarantine), (SELECT count(*) FROM feedback)").fetchone()
    assert counts == (0, 0)


def test_ingest_unknown_extension_fails_the_file_clearly(fresh_db, tmp_path, review_source):
    path = write_bytes(tmp_path, "notes.xlsx", "not really a spreadsheet")
    summary = ingest_files(fresh_db, [path], "reviews", review_source).files[0]
    assert "notes.xlsx" in summary.error and "format" in summary.error


def test_ingest_csv_rows_starting_with_hash_are_feedback_not_comments(fresh_db, tmp_path):
    source = SourceConfig(kind="review", columns={"text": "text", "id": "id"})
    path = write_bytes(tmp_path, "h.csv", "text,id\n#1 worst service,1\n# two,2\n#3 awful,3\nfine,4\n")
    assert ingest_files(fresh_db, [path], "h", source).totals()["loaded"] == 4
