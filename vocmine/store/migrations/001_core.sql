-- Core tables: runs, the feedback customers gave us, and what we refused to load.
-- Analyst-visible: feedback (text is filled with redacted text by enrichment), runs.
-- Restricted (never published): feedback_raw, quarantine (both may hold PII).
-- feedback_id is unique by construction (ingest skips known ids); no index is declared
-- because maintaining one costs more than the whole rest of a bulk load. Uniqueness is
-- checked by the column tests instead.

CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL,              -- ingest, enrich, ... (one pipeline step or the whole night)
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status      VARCHAR NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    counts      JSON,                          -- step-specific totals, e.g. rows read/loaded/duplicates/quarantined
    error       VARCHAR                        -- why a run failed, for the operator
);

CREATE TABLE feedback (
    feedback_id  VARCHAR NOT NULL,             -- stable: derived from source + external id (or content hash)
    source       VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL CHECK (kind IN ('call_note', 'review', 'complaint', 'survey', 'social')),
    external_id  VARCHAR,                      -- the id the source system gave the row, if mapped
    received_at  TIMESTAMP,                    -- UTC
    channel      VARCHAR,
    rating       DOUBLE,
    customer_id  VARCHAR,
    language     VARCHAR,                      -- ISO 639-1, from the mapping or language identification
    text         VARCHAR,                      -- redacted text, safe for analysts; NULL until enrichment
    metadata     JSON,                         -- extra source columns kept verbatim (strings)
    content_hash VARCHAR NOT NULL,             -- sha256 of text, received_at and customer_id as received
    dedup_key    VARCHAR NOT NULL,             -- 'id:<external_id>' or 'hash:<content_hash>'
    file         VARCHAR,                      -- provenance: the file and data row it came from
    row_number   BIGINT,
    run_id       VARCHAR NOT NULL,
    ingested_at  TIMESTAMP NOT NULL
);

-- Raw text as received, kept only until enrichment has written the redacted text.
CREATE TABLE feedback_raw (
    feedback_id VARCHAR NOT NULL,
    text        VARCHAR NOT NULL
);

CREATE TABLE quarantine (
    run_id         VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    file           VARCHAR NOT NULL,
    row_number     BIGINT,                     -- 1 = first data row (after a CSV header)
    reason         VARCHAR NOT NULL,
    raw            VARCHAR,                    -- the row as read (CSV line, JSON line or JSON of the columns)
    quarantined_at TIMESTAMP NOT NULL
);

-- One row per file per ingest run: what was read and where every row went.
CREATE TABLE ingested_files (
    run_id      VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    file        VARCHAR NOT NULL,
    status      VARCHAR NOT NULL CHECK (status IN ('loaded', 'failed')),
    rows_read   BIGINT NOT NULL,
    loaded      BIGINT NOT NULL,
    duplicates  BIGINT NOT NULL,
    quarantined BIGINT NOT NULL,
    error       VARCHAR,
    finished_at TIMESTAMP NOT NULL
);
