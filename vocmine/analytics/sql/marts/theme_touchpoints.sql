-- Each theme's segments by touchpoint, and their share of the theme's tagged segments.
WITH tagged AS (
    SELECT st.theme_id, sj.touchpoint
    FROM segment_themes st JOIN segment_journey sj USING (segment_id)
    WHERE st.theme_id IS NOT NULL
), counted AS (
    SELECT theme_id, touchpoint, count(*) AS segments
    FROM tagged GROUP BY theme_id, touchpoint
)
SELECT theme_id, touchpoint, segments, segments / sum(segments) OVER (PARTITION BY theme_id) AS share
FROM counted
