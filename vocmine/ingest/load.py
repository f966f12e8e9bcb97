"""Ingest files of one source into the store: validate, quarantine, skip duplicates, load.

Each file is one transaction: it loads completely or not at all, so a crash or a broken
file never leaves half a file behind, and re-running the same files is always safe. Every
row read ends up in exactly one place, which the summary reconciles:
``rows_read = loaded + duplicates + quarantined``.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from vocmine.config import Settings, SourceConfig
from vocmine.ingest.readers import IngestError, drop_staging, stage_file
from vocmine.ingest.readers.staging import first_line
from vocmine.store.runs import finish_run, start_run
from vocmine.store.sqlfiles import run_sql
from vocmine.store.tx import transaction

# Tried in order when no received_at_format is given (ISO-8601 is tried first, natively).
# Day/month orders that read both ways (03/04/2026) are deliberately absent.
COMMON_DATE_FORMATS = [
    "%a %b %d %H:%M:%S %z %Y",   # Tue Oct 31 22:10:47 +0000 2017 (Twitter)
    "%a, %d %b %Y %H:%M:%S %z",  # RFC 2822 (e-mail)
    "%d %b %Y %H:%M:%S", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
]


@dataclass
class FileSummary:
    file: str
    rows_read: int = 0
    loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    error: str | None = None

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.loaded + self.duplicates + self.quarantined


@dataclass
class IngestResult:
    run_id: str
    source: str
    files: list[FileSummary] = field(default_factory=list)

    @property
    def failed(self) -> list[FileSummary]:
        return [f for f in self.files if f.error]

    def totals(self) -> dict[str, int]:
        keys = ("rows_read", "loaded", "duplicates", "quarantined")
        return {k: sum(getattr(f, k) for f in self.files) for k in keys}


def ingest_files(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[Path],
    source_name: str,
    source: SourceConfig,
    *,
    on_file: Callable[[FileSummary], None] | None = None,
) -> IngestResult:
    """Ingest files into the store as one run; a failing file is reported, the others load."""
    result = IngestResult(run_id=start_run(con, "ingest"), source=source_name)
    for path in paths:
        summary = ingest_file(con, Path(path), source_name, source, result.run_id)
        result.files.append(summary)
        if on_file:
            on_file(summary)
    errors = "; ".join(f.error for f in result.failed) or None
    finish_run(con, result.run_id, counts={"source": source_name, **result.totals(),
                                            "files": [asdict(f) for f in result.files]}, error=errors)
    return result


def ingest_file(
    con: duckdb.DuckDBPyConnection, path: Path, source_name: str, source: SourceConfig, run_id: str
) -> FileSummary:
    summary = FileSummary(file=str(path.resolve()))
    params = {"source": source_name, "kind": source.kind, "file": summary.file, "run_id": run_id}
    try:
        # Staging lives in temp tables outside the transaction: row order (rowid) is only
        # stable in committed tables, and temp tables vanish with the connection anyway.
        stage_file(con, path, source)
        with transaction(con):
            summary = _check_and_load(con, source, params, summary)
            _record_file(con, run_id, source_name, summary)
    except (IngestError, duckdb.Error, OSError) as exc:
        message = str(exc) if isinstance(exc, IngestError) else f"{path}: {first_line(exc)}"
        summary = FileSummary(file=summary.file, error=message)
        _record_file(con, run_id, source_name, summary)
    finally:
        drop_staging(con)
    return summary


def _check_and_load(
    con: duckdb.DuckDBPyConnection, source: SourceConfig, params: dict[str, str], summary: FileSummary
) -> FileSummary:
    explicit = source.columns.received_at_format
    run_sql(con, "vocmine.ingest", "check.sql",
            {"date_formats": [explicit] if explicit else COMMON_DATE_FORMATS, "auto_dates": explicit is None})
    run_sql(con, "vocmine.ingest", "quarantine.sql", params)
    run_sql(con, "vocmine.ingest", "load.sql", params)
    staged, valid, rejected, loaded = con.execute("""
        SELECT (SELECT count(*) FROM _checked), (SELECT count(*) FROM _checked WHERE reason = ''),
               (SELECT count(*) FROM _rejected), (SELECT count(*) FROM _new)
    """).fetchone()
    summary.rows_read = staged + rejected
    summary.loaded = loaded
    summary.duplicates = valid - loaded
    summary.quarantined = staged - valid + rejected
    return summary


def _record_file(con: duckdb.DuckDBPyConnection, run_id: str, source: str, s: FileSummary) -> None:
    con.execute(
        "INSERT INTO ingested_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
        [run_id, source, s.file, "failed" if s.error else "loaded",
         s.rows_read, s.loaded, s.duplicates, s.quarantined, s.error],
    )


def inbox_files(settings: Settings, source_name: str) -> list[Path]:
    """The files a source's ``inbox`` globs match now, in a stable order."""
    found: set[Path] = set()
    for pattern in settings.source(source_name).inbox:
        found.update(Path(p) for p in glob.glob(str(settings.resolve(pattern)), recursive=True))
    return sorted(p for p in found if p.is_file())
