-- The taxonomy of this run replaces the previous one (analysts join tags to names and order).
-- Inputs (Arrow): run_stages, run_touchpoints.
DELETE FROM journey_stages;
INSERT INTO journey_stages SELECT stage_id, position, name, description, taxonomy_version FROM run_stages;
DELETE FROM touchpoints;
INSERT INTO touchpoints SELECT touchpoint_id, position, name, description, channels, taxonomy_version
FROM run_touchpoints;
