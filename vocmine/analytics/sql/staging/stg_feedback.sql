-- One row per feedback with the periods it falls in: the ISO week (starting Monday) and the
-- calendar month of when the customer gave it, the calendar every trend and team view uses.
WITH feedback_received AS (
    SELECT feedback_id, customer_id, received_at, rating, metadata FROM feedback
)
SELECT feedback_id, customer_id, received_at,
       date_trunc('week', received_at)::DATE AS week,
       date_trunc('month', received_at)::DATE AS month,
       rating, metadata
FROM feedback_received
