-- One row per segment with its tone. The rule every view shares for "negative" lives here,
-- and only here: a segment is negative when its sentiment is below -0.05 (VADER's usual
-- cut-off); a segment without a sentiment is neither (NULL), so shares are of scored segments.
WITH segment AS (
    SELECT segment_id, feedback_id, sentiment FROM segments
)
SELECT segment_id, feedback_id, sentiment, sentiment < -0.05 AS is_negative
FROM segment
