-- One row per segment that says something, with its tone. Boilerplate (greetings, sign-offs,
-- letter and chat formulas: segment_boilerplate, written by enrichment) is left out here, once,
-- so no view counts "Dear Sir or Madam" as billing feedback or lets it dilute a tone; `vocmine
-- status` and segment_boilerplate still count it. The rule every view shares for "negative"
-- lives here, and only here: a segment is negative when its sentiment is below -0.05 (VADER's
-- usual cut-off); a segment without a sentiment is neither (NULL), so shares are of scored segments.
WITH segment AS (
    SELECT segment_id, feedback_id, sentiment FROM segments
), said AS (
    SELECT * FROM segment
    WHERE segment_id NOT IN (SELECT segment_id FROM segment_boilerplate)
)
SELECT segment_id, feedback_id, sentiment, sentiment < -0.05 AS is_negative
FROM said
