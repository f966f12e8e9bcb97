-- A team's segments ([teams.NAME] in the config, copied to the table teams): at any of its
-- stages, touchpoints or themes (everything when it names none).
WITH tagged AS (
    SELECT s.segment_id, s.feedback_id, sj.journey_stage, sj.touchpoint, st.theme_id
    FROM stg_segments s
    LEFT JOIN segment_journey sj USING (segment_id)
    LEFT JOIN segment_themes st USING (segment_id)
)
SELECT tm.team, tg.segment_id, tg.feedback_id, tg.theme_id
FROM teams tm CROSS JOIN tagged tg
WHERE len(tm.stages) + len(tm.touchpoints) + len(tm.theme_ids) = 0
   OR list_contains(tm.stages, tg.journey_stage)
   OR list_contains(tm.touchpoints, tg.touchpoint)
   OR list_contains(tm.theme_ids, tg.theme_id)
