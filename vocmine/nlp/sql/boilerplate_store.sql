-- Replace the boilerplate flags with this evaluation's, keeping the rows that did not change
-- (so run_id and flagged_at say when a segment was first flagged).
-- Inputs: temp table boilerplate_segments (boilerplate_lines.sql), boilerplate_found (Arrow:
-- language, line, rule, reason). Parameters: $run_id.
CREATE OR REPLACE TEMP TABLE boilerplate_now AS
SELECT b.segment_id, b.feedback_id, b.language, b.line, f.rule, f.reason
FROM boilerplate_segments b JOIN boilerplate_found f USING (language, line);

DELETE FROM segment_boilerplate
WHERE NOT EXISTS (SELECT 1 FROM boilerplate_now n
                  WHERE n.segment_id = segment_boilerplate.segment_id AND n.rule = segment_boilerplate.rule
                    AND n.line = segment_boilerplate.line);

UPDATE segment_boilerplate SET reason = n.reason
FROM boilerplate_now n
WHERE segment_boilerplate.segment_id = n.segment_id AND segment_boilerplate.reason <> n.reason;

INSERT INTO segment_boilerplate
SELECT segment_id, feedback_id, language, rule, reason, line, $run_id, now()::TIMESTAMP
FROM boilerplate_now
WHERE segment_id NOT IN (SELECT segment_id FROM segment_boilerplate);

DROP TABLE boilerplate_now;
DROP TABLE boilerplate_segments;
