-- One emerging-theme check: each active theme's share of the latest ISO week against its own
-- trailing weeks (zero-filled), as a z-score. The spread is at least the sampling noise of a
-- share (binomial: sqrt(p(1-p)/n)), so a steady small theme does not flag on a lucky week.
-- A theme first seen within the last $new_within_weeks weeks is new, provided the data has
-- at least 4 weeks before that window (otherwise everything would be new).
-- Parameters: $run_id, $model, $baseline_weeks, $new_within_weeks, $emerging_z, $min_volume.
DELETE FROM theme_trends WHERE run_id = $run_id;

INSERT INTO theme_trends
WITH totals AS (
    SELECT week, sum(volume) AS total FROM theme_weekly GROUP BY week
), latest AS (
    SELECT max(week) AS week FROM totals
), grid AS (
    SELECT t.theme_id, w.week, coalesce(tw.volume, 0) AS volume, coalesce(tw.volume, 0) / w.total AS share
    FROM themes t
    CROSS JOIN totals w
    LEFT JOIN theme_weekly tw ON tw.theme_id = t.theme_id AND tw.week = w.week
    WHERE t.status = 'active' AND t.level = 2 AND t.model = $model
), baseline AS (
    -- summed in week order: a parallel sum's last bits depend on the order rows arrive in
    SELECT g.theme_id, count(*) AS weeks, avg(g.share ORDER BY g.week) AS mean,
           coalesce(stddev_samp(g.share ORDER BY g.week), 0) AS sd
    FROM grid g, latest
    WHERE g.week < latest.week AND g.week >= latest.week - INTERVAL (7 * $baseline_weeks) DAY
    GROUP BY g.theme_id
), history AS (
    SELECT count(*) AS weeks FROM totals, latest
    WHERE totals.week <= latest.week - INTERVAL (7 * $new_within_weeks) DAY
), scored AS (
    SELECT g.theme_id, g.week, g.volume, g.share, coalesce(b.weeks, 0) AS baseline_weeks, b.mean, b.sd,
           CASE WHEN b.weeks >= 4 THEN (g.share - b.mean)
               / greatest(b.sd, sqrt(greatest(b.mean, 1 / w.total) * (1 - b.mean) / w.total)) END AS z,
           coalesce((SELECT weeks FROM history) >= 4
               AND t.first_seen >= latest.week - INTERVAL (7 * ($new_within_weeks - 1)) DAY, false) AS is_new,
           t.first_seen
    FROM grid g
    JOIN latest USING (week)
    JOIN totals w USING (week)
    JOIN themes t USING (theme_id)
    LEFT JOIN baseline b USING (theme_id)
)
SELECT $run_id, now()::TIMESTAMP, theme_id, week, volume, share, baseline_weeks, mean, sd, z, is_new,
       volume >= $min_volume AND (is_new OR coalesce(z >= $emerging_z, false)) AS emerging,
       CASE
           WHEN is_new THEN printf('new: first seen %s, %d segments (%.1f%%) this week',
                                   strftime(first_seen, '%Y-%m-%d'), volume, 100 * share)
           WHEN z IS NULL THEN printf('only %d prior weeks to compare with (4 needed)', baseline_weeks)
           ELSE printf('%.1f%% this week vs %.1f%% ± %.1f%% over %d weeks (z %.1f)',
                       100 * share, 100 * mean, 100 * sd, baseline_weeks, z)
       END || CASE WHEN volume < $min_volume AND (is_new OR coalesce(z >= $emerging_z, false))
                   THEN printf('; below %d segments, not flagged', $min_volume) ELSE '' END
FROM scored;
