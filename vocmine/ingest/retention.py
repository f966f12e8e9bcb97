"""How long a refused row is kept as read: ``quarantine.raw`` may hold anything a source sent
(names, phone numbers, addresses), so it is emptied after a retention period.

The row itself stays (run, source, file, row number, reason, when): an analyst can still see
what was set aside and why, and the source file is where the row can be read again.

    purged = purge_quarantine_raw(con, keep_days=30)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from vocmine.store.quarantine import empty_raw
from vocmine.store.tx import transaction

__all__ = ["purge_quarantine_raw"]


def purge_quarantine_raw(con: duckdb.DuckDBPyConnection, keep_days: int, now: datetime | None = None) -> int:
    """Empty ``raw`` of quarantined rows older than ``keep_days`` days; returns how many were emptied.
    ``keep_days=0`` empties every row's raw text."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    cutoff = now - timedelta(days=keep_days)
    with transaction(con):
        return empty_raw(con, cutoff)
