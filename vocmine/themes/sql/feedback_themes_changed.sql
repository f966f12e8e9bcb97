-- Feedback whose themes as a case must be (re)written tonight: segments placed by this run,
-- feedback that says something themed but has no row yet, and rows gone stale (a theme since
-- merged or retired, or a segment theme the feedback no longer has: a segment enrichment has
-- since found to be boilerplate, or re-enriched text). Parameter: $run_id.
WITH said AS (
    SELECT segment_id, feedback_id FROM segments
    WHERE segment_id NOT IN (SELECT segment_id FROM segment_boilerplate)
), themed AS (
    SELECT s.feedback_id, st.theme_id, st.run_id
    FROM said s JOIN segment_themes st USING (segment_id)
    WHERE st.theme_id IS NOT NULL
)
SELECT s.feedback_id FROM said s JOIN segment_themes st USING (segment_id) WHERE st.run_id = $run_id
UNION
SELECT feedback_id FROM themed WHERE feedback_id NOT IN (SELECT feedback_id FROM feedback_themes)
UNION
SELECT ft.feedback_id FROM feedback_themes ft JOIN themes t USING (theme_id)
WHERE t.status <> 'active'
UNION
SELECT ft.feedback_id FROM feedback_themes ft
WHERE ft.method = 'segments'
  AND NOT EXISTS (SELECT 1 FROM themed th WHERE th.feedback_id = ft.feedback_id AND th.theme_id = ft.theme_id)
UNION
SELECT feedback_id FROM feedback_themes WHERE feedback_id NOT IN (SELECT feedback_id FROM themed)
