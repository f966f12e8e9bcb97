-- Segments whose tags no longer hold (set aside by the tagger, or their text changed since they
-- were tagged) lose their journey stage, touchpoint and stage cosines, so no stale tag is left.
-- Input: untagged(segment_id).
DELETE FROM segment_journey WHERE segment_id IN (SELECT segment_id FROM untagged);
DELETE FROM segment_stage_similarity WHERE segment_id IN (SELECT segment_id FROM untagged);
