from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score
from support.stores import copy_demo_store, exit_fee_segments, planted_theme_per_segment

from vocmine.config import ThemesConfig
from vocmine.embed import segment_embeddings
from vocmine.embed.backends import backend_key, normalise_rows
from vocmine.themes.discover import _groups, discover_themes, fit_on_sample, fit_points
from vocmine.themes.labels import distinct_keywords


def test_themes_labels_skip_words_inside_chosen_phrases():
    words = [("late delivery", 0.9), ("delivery", 0.8), ("courier courier", 0.75), ("courier", 0.7), ("late", 0.6),
             ("tracking number", 0.5)]
    assert [w for w, _ in distinct_keywords(words)] == ["late delivery", "courier", "tracking number"]


def test_themes_groups_join_similar_themes():
    centroids = np.array([[1, 0, 0], [0.99, 0.1, 0], [0, 1, 0], [0, 0.98, 0.1], [0, 0, 1]], dtype=np.float32)
    groups = _groups(centroids / np.linalg.norm(centroids, axis=1, keepdims=True))
    assert groups[0] == groups[1] and groups[2] == groups[3] and groups[0] != groups[2]


def test_themes_groups_are_about_sqrt_k():
    # 40 themes scattered at random: about sqrt(40) groups
    centroids = normalise_rows(np.random.default_rng(3).normal(size=(40, 64)))
    assert len(set(_groups(centroids).tolist())) == 6


@pytest.fixture(scope="module")
def demo_segments(demo_embedded, tmp_path_factory):
    """The demo data ingested, enriched and embedded with the default backend (a copy: the tests refit it)."""
    _, con, backend = copy_demo_store(demo_embedded, tmp_path_factory.mktemp("themes") / "demo.duckdb")
    ids, vectors = segment_embeddings(con, backend.name)
    rows = dict(con.execute("SELECT segment_id, lemmas || ' ' || array_to_string(key_phrases, ' ') FROM segments")
                .fetchall())
    truth = planted_theme_per_segment(con)
    return ids, vectors, [rows[i] for i in ids], truth, con


@pytest.mark.slow
def test_themes_on_demo_are_analyst_sized_deterministic_and_find_the_planted_themes(demo_segments):
    ids, vectors, documents, truth, con = demo_segments
    config = ThemesConfig()
    first = discover_themes(vectors, documents, config, _texts(con, ids))   # per phrasing, as a refit
    second = discover_themes(vectors, documents, config, _texts(con, ids))
    np.testing.assert_array_equal(first.assignments, second.assignments)
    assert first.labels == second.labels
    assert config.min_themes <= len(first.labels) <= config.max_themes
    assert first.outlier_share <= 0.05
    keywords = {w for words in first.keywords for w, _ in words}
    assert not keywords & {"cust", "brightlinehelp", "customer"}
    assert all(label and "[" not in label for label in first.labels)
    position = {sid: i for i, sid in enumerate(ids)}
    known = [sid for sid in truth if sid in position]
    assert len(known) > 300
    found = [int(first.assignments[position[sid]]) for sid in known]
    score = normalized_mutual_info_score([truth[sid] for sid in known], found)
    assert score > 0.6, f"NMI against planted themes {score:.3f}"


@pytest.mark.slow
def test_themes_fit_saves_and_loads_without_pickle(demo_segments, tmp_path):
    from vocmine.themes.persist import load_fit, save_fit

    _ids, vectors, documents, *_ = demo_segments
    fit = discover_themes(vectors[:3000], documents[:3000], ThemesConfig(min_themes=10))
    save_fit(fit, tmp_path / "fit", "minilm:all-MiniLM-L6-v2")
    files = [p.name for p in (tmp_path / "fit").rglob("*") if p.is_file()]
    assert not [f for f in files if f.endswith((".pkl", ".pickle", ".bin", ".pt"))], files
    loaded = load_fit(tmp_path / "fit")
    np.testing.assert_array_equal(loaded.centroids, fit.centroids)
    np.testing.assert_array_equal(loaded.groups, fit.groups)
    assert loaded.labels == fit.labels and loaded.embedding_model == "minilm:all-MiniLM-L6-v2"
    assert [tuple(p) for p in loaded.model.get_topic(0)] == [(w, float(s)) for w, s in fit.model.get_topic(0)]


@pytest.mark.slow
def test_themes_refit_keeps_ids_analyst_labels_and_merges(demo_segments, tmp_path):
    from vocmine.themes.curation import list_themes, merge_themes, rename_theme
    from vocmine.themes.emerging import flag_emerging
    from vocmine.themes.registry import current_fit, refit_themes

    con, model, config = demo_segments[4], backend_key("minilm"), ThemesConfig(keep_fits=2)
    running_while_fitting = []   # the run is logged before the fit, so its time is the fit's (status)

    def phase(done: int, total: int, what: str) -> None:
        running_while_fitting.append((done, total, what.split()[0], con.execute(
            "SELECT count(*) FROM runs WHERE kind = 'themes' AND status = 'running'").fetchall()[0][0]))

    first = refit_themes(con, model, config, tmp_path / "fits", on_phase=phase)
    assert [(d, t, w) for d, t, w, _ in running_while_fitting] == [
        (0, 4, "loading"), (1, 4, "fitting"), (2, 4, "labelling"), (3, 4, "storing")]
    assert running_while_fitting[1][3] == 1
    assert first.created == first.themes and first.kept == 0 and 20 <= first.themes <= 120
    # fitted on all 12 weeks, the planted eSIM theme is new in the last two: the only one flagged
    flagged = flag_emerging(con, model, config, first.run_id)
    esim = con.execute("SELECT avg((s.text ILIKE '%esim%')::INT) FROM segment_themes st JOIN segments s "
                       "USING (segment_id) WHERE st.theme_id = ?", [flagged[0]]).fetchall()[0][0]
    assert len(flagged) == 1 and esim >= 0.8
    before = dict(con.execute("SELECT segment_id, theme_id FROM segment_themes").fetchall())
    themes = list_themes(con)
    theme_id, into, merged = themes[0]["theme_id"], themes[1]["theme_id"], themes[2]["theme_id"]
    rename_theme(con, theme_id, "Roaming charges abroad")
    second = refit_themes(con, model, config, tmp_path / "fits")
    assert second.kept == first.themes and second.created == 0 and second.retired == 0
    assert dict(con.execute("SELECT segment_id, theme_id FROM segment_themes").fetchall()) == before
    assert con.execute("SELECT label FROM themes WHERE theme_id = ?", [theme_id]).fetchall() == [
        ("Roaming charges abroad",)]
    groups = con.execute("SELECT count(*) FROM themes WHERE level = 1 AND status = 'active'").fetchall()[0][0]
    orphans = con.execute("SELECT count(*) FROM themes WHERE level = 2 AND parent_id NOT IN "
                          "(SELECT theme_id FROM themes WHERE level = 1)").fetchall()[0][0]
    assert groups >= 2 and orphans == 0

    merge_themes(con, into, [merged], config)
    combined = {s for s, t in before.items() if t in (into, merged)}
    third = refit_themes(con, model, config, tmp_path / "fits")
    assert third.themes == first.themes - 1 and third.created == 0 and third.retired == 0
    after = dict(con.execute("SELECT segment_id, theme_id FROM segment_themes").fetchall())
    assert {s for s, t in after.items() if t == into} == combined
    assert not [s for s, t in after.items() if t == merged]
    assert con.execute("SELECT status, merged_into FROM themes WHERE theme_id = ?", [merged]).fetchall() == [
        ("merged", into)]
    # fits: every refit is recorded, only the newest keep_fits folders stay on disk
    assert sorted(p.name for p in (tmp_path / "fits").iterdir()) == sorted([second.run_id, third.run_id])
    assert current_fit(con, model)["run_id"] == third.run_id
    assert con.execute("SELECT count(*), sum(pruned::INT) FROM theme_fits").fetchall() == [(3, 1)]


@pytest.mark.slow
def test_themes_fit_on_a_sample_places_the_rest_and_still_finds_the_planted_themes(demo_segments):
    """Past fit_sample the fit reads a seeded sample; every other segment joins its nearest theme."""
    ids, vectors, documents, truth, _ = demo_segments
    config = ThemesConfig(fit_sample=3000)
    fit = fit_on_sample(vectors, documents, config)
    again = fit_on_sample(vectors, documents, config)
    np.testing.assert_array_equal(fit.assignments, again.assignments)
    assert len(fit.assignments) == len(ids) > 2 * config.fit_sample
    sample = np.sort(np.random.default_rng(config.seed).choice(len(ids), config.fit_sample, replace=False))
    rest = np.setdiff1d(np.arange(len(ids)), sample)
    nearest = (vectors[rest] @ fit.centroids.T).argmax(axis=1)
    placed = fit.assignments[rest] != -1
    np.testing.assert_array_equal(fit.assignments[rest][placed], nearest[placed])
    assert fit.outlier_share <= 0.05
    position = {sid: i for i, sid in enumerate(ids)}
    known = [position[sid] for sid in truth if sid in position and position[sid] in set(rest.tolist())]
    score = normalized_mutual_info_score([truth[ids[i]] for i in known], [int(fit.assignments[i]) for i in known])
    assert len(known) > 200 and score > 0.6, f"NMI of the placed segments against planted themes {score:.3f}"


def _texts(con, ids: list[str]) -> list[str]:
    """The segments' texts, which a refit fits one point per phrasing of."""
    texts = dict(con.execute("SELECT segment_id, text FROM segments").fetchall())
    return [texts[i] for i in ids]


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "exit fees are written in four registers (call notes, reviews, complaints, German) that MiniLM embeds apart. "
    "Fitted per phrasing, as a refit does, the default fit (up to 120 themes) puts 51% of them in one theme on seed "
    "42 (46% and 56% on seeds 1 and 2; the demo config's 40 themes: 99%, 75%, 87%). Its three exit-fee themes sit at "
    "centroid cosine 0.48-0.70 and c-TF-IDF cosine 0.10-0.32: a merge rule joining all three would join 236 pairs "
    "of distinct banking77 intents (3,000 rows), one joining the largest two, 14 (docs/themes.md). The multilingual "
    "e5 backend brings the registers "
    "together but discovery still spreads them (benchmarks/exit_fees_backends.py, docs/embeddings.md)"))
def test_themes_on_demo_put_exit_fees_in_one_theme(demo_segments):
    ids, vectors, documents, _, con = demo_segments
    fit = discover_themes(vectors, documents, ThemesConfig(), _texts(con, ids))   # per phrasing, as a refit
    position = {sid: i for i, sid in enumerate(ids)}
    exit_fees = [position[sid] for sid in exit_fee_segments(con) if sid in position]
    assert len(exit_fees) > 80
    themes = Counter(int(fit.assignments[i]) for i in exit_fees)
    assert themes.most_common(1)[0][1] >= 0.9 * len(exit_fees), themes.most_common()


def test_themes_discover_keywords_keep_every_script(monkeypatch):
    """BERTopic left to itself deletes every letter outside A-Z; keywords keep them all."""
    import umap
    from sklearn.decomposition import PCA

    # The keywords are what is checked, not the reduction: a linear one spares the fast suite UMAP's
    # minute of compiling on first use (the slow tests fit the demo with UMAP).
    monkeypatch.setattr(umap, "UMAP", lambda n_components, **_: PCA(n_components=n_components))
    docs = {"zh": "重复 扣款 退款 客服", "pl": "obsługa miły wysyłka szybki", "uk": "черга чекати вікно година"}
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((3, 16))
    documents, rows = [], []
    for k, words in enumerate(docs.values()):
        for i in range(30):
            documents.append(" ".join(rng.permutation(words.split())[:3]))
            rows.append(centres[k] + 0.05 * rng.standard_normal(16))
    vectors = np.array(rows, dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    fit = discover_themes(vectors, documents, ThemesConfig(min_themes=2, max_themes=4, target_themes=3))
    keywords = {w for words in fit.keywords for w, _ in words for w in w.split()}
    assert {"扣款", "obsługa", "черга"} <= keywords, keywords
    assert all(set(w) & set("abcdefghijklmnopqrstuvwxyz") == set() or w in docs["pl"] for w in keywords)


def test_themes_discover_a_theme_without_words_joins_its_nearest_theme(monkeypatch):
    """Segments of interjections only ("呃………", "这啥？") have no keyword: their theme would be
    labelled "theme N"; they join the nearest theme that says something."""
    import umap
    from sklearn.decomposition import PCA

    monkeypatch.setattr(umap, "UMAP", lambda n_components, **_: PCA(n_components=n_components))
    rng = np.random.default_rng(1)
    centres = rng.standard_normal((4, 16))
    centres[3] = centres[0] + 0.6 * rng.standard_normal(16)  # the wordless ones sit nearest theme 0
    words = ["refund late", "signal drop", "bill twice", ""]
    rows, documents = [], []
    for k, text in enumerate(words):
        for i in range(40):
            rows.append(centres[k] + 0.05 * rng.standard_normal(16))
            documents.append(f"{text} {['again', 'still', 'today', 'now'][i % 4]}" if text else "")
    vectors = normalise_rows(np.array(rows, dtype=np.float32))
    fit = discover_themes(vectors, documents, ThemesConfig(min_themes=2, max_themes=4, target_themes=4,
                                                           merge_similarity=None))
    assert all(words for words in fit.keywords), fit.labels
    assert not [label for label in fit.labels if label.startswith("theme ")]
    assert len(set(fit.assignments[120:].tolist())) == 1 and fit.assignments[120] == fit.assignments[0]


def _clustered(rng: np.random.Generator, centres: np.ndarray, per: int, spread: float = 0.05) -> np.ndarray:
    rows = np.repeat(centres, per, axis=0) + spread * rng.standard_normal((len(centres) * per, centres.shape[1]))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_themes_discover_fit_does_not_depend_on_the_order_of_segments():
    """The store may hand segments over in another order (new cache keys, another reader): the
    same segments must give the same themes, texts and all."""
    rng = np.random.default_rng(3)
    vectors = _clustered(rng, rng.standard_normal((4, 16)), 30)
    words = ["refund late", "signal drop", "bill twice", "app crash"]
    extra = ["again", "still", "now", "today", "sadly", "so"]
    texts = [f"{words[i // 30]} {extra[i % 6]} {extra[i // 6 % 6]} £{i}" for i in range(len(vectors))]
    config = ThemesConfig(min_themes=2, max_themes=6, target_themes=4)
    order = rng.permutation(len(vectors))
    for phrasings in (texts, None):
        first = discover_themes(vectors, texts, config, phrasings)
        again = discover_themes(vectors[order], [texts[i] for i in order], config,
                                None if phrasings is None else [phrasings[i] for i in order])
        unshuffled = np.empty_like(again.assignments)
        unshuffled[order] = again.assignments
        np.testing.assert_array_equal(first.assignments, unshuffled)
        assert first.labels == again.labels


def test_themes_fit_points_count_a_template_once_whatever_its_numbers():
    vectors = np.array([[1, 0, 0], [0.99, 0.14, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    texts = ["Cust quoted ETF £22.50, disputes", "cust quoted ETF £31 disputes", "Thanks", "Thanks!",
             "Cust quoted ETF, disputes it"]
    points, first, inverse = fit_points(vectors, texts, minimum=1)
    assert inverse[0] == inverse[1] and inverse[2] == inverse[3] and len(points) == 3
    assert len({inverse[0], inverse[2], inverse[4]}) == 3      # other words: another point
    np.testing.assert_allclose(points[inverse[0]], (vectors[0] + vectors[1]) / np.linalg.norm(vectors[0] + vectors[1]),
                               rtol=1e-6)
    assert {int(first[inverse[0]]), int(first[inverse[2]])} == {0, 2}  # the first segment of each point
    assert len(fit_points(vectors)[0]) == 4                     # by vector: only identical vectors are one
    assert len(fit_points(vectors, texts)[0]) == 4              # too few phrasings for UMAP: by vector
