-- Nightly theme assignment, curation lineage, weekly theme trends and emerging flags,
-- and the record of saved theme fits.

-- A theme row's centroid is an "anchor" when it comes from the current fit (or a proposal
-- since): nightly assignment compares new segments with anchors only. A theme an analyst
-- merged into another keeps its own anchor, which then resolves to the surviving theme.
ALTER TABLE themes ADD COLUMN anchor BOOLEAN DEFAULT false;
ALTER TABLE themes ADD COLUMN assign_floor DOUBLE;  -- nightly: below this cosine a new segment stays unassigned
UPDATE themes SET anchor = (status = 'active');

-- 'split' (a new theme taken mostly from a kept one) joins the lineage events.
ALTER TABLE theme_events RENAME TO theme_events_004;
CREATE TABLE theme_events (
    run_id      VARCHAR NOT NULL,
    happened_at TIMESTAMP NOT NULL,
    event       VARCHAR NOT NULL CHECK (event IN ('created', 'kept', 'retired', 'renamed', 'merged', 'split')),
    theme_id    INTEGER NOT NULL,
    other_id    INTEGER,                      -- merged into / split from
    detail      VARCHAR
);
INSERT INTO theme_events SELECT * FROM theme_events_004;
DROP TABLE theme_events_004;

-- Saved fits (safetensors folders); the newest per embedding model is the current one.
CREATE TABLE theme_fits (
    run_id   VARCHAR NOT NULL,
    model    VARCHAR NOT NULL,
    path     VARCHAR,                         -- NULL: not saved
    saved_at TIMESTAMP NOT NULL,
    segments BIGINT NOT NULL,
    themes   INTEGER NOT NULL,
    pruned   BOOLEAN NOT NULL DEFAULT false   -- folder deleted to keep only the newest fits
);

-- Emerging-theme checks: one row per active theme each time trends are computed.
CREATE TABLE theme_trends (
    run_id          VARCHAR NOT NULL,
    computed_at     TIMESTAMP NOT NULL,
    theme_id        INTEGER NOT NULL,
    week            DATE NOT NULL,            -- the most recent ISO week in the data (Monday)
    volume          BIGINT NOT NULL,          -- segments of the theme that week
    share           DOUBLE NOT NULL,          -- of all segments that week
    baseline_weeks  INTEGER NOT NULL,         -- prior weeks compared against (up to themes.baseline_weeks)
    baseline_share  DOUBLE,                   -- mean weekly share over those weeks
    baseline_sd     DOUBLE,
    z_score         DOUBLE,                   -- NULL with fewer than 4 prior weeks
    is_new          BOOLEAN NOT NULL,         -- first seen within the last themes.new_within_weeks
    emerging        BOOLEAN NOT NULL,
    reason          VARCHAR                   -- why it is (or is not) emerging, in words
);

-- Theme x ISO week: how much of that week's feedback a theme holds, and its tone.
CREATE VIEW theme_weekly AS
WITH weekly AS (
    SELECT st.theme_id, date_trunc('week', f.received_at)::DATE AS week, s.sentiment
    FROM segment_themes st
    JOIN segments s USING (segment_id)
    JOIN feedback f USING (feedback_id)
)
SELECT theme_id, week, count(*) AS volume,
       count(*) / sum(count(*)) OVER (PARTITION BY week) AS share,
       avg(sentiment) AS avg_sentiment
FROM weekly
GROUP BY theme_id, week;

-- The latest emerging-theme check.
CREATE VIEW emerging_themes AS
SELECT t.theme_id, t.label, tr.week, tr.volume, tr.share, tr.baseline_share, tr.z_score, tr.is_new, tr.reason
FROM theme_trends tr JOIN themes t USING (theme_id)
WHERE tr.computed_at = (SELECT max(computed_at) FROM theme_trends) AND tr.emerging;
