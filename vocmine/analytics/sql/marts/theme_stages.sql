-- Each theme's segments by journey stage, and their share of the theme's tagged segments.
WITH tagged AS (
    SELECT st.theme_id, sj.journey_stage
    FROM segment_themes st JOIN segment_journey sj USING (segment_id)
    WHERE st.theme_id IS NOT NULL
), counted AS (
    SELECT theme_id, journey_stage, count(*) AS segments
    FROM tagged GROUP BY theme_id, journey_stage
)
SELECT theme_id, journey_stage, segments, segments / sum(segments) OVER (PARTITION BY theme_id) AS share
FROM counted
