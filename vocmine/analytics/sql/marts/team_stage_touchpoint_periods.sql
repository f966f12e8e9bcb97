-- Team x period x journey stage x touchpoint: the team's own heatmap of a week or a month (its
-- segments only), which differs from team to team where stage_touchpoint is the same for all.
WITH cells AS (
    SELECT tp.team, tp.period, tp.period_start, sj.journey_stage, sj.touchpoint, s.is_negative
    FROM team_period_segments tp
    JOIN segment_journey sj ON sj.segment_id = tp.segment_id
    JOIN stg_segments s ON s.segment_id = tp.segment_id
)
SELECT team, period, period_start, journey_stage, touchpoint, count(*) AS volume,
       avg(is_negative::INTEGER) AS negative_share
FROM cells
GROUP BY team, period, period_start, journey_stage, touchpoint
