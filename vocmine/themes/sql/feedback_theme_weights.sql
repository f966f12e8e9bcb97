-- Each feedback's segment themes weighed by how specific they are: the cosines of its segments
-- placed in a theme, times ln((1 + feedback) / feedback raising the theme), like a word's IDF in
-- search. Narrative that many feedback share ("I called them again") counts for little beside
-- what sets this one apart; a theme in every feedback keeps a little weight, so feedback that
-- says nothing else still has it. Only for the feedback in `refreshed_feedback`; `segments` is
-- how many of its segments say something (boilerplate left out), themed or not;
-- feedback with none themed has one row with no theme.
WITH said AS (
    SELECT segment_id, feedback_id FROM segments
    WHERE segment_id NOT IN (SELECT segment_id FROM segment_boilerplate)
), placed AS (
    SELECT s.feedback_id, st.theme_id, st.similarity
    FROM said s JOIN segment_themes st USING (segment_id)
    JOIN themes t ON t.theme_id = st.theme_id AND t.status = 'active' AND t.level = 2
), feedback_count AS (
    SELECT count(DISTINCT feedback_id) AS n FROM placed
), spread AS (
    SELECT theme_id, count(DISTINCT feedback_id) AS feedback FROM placed GROUP BY theme_id
), wanted AS (
    SELECT DISTINCT feedback_id FROM refreshed_feedback
), length AS (
    SELECT feedback_id, count(*) AS segments FROM said WHERE feedback_id IN (SELECT feedback_id FROM wanted)
    GROUP BY feedback_id
), weighed AS (
    SELECT p.feedback_id, p.theme_id, sum(greatest(p.similarity, 0.01)) * ln((1 + fc.n) / sp.feedback) AS weight
    FROM placed p
    JOIN wanted USING (feedback_id)
    JOIN spread sp USING (theme_id)
    CROSS JOIN feedback_count fc
    GROUP BY p.feedback_id, p.theme_id, fc.n, sp.feedback
)
SELECT l.feedback_id, w.theme_id, l.segments, w.weight
FROM length l
LEFT JOIN weighed w USING (feedback_id)
ORDER BY l.feedback_id, w.weight DESC, w.theme_id
