-- Journey stage x touchpoint per ISO week and calendar month: the stage_touchpoint cells of one
-- period, so a report shows where customers hurt now, not since the first feedback.
WITH dated AS (
    SELECT sj.journey_stage, sj.touchpoint, s.is_negative, f.week, f.month
    FROM segment_journey sj
    JOIN stg_segments s USING (segment_id)
    JOIN stg_feedback f ON f.feedback_id = s.feedback_id
    WHERE f.received_at IS NOT NULL
), periods AS (
    SELECT 'week' AS period, week AS period_start, journey_stage, touchpoint, is_negative FROM dated
    UNION ALL
    SELECT 'month', month, journey_stage, touchpoint, is_negative FROM dated
)
SELECT period, period_start, journey_stage, touchpoint, count(*) AS volume,
       avg(is_negative::INTEGER) AS negative_share
FROM periods
GROUP BY period, period_start, journey_stage, touchpoint
