-- The stages weighed with the theme's stage mix (vocmine.journey.tagging.stages_in_theme),
-- for the segments where that changed the tag. Inputs (Arrow): theme_tags. Parameters: $run_id.
UPDATE segment_journey
SET journey_stage = t.journey_stage, journey_stage_method = t.journey_stage_method,
    journey_stage_confidence = t.journey_stage_confidence, run_id = $run_id
FROM theme_tags t
WHERE segment_journey.segment_id = t.segment_id
