-- Team x period x theme: the theme's part of the team's feedback.
WITH counted AS (
    SELECT team, period, period_start, theme_id, count(*) AS volume, avg(sentiment) AS avg_sentiment
    FROM team_period_segments
    GROUP BY team, period, period_start, theme_id
)
SELECT team, period, period_start, theme_id, volume,
       volume / sum(volume) OVER (PARTITION BY team, period, period_start) AS share, avg_sentiment
FROM counted
