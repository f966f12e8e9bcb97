-- Journey stage x touchpoint: where customers speak up, how negative it is, and about what.
WITH tagged AS (
    SELECT sj.journey_stage, sj.touchpoint, s.is_negative, st.theme_id
    FROM segment_journey sj
    JOIN stg_segments s USING (segment_id)
    LEFT JOIN segment_themes st USING (segment_id)
), cells AS (
    SELECT journey_stage, touchpoint, count(*) AS volume, avg(is_negative::INTEGER) AS negative_share
    FROM tagged GROUP BY journey_stage, touchpoint
), theme_counts AS (
    SELECT journey_stage, touchpoint, theme_id, count(*) AS segments
    FROM tagged WHERE theme_id IS NOT NULL GROUP BY ALL
), top_theme AS (
    SELECT journey_stage, touchpoint, first(theme_id ORDER BY segments DESC, theme_id) AS top_theme_id,
           max(segments) AS top_theme_segments
    FROM theme_counts GROUP BY journey_stage, touchpoint
)
SELECT c.journey_stage, js.position AS stage_position, c.touchpoint, c.volume, c.negative_share,
       tt.top_theme_id, t.label AS top_theme_label, tt.top_theme_segments
FROM cells c
LEFT JOIN journey_stages js ON js.stage_id = c.journey_stage
LEFT JOIN top_theme tt USING (journey_stage, touchpoint)
LEFT JOIN themes t ON t.theme_id = tt.top_theme_id
