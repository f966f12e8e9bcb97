-- How close each segment whose words name no stage came to each stage by meaning, stored by
-- the tag step so the theme's stage mix can be weighed against it on every later run (as the
-- theme gathers pattern-tagged segments) without reading the embeddings again.
-- Working data: not published. Segments tagged before this table existed have no row; they
-- are weighed again after `vocmine tag --rebuild`.
CREATE TABLE segment_stage_similarity (
    segment_id       VARCHAR NOT NULL,
    similarity       FLOAT[] NOT NULL,  -- cosine to each stage, in journey_stages.position order
    taxonomy_version VARCHAR NOT NULL
);
