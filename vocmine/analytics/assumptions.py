"""Assumed priorities matched to the themes that are about them, by what the themes hold.

A theme's centre is one point: a theme that mixes SIM-only tariffs, mid-contract price rises
and promotions sits between them, so "price" can be far from its centre while hundreds of its
segments are about price, and close to the centre of a small theme that merely mentions a
date. So each assumption is compared with a sample of every theme's own segments (from the
embedding cache) and with the theme's label and keywords: a theme matches when enough of its
segments mean the assumption (``segment_share``), or when its name means it and some of its
segments back that up. One assumption may match several themes.

Enough segments close to the assumption is not yet about it: "network coverage" is close to
every segment that says "network" ("phone joined the in-flight network", "looking at other
networks"), and a theme of those has most of its segments above the cut-off, while the segments
about coverage itself ("coverage map says excellent") come much closer. So a theme's
``similarity`` is how close its closest distinct segments come, the theme whose segments come
closest is the one most about the assumption (its main match), and a theme only matches when
its closest segments come within reach of the main match's (``REACH``): one shared word brings
a theme near the assumption, not as near as the theme that is about it. The main match also
matches on few segments when its label or a keyword means the assumption: two lines of
evidence, its closest segments and its name.

Example::

    matches = match_assumptions(con, AssumptionsConfig(priorities=["price"]), load_backend("minilm"))
    # assumption, position, theme_id, similarity, segment_share, name_similarity, model
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import duckdb
import numpy as np
import pyarrow as pa

from vocmine.config.analyst import AssumptionsConfig
from vocmine.embed.backends import EmbeddingBackend, normalise_rows
from vocmine.store.sqlfiles import fetch_arrow

SCHEMA = pa.schema([("assumption", pa.string()), ("position", pa.int32()), ("theme_id", pa.int32()),
                    ("similarity", pa.float64()), ("segment_share", pa.float64()),
                    ("name_similarity", pa.float64()), ("model", pa.string())])
NEAREST = 200   # segments nearest a theme's centre in its sample: its core
RANDOM = 200    # segments drawn at random (seeded) besides: the rest of its mix
CLOSEST = 0.25     # ``similarity`` of a theme: the mean cosine of its closest quarter of distinct phrasings,
CLOSEST_MAX = 5    # at most its 5 closest (a large theme's few best phrasings, not its bulk)
CORPUS_QUANTILE = 0.9  # a segment means an assumption only when closer to it than 9 in 10 sampled segments
REACH = 0.35       # a theme matches only when its similarity is at least this far from the segment cut-off
                   # towards the main match's: 0 admits every theme with enough segments above the cut-off


@dataclass(frozen=True)
class ThemeEvidence:
    """What a theme is, for matching: its name (label, keywords) and a sample of its segments."""

    theme_ids: list[int]
    names: list[list[str]]        # label first, then keywords
    members: list[np.ndarray]     # sampled segment vectors per theme (rows L2-normalised)


@dataclass(frozen=True)
class ThemeScores:
    """Assumptions x themes: how the themes relate to each assumption."""

    segment_share: np.ndarray     # share of the sampled segments at or above the cut-off
    name_similarity: np.ndarray   # best cosine to the label or a keyword
    similarity: np.ndarray        # mean cosine of the theme's closest distinct segments (CLOSEST)
    levels: np.ndarray            # per assumption: the cosine from which a segment means it


def read_theme_evidence(con: duckdb.DuckDBPyConnection, model: str, *, nearest: int = NEAREST,
                        random: int = RANDOM, seed: int = 42) -> ThemeEvidence:
    """Active themes of ``model`` with a sample of their segments' cached vectors; a theme whose
    segments have no cached vector (not embedded yet) is represented by its centre alone."""
    themes = con.execute("SELECT theme_id, label, keywords, centroid FROM themes "
                         "WHERE status = 'active' AND level = 2 AND model = $model ORDER BY theme_id",
                         {"model": model}).fetchall()
    sample = fetch_arrow(con, "vocmine.analytics", "theme_members.sql",
                         {"model": model, "nearest": nearest, "random": random, "seed": str(seed)})
    ids = sample.column("theme_id").to_numpy(zero_copy_only=False)
    vectors = np.zeros((len(ids), 0), dtype=np.float32)
    if len(ids):
        flat = sample.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
        vectors = normalise_rows(flat.astype(np.float32).reshape(len(ids), -1))
    members = []
    for theme_id, _, _, centroid in themes:
        own = vectors[ids == theme_id]
        members.append(own if len(own) else normalise_rows(np.array([centroid], dtype=np.float32)))
    return ThemeEvidence(theme_ids=[t[0] for t in themes],
                         names=[[label, *[k for k in keywords if k]] for _, label, keywords, _ in themes],
                         members=members)


def score_themes(wanted: np.ndarray, evidence: ThemeEvidence, name_vectors: list[np.ndarray],
                 cutoff: float) -> ThemeScores:
    """Each assumption (rows of ``wanted``, L2-normalised) against each theme's segments and name.

    A segment means the assumption at ``cutoff`` or above, and only when it is among the tenth of
    all sampled segments closest to the assumption: where every segment speaks of the same
    domain (a bank's customers all write about cards and payments), "card arrival" is close to
    all of them, and only the closest are about it. A theme's similarity counts each phrasing
    once, so a line sent a thousand times does not make its theme look closer than the theme
    with the closest different phrasings."""
    shape = (len(wanted), len(evidence.theme_ids))
    share, name, top = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    if not evidence.theme_ids:
        return ThemeScores(segment_share=share, name_similarity=name, similarity=top,
                           levels=np.full(len(wanted), cutoff))
    levels = np.maximum(cutoff, np.quantile(wanted @ np.vstack(evidence.members).T, CORPUS_QUANTILE, axis=1))
    for j, (members, names) in enumerate(zip(evidence.members, name_vectors, strict=True)):
        cosines = wanted @ members.T                      # assumptions x sampled segments
        share[:, j] = (cosines >= levels[:, None]).mean(axis=1)
        top[:, j] = [_closest(row) for row in cosines]
        name[:, j] = (wanted @ names.T).max(axis=1)
    return ThemeScores(segment_share=share, name_similarity=name, similarity=top, levels=levels)


def _closest(cosines: np.ndarray) -> float:
    """Mean of the closest quarter (1 to CLOSEST_MAX) of the distinct cosines: copies of a phrasing
    ("Already looking at other networks." and the same words without the stop) count once."""
    distinct = np.sort(cosines[np.unique(np.round(cosines, 4), return_index=True)[1]])
    return float(distinct[-int(np.clip(round(len(distinct) * CLOSEST), 1, CLOSEST_MAX)):].mean())


def match_assumptions(
    con: duckdb.DuckDBPyConnection, assumptions: AssumptionsConfig, backend: EmbeddingBackend | None
) -> pa.Table:
    """One row per (assumption, theme it means); an assumption that means none gets theme NULL
    and keeps how close the best theme came (its highest ``similarity``)."""
    if not assumptions.priorities:
        return SCHEMA.empty_table()
    if backend is None:
        raise ValueError("matching assumed priorities to themes needs the embedding model")
    others = [m for (m,) in con.execute("SELECT DISTINCT model FROM themes WHERE status = 'active' AND level = 2 "
                                        "AND model <> $model ORDER BY model", {"model": backend.name}).fetchall()]
    if others:
        raise ValueError(f"themes were built with {', '.join(others)} but the configured embedding model is "
                         f"{backend.name}: refit the themes (`vocmine themes refit`) or configure that model")
    evidence = read_theme_evidence(con, backend.name)
    wanted = normalise_rows(np.asarray(backend.encode(list(assumptions.priorities)), dtype=np.float32))
    names = encode_names(backend, evidence.names)
    scores = score_themes(wanted, evidence, names, assumptions.min_segment_similarity)
    matched = matches(scores, assumptions.min_similarity, assumptions.min_segment_share)
    rows = []
    for i, assumption in enumerate(assumptions.priorities):
        hits = [j for j in np.argsort(-scores.similarity[i], kind="stable") if matched[i, j]]
        if not hits:  # unmatched: how close the best theme came
            best = int(np.argmax(scores.similarity[i])) if evidence.theme_ids else None
            rows.append(_row(assumption, i, None, scores, best, backend.name))
        rows += [_row(assumption, i, evidence.theme_ids[j], scores, j, backend.name) for j in hits]
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def encode_names(backend: EmbeddingBackend, names: list[list[str]]) -> list[np.ndarray]:
    """Every theme's label and keywords in one call to the model, split back per theme."""
    flat = [n for theme in names for n in theme]
    vectors = normalise_rows(np.asarray(backend.encode(flat), dtype=np.float32)) if flat else np.zeros((0, 0))
    bounds = np.cumsum([0, *(len(theme) for theme in names)])
    return [vectors[start:stop] for start, stop in pairwise(bounds)]


def matches(scores: ThemeScores, min_similarity: float, min_share: float, reach: float = REACH) -> np.ndarray:
    """Assumptions x themes: True where the theme is about the assumption.

    Evidence that it is: enough of its segments mean it; or its name does and at least half that
    share of segments back the name up (a label that merely shares a word, with no segment about
    it, is not enough); or it is the main match (its closest segments come closest of all
    themes') and its name means it too. And in any case its closest segments come within
    ``reach`` of the main match's: where the segments about coverage come to 0.49 of "network
    coverage" and a theme's in-flight network charges to 0.35, that theme shares a word, it is
    not about coverage."""
    by_segments = scores.segment_share >= min_share
    by_name = (scores.name_similarity >= min_similarity) & (scores.segment_share >= min_share / 2)
    main = np.zeros_like(by_segments)
    if main.size:
        main[np.arange(len(main)), np.argmax(scores.similarity, axis=1)] = True
    by_main = main & (scores.name_similarity >= min_similarity)
    levels = scores.levels[:, None]
    best = scores.similarity.max(axis=1, keepdims=True) if main.size else levels
    within = scores.similarity >= levels + reach * (best - levels)
    return (by_segments | by_name | by_main) & within


def _row(assumption: str, i: int, theme_id: int | None, scores: ThemeScores, j: int | None, model: str) -> dict:
    def value(array: np.ndarray) -> float | None:
        return None if j is None else float(array[i, j])

    return {"assumption": assumption, "position": i + 1, "theme_id": theme_id,
            "similarity": value(scores.similarity), "segment_share": value(scores.segment_share),
            "name_similarity": value(scores.name_similarity), "model": model}
