-- One row per active theme: its dominant (known) stage and touchpoint and their shares of
-- the theme's segments, e.g. "billing themes at the app touchpoint".
WITH stage AS (
    SELECT theme_id, first(journey_stage ORDER BY segments DESC, journey_stage) AS dominant_stage,
           max(share) AS dominant_stage_share
    FROM theme_stages WHERE journey_stage <> 'unknown' GROUP BY theme_id
), touchpoint AS (
    SELECT theme_id, first(touchpoint ORDER BY segments DESC, touchpoint) AS dominant_touchpoint,
           max(share) AS dominant_touchpoint_share
    FROM theme_touchpoints WHERE touchpoint <> 'unknown' GROUP BY theme_id
)
SELECT t.theme_id, t.label, t.size, s.dominant_stage, s.dominant_stage_share,
       p.dominant_touchpoint, p.dominant_touchpoint_share
FROM stg_themes t
LEFT JOIN stage s USING (theme_id)
LEFT JOIN touchpoint p USING (theme_id)
