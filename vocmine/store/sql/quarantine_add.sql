-- Items a step set aside (vocmine.store.quarantine.set_aside), stamped with the step and run.
-- Input: set_aside_rows(source, file, row_number, reason, raw, feedback_id) (Arrow).
-- Parameters: $run_id, $step.
INSERT INTO quarantine (run_id, source, file, row_number, reason, raw, quarantined_at, step, feedback_id)
SELECT $run_id, source, file, row_number, reason, raw, now()::TIMESTAMP, $step, feedback_id
FROM set_aside_rows
