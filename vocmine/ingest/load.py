"""Ingest files of one source into the store: validate, quarantine, skip duplicates, load.

Each file is one transaction: it loads completely or not at all, so a crash or a broken
file never leaves half a file behind, and re-running the same files is always safe. Every
row read ends up in exactly one place, and the summary counts each place on its own (rows
loaded and versions kept are counted in the tables after the load, duplicates and
quarantined rows from the checks), so a row the load lost shows as a file that does not
reconcile: ``rows_read = loaded + updated + duplicates + quarantined``.

A file that cannot be read at all (empty, not the format it claims, a mapped column missing)
is set aside in ``quarantine`` with its reason; the other files go on. A file already
ingested unchanged (same path, size and content hash) is not read again.
"""

from __future__ import annotations

import glob
import hashlib
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from vocmine.config.ingest import IngestConfig
from vocmine.config.sources import SourceConfig
from vocmine.ingest.readers import IngestError, drop_staging, stage_file
from vocmine.ingest.readers.staging import first_line
from vocmine.store.feedback import add_loaded
from vocmine.store.quarantine import set_aside
from vocmine.store.runs import finish_run, start_run
from vocmine.store.sqlfiles import fetch_arrow, run_sql
from vocmine.store.tx import transaction

# Tried in order when no received_at_format is given (ISO-8601 is tried first, natively).
# Day/month orders that read both ways (03/04/2026) are deliberately absent.
COMMON_DATE_FORMATS = [
    "%a %b %d %H:%M:%S %z %Y",   # Tue Oct 31 22:10:47 +0000 2017 (Twitter)
    "%a, %d %b %Y %H:%M:%S %z",  # RFC 2822 (e-mail)
    "%d %b %Y %H:%M:%S", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
]
_CHUNK = 1 << 20


@dataclass
class FileSummary:
    file: str
    rows_read: int = 0
    loaded: int = 0
    updated: int = 0            # new versions of feedback already loaded (same id, different content)
    duplicates: int = 0
    quarantined: int = 0
    error: str | None = None    # the file could not be read at all: set aside whole
    skipped: str | None = None  # not read: why (unchanged since an earlier run)
    archived: str | None = None  # where the file was moved after loading (ingest.archive_dir)

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.loaded + self.updated + self.duplicates + self.quarantined


@dataclass
class IngestResult:
    run_id: str
    source: str
    files: list[FileSummary] = field(default_factory=list)

    @property
    def failed(self) -> list[FileSummary]:
        return [f for f in self.files if f.error]

    @property
    def skipped(self) -> list[FileSummary]:
        return [f for f in self.files if f.skipped]

    def totals(self) -> dict[str, int]:
        keys = ("rows_read", "loaded", "updated", "duplicates", "quarantined")
        return {k: sum(getattr(f, k) for f in self.files) for k in keys}


def ingest_files(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[Path],
    source_name: str,
    source: SourceConfig,
    *,
    rules: IngestConfig | None = None,
    archive_to: Path | None = None,
    on_file: Callable[[FileSummary], None] | None = None,
) -> IngestResult:
    """Ingest files into the store as one run; a file that cannot be read is set aside, the
    others load. ``archive_to``: a folder each loaded file is moved into afterwards."""
    rules = rules or IngestConfig()
    result = IngestResult(run_id=start_run(con, "ingest"), source=source_name)
    for path in expand_paths(paths):
        summary = ingest_file(con, Path(path), source_name, source, result.run_id, rules)
        if archive_to is not None and not summary.error and not summary.skipped:
            summary.archived = _archive(Path(path), archive_to / source_name)
        result.files.append(summary)
        if on_file:
            on_file(summary)
    errors = "; ".join(f.error for f in result.failed) or None
    finish_run(con, result.run_id, counts={"source": source_name, **result.totals(),
                                            "skipped_files": len(result.skipped), "set_aside_files": len(result.failed),
                                            "files": [asdict(f) for f in result.files]}, error=errors)
    return result


def ingest_file(
    con: duckdb.DuckDBPyConnection, path: Path, source_name: str, source: SourceConfig, run_id: str,
    rules: IngestConfig | None = None,
) -> FileSummary:
    rules = rules or IngestConfig()
    summary = FileSummary(file=str(path.resolve()))
    params = {"source": source_name, "kind": source.kind, "file": summary.file, "run_id": run_id,
              "updates": rules.updates}
    fingerprint = (None, None)
    reading = _reading(source, rules)
    try:
        fingerprint = _fingerprint(path)
        if rules.skip_unchanged:
            summary.skipped = _unchanged_since(con, source_name, summary.file, fingerprint, reading)
            if summary.skipped:
                return summary
        if fingerprint[0] == 0:
            raise IngestError(f"{path}: the file is empty (0 bytes)")
        # Staging lives in temp tables outside the transaction: row order (rowid) is only
        # stable in committed tables, and temp tables vanish with the connection anyway.
        stage_file(con, path, source)
        with transaction(con):
            summary = _check_and_load(con, source, rules, params, summary)
            _record_file(con, run_id, source_name, summary, fingerprint, reading)
    except (IngestError, duckdb.Error, OSError, UnicodeError) as exc:
        message = str(exc) if isinstance(exc, IngestError) else f"{path}: {first_line(exc)}"
        summary = FileSummary(file=summary.file, error=message)
        _record_file(con, run_id, source_name, summary, fingerprint, reading)
        _set_aside_file(con, run_id, source_name, summary)
    finally:
        drop_staging(con)
    return summary


def _check_and_load(
    con: duckdb.DuckDBPyConnection, source: SourceConfig, rules: IngestConfig, params: dict[str, str],
    summary: FileSummary,
) -> FileSummary:
    explicit = source.columns.received_at_format
    today = datetime.now(UTC).date()
    run_sql(con, "vocmine.ingest", "check.sql",
            {"date_formats": [explicit] if explicit else COMMON_DATE_FORMATS, "auto_dates": explicit is None,
             "max_chars": rules.max_text_chars, "earliest": rules.earliest_date,
             "latest": today + timedelta(days=rules.latest_days_ahead + 1)})
    run_sql(con, "vocmine.ingest", "versions.sql", {"source": params["source"]})
    set_aside(con, "ingest", params["run_id"], fetch_arrow(con, "vocmine.ingest", "quarantine.sql", params))
    feedback_before, versions_before = _table_counts(con)
    run_sql(con, "vocmine.ingest", "load.sql", params)
    add_loaded(con, params)
    feedback_after, versions_after = _table_counts(con)
    staged, invalid, rejected, duplicates, refused_updates = con.execute("""
        SELECT (SELECT count(*) FROM _checked), (SELECT count(*) FROM _checked WHERE reason <> ''),
               (SELECT count(*) FROM _rejected), (SELECT count(*) FROM _versions WHERE change = 'duplicate'),
               (SELECT count(*) FROM _versions WHERE change = 'update' AND $updates = 'quarantine')
    """, {"updates": rules.updates}).fetchone()
    summary.rows_read = staged + rejected
    summary.loaded = feedback_after - feedback_before
    summary.updated = versions_after - versions_before
    summary.duplicates = duplicates
    summary.quarantined = invalid + rejected + refused_updates
    if not summary.reconciles:  # a row lost (or made up) by the load: nothing of the file is kept
        raise IngestError(
            f"{summary.file}: rows do not reconcile (read {summary.rows_read:,}; loaded {summary.loaded:,}, "
            f"updated {summary.updated:,}, duplicates {summary.duplicates:,}, quarantined {summary.quarantined:,})")
    return summary


def _table_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    return con.execute("SELECT (SELECT count(*) FROM feedback), (SELECT count(*) FROM feedback_versions)").fetchone()


def _record_file(con: duckdb.DuckDBPyConnection, run_id: str, source: str, s: FileSummary,
                 fingerprint: tuple[int | None, str | None], reading: str) -> None:
    con.execute(
        "INSERT INTO ingested_files (run_id, source, file, status, rows_read, loaded, duplicates, quarantined, error, "
        "finished_at, size, file_hash, updated, read_with) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?)",
        [run_id, source, s.file, "failed" if s.error else "loaded", s.rows_read, s.loaded, s.duplicates,
         s.quarantined, s.error, fingerprint[0], fingerprint[1], s.updated, reading],
    )


def _set_aside_file(con: duckdb.DuckDBPyConnection, run_id: str, source: str, s: FileSummary) -> None:
    """The whole file in quarantine (no row number), once per file and reason."""
    known = con.execute("SELECT count(*) FROM quarantine WHERE source = ? AND file = ? AND row_number IS NULL "
                        "AND reason = ?", [source, s.file, s.error]).fetchall()[0][0]
    if not known:
        set_aside(con, "ingest", run_id, pa.table({
            "source": [source], "file": [s.file], "row_number": pa.array([None], pa.int64()), "reason": [s.error],
            "raw": pa.array([None], pa.string()), "feedback_id": pa.array([None], pa.string())}))


def _fingerprint(path: Path) -> tuple[int, str]:
    """Size and sha256 of the file's bytes (read in chunks: nothing held in memory)."""
    if path.is_dir():
        raise IngestError(f"{path}: is a directory (name its files, or the directory to read all of them)")
    if not path.exists():
        raise IngestError(f"{path}: no such file")
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return size, digest.hexdigest()


def _reading(source: SourceConfig, rules: IngestConfig) -> str:
    """A short hash of how a file is read: a file that failed is read again once this changes."""
    how = {"source": source.model_dump(mode="json"), "rules": rules.model_dump(mode="json", exclude={"archive_dir"})}
    return hashlib.sha256(json.dumps(how, sort_keys=True).encode()).hexdigest()[:12]


def _unchanged_since(con: duckdb.DuckDBPyConnection, source: str, file: str, fingerprint: tuple[int, str],
                     reading: str) -> str | None:
    """The run that last read this very file (same path, size and hash), if any. A file that
    failed counts only if it was read the same way (a fixed mapping reads it again)."""
    row = con.execute("""
        SELECT run_id, status FROM ingested_files
        WHERE source = ? AND file = ? AND size = ? AND file_hash = ?
          AND (status = 'loaded' OR read_with = ?)
        ORDER BY finished_at DESC LIMIT 1
    """, [source, file, fingerprint[0], fingerprint[1], reading]).fetchone()
    if row is None:
        return None
    return f"unchanged since {row[0]}" + (" (set aside then)" if row[1] == "failed" else "")


def _archive(path: Path, folder: Path) -> str | None:
    """Move a loaded file into ``folder``; a name already there gets a numbered suffix."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    n = 1
    while target.exists():
        target = folder / f"{path.stem}.{n}{path.suffix}"
        n += 1
    shutil.move(str(path), target)
    return str(target)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a directory stands for the files under it (hidden ones left out), in order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file()
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append(path)
    return found


def inbox_files(source: SourceConfig, project_dir: Path) -> list[Path]:
    """The files a source's ``inbox`` globs match now (a matched directory: its files), in a stable order.

    A relative glob is read from ``project_dir``, the config file's folder (``Settings.project_dir``)."""
    found: set[Path] = set()
    for pattern in source.inbox:
        found.update(Path(p) for p in glob.glob(str(_resolve(pattern, project_dir)), recursive=True))
    return sorted(p for p in expand_paths(found) if p.is_file())


def archive_folder(rules: IngestConfig, project_dir: Path) -> Path | None:
    """Where inbox files go once loaded (``ingest.archive_dir``, relative to ``project_dir``); None: they stay."""
    return _resolve(rules.archive_dir, project_dir) if rules.archive_dir else None


def _resolve(path: Path | str, project_dir: Path) -> Path:
    path = Path(path).expanduser()
    return path if path.is_absolute() else project_dir / path
