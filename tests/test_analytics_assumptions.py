"""Assumed priorities matched by what the themes hold: a hand-built store whose themes' segments
are known, with a fake embedding (one dimension per word)."""

from __future__ import annotations

import numpy as np
import pytest
from support.fakes import VocabularyBackend

from vocmine.analytics.assumptions import encode_names, match_assumptions, matches, read_theme_evidence, score_themes
from vocmine.config import AssumptionsConfig

WORDS = VocabularyBackend(("price", "sim", "tariff", "bill", "date", "courier", "delivery", "staff"))


def _theme(con, theme_id: int, label: str, keywords: list[str], texts: list[str], *, cached: bool = True,
           words: VocabularyBackend = WORDS) -> None:
    vectors = words.encode(texts)
    centroid = vectors.mean(axis=0) / np.linalg.norm(vectors.mean(axis=0))
    con.execute("INSERT INTO themes (theme_id, label, keywords, level, status, size, centroid, model, created_run, "
                "updated_run) VALUES (?, ?, ?, 2, 'active', ?, ?, 'words', 'r', 'r')",
                [theme_id, label, keywords, len(texts), centroid.tolist()])
    for i, (text, vector) in enumerate(zip(texts, vectors, strict=True)):
        sid = f"t{theme_id}-{i}"
        con.execute("INSERT INTO segments VALUES (?, ?, 0, ?, 'en', 0, 0, 1, '', [], 'v', 'r')", [sid, sid, text])
        con.execute("INSERT INTO segment_themes VALUES (?, ?, ?, 'r')", [sid, theme_id, float(vector @ centroid)])
        if cached:
            con.execute("INSERT INTO embeddings SELECT 'words', md5(?), ?, 'r' WHERE NOT EXISTS "
                        "(SELECT 1 FROM embeddings WHERE text_hash = md5(?))", [text, vector.tolist(), text])


@pytest.fixture
def tariff_store(fresh_db):
    """Theme 10 mixes SIM tariffs with price rises (3 in 10 about price: its centre is far from
    "price"); theme 20's label says price but its segments are about bill dates; theme 30 is
    deliveries; theme 40 is about bills, with 'price' among its keywords and 1 in 8 about price."""
    con = fresh_db
    _theme(con, 10, "sim · tariff", ["sim", "tariff"], ["price rise"] * 3 + ["sim tariff"] * 7)
    _theme(con, 20, "price date", ["date"], ["bill date"] * 6)
    _theme(con, 30, "courier delivery", ["courier"], ["late courier delivery"] * 5)
    _theme(con, 40, "bill", ["bill", "price"], ["price"] + ["bill"] * 7)
    return con


def _matches(con, *priorities: str, words: VocabularyBackend = WORDS, **settings) -> dict[str, list[tuple]]:
    table = match_assumptions(con, AssumptionsConfig(priorities=list(priorities), **settings), words)
    found: dict[str, list[tuple]] = {}
    for row in table.to_pylist():
        found.setdefault(row["assumption"], []).append(
            (row["theme_id"], round(row["similarity"], 3), row["segment_share"], row["name_similarity"]))
    return found


def test_analytics_assumptions_match_a_mixed_theme_by_its_segments_not_its_centre(tariff_store):
    centre = tariff_store.execute("SELECT centroid FROM themes WHERE theme_id = 10").fetchone()[0]
    assert float(WORDS.encode(["price"])[0] @ np.array(centre)) < 0.42   # the old rule missed it
    found = _matches(tariff_store, "price", min_similarity=0.42, min_segment_similarity=0.42, min_segment_share=0.2)
    by_theme = {theme: share for theme, _, share, _ in found["price"]}
    assert by_theme[10] == pytest.approx(0.3)       # 3 of its 10 segments are about price
    assert 20 not in by_theme                       # a label saying price, no segment about it
    assert by_theme[40] == pytest.approx(1 / 8)     # keyword 'price' backed by 1 in 8 segments (>= 0.2 / 2)
    assert set(by_theme) == {10, 40}


def test_analytics_assumptions_one_assumption_per_row_and_theme_most_similar_first(tariff_store):
    found = _matches(tariff_store, "courier delivery", "price")
    assert [t for t, *_ in found["courier delivery"]] == [30]
    assert found["courier delivery"][0][1:] == pytest.approx((1.0, 1.0, 1.0))   # similarity, share, name
    similarities = [s for _, s, _, _ in found["price"]]
    assert similarities == sorted(similarities, reverse=True)


def test_analytics_assumptions_a_shared_word_does_not_match_beside_the_theme_about_it(fresh_db):
    """Every segment of the roaming theme says "network", so all of them are above the cut-off
    for "network coverage"; the signal theme has one segment in 15 about coverage, which comes
    closer than any roaming segment, and a keyword saying coverage: it is the theme about it."""
    words = VocabularyBackend(("network", "coverage", "signal", "flight", "roaming", "bill"))
    _theme(fresh_db, 1, "in-flight network", ["network", "flight"], ["flight network roaming"] * 10, words=words)
    _theme(fresh_db, 2, "signal at home", ["signal", "coverage"], ["coverage signal"] + ["signal"] * 14, words=words)
    _theme(fresh_db, 3, "bill", ["bill"], ["bill"] * 30, words=words)
    found = _matches(fresh_db, "network coverage", words=words, min_segment_similarity=0.3)
    assert [(theme, share) for theme, _, share, _ in found["network coverage"]] == [(2, pytest.approx(1 / 15))]
    # before: the roaming theme matched by its share (every segment above the cut-off), the
    # signal theme not at all (too few segments, under half of min_segment_share)
    evidence = read_theme_evidence(fresh_db, "words")
    scores = score_themes(words.encode(["network coverage"]), evidence, encode_names(words, evidence.names), 0.3)
    assert scores.segment_share[0, 0] == pytest.approx(1.0)
    assert scores.similarity[0, 1] > scores.similarity[0, 0]
    assert matches(scores, 0.42, 0.2, reach=0)[0].tolist() == [True, True, False]
    # the closest segments alone are not enough for so few: without a name saying coverage, nothing matches
    fresh_db.execute("UPDATE themes SET keywords = ['signal'] WHERE theme_id = 2")
    assert [theme for theme, *_ in _matches(fresh_db, "network coverage", words=words,
                                             min_segment_similarity=0.3)["network coverage"]] == [None]


def test_analytics_assumptions_unmatched_keeps_how_close_the_best_theme_came(tariff_store):
    found = _matches(tariff_store, "price of a bill", min_similarity=0.9, min_segment_similarity=0.9)
    ((theme, similarity, share, _),) = found["price of a bill"]
    assert theme is None and share == 0.0
    assert similarity == pytest.approx(np.sqrt(0.5), abs=1e-3)   # half its words in theme 40's segments


def test_analytics_assumptions_theme_sample_takes_the_core_and_random_others(tariff_store):
    evidence = read_theme_evidence(tariff_store, "words", nearest=2, random=1)
    sizes = dict(zip(evidence.theme_ids, (len(m) for m in evidence.members), strict=True))
    assert sizes[10] in (2, 3) and sizes[20] in (2, 3)
    core = WORDS.encode(["sim tariff"])[0]   # the 7 nearest the centre of theme 10
    members = evidence.members[evidence.theme_ids.index(10)]
    assert sum(np.allclose(m, core) for m in members) >= 2
    assert evidence.names[evidence.theme_ids.index(40)] == ["bill", "bill", "price"]


def test_analytics_assumptions_theme_without_cached_segments_stands_on_its_centre(fresh_db):
    _theme(fresh_db, 50, "courier", [], ["courier delivery"] * 3, cached=False)
    evidence = read_theme_evidence(fresh_db, "words")
    assert len(evidence.members[0]) == 1
    assert [t for t, *_ in _matches(fresh_db, "delivery")["delivery"]] == [50]


def test_analytics_assumptions_refuse_themes_of_another_model(tariff_store):
    tariff_store.execute("UPDATE themes SET model = 'minilm:all-MiniLM-L6-v2' WHERE theme_id = 30")
    with pytest.raises(ValueError, match="built with minilm:all-MiniLM-L6-v2 .* refit the themes"):
        _matches(tariff_store, "price")
