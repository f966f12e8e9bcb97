-- Each feedback's themes as a case (feedback_themes, written by the theme step): rank 1 is its
-- primary theme, 2 and 3 secondary. A theme an analyst merged since the last theme step counts
-- for the theme it was merged into; only themes analysts see (stg_themes) are kept.
WITH resolved AS (
    SELECT ft.feedback_id, CASE WHEN t.status = 'merged' THEN t.merged_into ELSE ft.theme_id END AS theme_id,
           ft.rank, ft.method, ft.confidence
    FROM feedback_themes ft JOIN themes t USING (theme_id)
)
SELECT r.feedback_id, r.theme_id, r.rank, r.rank = 1 AS is_primary, r.method, r.confidence
FROM resolved r
WHERE r.theme_id IN (SELECT theme_id FROM stg_themes)
