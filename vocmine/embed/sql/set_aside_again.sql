-- A new segment whose text the model failed on before (set_aside.sql) is set aside at once,
-- without trying: one more quarantine row, for its own feedback, so that analysts see every
-- feedback it touches and journey tagging skips this segment too.
-- This file is what goes to quarantine (vocmine.store.quarantine.set_aside). Parameters: $model.
WITH failed_before AS (
    SELECT DISTINCT raw FROM quarantine
    WHERE step = 'embed' AND raw IS NOT NULL
      AND starts_with(reason, 'embedding by ' || $model || ' failed on segment ')
)
SELECT f.source, coalesce(f.file, '') AS file, f.row_number,
       'embedding by ' || $model || ' failed on segment ' || s.segment_id || ': the same text failed before' AS reason,
       s.text AS raw, f.feedback_id
FROM segments s
JOIN failed_before b ON b.raw = s.text
JOIN feedback f USING (feedback_id)
WHERE NOT EXISTS (
    SELECT 1 FROM quarantine q
    WHERE q.step = 'embed' AND q.feedback_id = s.feedback_id AND q.raw = s.text
      AND starts_with(q.reason, 'embedding by ' || $model || ' failed on segment ')
)
