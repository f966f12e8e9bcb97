-- Embedding cache: one vector per (model, text), reused across runs and rebuilds. Segments
-- with the same text (common in short feedback) share one row.
CREATE TABLE embeddings (
    model     VARCHAR NOT NULL,               -- backend key, e.g. 'minilm:all-MiniLM-L6-v2'
    text_hash VARCHAR NOT NULL,               -- md5 of the segment text
    vector    FLOAT[] NOT NULL,               -- L2-normalised
    run_id    VARCHAR NOT NULL
);
