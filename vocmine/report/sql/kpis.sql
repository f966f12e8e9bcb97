-- A team's headline numbers for the report period and the periods before it (sparklines).
SELECT metric, period_start, value, n
FROM team_kpis
WHERE team = $team AND period = $period AND period_start BETWEEN $history_start AND $start
ORDER BY metric, period_start;
