-- A segment with no stage pattern may take its theme's stage (journey_stage_method 'theme'):
-- segment_journey is rebuilt with that method allowed (DuckDB cannot alter a CHECK constraint).
CREATE TABLE segment_journey_011 (
    segment_id               VARCHAR NOT NULL,
    journey_stage            VARCHAR NOT NULL,  -- a stage id, or 'unknown'
    journey_stage_confidence DOUBLE NOT NULL,   -- rule: share of pattern matches; semantic: cosine; theme: share
    journey_stage_method     VARCHAR NOT NULL CHECK (journey_stage_method IN ('rule', 'theme', 'semantic', 'none')),
    touchpoint               VARCHAR NOT NULL,  -- a touchpoint id, or 'unknown'
    touchpoint_confidence    DOUBLE NOT NULL,
    touchpoint_method        VARCHAR NOT NULL CHECK (touchpoint_method IN ('metadata', 'rule', 'semantic', 'none')),
    taxonomy_version         VARCHAR NOT NULL,
    run_id                   VARCHAR NOT NULL
);
INSERT INTO segment_journey_011 FROM segment_journey;
DROP TABLE segment_journey;
ALTER TABLE segment_journey_011 RENAME TO segment_journey;
