"""Language-neutral vectors: a per-language offset removed before clustering (fakes only)."""

from __future__ import annotations

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from vocmine.embed.backends import normalise_rows
from vocmine.themes.neutral import language_shifts, shift_vectors


def _two_languages(offset: float = 1.5, per_topic: int = 20, dim: int = 16):
    """Two subjects said in two languages: each language's texts sit ``offset`` off in its own direction."""
    rng = np.random.default_rng(0)
    subjects = np.eye(dim)[:2]
    language_direction = {"zh": np.eye(dim)[2], "uk": np.eye(dim)[3]}
    vectors, languages, subject = [], [], []
    for language, direction in language_direction.items():
        for s, centre in enumerate(subjects):
            vectors.append(centre + offset * direction + 0.05 * rng.normal(size=(per_topic, dim)))
            languages += [language] * per_topic
            subject += [s] * per_topic
    return normalise_rows(np.vstack(vectors)), languages, np.array(subject)


def _clusters(vectors: np.ndarray) -> np.ndarray:
    return AgglomerativeClustering(n_clusters=2, metric="cosine", linkage="average").fit_predict(vectors)


def test_themes_neutral_one_subject_in_two_languages_is_one_cluster_only_when_shifted():
    vectors, languages, subject = _two_languages()
    plain = _clusters(vectors)
    by_language = np.array([lang == "zh" for lang in languages])
    assert len(set(zip(plain.tolist(), by_language.tolist()))) == 2  # without: the clusters are the languages
    moved = _clusters(shift_vectors(vectors, languages, language_shifts(vectors, languages, min_segments=10)))
    assert len(set(zip(moved.tolist(), subject.tolist()))) == 2  # with: the clusters are the subjects


def test_themes_neutral_one_language_is_not_moved():
    vectors, _, _ = _two_languages()
    languages = ["en"] * len(vectors)
    assert language_shifts(vectors, languages, min_segments=10) == {}
    assert shift_vectors(vectors, languages, {}) is vectors


def test_themes_neutral_small_languages_stay_where_they_are():
    vectors, languages, _ = _two_languages(per_topic=20)
    languages = languages[:-3] + ["pl"] * 3  # three Polish segments: too few to know Polish's offset
    shifts = language_shifts(vectors, languages, min_segments=10)
    assert sorted(shifts) == ["uk", "zh"]
    moved = shift_vectors(vectors, languages, shifts)
    np.testing.assert_array_equal(moved[-3:], vectors[-3:])
    np.testing.assert_allclose(np.linalg.norm(moved, axis=1), 1.0, rtol=1e-5)


def test_themes_neutral_shifted_languages_share_one_mean():
    vectors, languages, _ = _two_languages()
    moved = shift_vectors(vectors, languages, language_shifts(vectors, languages, min_segments=10))
    langs = np.array(languages)
    means = {lang: moved[langs == lang].mean(axis=0) for lang in ("zh", "uk")}
    plain = {lang: vectors[langs == lang].mean(axis=0) for lang in ("zh", "uk")}
    assert np.linalg.norm(means["zh"] - means["uk"]) < 0.1 * np.linalg.norm(plain["zh"] - plain["uk"])
