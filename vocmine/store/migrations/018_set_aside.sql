-- Poison inputs never stop a night (issue 20): whatever is set aside lands in `quarantine`
-- with where it came from, also when a later step (enrichment) sets a loaded feedback aside;
-- a file already ingested unchanged is recognised by its size and content hash and skipped;
-- a repeated id with different text is a new version, the replaced one kept here.
ALTER TABLE quarantine ADD COLUMN step VARCHAR;          -- ingest (NULL in older rows) or the step that set it aside
ALTER TABLE quarantine ADD COLUMN feedback_id VARCHAR;   -- a loaded feedback set aside by a later step, else NULL

ALTER TABLE ingested_files ADD COLUMN size BIGINT;        -- bytes, and sha256 of the file's bytes, when it was read
ALTER TABLE ingested_files ADD COLUMN file_hash VARCHAR;
ALTER TABLE ingested_files ADD COLUMN updated BIGINT;     -- rows that were a new version of a known feedback
ALTER TABLE ingested_files ADD COLUMN read_with VARCHAR;  -- hash of the source's settings it was read with

-- Earlier versions of feedback that a later row with the same id replaced (ingest.updates).
CREATE TABLE feedback_versions (
    feedback_id  VARCHAR NOT NULL,
    version      INTEGER NOT NULL,             -- 1 = the first version loaded; the current one is in feedback
    content_hash VARCHAR NOT NULL,
    received_at  TIMESTAMP,
    text         VARCHAR,                      -- its redacted text; NULL if replaced before it was enriched
    file         VARCHAR,                      -- where that version came from
    row_number   BIGINT,
    replaced_by_file VARCHAR NOT NULL,         -- the file and ingest run that brought the newer version
    run_id       VARCHAR NOT NULL,
    replaced_at  TIMESTAMP NOT NULL
);
