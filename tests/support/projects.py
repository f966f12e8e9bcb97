"""A small two-night vocmine project in a folder, for the tests that run `vocmine run` as a process.

Every sixth feedback of the demo (all twelve weeks, a sixth of the volume, to keep the runs short)
is split in time order: night 1 gets the first 60% of every source, night 2 the rest, each night
as several files per source so ingest commits many files. The config uses the static embedding
backend (fast, deterministic) and small batches so that the steps commit many transactions: a
kill can land between any two of them. ``checksums`` fingerprints every table and view of a
database, leaving out what legitimately differs between two runs on the same input.

Example::

    project = PipelineProject.create(tmp_path / "ref")
    project.add_night(1)
    assert project.run().returncode == 0

``run_vocmine`` runs any `vocmine` command as a process in a folder, as a user's shell would.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from support.paths import DEMO

STRIDE = 6  # every sixth feedback of the demo: 500 in all
NIGHT_1_SHARE = 0.6
FILES_PER_NIGHT = 4  # per source

CONFIG = """\
db = "work/vocmine.duckdb"
publish_dir = "published"
reports_dir = "reports"

[embedding]
backend = "static"

[privacy]
customer_key = "the same pseudonyms in every project"  # a store's own random key would differ between projects

[nlp]
batch_size = 50
brand_handles = ["BrightlineHelp"]
[nlp.pii_patterns]
ACCOUNT = ['\\bACC-\\d{7}\\b', '\\bBL-\\d{4}-\\d{6}\\b']

[journey]
batch_size = 200

[themes]
fits_dir = "fits"
min_themes = 12
propose_after = 20
propose_min_size = 5

[sources.call_notes]
kind = "call_note"
inbox = ["inbox/call_notes*.csv"]
[sources.call_notes.columns]
id = "note_id"
text = "notes"
received_at = "created_at"
channel = "channel"
rating = "csat"
customer_id = "customer_ref"
[sources.call_notes.metadata]
columns = ["handle_time_sec", "repeat_contact", "churned"]

[sources.reviews]
kind = "review"
inbox = ["inbox/reviews*.jsonl"]
[sources.reviews.columns]
id = "review_id"
text = "body"
received_at = "posted_at"
channel = "platform"
rating = "stars"
customer_id = "reviewer"
[sources.reviews.metadata]
columns = ["verified_purchase"]

[sources.complaints]
kind = "complaint"
inbox = ["inbox/complaints*.parquet"]
[sources.complaints.columns]
id = "case_id"
text = "description"
received_at = "opened"
channel = "channel"
customer_id = "customer_ref"
[sources.complaints.metadata]
columns = ["product", "resolution_days", "churned"]

[outcomes]
rating = { column = "rating", better = "higher" }
handle_time = { metadata = "handle_time_sec", better = "lower" }
churned = { metadata = "churned", better = "lower" }

[priorities]
top = 10
impact_outcome = "rating"

[lost_customers]
metadata = "churned"
values = ["true"]

[assumptions]
priorities = ["price", "network coverage", "delivery speed"]

[pipeline]
report_formats = ["md", "csv"]

[teams.billing]
stages = ["billing"]
touchpoints = ["bill"]
kpis = [
    { metric = "volume", name = "billing feedback (segments)" },
    { metric = "negative_share", target = 0.6 },
    { metric = "rating", target = 3.5 },
]
"""


def _chunks(items: list, parts: int) -> list[list]:
    size = -(-len(items) // parts)
    return [items[i:i + size] for i in range(0, len(items), size)]


def _night(items: list, night: int) -> list:
    items = items[::STRIDE]
    cut = round(len(items) * NIGHT_1_SHARE)
    return items[:cut] if night == 1 else items[cut:]


def _call_note_files(night: int) -> dict[str, bytes]:
    # bytes kept as they are (the demo plants invalid UTF-8 and broken rows for quarantine)
    with (DEMO / "call_notes.csv").open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    files = {}
    for k, chunk in enumerate(_chunks(_night(rows, night), FILES_PER_NIGHT), start=1):
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows([header, *chunk])
        files[f"call_notes_n{night}_{k}.csv"] = out.getvalue().encode("utf-8", errors="surrogateescape")
    return files


def _review_files(night: int) -> dict[str, bytes]:
    lines = (DEMO / "reviews.jsonl").read_bytes().splitlines(keepends=True)
    return {f"reviews_n{night}_{k}.jsonl": b"".join(chunk)
            for k, chunk in enumerate(_chunks(_night(lines, night), FILES_PER_NIGHT), start=1)}


def _complaint_files(night: int, inbox: Path) -> list[str]:
    table = pq.read_table(DEMO / "complaints.parquet")
    part = table.take(_night(list(range(table.num_rows)), night))
    size = -(-part.num_rows // FILES_PER_NIGHT)
    names = []
    for k in range(FILES_PER_NIGHT):
        name = f"complaints_n{night}_{k + 1}.parquet"
        pq.write_table(part.slice(k * size, size), inbox / name)
        names.append(name)
    return names


def without_settings() -> dict[str, str]:
    """This process's environment without the caller's VOCMINE_* settings (a `VOCMINE_DB` in the
    shell of whoever runs pytest), keeping the test run's own cache folder (``VOCMINE_CACHE_DIR``,
    set by the ``vocmine_cache`` fixture): a `vocmine` process a test starts never writes the
    user's cache either."""
    return {k: v for k, v in os.environ.items() if not k.startswith("VOCMINE_") or k == "VOCMINE_CACHE_DIR"}


def run_env(**extra: str) -> dict[str, str]:
    """The environment of a `vocmine` process: offline, unbuffered, one line per message (wide,
    plain), no VOCMINE_* overrides from the caller's shell (``without_settings``), then ``extra``."""
    env = without_settings()
    return env | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
                  "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"} | extra


def vocmine_command(*args: str) -> list[str]:
    """`vocmine *args` with this test run's interpreter (the checkout's .venv)."""
    return [sys.executable, "-m", "vocmine.cli", *args]


def run_vocmine(folder: Path, *args: str, timeout: float = 900, env: dict[str, str] | None = None
                ) -> subprocess.CompletedProcess:
    """`vocmine *args` as a process in ``folder`` to its end, output captured as text; ``env`` adds
    to ``run_env()``. The caller checks the return code."""
    return subprocess.run(vocmine_command(*args), cwd=folder, env=run_env(**(env or {})), capture_output=True,
                          text=True, timeout=timeout, check=False)


@dataclass
class PipelineProject:
    folder: Path

    @classmethod
    def create(cls, folder: Path) -> PipelineProject:
        (folder / "inbox").mkdir(parents=True)
        (folder / "vocmine.toml").write_text(CONFIG, encoding="utf-8")
        return cls(folder)

    @property
    def config(self) -> Path:
        return self.folder / "vocmine.toml"

    @property
    def db(self) -> Path:
        return self.folder / "work" / "vocmine.duckdb"

    @property
    def published(self) -> Path:
        return self.folder / "published" / "vocmine.duckdb"

    @property
    def previous(self) -> Path:
        return self.folder / "published" / "vocmine.previous.duckdb"

    def add_night(self, night: int) -> list[str]:
        """Drop the night's files into the inbox; returns their names."""
        inbox = self.folder / "inbox"
        written = {**_call_note_files(night), **_review_files(night)}
        for name, content in written.items():
            (inbox / name).write_bytes(content)
        return sorted([*written, *_complaint_files(night, inbox)])

    def command(self, *extra: str) -> list[str]:
        return vocmine_command("run", "--config", str(self.config), *extra)

    def run(self, *extra: str, timeout: float = 900) -> subprocess.CompletedProcess:
        """`vocmine run` to the end; output captured."""
        return run_vocmine(self.folder, "run", "--config", str(self.config), *extra, timeout=timeout)

    def start(self, *extra: str, log: Path | None = None) -> subprocess.Popen:
        """`vocmine run` in the background: its output line by line on stdout, or into ``log``."""
        if log is not None:
            with log.open("w", encoding="utf-8") as out:  # the child keeps its own copy of the handle
                return subprocess.Popen(self.command(*extra), cwd=self.folder, env=run_env(), stdout=out,
                                        stderr=subprocess.STDOUT)
        return subprocess.Popen(self.command(*extra), cwd=self.folder, env=run_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, bufsize=1)

    def step_counts(self, step: str) -> dict:
        """What the last pipeline run's `step` did (its pipeline_steps counts)."""
        return json.loads(self._last_step(step)[0])

    def step_seconds(self, step: str) -> float:
        return self._last_step(step)[1]

    def _last_step(self, step: str) -> tuple:
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            row = con.execute("SELECT ps.counts, ps.seconds FROM pipeline_steps ps JOIN runs r USING (run_id) "
                              "WHERE ps.step = ? AND ps.status = 'succeeded' ORDER BY r.started_at DESC, "
                              "ps.started_at DESC LIMIT 1", [step]).fetchone()
        finally:
            con.close()
        assert row, f"{self.db}: no succeeded {step} step"
        return row


# What legitimately differs between two runs on the same input, left out of the checksums.
# Whole tables:
BOOKKEEPING_TABLES = {
    "runs": "the run log: random IDs, clock times, and a resumed night's interrupted attempts add rows",
    "pipeline_steps": "the step log: clock times, and a resumed night has a row per attempt at a step",
    "ingested_files": "one row per file read: every attempt re-reads the inbox (duplicates skipped)",
    "theme_fits": "where and when fits were saved: folders named by run, clock time",
    "schema_migrations": "when each migration was applied (clock time)",
}
# Columns, in any table or view:
BOOKKEEPING_COLUMNS = {
    "run_id": "which run wrote a row: random per run",
    "created_run": "which run created a theme: random per run",
    "updated_run": "which run last updated a theme: random per run",
    "ingested_at": "clock time of loading",
    "enriched_at": "clock time of enrichment",
    "flagged_at": "clock time a segment was first flagged as boilerplate",
    "computed_at": "clock time of the emerging check",
    "happened_at": "clock time of a theme event",
    "saved_at": "clock time of saving a fit",
    "quarantined_at": "clock time of quarantining",
    "started_at": "clock time a run or step started",
    "finished_at": "clock time a run or step finished",
    "updated_at": "clock time the analysis settings were rewritten",
    "changed_at": "clock time enrichment changed a segment (changed_segments)",
}
# Columns holding paths under the project folder: compared relative to it.
PATH_COLUMNS = {"file", "path"}


def scalar(path: Path, sql: str) -> object:
    """One value from a database, read-only, the connection closed again."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table and view of the database's main schema."""
    return sorted(r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main' AND table_catalog = current_database()"
                                            ).fetchall())


def checksums(path: Path, project: Path) -> dict[str, str]:
    """md5 over each relation's sorted rows rendered as text, bookkeeping left out."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        sums = {}
        for name in relations(con):
            if name in BOOKKEEPING_TABLES:
                continue
            columns = [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
            kept = [c for c in columns if c not in BOOKKEEPING_COLUMNS]
            rendered = [f"replace(\"{c}\"::VARCHAR, $root, '<project>')" if c in PATH_COLUMNS else f'"{c}"::VARCHAR'
                        for c in kept]
            row = "concat_ws(chr(31), " + ", ".join(f"coalesce({r}, '<null>')" for r in rendered) + ")"
            params = {"root": str(project.resolve())} if PATH_COLUMNS.intersection(kept) else {}
            rows = [r[0] for r in con.execute(f'SELECT {row} FROM "{name}"', params).fetchall()] if kept else []
            digest = hashlib.md5("\n".join(sorted(rows)).encode("utf-8", errors="surrogateescape"))
            sums[name] = f"{digest.hexdigest()} ({len(rows)} rows)"
        return sums
    finally:
        con.close()
