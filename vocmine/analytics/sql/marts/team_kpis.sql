-- Team x period x metric: the headline numbers of team reports (metrics: volume,
-- negative_share, avg_sentiment, emerging_themes and every configured outcome).
WITH periods AS (
    SELECT p.*, s.is_negative
    FROM team_period_segments p JOIN stg_segments s USING (segment_id)
), team_feedback AS (
    SELECT DISTINCT team, period, period_start, feedback_id FROM periods
), flagged AS (   -- themes each emerging check flagged, by the week it looked at
    SELECT DISTINCT tr.theme_id, tr.week FROM theme_trends tr WHERE tr.emerging
), volume AS (
    SELECT team, period, period_start, 'volume' AS metric, count(*)::DOUBLE AS value, count(*) AS n
    FROM periods GROUP BY team, period, period_start
), tone AS (
    SELECT team, period, period_start, 'negative_share' AS metric, avg(is_negative::INTEGER) AS value,
           count(is_negative) AS n
    FROM periods GROUP BY team, period, period_start
    UNION ALL
    SELECT team, period, period_start, 'avg_sentiment', avg(sentiment), count(sentiment)
    FROM periods GROUP BY team, period, period_start
), outcome AS (
    SELECT tf.team, tf.period, tf.period_start, fo.outcome AS metric, avg(fo.value) AS value, count(*) AS n
    FROM team_feedback tf JOIN feedback_outcomes fo USING (feedback_id)
    GROUP BY tf.team, tf.period, tf.period_start, fo.outcome
), emerging AS (
    SELECT p.team, p.period, p.period_start, 'emerging_themes' AS metric, count(DISTINCT fl.theme_id) AS value,
           count(DISTINCT fl.theme_id) AS n
    FROM (SELECT DISTINCT team, period, period_start FROM periods) p
    JOIN team_themes tt ON tt.team = p.team
    LEFT JOIN flagged fl ON fl.theme_id = tt.theme_id
        AND fl.week >= p.period_start
        AND fl.week < p.period_start + CASE p.period WHEN 'week' THEN INTERVAL 7 DAY ELSE INTERVAL 1 MONTH END
    GROUP BY p.team, p.period, p.period_start
)
SELECT * FROM volume
UNION ALL SELECT * FROM tone
UNION ALL SELECT * FROM outcome
UNION ALL SELECT * FROM emerging
