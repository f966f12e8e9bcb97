"""The pipeline's steps, in order: each calls one library function and says what it did.

Every step is incremental and commits its own work in small transactions (a file, a batch),
so running a step again after a crash only does what is left: that is what lets an
interrupted run resume at the step it was in. Models load on first use and are shared by the
steps that need them (the embedding model serves embed, themes, tag and views).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import duckdb

from vocmine.config import Settings
from vocmine.parallel import IN_PROCESS, BatchRunner

Progress = Callable[[int, int], None]


class StepFailed(RuntimeError):
    """A step could not do its work; the message says what to fix."""


@dataclass
class StepContext:
    con: duckdb.DuckDBPyConnection
    settings: Settings
    on_progress: Progress = lambda done, total: None
    on_phase: Callable[[int, int, str], None] = lambda done, total, what: None  # steps counted in phases
    models: dict[str, Any] = field(default_factory=dict)
    runner: BatchRunner = IN_PROCESS  # where enrich, embed and theme assignment compute their batches

    def choice(self, *, decide: bool = False):
        """The store's embedding model (``auto`` resolved and recorded, see vocmine.embed.choice):
        the embed step decides it, the later steps of the run use the same."""
        if "choice" not in self.models or decide:
            from vocmine.embed.choice import resolve_backend

            self.models["choice"] = resolve_backend(self.con, self.settings.embedding, decide=decide)
            if self.models.get("backend") is not None and self.models["backend"].name != self.models["choice"].model:
                del self.models["backend"]
        return self.models["choice"]

    def backend(self):
        if "backend" not in self.models:
            from vocmine.embed import load_backend
            from vocmine.parallel import ModelUnavailable

            backend = self.choice().backend
            try:
                self.models["backend"] = load_backend(backend, threads=self.settings.embedding.threads)
            except Exception as exc:  # no text's fault: the step fails, nothing is set aside (vocmine.parallel)
                raise ModelUnavailable(f"embedding.backend {backend!r} does not load: {exc}") from exc
        return self.models["backend"]


def ingest(ctx: StepContext) -> dict[str, Any]:
    """Every source's inbox. A file that cannot be read is set aside in ``quarantine`` with its
    reason and the night goes on; files read before unchanged are skipped. Raw quarantined rows
    older than the retention period are purged first, every night."""
    from vocmine.ingest import archive_folder, inbox_files, ingest_files
    from vocmine.ingest.retention import purge_quarantine_raw

    purge_quarantine_raw(ctx.con, ctx.settings.privacy.quarantine_raw_days)

    totals: dict[str, int] = {"files": 0, "skipped_files": 0, "set_aside_files": 0, "rows_read": 0, "loaded": 0,
                              "updated": 0, "duplicates": 0, "quarantined": 0}
    jobs = [(name, inbox_files(ctx.settings.source(name), ctx.settings.project_dir)) for name in sorted(ctx.settings.sources)]
    total = sum(len(paths) for _, paths in jobs)
    done = 0
    for name, paths in jobs:

        def file_done(_: object) -> None:
            nonlocal done
            done += 1
            ctx.on_progress(done, total)

        result = ingest_files(ctx.con, paths, name, ctx.settings.source(name), rules=ctx.settings.ingest,
                              archive_to=archive_folder(ctx.settings.ingest, ctx.settings.project_dir), on_file=file_done)
        for key, value in result.totals().items():
            totals[key] += value
        totals["files"] += len(result.files) - len(result.skipped)
        totals["skipped_files"] += len(result.skipped)
        totals["set_aside_files"] += len(result.failed)
    return totals


def enrich(ctx: StepContext) -> dict[str, Any]:
    from vocmine.nlp.enrich import enrich as enrich_feedback

    return enrich_feedback(ctx.con, ctx.settings.nlp, on_batch=ctx.on_progress, runner=ctx.runner).counts()


def embed(ctx: StepContext) -> dict[str, Any]:
    from vocmine.embed import embed_segments
    from vocmine.embed.cache import embed_long_feedback, encode_batch

    choice = ctx.choice(decide=may_choose_embedding(ctx.con, ctx.settings))
    if ctx.runner.remote:  # the workers load the model; this process only stores the vectors
        encode = partial(encode_batch, ctx.settings.embedding.model_copy(update={"backend": choice.backend}))
    else:
        def encode(texts: list[str]):
            return ctx.backend().encode(texts)  # loaded for the first new text: a quiet night loads nothing

    new = embed_segments(ctx.con, choice.model, on_batch=ctx.on_progress, runner=ctx.runner, encode=encode)
    # long feedback is placed by its whole text too (themes per feedback, vocmine.themes.cases)
    long = embed_long_feedback(ctx.con, choice.model, ctx.settings.themes.case_min_segments, runner=ctx.runner,
                               encode=encode)
    counts: dict[str, Any] = {"new_texts": new, "long_feedback_texts": long, "model": choice.model}
    if choice.decided:
        counts["model_chosen"] = choice.reason
    if choice.notice:
        counts["notice"] = choice.notice
    return counts


def may_choose_embedding(con: duckdb.DuckDBPyConnection, settings: Settings) -> bool:
    """Whether ``auto`` may choose the embedding model again before embedding: nothing chosen
    yet, no theme fit depends on the recorded model yet, or a refit of the themes is due (it
    re-reads every segment anyway)."""
    from vocmine.embed.choice import recorded_choice
    from vocmine.themes.assign import refit_due

    recorded = recorded_choice(con)
    return recorded is None or refit_due(con, recorded[1], settings.themes)


def themes(ctx: StepContext) -> dict[str, Any]:
    from vocmine.themes.assign import refresh_themes
    from vocmine.themes.cases import refresh_feedback_themes

    settings = ctx.settings
    result = refresh_themes(ctx.con, ctx.choice().model, settings.themes,
                            settings.resolve(settings.themes.fits_dir), runner=ctx.runner,
                            encode=lambda texts: ctx.backend().encode(texts),  # loaded only to label themes
                            on_phase=ctx.on_phase)
    run_id = result.refit.run_id if result.refit else result.assigned.run_id
    cases = refresh_feedback_themes(ctx.con, ctx.choice().model, settings.themes, run_id,
                                    refit=result.refit is not None)
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


def tag(ctx: StepContext) -> dict[str, Any]:
    from vocmine.journey.store import tag_segments
    from vocmine.journey.tagging import LazyTagger, load_tagger
    from vocmine.journey.taxonomy import load_taxonomy

    settings = ctx.settings
    if "tagger" not in ctx.models:
        taxonomy = load_taxonomy(settings.taxonomy_path)
        ctx.models["tagger"] = LazyTagger(taxonomy, settings.journey, lambda: load_tagger(
            taxonomy, settings.nlp, ctx.backend(), settings.journey))
    result = tag_segments(ctx.con, ctx.models["tagger"], on_batch=ctx.on_progress)
    return {"segments": result.segments, "taxonomy_version": result.taxonomy_version, "stale": result.stale,
            "set_aside": len(result.set_aside)}


def views(ctx: StepContext) -> dict[str, Any]:
    from vocmine.analytics import create_views, refresh_analysis

    s = ctx.settings
    create_views(ctx.con)
    result = refresh_analysis(ctx.con, outcomes=s.outcomes, priorities=s.priorities, lost_customers=s.lost_customers,
                              assumptions=s.assumptions, teams=s.teams,
                              backend=ctx.backend() if s.assumptions.priorities else None)
    return {"outcomes": result.outcomes, "teams": len(s.teams), "assumptions_matched": result.assumptions_matched}


def publish(ctx: StepContext) -> dict[str, Any]:
    from vocmine.store.publish import publish as publish_store

    s = ctx.settings
    result = publish_store(ctx.con, s.resolve(s.publish_dir), public_metadata=s.public_metadata(),
                           customer_key=s.privacy.customer_key_bytes(), storage_version=s.publish.storage_version)
    return {"database": str(result.database), "tables": len(result.tables), "views": len(result.views)}


def reports(ctx: StepContext) -> dict[str, Any]:
    from vocmine.report.data import team_report
    from vocmine.report.write import write_report

    s = ctx.settings
    if not (s.pipeline.reports and s.teams):
        return {"reports": 0}
    out = s.resolve(s.reports_dir)
    written = []
    for name, team in sorted(s.teams.items()):
        report = team_report(ctx.con, name, team, period=s.pipeline.report_period)
        written += write_report(report, out, s.pipeline.report_formats)
    return {"reports": len(s.teams), "files": len(written), "folder": str(out)}


STEPS: dict[str, Callable[[StepContext], dict[str, Any]]] = {
    "ingest": ingest, "enrich": enrich, "embed": embed, "themes": themes, "tag": tag,
    "views": views, "publish": publish, "reports": reports,
}
