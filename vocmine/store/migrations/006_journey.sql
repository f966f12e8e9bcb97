-- Journey stages and touchpoints: the taxonomy in use, each segment's tags, and per theme.

-- The taxonomy of the latest tagging run, in journey order (replaced by each run).
CREATE TABLE journey_stages (
    stage_id         VARCHAR NOT NULL,
    position         INTEGER NOT NULL,        -- 1 = first stage of the journey
    name             VARCHAR NOT NULL,
    description      VARCHAR NOT NULL,
    taxonomy_version VARCHAR NOT NULL
);

CREATE TABLE touchpoints (
    touchpoint_id    VARCHAR NOT NULL,
    position         INTEGER NOT NULL,
    name             VARCHAR NOT NULL,
    description      VARCHAR NOT NULL,
    channels         VARCHAR[] NOT NULL,      -- feedback.channel values that imply it
    taxonomy_version VARCHAR NOT NULL
);

CREATE TABLE segment_journey (
    segment_id               VARCHAR NOT NULL,
    journey_stage            VARCHAR NOT NULL,  -- a stage id, or 'unknown'
    journey_stage_confidence DOUBLE NOT NULL,   -- rule: share of pattern matches; semantic: cosine
    journey_stage_method     VARCHAR NOT NULL CHECK (journey_stage_method IN ('rule', 'semantic', 'none')),
    touchpoint               VARCHAR NOT NULL,  -- a touchpoint id, or 'unknown'
    touchpoint_confidence    DOUBLE NOT NULL,
    touchpoint_method        VARCHAR NOT NULL CHECK (touchpoint_method IN ('metadata', 'rule', 'semantic', 'none')),
    taxonomy_version         VARCHAR NOT NULL,
    run_id                   VARCHAR NOT NULL
);

-- Each theme over the journey: how its segments spread over stages and touchpoints.
CREATE VIEW theme_stages AS
SELECT st.theme_id, sj.journey_stage, count(*) AS segments,
       count(*) / sum(count(*)) OVER (PARTITION BY st.theme_id) AS share
FROM segment_themes st JOIN segment_journey sj USING (segment_id)
WHERE st.theme_id IS NOT NULL
GROUP BY st.theme_id, sj.journey_stage;

CREATE VIEW theme_touchpoints AS
SELECT st.theme_id, sj.touchpoint, count(*) AS segments,
       count(*) / sum(count(*)) OVER (PARTITION BY st.theme_id) AS share
FROM segment_themes st JOIN segment_journey sj USING (segment_id)
WHERE st.theme_id IS NOT NULL
GROUP BY st.theme_id, sj.touchpoint;

-- One row per active theme: its dominant (known) stage and touchpoint and their shares of
-- the theme's segments, e.g. "billing themes at the app touchpoint".
CREATE VIEW theme_journey AS
WITH stage AS (
    SELECT theme_id, first(journey_stage ORDER BY segments DESC, journey_stage) AS dominant_stage,
           max(share) AS dominant_stage_share
    FROM theme_stages WHERE journey_stage <> 'unknown' GROUP BY theme_id
), touchpoint AS (
    SELECT theme_id, first(touchpoint ORDER BY segments DESC, touchpoint) AS dominant_touchpoint,
           max(share) AS dominant_touchpoint_share
    FROM theme_touchpoints WHERE touchpoint <> 'unknown' GROUP BY theme_id
)
SELECT t.theme_id, t.label, t.size, s.dominant_stage, s.dominant_stage_share,
       p.dominant_touchpoint, p.dominant_touchpoint_share
FROM themes t
LEFT JOIN stage s USING (theme_id)
LEFT JOIN touchpoint p USING (theme_id)
WHERE t.status = 'active' AND t.level = 2;
