-- Period by period volume of the given themes in the team's feedback (zero where none).
WITH periods AS (
    SELECT DISTINCT period_start FROM team_theme_periods
    WHERE team = $team AND period = $period AND period_start BETWEEN $history_start AND $start
)
SELECT t.theme_id, t.label, p.period_start, coalesce(tp.volume, 0) AS volume, coalesce(tp.share, 0) AS share
FROM themes t CROSS JOIN periods p
LEFT JOIN team_theme_periods tp ON tp.team = $team AND tp.period = $period
     AND tp.period_start = p.period_start AND tp.theme_id = t.theme_id
WHERE list_contains($theme_ids, t.theme_id)
ORDER BY t.theme_id, p.period_start;
