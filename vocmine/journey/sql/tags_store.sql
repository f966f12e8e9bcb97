-- One batch of tags: replaces any older tags of the same segments.
-- Inputs (Arrow): batch_tags. Parameters: $run_id, $version.
DELETE FROM segment_journey WHERE segment_id IN (SELECT segment_id FROM batch_tags);
INSERT INTO segment_journey
SELECT segment_id, journey_stage, journey_stage_confidence, journey_stage_method,
       touchpoint, touchpoint_confidence, touchpoint_method, $version, $run_id
FROM batch_tags;
