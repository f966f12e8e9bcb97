-- Each feedback's themes as a case: the primary theme (rank 1) and up to two secondary ones.
-- A theme's weight in a feedback is the cosines of the feedback's segments placed in it, times
-- how specific the theme is across feedback, ln((1 + feedback) / feedback raising it), like a
-- word's IDF: narrative that many complaints share ("I called them again", "they said they
-- would call back") counts for little beside what sets this complaint apart, and a theme in
-- every feedback keeps a little weight for feedback that says nothing else. Confidence: the
-- theme's share of the feedback's weight.
DELETE FROM feedback_themes;
INSERT INTO feedback_themes
WITH placed AS (
    SELECT s.feedback_id, st.theme_id, st.similarity
    FROM segments s JOIN segment_themes st USING (segment_id)
    JOIN themes t ON t.theme_id = st.theme_id AND t.status = 'active' AND t.level = 2
), feedback_count AS (
    SELECT count(DISTINCT feedback_id) AS n FROM placed
), spread AS (
    SELECT theme_id, count(DISTINCT feedback_id) AS feedback FROM placed GROUP BY theme_id
), weighed AS (
    SELECT p.feedback_id, p.theme_id,
           sum(greatest(p.similarity, 0)) * ln((1 + fc.n) / sp.feedback) AS weight
    FROM placed p JOIN spread sp USING (theme_id) CROSS JOIN feedback_count fc
    GROUP BY p.feedback_id, p.theme_id, fc.n, sp.feedback
), ranked AS (
    SELECT feedback_id, theme_id,
           row_number() OVER (PARTITION BY feedback_id ORDER BY weight DESC, theme_id) AS rank,
           weight / nullif(sum(weight) OVER (PARTITION BY feedback_id), 0) AS confidence
    FROM weighed
)
SELECT feedback_id, theme_id, rank, 'segments', coalesce(confidence, 0)
FROM ranked
WHERE rank <= $themes_per_feedback;
