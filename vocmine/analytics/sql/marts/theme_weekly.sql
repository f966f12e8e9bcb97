-- Theme x ISO week: how much of that week's feedback a theme holds, and its tone. Segments
-- that fit no theme count too (theme_id NULL), so a week's shares add up to 1.
WITH placed AS (
    SELECT st.theme_id, f.week, s.sentiment
    FROM segment_themes st
    JOIN stg_segments s USING (segment_id)
    JOIN stg_feedback f USING (feedback_id)
), weekly AS (
    SELECT theme_id, week, count(*) AS volume, avg(sentiment) AS avg_sentiment
    FROM placed
    GROUP BY theme_id, week
)
SELECT theme_id, week, volume, volume / sum(volume) OVER (PARTITION BY week) AS share, avg_sentiment
FROM weekly
