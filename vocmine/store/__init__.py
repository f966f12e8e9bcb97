"""The DuckDB store: connections, numbered migrations, runs."""

from vocmine.store.db import DatabaseBusy, connect, open_read_only
from vocmine.store.migrate import apply_migrations

__all__ = ["DatabaseBusy", "apply_migrations", "connect", "open_read_only"]
