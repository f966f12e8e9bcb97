-- A team's themes: named by the team, or mostly at its stages or touchpoints (theme_journey).
WITH owned AS (
    SELECT tm.team, tj.theme_id, tj.label
    FROM teams tm CROSS JOIN theme_journey tj
    WHERE len(tm.stages) + len(tm.touchpoints) + len(tm.theme_ids) = 0
       OR list_contains(tm.theme_ids, tj.theme_id)
       OR list_contains(tm.stages, tj.dominant_stage)
       OR list_contains(tm.touchpoints, tj.dominant_touchpoint)
)
SELECT team, theme_id, label
FROM owned
