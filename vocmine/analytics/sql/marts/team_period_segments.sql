-- A team's segments by the ISO week and the calendar month of their feedback (received, or
-- ingested when the source gives no date: stg_feedback.dated_by).
WITH dated AS (
    SELECT ts.team, ts.segment_id, ts.feedback_id, ts.theme_id, s.sentiment, f.week, f.month
    FROM team_segments ts
    JOIN stg_segments s USING (segment_id)
    JOIN stg_feedback f ON f.feedback_id = ts.feedback_id
)
SELECT team, 'week' AS period, week AS period_start, segment_id, feedback_id, theme_id, sentiment
FROM dated
UNION ALL
SELECT team, 'month', month, segment_id, feedback_id, theme_id, sentiment
FROM dated
