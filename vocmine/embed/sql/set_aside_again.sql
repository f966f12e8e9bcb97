-- A new segment whose text the model failed on before (set_aside.sql) is set aside at once,
-- without trying: one more quarantine row, for its own feedback, so that analysts see every
-- feedback it touches and journey tagging skips this segment too.
-- Parameters: $run_id, $model.
INSERT INTO quarantine (run_id, source, file, row_number, reason, raw, quarantined_at, step, feedback_id)
WITH failed_before AS (
    SELECT DISTINCT raw FROM quarantine
    WHERE step = 'embed' AND raw IS NOT NULL
      AND starts_with(reason, 'embedding by ' || $model || ' failed on segment ')
)
SELECT $run_id, f.source, coalesce(f.file, ''), f.row_number,
       'embedding by ' || $model || ' failed on segment ' || s.segment_id || ': the same text failed before',
       s.text, now()::TIMESTAMP, 'embed', f.feedback_id
FROM segments s
JOIN failed_before b ON b.raw = s.text
JOIN feedback f USING (feedback_id)
WHERE NOT EXISTS (
    SELECT 1 FROM quarantine q
    WHERE q.step = 'embed' AND q.feedback_id = s.feedback_id AND q.raw = s.text
      AND starts_with(q.reason, 'embedding by ' || $model || ' failed on segment ')
);
