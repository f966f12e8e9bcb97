-- Store themes proposed from unassigned segments, and place those segments in them.
-- Inputs (Arrow): proposed_themes, proposed_segments. Parameters: $run_id, $model.
INSERT INTO themes (theme_id, label, keywords, level, parent_id, status, size, centroid, model,
                    created_run, updated_run, anchor, assign_floor)
SELECT theme_id, label, keywords, 2, parent_id, 'active', 0, centroid, $model, $run_id, $run_id, true, assign_floor
FROM proposed_themes;

INSERT INTO theme_events SELECT $run_id, now()::TIMESTAMP, 'created', theme_id, NULL, detail FROM proposed_themes;

UPDATE segment_themes SET theme_id = p.theme_id, similarity = p.similarity, run_id = $run_id
FROM proposed_segments p
WHERE segment_themes.segment_id = p.segment_id;
