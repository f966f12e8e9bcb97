"""Aligning languages before the theme fit (vocmine.themes.languages) on made-up vectors.

Two languages share topics and sit apart by a known offset: what "partial" and "full" move,
what they leave, and that a refit and the nightly placement after it see the same space. The
vectors are hand-made (a unit-test fake, not a model); the measured effect on real requests
and reviews is benchmarks/language_gate.py's.
"""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np
import pytest

from vocmine.config import ThemesConfig
from vocmine.embed.backends import normalise_rows
from vocmine.themes.languages import align_languages, apply_offsets, language_offsets, taxonomy_language_means

DIM = 32


def _two_languages(rng, per_topic: int = 40, topics: int = 5, shift: float = 1.5, domain: float = 0.0):
    """(vectors, languages, topics, language direction, domain direction): English and Polish
    about the same topics, Polish moved by ``shift`` along the language direction and by
    ``domain`` along a direction of its own, orthogonal to it."""
    basis = np.linalg.qr(rng.standard_normal((DIM, DIM)))[0]
    centres, language, own = basis[:topics], basis[topics], basis[topics + 1]
    rows, languages, labels = [], [], []
    for lang, offset in (("en", 0.0 * language), ("pl", shift * language + domain * own)):
        for t in range(topics):
            rows.append(centres[t] + offset + 0.15 * rng.standard_normal((per_topic, DIM)))
            languages += [lang] * per_topic
            labels += [t] * per_topic
    return normalise_rows(np.vstack(rows)), np.array(languages), np.array(labels), language, own


def _across_same_topic(v: np.ndarray, languages: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    """Share of each point's k nearest neighbours in the other language and about its topic."""
    similarity = v @ v.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = np.argsort(-similarity, axis=1)[:, :k]
    return float(((languages[nearest] != languages[:, None]) & (labels[nearest] == labels[:, None])).mean())


def _taxonomy(language: np.ndarray) -> dict[str, np.ndarray]:
    base = np.full(DIM, 0.1)
    return {"en": base, "pl": base + 0.3 * language}


def test_languages_partial_puts_the_same_topic_together_across_languages():
    v, languages, labels, language, _ = _two_languages(np.random.default_rng(0))
    moved = align_languages(v, languages, "partial", _taxonomy(language))
    assert _across_same_topic(v, languages, labels) < 0.05  # apart: each language its own cloud
    assert _across_same_topic(moved, languages, labels) > 0.3
    assert moved.dtype == np.float32 and np.allclose(np.linalg.norm(moved, axis=1), 1, atol=1e-5)


def test_languages_partial_moves_along_the_language_direction_only():
    """A language's own direction (a domain only it has) stays; "full" removes that too."""
    v, languages, _, language, own = _two_languages(np.random.default_rng(1), domain=1.0)

    def gap(x: np.ndarray) -> np.ndarray:
        return x[languages == "pl"].mean(axis=0) - x[languages == "en"].mean(axis=0)

    partial = align_languages(v, languages, "partial", _taxonomy(language))
    full = align_languages(v, languages, "full")
    # rows are renormalised after the shift, so a little of the gap comes back: not all of it
    assert abs(gap(partial) @ language) < 0.2 * abs(gap(v) @ language)
    assert gap(partial) @ own >= gap(v) @ own  # the domain's gap is kept
    assert np.linalg.norm(gap(full)) < 0.3 * np.linalg.norm(gap(v))
    assert abs(gap(full) @ own) < 0.5 * abs(gap(partial) @ own)


def test_languages_never_returns_the_vectors_untouched():
    v, languages, _, language, _ = _two_languages(np.random.default_rng(2))
    assert language_offsets(v, languages, "never", _taxonomy(language)) == {}
    assert align_languages(v, languages, "never") is v


def test_languages_one_language_or_a_small_one_is_not_moved():
    v, languages, _, language, _ = _two_languages(np.random.default_rng(3))
    english = languages == "en"
    only = v[english]
    assert align_languages(only, languages[english], "partial", _taxonomy(language)) is only
    assert language_offsets(v[english], languages[english], "full") == {}
    # 10 Polish segments beside 200 English: too few to estimate Polish's mean, nothing moves
    few = np.flatnonzero(english).tolist() + np.flatnonzero(~english)[:10].tolist()
    assert language_offsets(v[few], languages[few], "partial", _taxonomy(language)) == {}
    # under "partial", a language the taxonomy has no examples in stays where it is
    german = np.where(languages == "pl", "de", languages)
    assert language_offsets(v, german, "partial", _taxonomy(language)) == {}


def test_languages_settings_errors_name_the_setting():
    v, languages, _, _, _ = _two_languages(np.random.default_rng(4))
    with pytest.raises(ValueError, match="themes.align_languages"):
        language_offsets(v, languages, "always")
    with pytest.raises(ValueError, match='align_languages = "partial" needs the journey taxonomy'):
        language_offsets(v, languages, "partial", None)


def test_languages_apply_offsets_moves_new_vectors_as_the_fit_moved_its_own():
    v, languages, _, language, _ = _two_languages(np.random.default_rng(5))
    offsets = language_offsets(v, languages, "partial", _taxonomy(language))
    moved = apply_offsets(v, languages, offsets)
    assert np.allclose(apply_offsets(v[:3], languages[:3], offsets), moved[:3])
    assert np.allclose(apply_offsets(v[-3:], languages[-3:], offsets), moved[-3:])
    unknown = np.array(["de"] * 3)
    assert np.array_equal(apply_offsets(v[:3], unknown, offsets), normalise_rows(v[:3]))


def test_languages_taxonomy_means_use_entries_with_phrases_in_every_language():
    vectors = {"card": [1.0, 0.0], "karta": [0.0, 1.0], "kartka": [0.0, 3.0], "app": [5.0, 5.0]}

    def encode(texts: list[str]) -> np.ndarray:
        return np.array([vectors[t] for t in texts])

    entries = [{"en": ["card"], "pl": ["karta", "kartka"]}, {"en": ["app"], "pl": []}]
    means = taxonomy_language_means(entries, encode)
    assert set(means) == {"en", "pl"}
    assert np.allclose(means["en"], [1, 0]) and np.allclose(means["pl"], [0, 2])  # "app" has no Polish


# the setting reaching the fit: a refit on a tiny store, then a night's placement after it

MODEL = "fake:6d"
WHEN = datetime(2026, 8, 31)
COURIER, REFUND, _, _, _, LANGUAGE = np.eye(6, dtype=np.float32)


def _segment(con, n: int, text: str, language: str, vector: np.ndarray) -> str:
    fid, sid = f"f{n:05d}", f"f{n:05d}-0"
    con.execute("INSERT INTO feedback (feedback_id, source, kind, received_at, text, content_hash, dedup_key, run_id, "
                "ingested_at) VALUES (?, 'test', 'review', ?, ?, ?, ?, 'r', now())", [fid, WHEN, text, fid, fid])
    con.execute("INSERT INTO segments VALUES (?, ?, 0, ?, ?, -0.5, 0, 1, ?, [], 'v', 'r')",
                [sid, fid, text, language, text.lower()])
    unit = (vector / np.linalg.norm(vector)).astype(np.float32)
    con.execute("INSERT INTO embeddings VALUES (?, md5(?), ?, 'r')", [MODEL, text, unit.tolist()])
    return sid


def test_languages_refit_fits_moved_vectors_and_nightly_places_new_segments_alike(fresh_db, tmp_path, monkeypatch):
    from vocmine.themes import assign, registry
    from vocmine.themes.assign import assign_new_segments, refit_due

    rng = np.random.default_rng(0)
    n = 0
    for language, offset in (("en", 0.0), ("pl", 1.2)):
        for subject, words in ((COURIER, "courier late"), (REFUND, "refund missing")):
            for _ in range(60):
                n += 1
                _segment(fresh_db, n, f"{words} {language} {n}", language,
                         subject + offset * LANGUAGE + 0.15 * rng.standard_normal(6))
    fitted = []
    real_fit = registry.fit_on_sample
    monkeypatch.setattr(registry, "fit_on_sample", lambda v, *a, **k: fitted.append(v) or real_fit(v, *a, **k))
    means = {"en": np.zeros(6), "pl": 0.4 * LANGUAGE.astype(np.float64)}
    config = ThemesConfig(min_themes=2, max_themes=4, align_languages="partial")
    registry.refit_themes(fresh_db, MODEL, config, tmp_path, taxonomy_means=lambda: means)

    ids, raw = registry.themed_embeddings(fresh_db, MODEL)
    languages = np.array(assign.segment_languages(fresh_db, ids))

    def gap(v: np.ndarray) -> float:
        return float((v[languages == "pl"].mean(axis=0) - v[languages == "en"].mean(axis=0)) @ LANGUAGE)

    assert abs(gap(fitted[0])) < 0.3 * gap(raw)  # the fit saw the languages moved together
    saved = json.loads(next(tmp_path.glob("themes-*/languages.json")).read_text())
    assert saved["align_languages"] == "partial" and set(saved["offsets"]) == {"en", "pl"}
    # a new Polish segment is moved by Polish's offset before it meets the centroids
    refunds = {t for (t,) in fresh_db.execute("SELECT theme_id FROM segment_themes JOIN segments USING (segment_id) "
                                              "WHERE text LIKE 'refund%'").fetchall()}
    sid = _segment(fresh_db, n + 1, "refund missing pl new", "pl", REFUND + 1.2 * LANGUAGE)
    assign_new_segments(fresh_db, MODEL, config)
    theme, similarity = fresh_db.execute("SELECT theme_id, similarity FROM segment_themes WHERE segment_id = ?",
                                         [sid]).fetchall()[0]
    centroid = np.array(fresh_db.execute("SELECT centroid FROM themes WHERE theme_id = ?", [theme]).fetchall()[0][0])
    moved = apply_offsets(normalise_rows((REFUND + 1.2 * LANGUAGE)[None]), ["pl"], assign.fit_alignment(
        fresh_db, MODEL)[1])[0]
    assert theme in refunds
    assert similarity == pytest.approx(float(moved @ centroid), abs=1e-5)
    # a new subject in Polish only: proposed as a theme whose centre is in the fit's space too
    offsets = assign.fit_alignment(fresh_db, MODEL)[1]
    app = [np.eye(6)[2] + 1.2 * LANGUAGE + 0.05 * rng.standard_normal(6) for _ in range(20)]
    for i, vector in enumerate(app):
        _segment(fresh_db, n + 2 + i, f"app crashes pl {i}", "pl", vector)
    proposing = config.model_copy(update={"propose_after": 5, "propose_min_size": 10})
    proposed = assign_new_segments(fresh_db, MODEL, proposing).proposed
    assert len(proposed) == 1
    centre = np.array(fresh_db.execute("SELECT centroid FROM themes WHERE theme_id = ?", proposed).fetchall()[0][0])
    expected = normalise_rows(apply_offsets(normalise_rows(np.array(app)), ["pl"] * 20, offsets).mean(
        axis=0, keepdims=True))[0]
    assert centre @ expected == pytest.approx(1, abs=1e-4)
    # the setting changed back: the fit's space is not the one asked for, so a refit is due
    assert refit_due(fresh_db, MODEL, config, WHEN) is False
    assert refit_due(fresh_db, MODEL, ThemesConfig(align_languages="never"), WHEN) is True


def test_languages_pipeline_reads_the_taxonomy_means_in_the_store_model_once(tmp_path, monkeypatch, fresh_db):
    """The themes step's taxonomy means: the shipped taxonomy's four languages, in the store's
    model, its phrase vectors cached as the journey tagger caches them (a second refit encodes nothing)."""
    from support.fakes import HashedWordsBackend

    from vocmine.config import load_settings
    from vocmine.pipeline.steps import StepContext, taxonomy_language_means

    monkeypatch.setenv("VOCMINE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "vocmine.toml").write_text('db = "store.duckdb"\n', encoding="utf-8")
    ctx = StepContext(fresh_db, load_settings(tmp_path / "vocmine.toml"))
    ctx.models["backend"] = HashedWordsBackend(name="fake:words@1", dim=16, words=r"\w+")
    means = taxonomy_language_means(ctx)
    assert set(means) == {"en", "pl", "uk", "zh"} and all(m.shape == (16,) for m in means.values())
    assert len(list((tmp_path / "cache" / "phrases").glob("phrases-*.npy"))) == 1

    class Refuses(HashedWordsBackend):
        def encode(self, texts):
            raise AssertionError("encoded again")

    ctx = StepContext(fresh_db, load_settings(tmp_path / "vocmine.toml"))
    ctx.models["backend"] = Refuses(name="fake:words@1", dim=16, words=r"\w+")
    again = taxonomy_language_means(ctx)
    assert all(np.array_equal(again[lang], means[lang]) for lang in means)
