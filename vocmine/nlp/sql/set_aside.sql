-- Feedback that enrichment could not process (found by halving the failed batch) is set aside:
-- the row goes to quarantine with the error, where it came from and its raw text, and leaves
-- feedback and feedback_raw, so the night finishes the rest and no unredacted text is left in
-- feedback_raw. Input: batch_failed(feedback_id, reason) (Arrow). Parameters: $run_id.
INSERT INTO quarantine (run_id, source, file, row_number, reason, raw, quarantined_at, step, feedback_id)
SELECT $run_id, f.source, coalesce(f.file, ''), f.row_number, 'enrichment failed: ' || b.reason, r.text,
       now()::TIMESTAMP, 'enrich', f.feedback_id
FROM batch_failed b
JOIN feedback f USING (feedback_id)
LEFT JOIN feedback_raw r USING (feedback_id);

DELETE FROM feedback_raw WHERE feedback_id IN (SELECT feedback_id FROM batch_failed);
DELETE FROM feedback WHERE feedback_id IN (SELECT feedback_id FROM batch_failed);
