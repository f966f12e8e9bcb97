"""`vocmine enrich` on a small real store: incremental, redacting, resumable, versioned."""

from __future__ import annotations

import csv
import json
import re

import pytest
from support.paths import ROOT
from support.stores import write_bytes

from vocmine.config import NlpConfig, SourceConfig
from vocmine.ingest import ingest_files
from vocmine.journey.store import untag_changed
from vocmine.nlp.enrich import Pipelines, enrich
from vocmine.store import connect
from vocmine.store.runs import start_run
from vocmine.themes.store import forget_changed_segments

CONFIG = NlpConfig(brand_handles=["BrightlineHelp"])
NOTES = (
    "id,text\n"
    "1,The courier was late but the agent sorted it out. Email me at j.smith84@example.com\n"
    "2,\"Kamera jest słaba, ale dostawa była szybka. Polecam!\"\n"
    "3,送餐很快，好吃。但是太贵了！\n"
    "4,La entrega llegó tarde y nadie contestó el teléfono.\n"
    "5,\"Call +44 7700 900123, card 4539-1488-0343-6467 charged twice\"\n"
)


@pytest.fixture(scope="module")
def pipelines():
    return Pipelines(CONFIG)


@pytest.fixture
def notes_store(fresh_db, tmp_path):
    path = write_bytes(tmp_path, "notes.csv", NOTES)
    ingest_files(fresh_db, [path], "notes", SourceConfig(kind="call_note", columns={"id": "id", "text": "text"}))
    return fresh_db


def test_enrich_redacts_segments_and_detects_languages(notes_store, pipelines):
    result = enrich(notes_store, CONFIG, pipelines=pipelines)
    assert result.feedback == 5 and result.segments >= 9
    languages = dict(notes_store.execute("SELECT external_id, language FROM feedback").fetchall())
    assert languages == {"1": "en", "2": "pl", "3": "zh", "4": "es", "5": "en"}
    texts = " ".join(r[0] for r in notes_store.execute("SELECT text FROM feedback UNION ALL SELECT text FROM segments")
                     .fetchall())
    assert "example.com" not in texts and "7700" not in texts and "4539" not in texts
    assert notes_store.execute("SELECT count(*) FROM feedback_raw").fetchone() == (0,)
    first = notes_store.execute("SELECT text, sentiment FROM segments WHERE feedback_id = (SELECT feedback_id "
                                "FROM feedback WHERE external_id = '1') ORDER BY position").fetchall()
    assert first[0][0] == "The courier was late" and first[0][1] < 0 < first[1][1]


def test_enrich_unsupported_language_has_null_sentiment(notes_store, pipelines):
    enrich(notes_store, CONFIG, pipelines=pipelines)
    rows = notes_store.execute("SELECT s.sentiment, e.sentiment_method FROM segments s JOIN feedback_enrichment e "
                               "USING (feedback_id) WHERE s.language = 'es'").fetchall()
    assert rows and all(sentiment is None and method is None for sentiment, method in rows)


def test_enrich_twice_does_nothing_the_second_time(notes_store, pipelines):
    enrich(notes_store, CONFIG, pipelines=pipelines)
    before = notes_store.execute("SELECT count(*), max(run_id) FROM segments").fetchone()
    again = enrich(notes_store, CONFIG, pipelines=pipelines)
    assert again.feedback == 0
    assert notes_store.execute("SELECT count(*), max(run_id) FROM segments").fetchone() == before


def test_enrich_new_version_waits_for_rebuild(notes_store, pipelines):
    enrich(notes_store, CONFIG, pipelines=pipelines)
    changed = CONFIG.model_copy(update={"pii_patterns": {"ACCOUNT": [r"\bACC-\d{7}\b"]}})
    plain = enrich(notes_store, changed, pipelines=Pipelines(changed))
    assert plain.feedback == 0 and plain.outdated == 5
    rebuilt = enrich(notes_store, changed, rebuild=True, pipelines=Pipelines(changed))
    assert rebuilt.feedback == 5 and rebuilt.outdated == 0
    # the raw text was gone, so the rebuild worked from redacted text and stayed redacted
    texts = " ".join(r[0] for r in notes_store.execute("SELECT text FROM segments").fetchall())
    assert "[EMAIL]" in texts and "example.com" not in texts
    assert notes_store.execute("SELECT count(DISTINCT segment_id) = count(*) FROM segments").fetchone() == (True,)


def test_enrich_rebuild_records_changed_segments_and_later_steps_drop_their_rows(notes_store, pipelines):
    enrich(notes_store, CONFIG, pipelines=pipelines)
    segments = notes_store.execute("SELECT segment_id, text FROM segments ORDER BY segment_id").fetchall()
    for segment_id, _ in segments:
        notes_store.execute("INSERT INTO segment_themes VALUES (?, 1, 0.9, 'fit')", [segment_id])
        notes_store.execute("INSERT INTO segment_journey VALUES (?, 'usage', 1, 'rule', 'phone', 1, 'metadata', "
                            "'v', 'r')", [segment_id])
    # "courier" becomes a personal-data kind: the first note's first segment reads differently now
    changed = CONFIG.model_copy(update={"pii_patterns": {"VEHICLE": [r"\bcourier\b"]}})
    enrich(notes_store, changed, rebuild=True, pipelines=Pipelines(changed))
    after = dict(notes_store.execute("SELECT segment_id, text FROM segments").fetchall())
    changed_ids = {sid for sid, text in segments if after.get(sid) != text}
    assert changed_ids
    assert {r[0] for r in notes_store.execute("SELECT segment_id FROM changed_segments").fetchall()} == changed_ids
    # enrichment leaves the theme and journey tables alone; each step drops its own rows
    assert notes_store.execute("SELECT count(*) FROM segment_themes").fetchone() == (len(segments),)
    assert forget_changed_segments(notes_store) == len(changed_ids)
    assert untag_changed(notes_store) == len(changed_ids)
    for table in ("segment_themes", "segment_journey"):
        kept = {r[0] for r in notes_store.execute(f"SELECT segment_id FROM {table}").fetchall()}
        assert kept == {sid for sid, _ in segments} - changed_ids
    # placed again after the change: kept, however often the steps look
    run_id = start_run(notes_store, "theme-assign")
    for segment_id in changed_ids & set(after):
        notes_store.execute("INSERT INTO segment_themes VALUES (?, 1, 0.9, ?)", [segment_id, run_id])
    assert forget_changed_segments(notes_store) == 0
    assert untag_changed(notes_store) == 0


def test_enrich_keeps_raw_text_only_when_asked(notes_store, pipelines):
    keep = CONFIG.model_copy(update={"keep_raw_text": True})
    enrich(notes_store, keep, pipelines=Pipelines(keep))
    assert notes_store.execute("SELECT count(*) FROM feedback_raw").fetchone() == (5,)


def test_enrich_resumes_after_a_crash_between_batches(notes_store, pipelines, monkeypatch):
    import vocmine.nlp.enrich as module

    small = CONFIG.model_copy(update={"batch_size": 2})
    real_store = module._store
    calls = {"n": 0}

    def crash_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real_store(*args, **kwargs)

    monkeypatch.setattr(module, "_store", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        enrich(notes_store, small, pipelines=pipelines)
    assert notes_store.execute("SELECT count(*) FROM feedback_enrichment").fetchone() == (2,)
    assert notes_store.execute("SELECT status FROM runs WHERE kind = 'enrich'").fetchone() == ("failed",)
    monkeypatch.setattr(module, "_store", real_store)
    assert enrich(notes_store, small, pipelines=pipelines).feedback == 3


@pytest.mark.slow
def test_enrich_demo_leaves_no_card_email_or_phone_in_analyst_tables(demo_embedded):
    con = demo_embedded.con  # the demo ingested and enriched with the demo config
    with (ROOT / "data" / "demo" / "planted_pii.csv").open(newline="", encoding="utf-8") as handle:
        values = [r["value"] for r in csv.DictReader(handle) if r["pii_type"] in {"CARD", "EMAIL", "PHONE"}]
    assert len(values) > 80
    analyst_text = "\n".join(
        str(v) for table, column in [("feedback", "text"), ("feedback", "metadata"), ("segments", "text"),
                                     ("segments", "lemmas"), ("segments", "key_phrases")]
        for (v,) in con.execute(f"SELECT {column} FROM {table}").fetchall())
    survivors = [v for v in values if v in analyst_text]
    assert survivors == []
    digits = re.sub(r"\D", "", analyst_text)
    assert not any(re.sub(r"\D", "", v) in digits for v in values if sum(c.isdigit() for c in v) >= 12)
    assert json.loads(con.execute("SELECT counts FROM runs WHERE kind = 'enrich'").fetchone()[0])["feedback"] == 2986


@pytest.mark.slow
def test_enrich_with_two_processes_gives_the_same_segments(tmp_path):
    rows = ["id,text"] + [f'{i},"Order {i} arrived late but Tom at the store was helpful. Call 07700 900{i % 1000:03d}."'
                          for i in range(1100)]
    path = write_bytes(tmp_path, "many.csv", "\n".join(rows) + "\n")
    results = []
    for n_process in (1, 2):
        con = connect(":memory:")
        ingest_files(con, [path], "s", SourceConfig(kind="call_note", columns={"id": "id", "text": "text"}))
        config = NlpConfig(n_process=n_process, languages=["en"])
        enrich(con, config, pipelines=Pipelines(config))
        results.append(con.execute("SELECT segment_id, text, sentiment, lemmas, key_phrases FROM segments "
                                   "ORDER BY segment_id").fetchall())
    assert len(results[0]) >= 2200 and results[0] == results[1]
    texts = " ".join(r[1] for r in results[0])
    assert "Tom" not in texts and "07700" not in texts and "[PERSON]" in texts and "[PHONE]" in texts


def test_enrich_mapped_language_with_region_uses_the_base_language(fresh_db, tmp_path, pipelines):
    path = write_bytes(tmp_path, "gb.csv", "id,text,lang\n1,My name is Priya Shah and the courier was late,en-GB\n")
    source = SourceConfig(kind="review", columns={"id": "id", "text": "text", "language": "lang"})
    ingest_files(fresh_db, [path], "gb", source)
    enrich(fresh_db, CONFIG, pipelines=pipelines)
    assert fresh_db.execute("SELECT language, text FROM feedback").fetchone() == (
        "en", "My name is [PERSON] and the courier was late")
    assert fresh_db.execute("SELECT language_source FROM feedback_enrichment").fetchone() == ("mapped",)


def test_enrich_isolates_the_feedback_a_batch_fails_on(fresh_db, tmp_path):
    """spaCy refuses a text over its max_length (E088): that feedback is set aside with the
    error and where it came from, the rest of its batch is enriched, and no raw text is left."""
    long_text = "The bill is wrong again. " * 400  # 10,000 characters
    path = write_bytes(tmp_path, "n.csv", "id,text\n1,The courier was late.\n2," + long_text + "\n3,Refund never came.\n")
    ingest_files(fresh_db, [path], "notes", SourceConfig(kind="call_note", columns={"id": "id", "text": "text"}))
    config = NlpConfig(languages=["en"])
    pipelines = Pipelines(config)
    pipelines["en"].max_length = 5_000
    result = enrich(fresh_db, config, pipelines=pipelines)
    assert result.feedback == 2 and [r[1][:25] for r in result.set_aside] == ["ValueError: [E088] Text o"]
    row = fresh_db.execute("SELECT step, file, row_number, feedback_id, reason, raw FROM quarantine").fetchone()
    assert row[:3] == ("enrich", str(path.resolve()), 2) and row[3] == result.set_aside[0][0]
    assert row[4].startswith("enrichment failed: ValueError: [E088]") and row[5] == long_text
    assert fresh_db.execute("SELECT count(*) FROM feedback_raw").fetchone() == (0,)
    assert sorted(r[0] for r in fresh_db.execute("SELECT external_id FROM feedback").fetchall()) == ["1", "3"]
    assert enrich(fresh_db, config, pipelines=pipelines).feedback == 0  # the next night has nothing left to do


def test_enrich_a_model_that_does_not_load_is_raised_not_set_aside(notes_store):
    config = NlpConfig(model="en_core_web_nosuch", languages=["en"])
    with pytest.raises(Exception, match="en_core_web_nosuch"):
        enrich(notes_store, config, pipelines=Pipelines(config))
    assert notes_store.execute("SELECT count(*) FROM quarantine").fetchone() == (0,)
