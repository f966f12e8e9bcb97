-- Themes whose share of the team's feedback moved most between the previous period and this one.
WITH now AS (
    SELECT theme_id, volume, share FROM team_theme_periods
    WHERE team = $team AND period = $period AND period_start = $start AND theme_id IS NOT NULL
), before AS (
    SELECT theme_id, volume, share FROM team_theme_periods
    WHERE team = $team AND period = $period AND period_start = $previous_start AND theme_id IS NOT NULL
)
SELECT theme_id, t.label, coalesce(n.volume, 0) AS volume, coalesce(b.volume, 0) AS previous_volume,
       coalesce(n.share, 0) AS share, coalesce(b.share, 0) AS previous_share,
       coalesce(n.share, 0) - coalesce(b.share, 0) AS share_change
FROM now n FULL JOIN before b USING (theme_id)
JOIN themes t USING (theme_id)
ORDER BY abs(share_change) DESC, theme_id
LIMIT $limit;
