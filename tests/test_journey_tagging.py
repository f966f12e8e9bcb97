"""Tagging segments with stages and touchpoints: rules, channel metadata, meaning, unknown.

The English spaCy lemmatizer is real; embeddings come from a bag-of-words fake (unit tests
only), so closeness in meaning here is word overlap and every outcome can be predicted.
"""

from __future__ import annotations

import numpy as np
import pytest
from support.fakes import FailsOn, HashedWordsBackend

from vocmine.config import JourneyConfig, NlpConfig
from vocmine.journey.rules import lemma_pipeline
from vocmine.journey.store import tag_segments
from vocmine.journey.tagging import LazyTagger, decide_stage, decide_touchpoint, load_tagger
from vocmine.journey.taxonomy import load_taxonomy
from vocmine.store.checks import run_checks

TAXONOMY = '''
[[stages]]
id = "delivery"
name = "Delivery"
description = "parcel courier delivery arrive late"
examples = ["my parcel is late", "the courier never came"]
patterns = ["parcel", "courier", "deliver"]

[[stages]]
id = "billing"
name = "Billing"
description = "charge bill refund payment"
examples = ["I was charged twice", "where is my refund"]
patterns = ["charge", "refund", "bill"]

[[touchpoints]]
id = "phone"
name = "Phone"
description = "phone call agent hold"
channels = ["phone", "call"]
patterns = ["phone", "call", "hold"]
examples = ["I was on hold for an hour"]

[[touchpoints]]
id = "mobile_app"
name = "App"
description = "app mobile login crash"
channels = ["app_store"]
patterns = ["app"]
examples = ["the app crashes"]

[[touchpoints]]
id = "bill"
name = "Bill"
description = "bill statement invoice"
channels = []
patterns = ["bill", "statement"]
examples = ["my bill is wrong"]
'''
TAGGER_ERROR = "tokenizer overflow\nsecond line"  # as a model fails on one odd text


@pytest.fixture(scope="module")
def nlp():
    return lemma_pipeline(NlpConfig())


@pytest.fixture
def taxonomy(tmp_path):
    path = tmp_path / "taxonomy.toml"
    path.write_text(TAXONOMY, encoding="utf-8")
    return load_taxonomy(path)


@pytest.fixture
def tagger(taxonomy, nlp, monkeypatch):
    monkeypatch.setattr("vocmine.journey.tagging.lemma_pipeline", lambda config: nlp)
    return load_tagger(taxonomy, NlpConfig(), HashedWordsBackend(), JourneyConfig(stage_min_similarity=0.3,
                                                                             touchpoint_min_similarity=0.3))


def _tag(tagger, text: str, channel: str | None = None):
    stage, touchpoint = tagger.tag([text], [channel], tagger.backend.encode([text]))[0]
    return (stage.value, stage.method), (touchpoint.value, touchpoint.method)


def test_tagging_rules_match_inflected_words_on_lemmas(tagger):
    assert _tag(tagger, "They charged me twice on my last bill") == (("billing", "rule"), ("bill", "rule"))
    assert _tag(tagger, "The couriers delivered it to the neighbours house") == (("delivery", "rule"), ("unknown", "none"))


def test_tagging_channel_gives_the_touchpoint_unless_the_text_names_another(tagger):
    assert _tag(tagger, "My refund has not arrived", "Phone")[1] == ("phone", "metadata")
    assert _tag(tagger, "The app logs me out before I can see my refund", "phone")[1] == ("mobile_app", "rule")
    assert _tag(tagger, "My refund has not arrived", "carrier pigeon")[1] == ("unknown", "none")


def test_tagging_says_unknown_rather_than_guessing(tagger):
    assert _tag(tagger, "Lovely weather today") == (("unknown", "none"), ("unknown", "none"))


def test_tagging_falls_back_to_meaning_above_the_threshold(tagger):
    assert _tag(tagger, "where is my money")[0] == ("billing", "semantic")  # no pattern; words as in an example
    similarity = np.array([0.5, 0.2], dtype=np.float32)
    ids = ["delivery", "billing"]
    assert decide_stage({}, similarity, ids, JourneyConfig(stage_min_similarity=0.4)).value == "delivery"
    assert decide_stage({}, similarity, ids, JourneyConfig(stage_min_similarity=0.6)).value == "unknown"
    assert decide_stage({}, similarity, ids, JourneyConfig(stage_min_similarity=0.4, min_margin=0.4)).value \
        == "unknown"


def test_tagging_rule_ties_go_to_the_closer_in_meaning():
    tag = decide_touchpoint({"phone": 1.0, "bill": 1.0}, None, np.array([0.1, 0.0, 0.6]), ["phone", "mobile_app", "bill"],
                            {}, JourneyConfig())
    assert (tag.value, tag.method, tag.confidence) == ("bill", "rule", 0.5)


def test_tagging_picks_up_a_stage_added_by_the_user(tmp_path, nlp, monkeypatch):
    path = tmp_path / "taxonomy.toml"
    path.write_text(TAXONOMY + '[[stages]]\nid = "advocacy"\nname = "Advocacy"\n'
                    'description = "recommend to friends"\npatterns = ["recommend"]\n', encoding="utf-8")
    monkeypatch.setattr("vocmine.journey.tagging.lemma_pipeline", lambda config: nlp)
    tagger = load_tagger(load_taxonomy(path), NlpConfig(), HashedWordsBackend(), JourneyConfig())
    assert _tag(tagger, "I already recommended you to all my friends")[0] == ("advocacy", "rule")


def _segments(con, rows: list[tuple[str, str, str | None]]) -> None:
    for i, (text, channel, theme) in enumerate(rows):
        fid = f"f{i}"
        con.execute("INSERT INTO feedback (feedback_id, source, kind, channel, text, content_hash, dedup_key, run_id, "
                    "ingested_at) VALUES (?, 't', 'review', ?, ?, ?, ?, 'r', now())", [fid, channel, text, fid, fid])
        con.execute("INSERT INTO segments VALUES (?, ?, 0, ?, 'en', 0, 0, 1, '', [], 'v', 'r')", [f"{fid}-0", fid, text])
        if theme is not None:
            con.execute("INSERT INTO segment_themes VALUES (?, ?, 0.9, 'r')", [f"{fid}-0", theme])


def test_tag_step_is_incremental_and_rebuilds_for_a_new_taxonomy(fresh_db, tagger, tmp_path, nlp, monkeypatch):
    _segments(fresh_db, [("I was charged twice", "phone", None), ("The courier was late", "app_store", None)])
    first = tag_segments(fresh_db, tagger)
    assert first.segments == 2 and first.stages == {"rule": 2}
    assert tag_segments(fresh_db, tagger).segments == 0
    rows = fresh_db.execute("SELECT segment_id, journey_stage, touchpoint, touchpoint_method, taxonomy_version "
                            "FROM segment_journey ORDER BY 1").fetchall()
    assert rows[0][1:4] == ("billing", "phone", "metadata") and rows[1][1:4] == ("delivery", "mobile_app", "metadata")
    assert fresh_db.execute("SELECT list(stage_id ORDER BY position) FROM journey_stages").fetchall() == [
        (["delivery", "billing"],)]
    path = tmp_path / "edited.toml"
    path.write_text(TAXONOMY.replace('"charge", ', ""), encoding="utf-8")
    monkeypatch.setattr("vocmine.journey.tagging.lemma_pipeline", lambda config: nlp)
    edited = load_tagger(load_taxonomy(path), NlpConfig(), HashedWordsBackend(), JourneyConfig())
    assert tag_segments(fresh_db, edited).stale == 2
    rebuilt = tag_segments(fresh_db, edited, rebuild=True)
    assert rebuilt.segments == 2 and rebuilt.stale == 0
    versions = {r[0] for r in fresh_db.execute("SELECT taxonomy_version FROM segment_journey").fetchall()}
    assert versions == {edited.taxonomy.version}
    counts = fresh_db.execute("SELECT counts->>'taxonomy_version' FROM runs WHERE kind = 'tag' "
                              "ORDER BY started_at DESC LIMIT 1").fetchall()
    assert counts == [(edited.taxonomy.version,)]


def test_tag_step_tags_a_segment_again_once_enrichment_changed_its_text(fresh_db, tagger):
    _segments(fresh_db, [("I was charged twice", "phone", None), ("The courier was late", "phone", None)])
    tag_segments(fresh_db, tagger)
    # re-enrichment rewrote the first segment and recorded it (enrich_store.sql)
    fresh_db.execute("UPDATE segments SET text = 'The courier never came' WHERE segment_id = 'f0-0'")
    fresh_db.execute("INSERT INTO changed_segments VALUES ('f0-0', 'f0', 'enrich-r', now()::TIMESTAMP)")
    again = tag_segments(fresh_db, tagger)
    assert (again.changed, again.segments) == (1, 1)
    stages = dict(fresh_db.execute("SELECT segment_id, journey_stage FROM segment_journey").fetchall())
    assert stages == {"f0-0": "delivery", "f1-0": "delivery"}
    assert tag_segments(fresh_db, tagger).changed == 0  # tagged after the change: kept


def test_tag_checks_accept_only_taxonomy_values(fresh_db, tagger):
    _segments(fresh_db, [("I was charged twice", "phone", None)])
    tag_segments(fresh_db, tagger)
    assert all(r.ok for r in run_checks(fresh_db, tagger.taxonomy.accepted_values()))
    fresh_db.execute("UPDATE segment_journey SET journey_stage = 'shipping', touchpoint = 'pigeon'")
    results = run_checks(fresh_db, tagger.taxonomy.accepted_values())
    failing = {(r.column, r.test): r.examples for r in results if not r.ok}
    assert failing == {("journey_stage", "accepted_values"): ("shipping",),
                       ("touchpoint", "accepted_values"): ("pigeon",)}


def test_theme_journey_view_names_each_themes_dominant_stage_and_touchpoint(fresh_db, tagger):
    fresh_db.execute("INSERT INTO themes (theme_id, label, keywords, level, status, size, centroid, model, "
                     "created_run, updated_run) VALUES (1, 'charges', [], 2, 'active', 3, [1.0], 'm', 'r', 'r')")
    _segments(fresh_db, [("I was charged twice", "phone", 1), ("Refund still missing", "phone", 1),
                         ("The app shows a wrong bill", "app_store", 1), ("Nice weather", None, 1)])
    tag_segments(fresh_db, tagger)
    assert fresh_db.execute("SELECT dominant_stage, dominant_stage_share, dominant_touchpoint, "
                            "dominant_touchpoint_share FROM theme_journey").fetchall() == [("billing", 0.75, "phone", 0.5)]


def test_tag_step_weighs_a_segment_without_stage_words_with_its_themes_stages(fresh_db, tagger):
    told = [("I was charged twice", None, 1)] * 20 + [("The courier was late", None, 1)] * 3
    _segments(fresh_db, [*told, ("Lovely weather today", None, 1), ("Lovely weather today", None, 2),
                         ("Lovely weather again", None, None), ("It never came", None, 1)])
    result = tag_segments(fresh_db, tagger)
    rows = fresh_db.execute("SELECT segment_id, journey_stage, journey_stage_method, journey_stage_confidence "
                            "FROM segment_journey WHERE segment_id IN ('f23-0', 'f24-0', 'f25-0', 'f26-0') ORDER BY 1"
                            ).fetchall()
    # "Lovely weather" shares no word with any stage: this backend's cosine 0, on MiniLM's scale the level of
    # an unrelated entry (calibration.py), plus the theme's nudge
    own = float(tagger.stage_similarity(tagger.backend.encode(["Lovely weather today"]))[0, 0])
    assert own == pytest.approx(tagger.stages.calibration.reference_unrelated) and own < 0.3
    assert rows == [("f23-0", "billing", "theme", round(own + 0.2 * 20 / 23, 4)),  # no meaning of its own: the theme's mix
                    ("f24-0", "unknown", "none", round(own, 4)),  # its theme has no pattern-tagged segments
                    ("f25-0", "unknown", "none", round(own, 4)),  # no theme
                    ("f26-0", "delivery", "semantic", rows[3][3])]  # "the courier never came": its own meaning wins
    assert rows[3][3] > 0.5
    assert result.stages == {"none": 2, "rule": 23, "semantic": 1, "theme": 1}
    assert all(r.ok for r in run_checks(fresh_db, tagger.taxonomy.accepted_values()))
    assert tag_segments(fresh_db, tagger).stages == {}  # the next night changes nothing


def test_tag_step_takes_a_themes_stage_back_when_its_evidence_goes(fresh_db, tagger):
    _segments(fresh_db, [("I was charged twice", None, 1)] * 20 + [("Lovely weather today", None, 1)])
    tag_segments(fresh_db, tagger)
    assert fresh_db.execute("SELECT journey_stage FROM segment_journey WHERE segment_id = 'f20-0'").fetchone() \
        == ("billing",)
    # a refit moves some of the theme's segments to a new theme: 17 pattern-tagged ones are too few
    fresh_db.execute("UPDATE segment_themes SET theme_id = 2 WHERE segment_id IN ('f0-0', 'f1-0', 'f2-0')")
    assert tag_segments(fresh_db, tagger).segments == 0
    assert fresh_db.execute("SELECT journey_stage, journey_stage_method FROM segment_journey "
                            "WHERE segment_id = 'f20-0'").fetchone() == ("unknown", "none")


@pytest.mark.parametrize("config", [JourneyConfig(stage_from_theme=False), JourneyConfig(theme_min_segments=24),
                                    JourneyConfig(theme_weight=0)])
def test_tag_step_weighs_a_themes_stages_only_as_configured(fresh_db, taxonomy, nlp, monkeypatch, config):
    monkeypatch.setattr("vocmine.journey.tagging.lemma_pipeline", lambda c: nlp)
    _segments(fresh_db, [("I was charged twice", None, 1)] * 20 + [("The courier was late", None, 1)] * 3
              + [("Lovely weather today", None, 1)])
    tag_segments(fresh_db, load_tagger(taxonomy, NlpConfig(), HashedWordsBackend(), config))
    assert fresh_db.execute("SELECT journey_stage FROM segment_journey WHERE segment_id = 'f23-0'").fetchone() \
        == ("unknown",)


def test_tag_step_reads_the_tokens_enrichment_stored_and_the_text_where_there_are_none(fresh_db, tagger):
    _segments(fresh_db, [("Nice weather", None, None), ("I was charged twice", None, None)])
    fresh_db.execute("INSERT INTO segment_tokens VALUES ('f0-0', 'f0', ['refund'], ['refund'])")
    tag_segments(fresh_db, tagger)
    assert fresh_db.execute("SELECT journey_stage, journey_stage_method FROM segment_journey ORDER BY segment_id"
                            ).fetchall() == [("billing", "rule"), ("billing", "rule")]


def test_rules_on_stored_tokens_agree_with_reading_the_redacted_text(tagger):
    from vocmine.nlp.pipeline import build_pipeline
    from vocmine.nlp.segments import enrich_doc

    nlp = build_pipeline("en", NlpConfig())
    texts = ["They charged me twice on my last bill, call me on 07700 900123.",
             "The couriers delivered it to the neighbours house and the app crashed.",
             "I was on hold for an hour before the statement was explained.",
             "Refunds take forever; jane.doe@example.com never got hers."]
    segments = [s for doc, text in zip(nlp.pipe(texts), texts, strict=True)
                for s in enrich_doc(doc, "f", "en").segments]
    stored = tagger.matcher.scores([s.text for s in segments], [(s.rule_lemmas, s.rule_words) for s in segments])
    assert stored == tagger.matcher.scores([s.text for s in segments])
    assert sum(len(stage) + len(touchpoint) for stage, touchpoint in stored) >= 8


def test_tag_step_with_nothing_to_tag_loads_no_model(fresh_db, tagger):
    loads = []
    lazy = LazyTagger(tagger.taxonomy, tagger.config, lambda: loads.append(1) or tagger)
    result = tag_segments(fresh_db, lazy)
    assert result.segments == 0 and not loads
    assert fresh_db.execute("SELECT count(*) FROM journey_stages").fetchone() == (2,)  # the taxonomy is stored
    _segments(fresh_db, [("I was charged twice", "phone", None)])
    assert tag_segments(fresh_db, lazy).segments == 1 and loads == [1]


def test_tag_step_sets_aside_the_segment_the_tagger_fails_on_and_tags_the_rest(fresh_db, taxonomy, nlp, monkeypatch):
    monkeypatch.setattr("vocmine.journey.tagging.lemma_pipeline", lambda config: nlp)
    backend = FailsOn(HashedWordsBackend(), "Odd \u202e text", error=TAGGER_ERROR)
    tagger = load_tagger(taxonomy, NlpConfig(), backend, JourneyConfig())
    _segments(fresh_db, [("I was charged twice", "phone", None), ("Odd \u202e text", None, None),
                         ("The courier was late", None, None), ("My bill is wrong", None, None)])
    result = tag_segments(fresh_db, tagger)
    assert result.segments == 3 and [sid for sid, _ in result.set_aside] == ["f1-0"]
    assert [r[0] for r in fresh_db.execute("SELECT segment_id FROM segment_journey ORDER BY 1").fetchall()] == [
        "f0-0", "f2-0", "f3-0"]
    assert fresh_db.execute("SELECT step, feedback_id, reason, raw FROM quarantine").fetchall() == [
        ("tag", "f1", "journey tagging failed on segment f1-0: RuntimeError: tokenizer overflow", "Odd \u202e text")]
    assert fresh_db.execute("SELECT counts->>'set_aside' FROM runs WHERE kind = 'tag'").fetchone() == ("1",)
    backend.encoded.clear()
    again = tag_segments(fresh_db, tagger)  # the next night does not try it again
    assert again.segments == 0 and again.set_aside == [] and backend.encoded == []


def test_tag_step_skips_a_segment_the_embed_step_set_aside(fresh_db, taxonomy, nlp, monkeypatch):
    monkeypatch.setattr("vocmine.journey.tagging.lemma_pipeline", lambda config: nlp)
    backend = FailsOn(HashedWordsBackend(), error=TAGGER_ERROR)
    tagger = load_tagger(taxonomy, NlpConfig(), backend, JourneyConfig())
    _segments(fresh_db, [("I was charged twice", "phone", None), ("Odd text", None, None)])
    fresh_db.execute("INSERT INTO quarantine (run_id, source, file, reason, raw, quarantined_at, step, feedback_id) "
                     "VALUES ('e', 't', '', 'embedding by fake:words failed on segment f1-0: x', 'Odd text', now(), "
                     "'embed', 'f1')")
    assert tag_segments(fresh_db, tagger).segments == 1 and "Odd text" not in backend.encoded
    assert fresh_db.execute("SELECT count(*) FROM quarantine WHERE step = 'tag'").fetchone() == (0,)


def test_tag_step_a_tagger_failing_on_every_segment_fails_the_step(fresh_db, taxonomy, nlp, monkeypatch):
    monkeypatch.setattr("vocmine.journey.tagging.lemma_pipeline", lambda config: nlp)
    backend = FailsOn(HashedWordsBackend(), error=TAGGER_ERROR)
    tagger = load_tagger(taxonomy, NlpConfig(), backend, JourneyConfig())
    backend.everything = True
    _segments(fresh_db, [("I was charged twice", "phone", None), ("Odd text", None, None), ("Late", None, None)])
    with pytest.raises(RuntimeError, match="tokenizer overflow"):
        tag_segments(fresh_db, tagger)
    assert fresh_db.execute("SELECT count(*) FROM quarantine").fetchone() == (0,)
    assert fresh_db.execute("SELECT status FROM runs WHERE kind = 'tag'").fetchone() == ("failed",)


def test_tag_step_a_tagger_that_does_not_load_fails_the_step_without_setting_aside(fresh_db, tagger):
    from vocmine.parallel import ModelUnavailable

    def load():
        raise OSError("no such model: en_core_web_nosuch")

    _segments(fresh_db, [("I was charged twice", "phone", None), ("The courier was late", None, None)])
    with pytest.raises(ModelUnavailable, match="en_core_web_nosuch"):
        tag_segments(fresh_db, LazyTagger(tagger.taxonomy, tagger.config, load))
    assert fresh_db.execute("SELECT count(*) FROM quarantine").fetchone() == (0,)
