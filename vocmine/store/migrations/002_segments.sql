-- Enrichment: segments (sentences or clauses) of redacted feedback, and what was enriched how.

CREATE TABLE segments (
    segment_id       VARCHAR NOT NULL,         -- '<feedback_id>-<position>', stable across runs
    feedback_id      VARCHAR NOT NULL,
    position         INTEGER NOT NULL,         -- 0 = first segment of the feedback
    text             VARCHAR NOT NULL,         -- redacted
    language         VARCHAR NOT NULL,
    sentiment        DOUBLE,                   -- [-1, 1]; NULL where the language has no method
    start_char       INTEGER NOT NULL,         -- offsets into feedback.text (the redacted text)
    end_char         INTEGER NOT NULL,
    lemmas           VARCHAR NOT NULL,         -- content-word lemmas, for theme keywords
    key_phrases      VARCHAR[] NOT NULL,       -- lemmatised noun phrases, e.g. 'late delivery'
    pipeline_version VARCHAR NOT NULL,
    run_id           VARCHAR NOT NULL
);

-- One row per enriched feedback: lets `vocmine enrich` do only new or outdated work.
CREATE TABLE feedback_enrichment (
    feedback_id      VARCHAR NOT NULL,
    content_hash     VARCHAR NOT NULL,
    pipeline_version VARCHAR NOT NULL,
    language         VARCHAR NOT NULL,
    language_source  VARCHAR NOT NULL CHECK (language_source IN ('mapped', 'detected')),
    segments         INTEGER NOT NULL,
    pii_counts       JSON,                     -- kind -> number redacted, e.g. {"EMAIL": 1}
    brands           VARCHAR[],                -- company handles mentioned (kept, not redacted)
    sentiment_method VARCHAR,                  -- NULL: language not supported
    run_id           VARCHAR NOT NULL,
    enriched_at      TIMESTAMP NOT NULL
);
