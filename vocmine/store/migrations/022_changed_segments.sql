-- One writer per table (issue 22): enrichment no longer deletes the theme and journey rows of a
-- segment whose text it changed. It records the change here; the theme and journey steps drop
-- their own rows of a segment changed after the run that placed it, and place it again.
CREATE TABLE changed_segments (
    segment_id  VARCHAR NOT NULL,              -- a segment whose text changed, or that is gone
    feedback_id VARCHAR NOT NULL,
    run_id      VARCHAR NOT NULL,              -- the enrichment run that changed it
    changed_at  TIMESTAMP NOT NULL             -- the latest change (one row per segment)
);
