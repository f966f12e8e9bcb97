"""Themes per feedback: each case's primary theme and up to two secondary ones.

Themes are found per segment, which finds every issue inside a long complaint; but CX teams
count cases ("how many complaints were about X"). Most segments of a long complaint are
narrative ("I called them again", "they said they would call back") that every complaint
shares, so the theme holding most of its segments says little about what it is about
(CFPB complaints vs their product: NMI 0.30, where k-means on whole texts reaches 0.42).
What a long complaint is about shows in its whole text. So:

- **Kinds of case.** At each refit, long feedback (``case_min_segments`` segments that are
  not boilerplate) is clustered on its whole-text embedding (``embed_long_feedback``), as
  segment themes are: UMAP, then k-means with the number of clusters chosen by separation
  (``sizing.number_of_themes``) within ``[case_min_themes, case_max_themes]``. Each kind of
  case is filed under the segment theme that sets its cases apart most (the theme they raise
  far more often than other long feedback; one theme per kind), so there is one list of themes
  and its labels. Its centre is kept in ``case_centroids``.
- **Primary theme** (rank 1): long feedback gets the theme of its nearest kind of case
  (method ``case``, confidence = cosine); other feedback the most specific of its segment
  themes (method ``segments``): the cosines of its segments in a theme times the theme's IDF
  over feedback. Feedback of one segment keeps that segment's theme.
- **Secondary themes** (ranks 2, 3): its next most specific segment themes.

Rows of new feedback and of feedback whose segments changed are written each night; after a
refit all of them. Nothing else changes, so a case keeps its themes night to night.

Example::

    refresh_feedback_themes(con, "minilm", ThemesConfig(), run_id, refit=True)
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans

from vocmine.config.themes import ThemesConfig
from vocmine.embed.backends import normalise_rows
from vocmine.embed.cache import feedback_embeddings
from vocmine.store.sqlfiles import execute_sql, run_sql
from vocmine.store.tx import registered, transaction
from vocmine.themes.sizing import number_of_themes

THEMES_PER_FEEDBACK = 3  # the primary theme and up to two secondary ones


@dataclass
class FeedbackThemesResult:
    refreshed: int = 0  # feedback whose rows were rewritten
    with_theme: int = 0  # of those, feedback that has a primary theme
    by_case: int = 0  # of those, primary theme from its kind of case
    kinds_of_case: int | None = None  # fitted at this refit (None: no refit; 0: too little long feedback)


def refresh_feedback_themes(con: duckdb.DuckDBPyConnection, model: str, config: ThemesConfig, run_id: str,
                            refit: bool = False) -> FeedbackThemesResult:
    """Rewrite ``feedback_themes`` for feedback new or changed in run ``run_id`` (every feedback,
    and the kinds of case refitted first, when ``refit``)."""
    result = FeedbackThemesResult()
    if refit:
        result.kinds_of_case = fit_kinds_of_case(con, model, config, run_id)
        wanted = [r[0] for r in con.execute("SELECT DISTINCT feedback_id FROM segments UNION "
                                            "SELECT feedback_id FROM feedback_themes").fetchall()]
    else:
        wanted = [r[0] for r in execute_sql(con, "vocmine.themes", "feedback_themes_changed.sql",
                                            {"run_id": run_id}).fetchall()]
    rows = feedback_theme_rows(con, model, config, sorted(wanted))
    result.refreshed = len(wanted)
    result.with_theme = sum(r[2] == 1 for r in rows)
    result.by_case = sum(r[3] == "case" for r in rows)
    table = pa.table({"feedback_id": pa.array([r[0] for r in rows], pa.string()),
                      "theme_id": pa.array([r[1] for r in rows], pa.int32()),
                      "rank": pa.array([r[2] for r in rows], pa.int32()),
                      "method": pa.array([r[3] for r in rows], pa.string()),
                      "confidence": pa.array([r[4] for r in rows], pa.float64())})
    with registered(con, refreshed_feedback=pa.table({"feedback_id": pa.array(wanted, pa.string())}),
                    new_feedback_themes=table), transaction(con):
        run_sql(con, "vocmine.themes", "feedback_themes_store.sql")
    return result


def feedback_theme_rows(con: duckdb.DuckDBPyConnection, model: str, config: ThemesConfig,
                        feedback_ids: list[str]) -> list[tuple[str, int, int, str, float]]:
    """(feedback_id, theme_id, rank, method, confidence) for these feedback, from their
    segments' themes and, for long feedback, the nearest kind of case."""
    with registered(con, refreshed_feedback=pa.table({"feedback_id": pa.array(feedback_ids, pa.string())})):
        weights = execute_sql(con, "vocmine.themes", "feedback_theme_weights.sql").fetchall()
    by_feedback: dict[str, list[tuple[int, float]]] = {}
    length: dict[str, int] = {}
    for feedback_id, theme_id, segments, weight in weights:
        ranked = by_feedback.setdefault(feedback_id, [])
        if theme_id is not None:
            ranked.append((theme_id, weight))
        length[feedback_id] = segments
    long = [f for f, n in length.items() if n >= config.case_min_segments]
    case = place_cases(con, model, sorted(long))
    rows = []
    for feedback_id, ranked in by_feedback.items():
        total = sum(w for _, w in ranked) or 1.0
        picked: list[tuple[int, str, float]] = []
        if feedback_id in case:
            theme_id, cosine = case[feedback_id]
            picked.append((theme_id, "case", cosine))
        picked += [(t, "segments", w / total) for t, w in ranked if t not in {p[0] for p in picked}]
        rows += [(feedback_id, t, rank, method, round(float(c), 4))
                 for rank, (t, method, c) in enumerate(picked[:THEMES_PER_FEEDBACK], start=1)]
    return rows


def place_cases(con: duckdb.DuckDBPyConnection, model: str, feedback_ids: list[str]) -> dict[str, tuple[int, float]]:
    """Feedback -> (theme of its nearest kind of case, cosine); feedback whose whole text is
    not embedded, or a store with no kinds of case, is left out."""
    kinds = con.execute(
        "SELECT CASE WHEN t.status = 'merged' THEN t.merged_into ELSE c.theme_id END, c.centroid "
        "FROM case_centroids c JOIN themes t USING (theme_id) WHERE c.model = ? AND t.status IN ('active', 'merged') "
        "ORDER BY c.theme_id", [model]).fetchall()
    if not kinds or not feedback_ids:
        return {}
    ids, vectors = feedback_embeddings(con, model, feedback_ids)
    if not ids:
        return {}
    similarity = vectors @ np.array([c for _, c in kinds], dtype=np.float32).T
    nearest = similarity.argmax(axis=1)
    return {f: (kinds[k][0], float(similarity[i, k])) for i, (f, k) in enumerate(zip(ids, nearest, strict=True))}


def fit_kinds_of_case(con: duckdb.DuckDBPyConnection, model: str, config: ThemesConfig, run_id: str) -> int:
    """Cluster long feedback by its whole text and file each cluster under a segment theme;
    rewrites this model's ``case_centroids``. Returns the number of kinds (0: too few long
    feedback, or too few themes, to fit them: every primary theme then comes from segments)."""
    long = execute_sql(con, "vocmine.themes", "long_feedback_themes.sql",
                       {"min_segments": config.case_min_segments}).fetchall()
    themes_of = {f: themes or [] for f, themes in long}
    ids, vectors = feedback_embeddings(con, model, list(themes_of))
    theme_ids = sorted({t for f in ids for t in themes_of[f]})
    kinds: list[tuple[int, np.ndarray, int]] = []
    if len(ids) >= config.case_min_feedback and len(theme_ids) >= 2:
        clusters = cluster_cases(vectors, config, most=len(theme_ids))
        raised = np.zeros((len(ids), len(theme_ids)), dtype=bool)
        column = {t: j for j, t in enumerate(theme_ids)}
        for i, f in enumerate(ids):
            raised[i, [column[t] for t in themes_of[f]]] = True
        filed = file_under_themes(clusters, raised)
        for k, j in enumerate(filed):
            members = clusters == k
            kinds.append((theme_ids[j], normalise_rows(vectors[members].mean(axis=0, keepdims=True))[0],
                          int(members.sum())))
    table = pa.table({"theme_id": pa.array([k[0] for k in kinds], pa.int32()),
                      "centroid": pa.array([list(map(float, k[1])) for k in kinds], pa.list_(pa.float32())),
                      "cases": pa.array([k[2] for k in kinds], pa.int32())})
    with registered(con, fitted_kinds=table), transaction(con):
        con.execute("DELETE FROM case_centroids WHERE model = ?", [model])
        con.execute("INSERT INTO case_centroids SELECT theme_id, ?, centroid, cases, ? FROM fitted_kinds",
                    [model, run_id])
    return len(kinds)


def cluster_cases(vectors: np.ndarray, config: ThemesConfig, most: int) -> np.ndarray:
    """Cluster index per row of whole-text embeddings: UMAP, then k-means with the number of
    kinds chosen by separation within ``[case_min_themes, min(case_max_themes, most)]``, as
    segment themes are sized (deterministic for ``config.seed``)."""
    from umap import UMAP

    high = max(2, min(config.case_max_themes, most))
    sizing = config.model_copy(update={"min_themes": min(config.case_min_themes, high), "max_themes": high,
                                       "target_themes": None})
    reduced = UMAP(n_components=5, n_neighbors=15, min_dist=0.0, metric="cosine",
                   random_state=config.seed).fit_transform(vectors)
    k = number_of_themes(reduced, vectors, sizing)
    return KMeans(n_clusters=k, n_init=4, random_state=config.seed).fit_predict(reduced)


def file_under_themes(clusters: np.ndarray, raised: np.ndarray) -> list[int]:
    """Column of ``raised`` (feedback x segment theme: does the feedback raise it) each cluster
    is filed under, a different one per cluster: the theme whose share of the cluster's cases
    most exceeds its share of all cases (p * ln(p / q), a term of the KL divergence), so a kind
    of case is named by what sets it apart, not by the narrative every complaint shares."""
    k = int(clusters.max()) + 1
    overall = raised.mean(axis=0) + 1e-9
    inside = np.array([raised[clusters == c].mean(axis=0) for c in range(k)])
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(inside > 0, inside * np.log(inside / overall), 0.0)
    rows, columns = linear_sum_assignment(-score)
    return [int(c) for _, c in sorted(zip(rows, columns, strict=True))]


__all__ = ["FeedbackThemesResult", "cluster_cases", "feedback_theme_rows", "file_under_themes",
           "fit_kinds_of_case", "place_cases", "refresh_feedback_themes"]
