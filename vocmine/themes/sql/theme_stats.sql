-- Sizes and first/last seen of every theme of a model, and of each group through its themes.
-- segment_themes holds the theme a segment counts for, so merged rows end up empty.
-- Parameters: $model.
UPDATE themes
SET size = coalesce(stats.size, 0), first_seen = stats.first_seen, last_seen = stats.last_seen
FROM (
    WITH per_theme AS (
        SELECT st.theme_id, count(*) AS size, min(coalesce(f.received_at, f.ingested_at)) AS first_seen,
               max(coalesce(f.received_at, f.ingested_at)) AS last_seen
        FROM segment_themes st
        JOIN segments s USING (segment_id)
        JOIN feedback f USING (feedback_id)
        WHERE st.theme_id IS NOT NULL
        GROUP BY st.theme_id
    ), per_group AS (
        SELECT t.parent_id AS theme_id, sum(p.size) AS size, min(p.first_seen) AS first_seen,
               max(p.last_seen) AS last_seen
        FROM per_theme p JOIN themes t USING (theme_id)
        WHERE t.parent_id IS NOT NULL AND t.status = 'active'
        GROUP BY t.parent_id
    ), both_levels AS (
        SELECT * FROM per_theme UNION ALL SELECT * FROM per_group
    )
    SELECT t.theme_id, b.size, b.first_seen, b.last_seen
    FROM themes t LEFT JOIN both_levels b USING (theme_id)
    WHERE t.model = $model
) stats
WHERE themes.theme_id = stats.theme_id;
