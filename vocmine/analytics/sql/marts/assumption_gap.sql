-- Customers' voice against the company's assumptions: confirmed, over-assumed (assumed but
-- rarely voiced), assumed but below the top priorities, and blind spots (top priorities
-- nobody assumed).
WITH cfg AS (
    SELECT * FROM analysis_settings LIMIT 1
), matched AS (
    SELECT a.assumption, a.position, a.theme_id, a.similarity, o.label, o.share, p.priority_rank
    FROM assumed_priorities a
    LEFT JOIN theme_overview o USING (theme_id)
    LEFT JOIN priorities p USING (theme_id)
), per_assumption AS (
    SELECT assumption, position,
           coalesce(sum(share), 0) AS voiced_share,
           min(priority_rank) AS best_priority_rank,
           list(label ORDER BY similarity DESC) FILTER (WHERE label IS NOT NULL) AS matched_themes,
           first(theme_id ORDER BY priority_rank NULLS LAST, similarity DESC) AS theme_id,
           max(similarity) AS similarity
    FROM matched GROUP BY assumption, position
), assumed AS (
    SELECT CASE WHEN a.voiced_share < cfg.rarely_voiced_share THEN 'over_assumed'
                WHEN a.best_priority_rank IS NOT NULL THEN 'confirmed'
                ELSE 'below_top_priorities' END AS gap,
           a.assumption, a.position AS assumption_position, a.theme_id, t.label, a.matched_themes, a.similarity,
           a.voiced_share AS share, a.best_priority_rank AS priority_rank
    FROM per_assumption a CROSS JOIN cfg
    LEFT JOIN themes t ON t.theme_id = a.theme_id
), blind_spots AS (
    SELECT 'blind_spot' AS gap, NULL AS assumption, NULL AS assumption_position, p.theme_id, p.label,
           NULL AS matched_themes, NULL AS similarity, p.share, p.priority_rank
    FROM priorities p
    WHERE p.theme_id NOT IN (SELECT theme_id FROM assumed_priorities WHERE theme_id IS NOT NULL)
)
SELECT * FROM assumed
UNION ALL
SELECT * FROM blind_spots
