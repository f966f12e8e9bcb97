"""`[embedding] backend = "auto"`: one embedding model per store, chosen from its languages.

MiniLM is the better model for English feedback and embeds Chinese, Ukrainian or Polish too
poorly to find their themes (docs/embeddings.md), so ``auto`` looks at the languages of the
store's segments: ``minilm`` while at most ``auto_other_share`` of them are in another language
(language identification misreads a few short English texts), the multilingual model
(``auto_multilingual``) otherwise.

The choice is made per store and **recorded** (table ``embedding_choice``), because the
embedding cache, the theme fits and the journey tagger must all use one model: themes fitted on
MiniLM vectors cannot place a segment embedded by E5. So the rule is:

- the first embed of a store decides, and every embed before the first theme fit decides
  again (nothing depends on the vectors yet);
- once themes are fitted, the recorded model is kept until the next theme refit (scheduled by
  ``themes.refit_every_days`` or run with ``vocmine themes refit``), which re-reads every
  segment anyway; a store that started English and now gets Polish keeps MiniLM until then,
  and each embed says so in one line (``BackendChoice.notice``).

A configured backend other than ``auto`` is used as configured and nothing is recorded.

>>> auto_backend({"en": 9_900, "de": 100}, EmbeddingConfig())[0]
'minilm'
>>> auto_backend({"en": 6_000, "zh": 4_000}, EmbeddingConfig())[0]
'e5'
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from vocmine.config.embedding import EmbeddingConfig
from vocmine.embed.backends import backend_key

ENGLISH = "en"


@dataclass(frozen=True)
class BackendChoice:
    backend: str  # the backend to load: never "auto"
    model: str  # its cache key, as in embeddings.model
    reason: str
    decided: bool = False  # this call recorded a new choice
    notice: str | None = None  # the languages now call for another model than the recorded one


def language_mix(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Segments per language, the most frequent first."""
    rows = con.execute("SELECT language, count(*) FROM segments GROUP BY language ORDER BY 2 DESC, 1").fetchall()
    return {language: count for language, count in rows}


def auto_backend(mix: dict[str, int], config: EmbeddingConfig) -> tuple[str, str]:
    """(backend, reason) that ``auto`` picks for a store whose segments have this language mix."""
    total = sum(mix.values())
    if not total:
        return "minilm", "no segments yet: English assumed"
    other = total - mix.get(ENGLISH, 0)
    share = other / total
    languages = _languages(mix)
    if share > config.auto_other_share:
        return config.auto_multilingual, (f"{share:.1%} of {total:,} segments are not English ({languages}): "
                                          f"multilingual model '{config.auto_multilingual}'")
    return "minilm", (f"{share:.1%} of {total:,} segments are not English ({languages}), at most "
                      f"{config.auto_other_share:.0%}: English model 'minilm'")


def recorded_choice(con: duckdb.DuckDBPyConnection) -> tuple[str, str, str] | None:
    """(backend, model, reason) in force for this store, or None before auto first decided."""
    rows = con.execute("SELECT backend, model, reason FROM embedding_choice "
                       "ORDER BY decided_at DESC, rowid DESC LIMIT 1").fetchall()
    return tuple(rows[0]) if rows else None  # type: ignore[return-value]


def resolve_backend(con: duckdb.DuckDBPyConnection, config: EmbeddingConfig, *, decide: bool = False,
                    record: bool = True) -> BackendChoice:
    """The backend this store embeds with.

    ``decide``: auto may choose again (the caller knows that no theme fit depends on the
    recorded model, or that a refit is about to re-read everything); otherwise a recorded
    choice is kept. ``record=False`` (read-only commands) never writes: without a recorded
    choice it answers what auto would pick now."""
    if config.backend != "auto":
        return BackendChoice(config.backend, backend_key(config.backend), "configured in [embedding] backend")
    mix = language_mix(con)
    wanted, reason = auto_backend(mix, config)
    recorded = recorded_choice(con)
    if recorded and not (decide and wanted != recorded[0]):
        backend, model, why = recorded
        if model != backend_key(backend):  # the model package was upgraded: its vectors change anyway
            return _record(con, mix, backend, f"{why} (model upgraded)") if record else \
                BackendChoice(backend, backend_key(backend), why)
        notice = None if wanted == backend else (
            f"auto keeps '{backend}' for this store until the next theme refit ({reason}); "
            "run `vocmine themes refit` to switch now")
        return BackendChoice(backend, model, why, notice=notice)
    if not record or not sum(mix.values()):
        return BackendChoice(wanted, backend_key(wanted), reason)
    return _record(con, mix, wanted, reason)


def _record(con: duckdb.DuckDBPyConnection, mix: dict[str, int], backend: str, reason: str) -> BackendChoice:
    total = sum(mix.values())
    model = backend_key(backend)
    con.execute("INSERT INTO embedding_choice VALUES (now()::TIMESTAMP, ?, ?, ?, ?, ?, ?)",
                [backend, model, total, (total - mix.get(ENGLISH, 0)) / total if total else 0.0,
                 _languages(mix), reason])
    return BackendChoice(backend, model, reason, decided=True)


def _languages(mix: dict[str, int]) -> str:
    return ", ".join(f"{language} {count:,}" for language, count in mix.items()) or "none"
