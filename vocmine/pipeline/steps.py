"""The pipeline's steps, in order: each calls the library for one step and says what it did.

These functions are the only way a step runs: ``vocmine run`` and the nightly flow call them in
order (vocmine.pipeline.run), and each step's own command (``vocmine ingest``, ``enrich``,
``embed``, ``themes update``/``refit``, ``tag``, ``views``, ``publish``, ``report``) calls the
same function with its options, so what a step does is written once.

Every step is incremental and commits its own work in small transactions (a file, a batch),
so running a step again after a crash only does what is left: that is what lets an
interrupted run resume at the step it was in. Models load on first use and are shared by the
steps that need them (the embedding model serves embed, themes, tag and views).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from vocmine.config import Settings
from vocmine.pipeline.context import Outcome, Progress, StepContext, StepFailed

__all__ = ["STEPS", "IngestPlan", "Outcome", "Progress", "StepContext", "StepFailed", "embed", "enrich", "ingest",
           "journey_taxonomy", "may_choose_embedding", "plan_ingest", "publish", "purge_quarantine", "reports", "tag",
           "taxonomy_language_means",
           "themes", "views"]


@dataclass
class IngestPlan:
    """Which files each source loads, and where loaded files go (only inbox files are moved)."""
    jobs: list[tuple[str, list[Path]]]
    archive_to: Path | None


def plan_ingest(settings: Settings, *, source: str | None = None, files: list[Path] | None = None) -> IngestPlan:
    """The named ``files`` (a directory: its files) for ``source``, else the inbox of ``source``
    or of every source. An unknown source is a KeyError naming the configured ones."""
    from vocmine.ingest import archive_folder, expand_paths, inbox_files

    sources = {name: settings.source(name) for name in ([source] if source else sorted(settings.sources))}
    jobs = [(name, expand_paths(files) if files else inbox_files(config, settings.project_dir))
            for name, config in sources.items()]
    return IngestPlan(jobs, None if files else archive_folder(settings.ingest, settings.project_dir))


def purge_quarantine(ctx: StepContext, days: int | None = None) -> int:
    """Empty the raw text of rows quarantined more than ``days`` ago (default: the privacy
    setting); the count of rows emptied."""
    from vocmine.ingest.retention import purge_quarantine_raw

    return purge_quarantine_raw(ctx.con, ctx.settings.privacy.quarantine_raw_days if days is None else days)


def ingest(ctx: StepContext, plan: IngestPlan | None = None) -> Outcome:
    """Every source's inbox (or the files of ``plan``). A file that cannot be read is set aside in
    ``quarantine`` with its reason and the night goes on; files read before unchanged are
    skipped. Raw quarantined rows older than the retention period are purged first, every time.
    ``detail``: one IngestResult per source, in the plan's order."""
    from vocmine.ingest import ingest_files

    plan = plan or plan_ingest(ctx.settings)
    purge_quarantine(ctx)
    totals: dict[str, int] = {"files": 0, "skipped_files": 0, "set_aside_files": 0, "rows_read": 0, "loaded": 0,
                              "updated": 0, "duplicates": 0, "quarantined": 0}
    total = sum(len(paths) for _, paths in plan.jobs)
    done = 0

    def file_done(_: object) -> None:
        nonlocal done
        done += 1
        ctx.on_progress(done, total)

    results = []
    for name, paths in plan.jobs:
        result = ingest_files(ctx.con, paths, name, ctx.settings.source(name), rules=ctx.settings.ingest,
                              archive_to=plan.archive_to, on_file=file_done)
        results.append(result)
        for key, value in result.totals().items():
            totals[key] += value
        totals["files"] += len(result.files) - len(result.skipped)
        totals["skipped_files"] += len(result.skipped)
        totals["set_aside_files"] += len(result.failed)
    return Outcome(totals, results)


def enrich(ctx: StepContext, *, rebuild: bool = False) -> Outcome:
    """Segments, redaction, language, lemmas, phrases and sentiment for feedback not enriched yet
    (``rebuild``: also feedback enriched by an older pipeline version). ``detail``: EnrichResult."""
    from vocmine.nlp.enrich import enrich as enrich_feedback

    result = enrich_feedback(ctx.con, ctx.settings.nlp, rebuild=rebuild, on_batch=ctx.on_progress, runner=ctx.runner)
    return Outcome(result.counts(), result)


def embed(ctx: StepContext) -> Outcome:
    """Vectors for every segment text (and long feedback's whole text) not cached for the store's
    model; ``auto`` may choose the model first (see may_choose_embedding). ``detail``: the choice."""
    choice = ctx.choice(decide=may_choose_embedding(ctx.con, ctx.settings))
    new, long = _embed_all(ctx, choice)
    counts: dict[str, Any] = {"new_texts": new, "long_feedback_texts": long, "model": choice.model}
    if choice.decided:
        counts["model_chosen"] = choice.reason
    if choice.notice:
        counts["notice"] = choice.notice
    return Outcome(counts, choice)


def _embed_all(ctx: StepContext, choice) -> tuple[int, int]:
    """(new segment texts, new long feedback texts) embedded with ``choice``'s model."""
    from vocmine.embed import embed_segments
    from vocmine.embed.cache import embed_long_feedback, encode_batch

    if ctx.runner.remote:  # the workers load the model; this process only stores the vectors
        encode = partial(encode_batch, ctx.settings.embedding.model_copy(update={"backend": choice.backend}))
    else:
        encode = ctx.encode  # loaded for the first new text: a quiet night loads nothing
    new = embed_segments(ctx.con, choice.model, on_batch=ctx.on_progress, runner=ctx.runner, encode=encode)
    # long feedback is placed by its whole text too (themes per feedback, vocmine.themes.cases)
    long = embed_long_feedback(ctx.con, choice.model, ctx.settings.themes.case_min_segments, runner=ctx.runner,
                               encode=encode)
    return new, long


def may_choose_embedding(con: duckdb.DuckDBPyConnection, settings: Settings) -> bool:
    """Whether ``auto`` may choose the embedding model again before embedding: nothing chosen
    yet, no theme fit depends on the recorded model yet, or a refit of the themes is due (it
    re-reads every segment anyway)."""
    from vocmine.embed.choice import recorded_choice
    from vocmine.themes.assign import refit_due

    recorded = recorded_choice(con)
    return recorded is None or refit_due(con, recorded[1], settings.themes)


def themes(ctx: StepContext, *, refit: bool = False) -> Outcome:
    """Place new segments in known themes and propose themes for what fits none, or refit when due
    (``refit``: now, and ``auto`` may switch models first); then flag emerging themes and rewrite
    themes per feedback. ``detail``: (RefreshResult, FeedbackThemesResult)."""
    from vocmine.embed.scale import on_scale
    from vocmine.themes.assign import RefreshResult, refresh_themes
    from vocmine.themes.cases import refresh_feedback_themes
    from vocmine.themes.emerging import flag_emerging
    from vocmine.themes.registry import prune_orphan_fits, refit_themes

    s = ctx.settings
    fits_dir = s.resolve(s.themes.fits_dir)
    choice = ctx.choice(decide=refit)  # a refit is when auto may switch models
    if refit and choice.decided:  # every segment is embedded with the new model before the refit
        _embed_all(ctx, choice)
    config = on_scale(s.themes, ctx.cosine_scale())  # the cosine thresholds as the store's model reads them
    if refit:
        result = RefreshResult(pruned=prune_orphan_fits(ctx.con, fits_dir))
        result.refit = refit_themes(ctx.con, choice.model, config, fits_dir, ctx.encode, on_phase=ctx.on_phase,
                                    taxonomy_means=partial(taxonomy_language_means, ctx))
        result.emerging = flag_emerging(ctx.con, choice.model, config, result.refit.run_id)
    else:
        result = refresh_themes(ctx.con, choice.model, config, fits_dir, runner=ctx.runner,
                                encode=ctx.encode,  # loaded only to label themes
                                on_phase=ctx.on_phase, taxonomy_means=partial(taxonomy_language_means, ctx))
    run_id = result.refit.run_id if result.refit else result.assigned.run_id
    cases = refresh_feedback_themes(ctx.con, choice.model, config, run_id, refit=result.refit is not None)
    counts = _theme_counts(result, cases)
    if config != s.themes:  # the run log says what the thresholds were on this model's scale
        counts["cosine_thresholds"] = {name: round(getattr(config, name), 3) for name in type(config).COSINES
                                       if getattr(config, name) is not None}
    return Outcome(counts, (result, cases))


def taxonomy_language_means(ctx: StepContext):
    """The journey taxonomy's mean vector per language in the store's model, for
    ``themes.align_languages = "partial"`` (vocmine.themes.languages): per stage and touchpoint,
    English is its description and examples, another language its examples in that language.
    The phrases' vectors are kept in vocmine's cache folder, as the journey tagger keeps them."""
    from vocmine.embed.phrases import phrase_vectors
    from vocmine.text.cache import cache_folder
    from vocmine.themes.languages import taxonomy_language_means as means
    from vocmine.themes.languages import taxonomy_phrases

    backend = ctx.backend()
    return means(taxonomy_phrases(journey_taxonomy(ctx)),
                 lambda texts: phrase_vectors(backend, texts, cache_folder() / "phrases"))


def _theme_counts(result, cases) -> dict[str, Any]:
    counts: dict[str, Any] = {"emerging": len(result.emerging), "feedback_themed": cases.refreshed,
                              "kinds_of_case": cases.kinds_of_case}
    if result.pruned:
        counts["leftover_fits_removed"] = len(result.pruned)
    if result.refit:
        counts |= {"refit": True, "segments": result.refit.segments, "themes": result.refit.themes,
                   "new_themes": result.refit.created}
    if result.assigned:
        a = result.assigned
        counts |= {"refit": False, "segments": a.new_segments, "new_segments": a.new_segments, "assigned": a.assigned,
                   "unassigned": a.unassigned, "new_themes": len(a.proposed)}
    return counts


def journey_taxonomy(ctx: StepContext):
    """The configured journey taxonomy, read once per context; a ValueError names the file and
    what is wrong with it."""
    if "taxonomy" not in ctx.models:
        from vocmine.journey.taxonomy import load_taxonomy

        ctx.models["taxonomy"] = load_taxonomy(ctx.settings.taxonomy_path)
    return ctx.models["taxonomy"]


def tag(ctx: StepContext, *, rebuild: bool = False) -> Outcome:
    """A journey stage and a touchpoint for segments not tagged yet (``rebuild``: every segment,
    after the taxonomy or the thresholds changed). ``detail``: TagResult."""
    from vocmine.journey.store import tag_segments
    from vocmine.journey.tagging import LazyTagger, load_tagger

    settings = ctx.settings
    if "tagger" not in ctx.models:
        taxonomy = journey_taxonomy(ctx)
        ctx.models["tagger"] = LazyTagger(taxonomy, settings.journey, lambda: load_tagger(
            taxonomy, settings.nlp, ctx.backend(), settings.journey))
    result = tag_segments(ctx.con, ctx.models["tagger"], rebuild=rebuild, on_batch=ctx.on_progress)
    return Outcome({"segments": result.segments, "taxonomy_version": result.taxonomy_version, "stale": result.stale,
                    "set_aside": len(result.set_aside)}, result)


def views(ctx: StepContext) -> Outcome:
    """The analyst views' settings refreshed from the config (outcomes, priority weights, lost
    customers, teams, assumed priorities matched to themes by meaning). ``detail``: the analytics
    refresh result.

    The views themselves are not made here: every caller holds a store opened by
    ``pipeline.working_store``, which (re)created them before the first step (the themes step's
    emerging check reads ``theme_weekly``), and nothing in a run changes their SQL, so making
    them again here would only replace them with the same (once per run, not twice)."""
    from vocmine.analytics import refresh_analysis
    from vocmine.embed.scale import on_scale

    s = ctx.settings
    assumptions = on_scale(s.assumptions, ctx.cosine_scale()) if s.assumptions.priorities else s.assumptions
    result = refresh_analysis(ctx.con, outcomes=s.outcomes, priorities=s.priorities, lost_customers=s.lost_customers,
                              assumptions=assumptions, teams=s.teams,
                              backend=ctx.backend() if s.assumptions.priorities else None)
    return Outcome({"outcomes": result.outcomes, "teams": len(s.teams),
                    "assumptions_matched": result.assumptions_matched}, result)


def publish(ctx: StepContext, *, parquet: bool = True) -> Outcome:
    """The analysts' read-only copy (and Parquet snapshots), swapped in whole. ``detail``: Publication."""
    from vocmine.store.publish import publish as publish_store

    s = ctx.settings
    result = publish_store(ctx.con, s.resolve(s.publish_dir), parquet=parquet, public_metadata=s.public_metadata(),
                           customer_key=s.privacy.customer_key_bytes(), storage_version=s.publish.storage_version)
    return Outcome({"database": str(result.database), "tables": len(result.tables), "views": len(result.views)},
                   result)


def reports(ctx: StepContext, *, teams: list[str] | None = None, period: str | None = None,
            formats: list[str] | None = None, out: Path | None = None, as_of: date | None = None,
            on_report: Callable[[str, Any, list[Path]], None] | None = None) -> Outcome:
    """Team reports into ``out`` (default: the config's reports_dir). Without ``teams``, what the
    run writes: every configured team when ``[pipeline] reports`` is on, in the configured
    period and formats. ``on_report(team, report, files)`` hears of each team as it is written.
    ``detail``: (team, TeamReport, files written) per team."""
    from vocmine.report.data import team_report
    from vocmine.report.write import write_report

    s = ctx.settings
    if teams is None:
        if not (s.pipeline.reports and s.teams):
            return Outcome({"reports": 0}, [])
        teams = sorted(s.teams)
    folder = out or s.resolve(s.reports_dir)
    written = []
    for name in teams:
        report = team_report(ctx.con, name, s.teams[name], period=period or s.pipeline.report_period, as_of=as_of)
        written.append((name, report, write_report(report, folder, formats or s.pipeline.report_formats)))
        if on_report is not None:
            on_report(*written[-1])
    return Outcome({"reports": len(teams), "files": sum(len(paths) for _, _, paths in written), "folder": str(folder)},
                   written)


STEPS: dict[str, Callable[[StepContext], dict[str, Any]]] = {
    "ingest": ingest, "enrich": enrich, "embed": embed, "themes": themes, "tag": tag,
    "views": views, "publish": publish, "reports": reports,
}
