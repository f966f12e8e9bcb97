-- Long feedback (at least $min_segments segments that are not boilerplate) and each segment
-- theme it raises: what kinds of case are named by at a refit.
WITH said AS (
    SELECT segment_id, feedback_id FROM segments
    WHERE segment_id NOT IN (SELECT segment_id FROM segment_boilerplate)
), long AS (
    SELECT feedback_id FROM said GROUP BY feedback_id HAVING count(*) >= $min_segments
)
SELECT l.feedback_id, list(DISTINCT st.theme_id ORDER BY st.theme_id) FILTER (WHERE t.theme_id IS NOT NULL) AS themes
FROM long l
JOIN said s USING (feedback_id)
LEFT JOIN segment_themes st USING (segment_id)
LEFT JOIN themes t ON t.theme_id = st.theme_id AND t.status = 'active' AND t.level = 2
GROUP BY l.feedback_id
ORDER BY l.feedback_id
