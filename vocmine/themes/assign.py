"""Nightly theme work without a refit: place new segments, propose themes for the rest.

A refit re-reads the whole corpus; a night only has to place what arrived. Each new segment
goes to the theme of its nearest anchor (the current fit's centroids), if it is as close to it
as that theme's own members were (``assign_floor``); a segment whose exact text is already
placed follows it, so identical sentences never end up in different themes. What fits
nowhere stays unassigned and accumulates; once there is enough of it, it is clustered
(average-link, cosine) and tight clusters that no known theme covers become new themes,
which the emerging-theme check then sees as new. A segment whose text enrichment changed since
it was placed (``changed_segments``) leaves its theme first and is placed again like a new one.
``refresh_themes`` is the nightly step:
refit when due (no fit yet for the model, or the last one older than ``refit_every_days``),
otherwise assign and propose; then recompute the emerging flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from sklearn.cluster import AgglomerativeClustering

from vocmine.config.themes import ThemesConfig
from vocmine.embed.backends import normalise_rows
from vocmine.embed.cache import segment_embeddings
from vocmine.parallel import IN_PROCESS, BatchRunner
from vocmine.store.runs import finish_run, start_run
from vocmine.store.tx import registered, transaction
from vocmine.themes.discover import describe_themes
from vocmine.themes.emerging import flag_emerging
from vocmine.themes.labels import Encoder, label_themes
from vocmine.themes.languages import apply_offsets
from vocmine.themes.persist import load_alignment
from vocmine.themes.registry import (
    REFIT_PHASES,
    Phase,
    RefitResult,
    TaxonomyMeans,
    assign_floor,
    current_fit,
    label_inputs,
    prune_orphan_fits,
    refit_themes,
    theme_documents,
    themed_embeddings,
)
from vocmine.themes.store import (
    forget_changed_segments,
    place_segments,
    store_proposals,
    update_sizes,
    withdraw_boilerplate,
)

POOL_LIMIT = 5_000  # newest unassigned segments clustered for proposals (average link is O(n^2))
BACKGROUND = 5_000
PLACE_BATCH = 20_000  # new segments per similarity batch (20k x 100 anchors: 8 MB)  # assigned segments the proposals' keywords are contrasted with


@dataclass
class AssignResult:
    run_id: str
    new_segments: int = 0
    assigned: int = 0
    unassigned: int = 0  # of the new segments
    pool: int = 0  # all unassigned segments after this run
    withdrawn: int = 0  # segments taken out of their theme: enrichment found them to be boilerplate
    changed: int = 0  # segments taken out of their theme: enrichment changed their text (placed again)
    proposed: list[int] = field(default_factory=list)


@dataclass
class RefreshResult:
    refit: RefitResult | None = None
    assigned: AssignResult | None = None
    emerging: list[int] = field(default_factory=list)
    pruned: list[Path] = field(default_factory=list)  # fit folders no committed fit owns (a killed refit's)


def refresh_themes(
    con: duckdb.DuckDBPyConnection, model: str, config: ThemesConfig, fits_dir: Path | None = None,
    now: datetime | None = None, runner: BatchRunner = IN_PROCESS, encode: Encoder | None = None,
    on_phase: Phase | None = None, taxonomy_means: TaxonomyMeans | None = None,
) -> RefreshResult:
    """The nightly theme step: refit when due, else assign and propose; then flag emerging themes.
    ``encode`` (the backend of ``model``) ranks label phrases; it is called only when themes
    are labelled (a refit, or new themes proposed), so a quiet night loads no model for it.
    ``on_phase(done, total, what)`` hears of each phase as it begins, for progress lines.
    ``taxonomy_means``: for a refit with ``align_languages = "partial"`` (see ``refit_themes``)."""
    phase = on_phase or (lambda done, total, what: None)
    result = RefreshResult()
    if fits_dir is not None:
        result.pruned = prune_orphan_fits(con, fits_dir)
    if refit_due(con, model, config, now):
        total = REFIT_PHASES + 1
        result.refit = refit_themes(con, model, config, fits_dir, encode,
                                    on_phase=lambda done, _, what: phase(done, total, what),
                                    taxonomy_means=taxonomy_means)
        run_id = result.refit.run_id
    else:
        total = 2
        phase(0, total, "placing new segments in themes")
        result.assigned = assign_new_segments(con, model, config, runner, encode)
        run_id = result.assigned.run_id
    phase(total - 1, total, "checking for emerging themes")
    result.emerging = flag_emerging(con, model, config, run_id)
    phase(total, total, f"{len(result.emerging)} emerging theme(s)")
    return result


def refit_due(con: duckdb.DuckDBPyConnection, model: str, config: ThemesConfig, now: datetime | None = None) -> bool:
    """No fit yet, the last one older than ``refit_every_days``, or made with another
    ``align_languages`` (its centroids are in another space than the setting asks for)."""
    fit = current_fit(con, model)
    if fit is None or not _anchors(con, model)[0]:
        return True
    if fit_alignment(con, model)[0] != config.align_languages:
        return True
    if config.refit_every_days == 0:
        return False
    now = now or con.execute("SELECT now()::TIMESTAMP").fetchall()[0][0]
    return fit["saved_at"] <= now - timedelta(days=config.refit_every_days)


def assign_new_segments(con: duckdb.DuckDBPyConnection, model: str, config: ThemesConfig,
                        runner: BatchRunner = IN_PROCESS, encode: Encoder | None = None) -> AssignResult:
    """Place segments that have no theme row yet; propose new themes from the unassigned pool.
    The similarity of new segments to the anchors is computed in batches by ``runner``."""
    anchor_rows, themes, centroids, floors = _anchors(con, model)
    if not anchor_rows:
        raise ValueError(f"no themes for {model} yet: run `vocmine themes refit` first")
    result = AssignResult(run_id=start_run(con, "theme-assign"))
    with transaction(con):  # segments whose text enrichment changed are placed again, as new ones
        result.changed = forget_changed_segments(con)
    # boilerplate never gets a theme row, so it is left out here, not reloaded and dropped every night
    new = [r[0] for r in con.execute(
        "SELECT segment_id FROM segments WHERE segment_id NOT IN (SELECT segment_id FROM segment_themes) "
        "AND segment_id NOT IN (SELECT segment_id FROM segment_boilerplate) ORDER BY segment_id").fetchall()]
    ids, vectors = themed_embeddings(con, model, new) if new else ([], np.zeros((0, 0), np.float32))
    offsets = fit_alignment(con, model)[1]  # moved as the fit moved its own segments
    vectors = apply_offsets(vectors, segment_languages(con, ids), offsets) if offsets and ids else vectors
    placed = _place(con, ids, vectors, themes, centroids, floors, runner)
    result.new_segments = len(ids)
    result.assigned = sum(t is not None for t, _ in placed)
    result.unassigned = len(ids) - result.assigned
    try:
        with registered(con, new_segment_themes=pa.table({
            "segment_id": pa.array(ids, pa.string()),
            "theme_id": pa.array([t for t, _ in placed], pa.int32()),
            "similarity": pa.array([s for _, s in placed], pa.float64()),
        })), transaction(con):
            result.withdrawn = withdraw_boilerplate(con)
            place_segments(con, result.run_id)
            if result.unassigned:
                result.proposed = _propose(con, model, config, result.run_id, encode)
            update_sizes(con, model)
        result.pool = con.execute("SELECT count(*) FROM segment_themes WHERE theme_id IS NULL").fetchall()[0][0]
    except BaseException as exc:
        finish_run(con, result.run_id, counts={"model": model}, error=repr(exc))
        raise
    finish_run(con, result.run_id, counts={"model": model, "new_segments": result.new_segments,
                                           "assigned": result.assigned, "unassigned": result.unassigned,
                                           "pool": result.pool, "proposed": result.proposed,
                                           "withdrawn_boilerplate": result.withdrawn,
                                           "changed_segments": result.changed})
    return result


def _anchors(con, model: str) -> tuple[list[int], list[int], np.ndarray, np.ndarray]:
    """Anchor rows of the current fit, the theme each counts for, centroids and floors."""
    rows = con.execute(
        "SELECT theme_id, CASE WHEN status = 'merged' THEN merged_into ELSE theme_id END, centroid, "
        "coalesce(assign_floor, 0) FROM themes WHERE anchor AND level = 2 AND model = ? "
        "AND status IN ('active', 'merged') ORDER BY theme_id", [model]).fetchall()
    centroids = np.array([r[2] for r in rows], dtype=np.float32)
    return [r[0] for r in rows], [r[1] for r in rows], centroids, np.array([r[3] for r in rows])


def _place(con, ids: list[str], vectors: np.ndarray, themes: list[int], centroids: np.ndarray,
           floors: np.ndarray, runner: BatchRunner) -> list[tuple[int | None, float]]:
    """(theme or None, cosine to the nearest anchor) per segment."""
    if not ids:
        return []
    batches = (vectors[start:start + PLACE_BATCH] for start in range(0, len(ids), PLACE_BATCH))
    parts = list(runner.map(partial(nearest_anchor, centroids), batches))
    nearest, best = np.concatenate([n for n, _ in parts]), np.concatenate([s for _, s in parts])
    placed = [(themes[n] if s >= floors[n] else None, float(s)) for n, s in zip(nearest, best, strict=True)]
    known = {sid: (theme, sim) for sid, theme, sim in con.execute("""
        SELECT n.segment_id, min(st.theme_id), arg_min(st.similarity, st.theme_id)
        FROM segments n
        JOIN segments s ON s.text = n.text
        JOIN segment_themes st ON st.segment_id = s.segment_id
        WHERE n.segment_id IN (SELECT unnest($ids)) AND st.theme_id IS NOT NULL
        GROUP BY n.segment_id
    """, {"ids": ids}).fetchall()}
    return [known.get(sid, place) for sid, place in zip(ids, placed, strict=True)]


def nearest_anchor(centroids: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index of the nearest anchor, its cosine) per row of ``vectors``: one batch, anywhere."""
    similarity = vectors @ centroids.T
    nearest = similarity.argmax(axis=1)
    return nearest, similarity[np.arange(len(vectors)), nearest]


def _propose(con, model: str, config: ThemesConfig, run_id: str, encode: Encoder | None) -> list[int]:
    """New themes from tight clusters of unassigned segments, if there are enough of them."""
    # what nights left unassigned since the fit; the fit's own outliers were seen by the fit
    fit = current_fit(con, model)
    pool = [r[0] for r in con.execute(
        "SELECT st.segment_id FROM segment_themes st JOIN segments s USING (segment_id) "
        "JOIN feedback f USING (feedback_id) WHERE st.theme_id IS NULL AND st.run_id <> ? "
        "ORDER BY f.received_at DESC, st.segment_id LIMIT ?", [fit["run_id"] if fit else "", POOL_LIMIT]).fetchall()]
    if len(pool) < config.propose_after:
        return []
    ids, vectors = segment_embeddings(con, model, pool)
    if len(ids) < max(2, config.propose_min_size):
        return []
    offsets = fit_alignment(con, model)[1]  # in the space of the anchors they are compared with
    vectors = apply_offsets(vectors, segment_languages(con, ids), offsets) if offsets else vectors
    clusters = new_theme_clusters(vectors, _anchors(con, model)[2], config)
    if not clusters:
        return []
    return _store_proposals(con, model, config, run_id, ids, vectors, clusters, encode)


def new_theme_clusters(vectors: np.ndarray, anchors: np.ndarray, config: ThemesConfig
                       ) -> list[tuple[np.ndarray, np.ndarray]]:
    """(members, centroid) of each tight cluster among segments no theme took that is a theme of
    its own: ``propose_similarity`` average cosine within, ``propose_min_size`` segments, and its
    centroid further from every known theme's (``anchors``) than ``fringe_similarity``, or it is
    only the fringe of a known theme."""
    labels = AgglomerativeClustering(n_clusters=None, distance_threshold=1 - config.propose_similarity,
                                     metric="cosine", linkage="average").fit_predict(vectors)
    fringe = fringe_similarity(anchors, config)
    clusters = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) < config.propose_min_size:
            continue
        centroid = normalise_rows(vectors[members].mean(axis=0, keepdims=True))[0]
        if len(anchors) and (anchors @ centroid).max() >= fringe:
            continue  # the fringe of a known theme, not a new one
        clusters.append((members, centroid))
    return clusters


def fringe_similarity(anchors: np.ndarray, config: ThemesConfig) -> float:
    """From which cosine to a known theme's centre a cluster of left-over segments is only that
    theme's fringe: ``match_similarity``, or, when the known themes are typically closer to each
    other than that (the median of each one's nearest other), that median. Why: a new subject
    must stand as far from the known themes as they stand from each other. e5 squeezes centres
    together (Chinese food-delivery themes sit at 0.985-0.993 from their nearest, even with
    ``match_similarity`` read on e5's scale, 0.949), so a cluster of 113 hotel reviews at 0.969
    from a food theme was never proposed; MiniLM's themes sit further apart than 0.8 (banking77:
    median 0.78), so for it nothing changes."""
    if len(anchors) < 2:
        return config.match_similarity
    similarity = anchors @ anchors.T
    np.fill_diagonal(similarity, -1.0)
    return max(config.match_similarity, float(np.median(similarity.max(axis=1))))


def _store_proposals(con, model: str, config: ThemesConfig, run_id: str, ids: list[str], vectors: np.ndarray,
                     clusters: list[tuple[np.ndarray, np.ndarray]], encode: Encoder | None) -> list[int]:
    background = [r[0] for r in con.execute(
        "SELECT segment_id FROM segment_themes JOIN segments USING (segment_id) WHERE theme_id IS NOT NULL "
        "ORDER BY hash(segment_id) LIMIT ?",
        [BACKGROUND]).fetchall()]
    member_ids = [ids[i] for members, _ in clusters for i in members]
    topics = np.array([k for k, (members, _) in enumerate(clusters) for _ in members] + [-1] * len(background))
    keywords, labels = describe_themes(theme_documents(con, member_ids + background), topics, len(clusters), config)
    labels = _proposal_labels(con, model, config, member_ids + background, topics, clusters, labels, encode)
    groups = con.execute("SELECT theme_id, centroid FROM themes WHERE level = 1 AND status = 'active' AND model = ? "
                         "ORDER BY theme_id", [model]).fetchall()
    group_centroids = np.array([c for _, c in groups], dtype=np.float32)
    next_id = con.execute("SELECT coalesce(max(theme_id), 0) + 1 FROM themes").fetchall()[0][0]
    theme_rows, segment_rows, new_ids = [], [], []
    for k, (members, centroid) in enumerate(clusters):
        theme_id = next_id + k
        similarity = vectors[members] @ centroid
        parent = groups[int((group_centroids @ centroid).argmax())][0] if groups else None
        theme_rows.append((theme_id, labels[k], [w for w, _ in keywords[k]], parent, list(map(float, centroid)),
                           assign_floor(similarity, config)))
        segment_rows += [(ids[i], theme_id, float(s)) for i, s in zip(members, similarity, strict=True)]
        new_ids.append(theme_id)
    proposals = pa.table({
        "theme_id": pa.array([r[0] for r in theme_rows], pa.int32()),
        "label": [r[1] for r in theme_rows],
        "keywords": pa.array([r[2] for r in theme_rows], pa.list_(pa.string())),
        "parent_id": pa.array([r[3] for r in theme_rows], pa.int32()),
        "centroid": pa.array([r[4] for r in theme_rows], pa.list_(pa.float32())),
        "assign_floor": pa.array([r[5] for r in theme_rows], pa.float64()),
        "detail": [f"proposed from {len(members)} unassigned segments" for members, _ in clusters],
    })
    placed = pa.table({"segment_id": [r[0] for r in segment_rows],
                       "theme_id": pa.array([r[1] for r in segment_rows], pa.int32()),
                       "similarity": [r[2] for r in segment_rows]})
    with registered(con, proposed_themes=proposals, proposed_segments=placed):
        store_proposals(con, run_id, model)
    return new_ids


def _proposal_labels(con, model: str, config: ThemesConfig, segment_ids: list[str], topics: np.ndarray,
                     clusters: list[tuple[np.ndarray, np.ndarray]], keyword_labels: list[str],
                     encode: Encoder | None) -> list[str]:
    """Phrase labels for proposed themes, set apart from the known themes and unlike their labels."""
    texts, phrases, languages = label_inputs(con, segment_ids)
    known = con.execute("SELECT label, centroid FROM themes WHERE status = 'active' AND model = ? "
                        "ORDER BY theme_id", [model]).fetchall()
    others = np.array([c for _, c in known], dtype=np.float32).reshape(len(known), -1) if known else None
    return label_themes(texts, topics, np.array([c for _, c in clusters]), encode, phrases=phrases,
                        languages=languages, others=others,
                        taken=[label for label, _ in known], stop_words=config.stop_words,
                        fallback=keyword_labels, seed=config.seed)


def fit_alignment(con: duckdb.DuckDBPyConnection, model: str) -> tuple[str, dict[str, np.ndarray]]:
    """(how, {language: offset}) the current fit of ``model`` moved its languages by: nightly
    placement and proposals move new vectors the same way, whatever the setting says now (a
    changed setting makes a refit due, ``refit_due``)."""
    fit = current_fit(con, model)
    return load_alignment(Path(fit["path"]) if fit and fit["path"] else None)


def segment_languages(con: duckdb.DuckDBPyConnection, segment_ids: list[str]) -> list[str]:
    """Each segment's language, as ``label_inputs`` reads it (none detected: English)."""
    rows = dict(con.execute("SELECT segment_id, language FROM segments WHERE segment_id IN (SELECT unnest($ids))",
                            {"ids": segment_ids}).fetchall())
    return [rows.get(i) or "en" for i in segment_ids]


__all__ = ["AssignResult", "RefreshResult", "assign_new_segments", "fit_alignment", "new_theme_clusters", "refit_due", "refresh_themes"]
