-- Store one refit: update matched theme rows (an analyst's label wins over the generated one,
-- a merged row stays merged), add new ones, make this fit's rows the only anchors, retire the
-- unmatched, log events and re-assign segments. Sizes and dates: theme_stats.sql.
-- Inputs (Arrow): refit_themes (themes and groups of this fit with their row IDs), refit_events,
-- refit_segments, refit_retired (theme_id, absorbed_into).
-- Parameters: $run_id, $model.
UPDATE themes
SET label = CASE WHEN themes.custom_label THEN themes.label ELSE f.label END,
    keywords = f.keywords, parent_id = f.parent_id, centroid = f.centroid, assign_floor = f.assign_floor,
    status = CASE WHEN themes.status = 'merged' THEN 'merged' ELSE 'active' END, updated_run = $run_id
FROM refit_themes f
WHERE themes.theme_id = f.theme_id;

INSERT INTO themes (theme_id, label, keywords, level, parent_id, status, size, centroid, model,
                    created_run, updated_run, anchor, assign_floor)
SELECT f.theme_id, f.label, f.keywords, f.level, f.parent_id, 'active', 0, f.centroid, $model, $run_id, $run_id,
       true, f.assign_floor
FROM refit_themes f
WHERE f.theme_id NOT IN (SELECT theme_id FROM themes);

UPDATE themes SET anchor = theme_id IN (SELECT theme_id FROM refit_themes) WHERE model = $model;

-- A theme kept alive only by a row merged into it takes that row's group.
UPDATE themes
SET parent_id = merged_row.parent_id, updated_run = $run_id
FROM (
    SELECT m.merged_into AS theme_id, min(f.parent_id) AS parent_id
    FROM refit_themes f JOIN themes m ON m.theme_id = f.theme_id
    WHERE m.status = 'merged'
    GROUP BY m.merged_into
) merged_row
WHERE themes.theme_id = merged_row.theme_id AND themes.theme_id NOT IN (SELECT theme_id FROM refit_themes);

-- Retired themes say where their segments went (absorbed_into); merged rows keep their survivor.
UPDATE themes SET status = 'retired', merged_into = coalesce(r.absorbed_into, themes.merged_into),
                  updated_run = $run_id
FROM refit_retired r
WHERE themes.theme_id = r.theme_id;

INSERT INTO theme_events SELECT $run_id, now()::TIMESTAMP, event, theme_id, other_id, detail FROM refit_events;

DELETE FROM segment_themes;

INSERT INTO segment_themes SELECT segment_id, theme_id, similarity, $run_id FROM refit_segments;
