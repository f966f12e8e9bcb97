-- One batch of tags: replaces any older tags of the same segments.
-- Inputs (Arrow): batch_tags, batch_similarity (segments tagged by meaning or unknown).
-- Parameters: $run_id, $version.
DELETE FROM segment_journey WHERE segment_id IN (SELECT segment_id FROM batch_tags);
INSERT INTO segment_journey
SELECT segment_id, journey_stage, journey_stage_confidence, journey_stage_method,
       touchpoint, touchpoint_confidence, touchpoint_method, $version, $run_id
FROM batch_tags;
DELETE FROM segment_stage_similarity WHERE segment_id IN (SELECT segment_id FROM batch_tags);
INSERT INTO segment_stage_similarity SELECT segment_id, similarity, $version FROM batch_similarity;
