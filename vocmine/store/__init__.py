"""The DuckDB store: connections, numbered migrations, runs, and ``store_session`` (a with-block that always closes)."""

from vocmine.store.db import DatabaseBusy, check_analyst_query, connect, open_for_analysts, open_read_only
from vocmine.store.migrate import apply_migrations
from vocmine.store.session import store_session

__all__ = ["DatabaseBusy", "apply_migrations", "check_analyst_query", "connect", "open_for_analysts", "open_read_only",
           "store_session"]
