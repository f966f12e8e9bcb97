-- Ingest's new and changed feedback (vocmine.store.feedback.add_loaded): the feedback row is
-- replaced whole, its text NULL and its raw text in feedback_raw until enrichment redacts it.
-- Inputs: ingest's temp tables _replaced(feedback_id), _new (ingest/sql/load.sql).
-- Parameters: $source, $kind, $file, $run_id.
DELETE FROM feedback WHERE feedback_id IN (SELECT feedback_id FROM _replaced);
DELETE FROM feedback_raw WHERE feedback_id IN (SELECT feedback_id FROM _replaced);

INSERT INTO feedback (
    feedback_id, source, kind, external_id, received_at, channel, rating, customer_id,
    language, text, metadata, content_hash, dedup_key, file, row_number, run_id, ingested_at
)
SELECT
    feedback_id, $source, $kind, external_id, received_at, channel, rating, customer_id,
    language, NULL, metadata, content_hash, dedup_key, $file, _row, $run_id, now()::TIMESTAMP
FROM _new;

INSERT INTO feedback_raw SELECT feedback_id, text FROM _new;
