"""The DuckDB store: connections, numbered migrations, runs."""

from vocmine.store.db import DatabaseBusy, check_analyst_query, connect, open_for_analysts, open_read_only
from vocmine.store.migrate import apply_migrations

__all__ = ["DatabaseBusy", "apply_migrations", "check_analyst_query", "connect", "open_for_analysts", "open_read_only"]
