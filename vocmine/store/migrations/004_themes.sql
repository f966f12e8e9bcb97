-- The theme registry: IDs that survive refits, what happened to them, and each segment's theme.

CREATE TABLE themes (
    theme_id     INTEGER NOT NULL,            -- stable across refits
    label        VARCHAR NOT NULL,            -- generated, or the analyst's name when custom_label
    custom_label BOOLEAN NOT NULL DEFAULT false,
    keywords     VARCHAR[] NOT NULL,
    level        INTEGER NOT NULL,            -- 1 = theme group, 2 = theme
    parent_id    INTEGER,                     -- the theme group of a theme
    status       VARCHAR NOT NULL CHECK (status IN ('active', 'merged', 'retired')),
    merged_into  INTEGER,
    size         BIGINT NOT NULL,             -- segments assigned at the last refit or assignment
    centroid     FLOAT[] NOT NULL,            -- L2-normalised, in the embedding model's space
    model        VARCHAR NOT NULL,            -- embedding model the centroid belongs to
    first_seen   TIMESTAMP,                   -- earliest received_at among its segments
    last_seen    TIMESTAMP,
    created_run  VARCHAR NOT NULL,
    updated_run  VARCHAR NOT NULL
);

-- Lineage: created, kept (matched at a refit), retired, renamed, merged.
CREATE TABLE theme_events (
    run_id    VARCHAR NOT NULL,
    happened_at TIMESTAMP NOT NULL,
    event     VARCHAR NOT NULL CHECK (event IN ('created', 'kept', 'retired', 'renamed', 'merged')),
    theme_id  INTEGER NOT NULL,
    other_id  INTEGER,                        -- merged into / matched from
    detail    VARCHAR
);

CREATE TABLE segment_themes (
    segment_id VARCHAR NOT NULL,
    theme_id   INTEGER,                       -- NULL: fits no theme (outlier)
    similarity DOUBLE NOT NULL,               -- cosine to the theme centroid
    run_id     VARCHAR NOT NULL
);
