-- Feedback that enrichment could not process (found by halving the failed batch) is set aside:
-- the row goes to quarantine with the error, where it came from and its raw text, and leaves
-- feedback and feedback_raw, so the night finishes the rest and no unredacted text is left in
-- feedback_raw. This file is what goes to quarantine (vocmine.store.quarantine.set_aside).
-- Input: batch_failed(feedback_id, reason) (Arrow).
SELECT f.source, coalesce(f.file, '') AS file, f.row_number, 'enrichment failed: ' || b.reason AS reason,
       r.text AS raw, f.feedback_id
FROM batch_failed b
JOIN feedback f USING (feedback_id)
LEFT JOIN feedback_raw r USING (feedback_id)
