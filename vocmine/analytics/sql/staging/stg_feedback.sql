-- One row per feedback with the periods it falls in: the ISO week (starting Monday) and the
-- calendar month of when the customer gave it, the calendar every trend and team view uses.
-- Feedback without a received date (sources that export none) is dated by the day it was
-- ingested instead, and says so in `dated_by`, so it still counts in trends and reports.
WITH feedback_received AS (
    SELECT feedback_id, customer_id, received_at, ingested_at, rating, metadata FROM feedback
),
dated AS (
    SELECT *, coalesce(received_at, ingested_at) AS dated_at,
           CASE WHEN received_at IS NULL THEN 'ingested' ELSE 'received' END AS dated_by
    FROM feedback_received
)
SELECT feedback_id, customer_id, received_at,
       date_trunc('week', dated_at)::DATE AS week,
       date_trunc('month', dated_at)::DATE AS month,
       rating, metadata, dated_at, dated_by
FROM dated
