"""The theme registry: a refit that keeps the IDs analysts know.

``refit_themes`` discovers themes on every embedded segment, pairs them one to one with the
active themes of the same embedding model (:mod:`vocmine.themes.matching`), keeps matched
IDs (and analysts' labels), gives new IDs to new themes, retires themes nothing matched,
records each of these in ``theme_events``, re-assigns every segment, and saves the fit.
Theme groups (level 1) are matched the same way, so a theme's ``parent_id`` is stable too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from vocmine.config import ThemesConfig
from vocmine.embed.backends import normalise_rows
from vocmine.embed.cache import segment_embeddings
from vocmine.store.runs import finish_run, start_run
from vocmine.store.sqlfiles import run_sql
from vocmine.store.tx import as_dicts, registered, transaction
from vocmine.themes.discover import OUTLIER, discover_themes
from vocmine.themes.matching import match_themes
from vocmine.themes.persist import save_fit


@dataclass
class RefitResult:
    run_id: str
    themes: int = 0
    groups: int = 0
    kept: int = 0
    created: int = 0
    retired: int = 0
    outlier_share: float = 0.0
    events: list[tuple[str, int]] = field(default_factory=list)


def refit_themes(
    con: duckdb.DuckDBPyConnection, model: str, config: ThemesConfig, fits_dir: Path | None = None
) -> RefitResult:
    ids, vectors = segment_embeddings(con, model)
    if not ids:
        raise ValueError(f"no segments embedded with {model}: run `vocmine embed` first")
    lemmas = dict(con.execute(
        "SELECT segment_id, lemmas || ' ' || array_to_string(key_phrases, ' ') FROM segments").fetchall())
    fit = discover_themes(vectors, [lemmas[i] for i in ids], config)
    result = RefitResult(run_id=start_run(con, "themes"), outlier_share=fit.outlier_share)
    next_id = con.execute("SELECT coalesce(max(theme_id), 0) + 1 FROM themes").fetchone()[0]
    group_centroids = normalise_rows(np.array([fit.centroids[fit.groups == g].mean(axis=0)
                                           for g in range(int(fit.groups.max()) + 1)]))
    group_ids, next_id = _identify(con, model, 1, group_centroids, config, next_id, result)
    theme_ids, _ = _identify(con, model, 2, fit.centroids, config, next_id, result)
    rows = _theme_rows(fit, theme_ids, group_ids, group_centroids, model, result.run_id)
    segments = pa.table({
        "segment_id": ids,
        "theme_id": pa.array([theme_ids[t] if t != OUTLIER else None for t in fit.assignments], pa.int32()),
        "similarity": pa.array(fit.similarity.astype(np.float64)),
    })
    events = pa.table({"event": [e for e, _ in result.events],
                       "theme_id": pa.array([t for _, t in result.events], pa.int32())})
    with registered(con, refit_themes=pa.table(rows), refit_events=events, refit_segments=segments), \
            transaction(con):
        run_sql(con, "vocmine.themes", "themes_store.sql", {"run_id": result.run_id, "model": model})
    if fits_dir is not None:
        save_fit(fit, fits_dir / result.run_id, model)
    result.themes, result.groups = len(theme_ids), len(group_ids)
    finish_run(con, result.run_id, counts={"themes": result.themes, "groups": result.groups, "kept": result.kept,
                                           "created": result.created, "retired": result.retired,
                                           "outlier_share": round(result.outlier_share, 4)})
    return result


def _identify(con, model: str, level: int, centroids: np.ndarray, config: ThemesConfig, next_id: int,
              result: RefitResult) -> tuple[list[int], int]:
    """IDs for this refit's themes (or groups): kept where matched, new otherwise."""
    known = con.execute("SELECT theme_id, centroid FROM themes WHERE status = 'active' AND level = ? AND model = ? "
                        "ORDER BY theme_id", [level, model]).fetchall()
    known_ids = [t for t, _ in known]
    known_centroids = np.array([c for _, c in known], dtype=np.float32).reshape(len(known), centroids.shape[1])
    matching = match_themes(known_ids, known_centroids, centroids, config.match_similarity)
    ids = []
    for index in range(len(centroids)):
        if index in matching.pairs:
            ids.append(matching.pairs[index])
            result.events.append(("kept", matching.pairs[index]))
        else:
            ids.append(next_id)
            result.events.append(("created", next_id))
            next_id += 1
    result.events += [("retired", t) for t in matching.gone]
    if level == 2:
        result.kept, result.created, result.retired = len(matching.pairs), len(matching.new), len(matching.gone)
    return ids, next_id


def _theme_rows(fit, theme_ids: list[int], group_ids: list[int], group_centroids: np.ndarray,
                model: str, run_id: str) -> dict[str, pa.Array]:
    groups = [(gid, _group_label(fit, g), group_centroids[g], None, 1) for g, gid in enumerate(group_ids)]
    themes = [(tid, fit.labels[t], fit.centroids[t], group_ids[int(fit.groups[t])], 2)
              for t, tid in enumerate(theme_ids)]
    keywords = [[w for w, _ in words[:10]] for words in
                [_group_keywords(fit, g) for g in range(len(group_ids))] + fit.keywords]
    everything = groups + themes
    return {
        "theme_id": pa.array([r[0] for r in everything], pa.int32()),
        "label": [r[1] for r in everything],
        "keywords": pa.array(keywords, pa.list_(pa.string())),
        "centroid": pa.array([list(map(float, r[2])) for r in everything], pa.list_(pa.float32())),
        "parent_id": pa.array([r[3] for r in everything], pa.int32()),
        "level": pa.array([r[4] for r in everything], pa.int32()),
    }


def _group_keywords(fit, group: int) -> list[tuple[str, float]]:
    scores: dict[str, float] = {}
    for t in np.flatnonzero(fit.groups == group):
        for word, score in fit.keywords[t]:
            scores[word] = scores.get(word, 0.0) + score
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def _group_label(fit, group: int) -> str:
    return " · ".join(w for w, _ in _group_keywords(fit, group)[:3]) or f"group {group}"


def rename_theme(con: duckdb.DuckDBPyConnection, theme_id: int, label: str) -> None:
    """An analyst's name for a theme; later refits keep it while the theme is matched."""
    if not label.strip():
        raise ValueError("a theme label cannot be empty")
    updated = con.execute("UPDATE themes SET label = ?, custom_label = true WHERE theme_id = ? RETURNING theme_id",
                          [label.strip(), theme_id]).fetchall()
    if not updated:
        raise KeyError(f"no theme {theme_id}")
    con.execute("INSERT INTO theme_events VALUES ('curation', now()::TIMESTAMP, 'renamed', ?, NULL, ?)",
                [theme_id, label.strip()])


def list_themes(con: duckdb.DuckDBPyConnection, include_groups: bool = False) -> list[dict[str, object]]:
    return as_dicts(con.execute(
        "SELECT theme_id, level, parent_id, label, size, status, first_seen, last_seen, keywords FROM themes "
        "WHERE status = 'active' AND (level = 2 OR ?) ORDER BY size DESC, theme_id", [include_groups]))


__all__ = ["RefitResult", "list_themes", "refit_themes", "rename_theme"]
