"""Ingestion: source files (CSV, JSON lines, Parquet) into the feedback table."""

from vocmine.ingest.load import (
    FileSummary,
    IngestResult,
    archive_folder,
    expand_paths,
    inbox_files,
    ingest_file,
    ingest_files,
)
from vocmine.ingest.readers import IngestError

__all__ = ["FileSummary", "IngestError", "IngestResult", "archive_folder", "expand_paths", "inbox_files", "ingest_file",
           "ingest_files"]
