-- The pipeline's run log: one `runs` row per pipeline run (kind 'pipeline'; its counts hold the
-- versions it ran with) and one row per step it took, so an interrupted run resumes at the
-- step it was in, and `vocmine status` can tell what each night did.
CREATE TABLE pipeline_steps (
    run_id      VARCHAR NOT NULL,              -- the pipeline run (runs.run_id)
    step        VARCHAR NOT NULL,              -- ingest, enrich, embed, themes, tag, views, publish, reports
    position    INTEGER NOT NULL,              -- order within the pipeline
    status      VARCHAR NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    seconds     DOUBLE,
    counts      JSON,                          -- what the step did, e.g. loaded, segments, new themes
    error       VARCHAR
);
