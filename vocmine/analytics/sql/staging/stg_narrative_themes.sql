-- Narrative filler: themes long complaints raise whatever they are about ("I called them again",
-- "they said they would call back", "I never got a response"). Long feedback is placed on kinds
-- of case by its whole text (feedback_themes, method 'case'); a theme raised by long feedback of
-- every kind in the same proportions as all long feedback says nothing about the case. Its
-- divergence is the KL divergence (nats) of the kinds of the long feedback raising it from the
-- kinds of all long feedback: ~0 for narrative, ln(1 / share) for a theme of one kind alone.
-- A theme is narrative when at least 5% of long feedback raise it and its divergence is below
-- 0.05 (the sampling noise of 100 feedback over 5 kinds is ~0.02). No kinds of case (short
-- feedback only, as in call notes or reviews): no theme is narrative. One row per active theme.
WITH kind AS (
    SELECT feedback_id, theme_id AS kind FROM feedback_themes WHERE rank = 1 AND method = 'case'
), long AS (
    SELECT count(*) AS n FROM kind
), kind_share AS (
    SELECT kind, count(*) / any_value(long.n) AS share FROM kind CROSS JOIN long GROUP BY kind
), raising AS (
    SELECT DISTINCT st.theme_id, s.feedback_id
    FROM stg_segments s JOIN segment_themes st USING (segment_id)
    WHERE st.theme_id IS NOT NULL AND s.feedback_id IN (SELECT feedback_id FROM kind)
), spread AS (
    SELECT r.theme_id, k.kind, count(*) AS feedback FROM raising r JOIN kind k USING (feedback_id) GROUP BY ALL
), total AS (
    SELECT theme_id, sum(feedback)::BIGINT AS long_feedback FROM spread GROUP BY theme_id
), divergence AS (
    SELECT s.theme_id, t.long_feedback,
           sum(s.feedback / t.long_feedback * ln(s.feedback / t.long_feedback / ks.share)) AS divergence
    FROM spread s JOIN total t USING (theme_id) JOIN kind_share ks USING (kind)
    GROUP BY s.theme_id, t.long_feedback
)
SELECT t.theme_id, coalesce(d.long_feedback, 0)::BIGINT AS long_feedback,
       coalesce(d.long_feedback / long.n, 0) AS long_feedback_share, d.divergence,
       coalesce(d.long_feedback / long.n >= 0.05 AND d.divergence < 0.05, false) AS is_narrative
FROM stg_themes t
CROSS JOIN long
LEFT JOIN divergence d USING (theme_id)
