"""The theme registry: a refit that keeps the IDs analysts know.

``refit_themes`` discovers themes on the embedded segments (a sample of them past
``fit_sample``), pairs them one to one with the
themes of the same embedding model (:mod:`vocmine.themes.matching`), keeps matched IDs (and
analysts' labels), gives new IDs to new themes, retires themes nothing matched, records each
of these in ``theme_events``, re-assigns every segment, and saves the fit.

Analysts' merges survive because a merged theme keeps its own row and centroid (status
``merged``): a refit topic that matches it is filed under the theme it was merged into.
Lineage beyond one-to-one matching is read off the segments: a new theme mostly made of one
kept theme's segments was split from it; a retired theme whose segments mostly went to one
theme was absorbed by it (``merged`` event, ``merged_into`` set, status ``retired``).
Theme groups (level 1) are matched the same way, so a theme's ``parent_id`` is stable too.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from vocmine.config.themes import ThemesConfig
from vocmine.embed.cache import segment_embeddings
from vocmine.store.runs import finish_run, start_run
from vocmine.store.tx import registered, transaction
from vocmine.themes.discover import OUTLIER, fit_on_sample
from vocmine.themes.groups import centroids_of_groups, group_keywords, group_label, said_across
from vocmine.themes.label_words import distinct_labels
from vocmine.themes.labels import Encoder, label_themes
from vocmine.themes.languages import apply_offsets, language_offsets
from vocmine.themes.matching import match_themes
from vocmine.themes.persist import save_alignment, save_fit
from vocmine.themes.store import forget_changed_segments, store_refit

LINEAGE_SHARE = 0.5  # share of a theme's segments that makes a split or an absorption


@dataclass
class Event:
    event: str
    theme_id: int
    other_id: int | None = None
    detail: str | None = None


@dataclass
class RefitResult:
    run_id: str
    segments: int = 0  # fitted
    themes: int = 0
    groups: int = 0
    kept: int = 0
    created: int = 0
    retired: int = 0
    outlier_share: float = 0.0
    changed: int = 0  # segments whose text enrichment changed: their old theme is not kept
    events: list[Event] = field(default_factory=list)


@dataclass
class _Identity:
    rows: list[int]  # theme row per fitted topic (matched or new)
    themes: list[int]  # the theme each topic's segments count for (a merged row resolves)
    created: list[int]  # rows new in this fit
    retired: list[int]  # active themes with no matched row of their own or of a merged one
    retired_lobes: list[int] = field(default_factory=list)  # unmatched rows merged into those


# (done, total, what is being done now): the phases of a theme step, for progress lines
Phase = Callable[[int, int, str], None]
# the journey taxonomy's mean vector per language in the store's model (themes.languages), made on
# first need: a refit with align_languages = "partial" asks for it, nothing else does
TaxonomyMeans = Callable[[], Mapping[str, np.ndarray]]
REFIT_PHASES = 4


def refit_themes(
    con: duckdb.DuckDBPyConnection, model: str, config: ThemesConfig, fits_dir: Path | None = None,
    encode: Encoder | None = None, on_phase: Phase | None = None, taxonomy_means: TaxonomyMeans | None = None,
) -> RefitResult:
    """``encode``: the embedding backend of ``model`` (its ``encode``), which ranks label
    phrases by meaning; without it labels are ranked by their words alone. ``on_phase(done,
    total, what)`` hears of each of the refit's REFIT_PHASES as it begins (the fit itself
    reports nothing for most of a minute). ``taxonomy_means``: needed by
    ``config.align_languages = "partial"``; the languages are moved before the fit, and the
    offsets kept with the fit (``languages.json``) for nightly placement."""
    phase = on_phase or (lambda done, total, what: None)
    phase(0, REFIT_PHASES, "loading segment vectors")
    ids, vectors = themed_embeddings(con, model)
    if not ids:
        raise ValueError(f"no segments embedded with {model}: run `vocmine embed` first")
    # the run starts before the fit, so its logged time is the fit's (not only the storing's)
    result = RefitResult(run_id=start_run(con, "themes"), segments=len(ids))
    folder = fits_dir / result.run_id if fits_dir is not None else None
    try:
        with transaction(con):  # a changed segment's old theme is not kept by the refit (_keep_previous)
            result.changed = forget_changed_segments(con)
        phase(1, REFIT_PHASES, f"fitting themes on {len(ids):,} segments")
        inputs = label_inputs(con, ids, every=True)
        means = taxonomy_means() if config.align_languages == "partial" and taxonomy_means is not None else None
        offsets = language_offsets(vectors, inputs[2], config.align_languages, means)
        vectors = apply_offsets(vectors, inputs[2], offsets)  # centroids, floors and kept themes in one space
        # one point per phrasing (the segments' texts): a template's copies are one way of saying it
        fit = fit_on_sample(vectors, theme_documents(con, ids, every=True), config, phrasings=inputs[0])
        phase(2, REFIT_PHASES, f"labelling {len(fit.centroids):,} themes")
        fit, group_labels = _phrase_labels(con, model, inputs, fit, config, encode)
        result.outlier_share = fit.outlier_share
        phase(3, REFIT_PHASES, "storing themes")
        if folder is not None:
            save_alignment(folder, config.align_languages, offsets)
        _store_refit(con, model, config, folder, ids, vectors, fit, group_labels, result)
    except BaseException as exc:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)  # a fit the database does not know is clutter
        finish_run(con, result.run_id, counts={"model": model}, error=repr(exc))
        raise
    if folder is not None:
        prune_fits(con, model, config.keep_fits)
    finish_run(con, result.run_id, counts={"model": model, "themes": result.themes, "groups": result.groups,
                                           "kept": result.kept, "created": result.created,
                                           "retired": result.retired,
                                           "outlier_share": round(result.outlier_share, 4),
                                           "changed_segments": result.changed})
    return result


def _store_refit(con, model: str, config: ThemesConfig, folder: Path | None, ids: list[str], vectors: np.ndarray,
                 fit, group_labels: list[str], result: RefitResult) -> None:
    """Identify, assign, record lineage, save the fit and store it all in one transaction."""
    next_id = con.execute("SELECT coalesce(max(theme_id), 0) + 1 FROM themes").fetchall()[0][0]
    group_centroids = centroids_of_groups(fit)
    groups, next_id = _identify(con, model, 1, group_centroids, config, next_id, result.events)
    themes, _ = _identify(con, model, 2, fit.centroids, config, next_id, result.events)
    previous = dict(con.execute("SELECT segment_id, theme_id FROM segment_themes").fetchall())
    assigned, similarity = _keep_previous(ids, vectors, previous, fit, themes, config)
    absorbed = _lineage(ids, previous, assigned, themes, result.events)
    floors = [assign_floor(fit.similarity[fit.assignments == t], config) for t in range(len(fit.centroids))]
    rows = _theme_rows(fit, themes.rows, groups.themes, group_centroids, group_labels, floors)
    segments = pa.table({
        "segment_id": ids,
        "theme_id": pa.array(assigned, pa.int32()),
        "similarity": pa.array(similarity.astype(np.float64)),
    })
    gone = groups.retired + themes.retired
    retired = pa.table({"theme_id": pa.array(gone + themes.retired_lobes, pa.int32()),
                        "absorbed_into": pa.array([absorbed.get(t) for t in gone] + [None] * len(themes.retired_lobes),
                                                  pa.int32())})
    events = pa.table({"event": [e.event for e in result.events],
                       "theme_id": pa.array([e.theme_id for e in result.events], pa.int32()),
                       "other_id": pa.array([e.other_id for e in result.events], pa.int32()),
                       "detail": pa.array([e.detail for e in result.events], pa.string())})
    if folder is not None:
        save_fit(fit, folder, model)
    with registered(con, refit_themes=pa.table(rows), refit_events=events, refit_segments=segments,
                    refit_retired=retired), transaction(con):
        store_refit(con, result.run_id, model)
        con.execute("INSERT INTO theme_fits VALUES (?, ?, ?, now()::TIMESTAMP, ?, ?, false)",
                    [result.run_id, model, str(folder) if folder else None, len(ids), len(themes.rows)])
    result.themes, result.groups = len(set(themes.themes)), len(groups.rows)
    result.created, result.retired = len(themes.created), len(themes.retired)
    result.kept = result.themes - result.created


def themed_embeddings(con: duckdb.DuckDBPyConnection, model: str,
                      segment_ids: list[str] | None = None) -> tuple[list[str], np.ndarray]:
    """``segment_embeddings`` without the boilerplate segments (``segment_boilerplate``, written by
    enrichment): the one place themes read segments, so greetings, sign-offs and letter formulas
    are never fitted, placed or proposed, and so never reach priorities, drivers or quotes."""
    ids, vectors = segment_embeddings(con, model, segment_ids)
    if not ids:
        return ids, vectors
    boilerplate = {r[0] for r in con.execute("SELECT segment_id FROM segment_boilerplate").fetchall()}
    keep = [i for i, segment in enumerate(ids) if segment not in boilerplate]
    if len(keep) == len(ids):
        return ids, vectors
    return [ids[i] for i in keep], vectors[keep]


def _phrase_labels(con, model: str, inputs: tuple[list[str], list[list[str]], list[str]], fit,
                   config: ThemesConfig, encode: Encoder | None) -> tuple[object, list[str]]:
    """The fit with phrase labels for its themes, and labels for its groups (level 1); ``inputs``
    are the fitted segments' ``label_inputs``.

    Analysts' names of themes that stay are taken, so no generated label repeats one; a group's
    label neither repeats nor contains a theme's label."""
    texts, phrases, languages = inputs
    taken = [r[0] for r in con.execute("SELECT label FROM themes WHERE custom_label AND model = ? "
                                       "AND status IN ('active', 'merged')", [model]).fetchall()]
    common = {"phrases": phrases, "languages": languages, "similarity": fit.similarity,
              "stop_words": config.stop_words, "seed": config.seed}
    labels = label_themes(texts, fit.assignments, fit.centroids, encode, taken=taken, fallback=fit.labels, **common)
    groups = np.where(fit.assignments == OUTLIER, OUTLIER, fit.groups[np.maximum(fit.assignments, 0)])
    fallback = [group_label(fit, g) for g in range(int(fit.groups.max()) + 1)]
    # a group is not named after one of its themes (nor a phrase around one): its themes' words
    # say more of it than one theme's phrase
    group_labels = label_themes(texts, groups, centroids_of_groups(fit), encode, taken=taken + labels,
                                avoid=labels, fallback=fallback, **common)
    across = said_across(group_labels, texts, fit.assignments, fit.groups)
    group_labels = [label if across[g] else fallback[g] for g, label in enumerate(group_labels)]
    return replace(fit, labels=labels), distinct_labels(group_labels, taken + labels)


def label_inputs(con: duckdb.DuckDBPyConnection, segment_ids: list[str],
                 every: bool = False) -> tuple[list[str], list[list[str]], list[str]]:
    """What labels are made of for each segment: its (redacted) text, its key phrases and its
    language (a theme is labelled in each language it holds, from that language's members)."""
    query = "SELECT segment_id, text, key_phrases, language FROM segments"
    if every:
        rows = {r[0]: r[1:] for r in con.execute(query).fetchall()}
    else:
        rows = {r[0]: r[1:] for r in con.execute(query + " WHERE segment_id IN (SELECT unnest($ids))",
                                                 {"ids": segment_ids}).fetchall()}
    return ([rows[i][0] for i in segment_ids], [rows[i][1] for i in segment_ids],
            [rows[i][2] or "en" for i in segment_ids])


def theme_documents(con: duckdb.DuckDBPyConnection, segment_ids: list[str], every: bool = False) -> list[str]:
    """What c-TF-IDF reads for each segment: its lemmas and key phrases. ``every``: the ids are
    (nearly) all segments, so reading the table beats passing the ids."""
    query = "SELECT segment_id, lemmas || ' ' || array_to_string(key_phrases, ' ') FROM segments"
    if every:
        rows = dict(con.execute(query).fetchall())
    else:
        rows = dict(con.execute(query + " WHERE segment_id IN (SELECT unnest($ids))", {"ids": segment_ids}).fetchall())
    return [rows[i] for i in segment_ids]


def assign_floor(member_similarity: np.ndarray, config: ThemesConfig) -> float:
    """Nightly, a new segment joins a theme only if it is as close as most of its members.

    A fixed floor lets a genuinely new subject (an app update breaking eSIM transfers) hide in
    its nearest theme; the theme's own spread (a low percentile of its members' similarity)
    tells a typical member from a stranger. Never below the global similarity floor.
    """
    if len(member_similarity) == 0:
        return config.similarity_floor
    return max(config.similarity_floor, float(np.percentile(member_similarity, config.novelty_percentile)))


def _identify(con, model: str, level: int, centroids: np.ndarray, config: ThemesConfig, next_id: int,
              events: list[Event]) -> tuple[_Identity, int]:
    """Rows and themes for this refit's topics (or groups): matched rows kept, new ones created."""
    known = con.execute(
        "SELECT theme_id, centroid, status, merged_into FROM themes "
        "WHERE status IN ('active', 'merged') AND level = ? AND model = ? ORDER BY theme_id",
        [level, model]).fetchall()
    known_centroids = np.array([c for _, c, _, _ in known], dtype=np.float32).reshape(len(known), centroids.shape[1])
    matching = match_themes([t for t, *_ in known], known_centroids, centroids, config.match_similarity)
    survivor = {t: (into if status == "merged" else t) for t, _, status, into in known}
    rows, themes, created = [], [], []
    for index in range(len(centroids)):
        if index in matching.pairs:
            row = matching.pairs[index]
            events.append(Event("kept", row, None if survivor[row] == row else survivor[row],
                                f"cosine {matching.similarity[index]:.2f}"))
        else:
            row = next_id
            next_id += 1
            created.append(row)
            events.append(Event("created", row))
        rows.append(row)
        themes.append(survivor.get(row, row))
    alive = set(themes)
    retired = [t for t, _, status, _ in known if status == "active" and t not in alive]
    events += [Event("retired", t) for t in retired]
    # a merged row whose theme is gone goes too, or a later fit could file segments under it
    lobes = [t for t, _, status, into in known if status == "merged" and into in retired and t not in rows]
    return _Identity(rows, themes, created, retired, lobes), next_id


def _keep_previous(ids: list[str], vectors: np.ndarray, previous: dict[str, int | None], fit,
                   themes: _Identity, config: ThemesConfig) -> tuple[list[int | None], np.ndarray]:
    """Each segment's theme after the refit: its earlier theme if that is still about as close.

    A new fit on slightly more data moves the borders between neighbouring themes; without
    this, a quarter of the segments can change theme at a refit although nothing about them
    changed. A segment moves only when its new theme is closer than its old one by
    ``refit_keep_margin`` (cosine), or its old theme is gone.
    """
    assigned = [themes.themes[t] if t != OUTLIER else None for t in fit.assignments]
    similarity = fit.similarity.astype(np.float64)
    topics_of: dict[int, list[int]] = {}
    for topic, theme in enumerate(themes.themes):
        topics_of.setdefault(theme, []).append(topic)
    moved = [i for i, segment in enumerate(ids)
             if previous.get(segment) is not None and previous[segment] != assigned[i]
             and previous[segment] in topics_of]
    to_topics = vectors[moved] @ fit.centroids.T if moved else np.zeros((0, 0))
    for row, i in enumerate(moved):
        before = previous[ids[i]]
        own = float(to_topics[row, topics_of[before]].max())
        if own >= config.similarity_floor and (assigned[i] is None or own >= similarity[i] - config.refit_keep_margin):
            assigned[i], similarity[i] = before, own
    return assigned, similarity


def _lineage(ids: list[str], previous: dict[str, int | None], assigned: list[int | None],
             themes: _Identity, events: list[Event]) -> dict[int, int]:
    """Split and absorption events from where segments were before and where they are now."""
    came_from: dict[int, Counter] = {}
    went_to: dict[int, Counter] = {}
    for segment, now in zip(ids, assigned, strict=True):
        before = previous.get(segment)
        if now is not None:
            came_from.setdefault(now, Counter())[before] += 1
        if before is not None:
            went_to.setdefault(before, Counter())[now] += 1
    kept = set(themes.themes) - set(themes.created)
    for theme in themes.created:
        origin, share = _main_share(came_from.get(theme))
        if origin in kept and share >= LINEAGE_SHARE:
            events.append(Event("split", theme, origin, f"{share:.0%} of its segments were in theme {origin}"))
    absorbed = {}
    for theme in themes.retired:
        target, share = _main_share(went_to.get(theme))
        if target is not None and share >= LINEAGE_SHARE:
            absorbed[theme] = target
            events.append(Event("merged", theme, target, f"absorbed at refit: {share:.0%} of its segments"))
    return absorbed


def _main_share(counts: Counter | None) -> tuple[int | None, float]:
    if not counts:
        return None, 0.0
    value, count = counts.most_common(1)[0]
    return value, count / sum(counts.values())


def _theme_rows(fit, theme_rows: list[int], group_ids: list[int], group_centroids: np.ndarray,
                group_labels: list[str], floors: list[float]) -> dict[str, pa.Array]:
    groups = [(gid, group_labels[g], group_centroids[g], None, 1, None) for g, gid in enumerate(group_ids)]
    themes = [(row, fit.labels[t], fit.centroids[t], group_ids[int(fit.groups[t])], 2, floors[t])
              for t, row in enumerate(theme_rows)]
    keywords = [[w for w, _ in words[:10]] for words in
                [group_keywords(fit, g) for g in range(len(group_ids))] + fit.keywords]
    everything = groups + themes
    return {
        "theme_id": pa.array([r[0] for r in everything], pa.int32()),
        "label": [r[1] for r in everything],
        "keywords": pa.array(keywords, pa.list_(pa.string())),
        "centroid": pa.array([list(map(float, r[2])) for r in everything], pa.list_(pa.float32())),
        "parent_id": pa.array([r[3] for r in everything], pa.int32()),
        "level": pa.array([r[4] for r in everything], pa.int32()),
        "assign_floor": pa.array([r[5] for r in everything], pa.float64()),
    }


def current_fit(con: duckdb.DuckDBPyConnection, model: str) -> dict[str, object] | None:
    """The newest fit of this embedding model: its run, folder and when it was made."""
    rows = con.execute("SELECT run_id, path, saved_at FROM theme_fits WHERE model = ? "
                       "ORDER BY saved_at DESC, run_id DESC LIMIT 1", [model]).fetchall()
    return dict(zip(("run_id", "path", "saved_at"), rows[0], strict=True)) if rows else None


def prune_fits(con: duckdb.DuckDBPyConnection, model: str, keep: int) -> list[str]:
    """Delete saved fit folders beyond the newest ``keep``; the database keeps their record."""
    old = con.execute(
        "SELECT run_id, path FROM theme_fits WHERE model = ? AND path IS NOT NULL AND NOT pruned "
        "ORDER BY saved_at DESC, run_id DESC OFFSET ?", [model, keep]).fetchall()
    for run_id, path in old:
        shutil.rmtree(path, ignore_errors=True)
        con.execute("UPDATE theme_fits SET pruned = true WHERE run_id = ?", [run_id])
    return [path for _, path in old]


def prune_orphan_fits(con: duckdb.DuckDBPyConnection, fits_dir: Path) -> list[Path]:
    """Delete fit folders the database does not know: a refit killed after saving its folder and
    before committing leaves one, which ``prune_fits`` (reading ``theme_fits``) never sees.
    Only folders named like a theme run (``themes-20261123T020000-3fa9c1``) are touched."""
    if not fits_dir.is_dir():
        return []
    known = {r[0] for r in con.execute("SELECT run_id FROM theme_fits").fetchall()}
    orphans = [p for p in fits_dir.iterdir() if p.is_dir() and _FIT_FOLDER.fullmatch(p.name) and p.name not in known]
    for folder in orphans:
        shutil.rmtree(folder, ignore_errors=True)
    return orphans


_FIT_FOLDER = re.compile(r"themes-\d{8}T\d{6}-[0-9a-f]{6}")

__all__ = ["RefitResult", "TaxonomyMeans", "assign_floor", "current_fit", "label_inputs", "prune_fits",
           "prune_orphan_fits", "refit_themes", "theme_documents", "themed_embeddings"]
