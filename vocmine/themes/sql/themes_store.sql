-- Store one refit: update kept themes (an analyst's label wins over the generated one),
-- add new ones, retire the unmatched, log events, re-assign segments, refresh sizes/dates.
-- Inputs (Arrow): refit_themes (themes and groups of this fit with their IDs), refit_events,
-- refit_segments.
-- Parameters: $run_id, $model.
UPDATE themes
SET label = CASE WHEN themes.custom_label THEN themes.label ELSE f.label END,
    keywords = f.keywords, parent_id = f.parent_id, centroid = f.centroid,
    status = 'active', updated_run = $run_id
FROM refit_themes f
WHERE themes.theme_id = f.theme_id;

INSERT INTO themes (theme_id, label, keywords, level, parent_id, status, size, centroid, model,
                    created_run, updated_run)
SELECT f.theme_id, f.label, f.keywords, f.level, f.parent_id, 'active', 0, f.centroid, $model, $run_id, $run_id
FROM refit_themes f
WHERE f.theme_id NOT IN (SELECT theme_id FROM themes);

UPDATE themes SET status = 'retired', updated_run = $run_id
WHERE status = 'active' AND model = $model AND theme_id NOT IN (SELECT theme_id FROM refit_themes);

INSERT INTO theme_events SELECT $run_id, now()::TIMESTAMP, event, theme_id, NULL, NULL FROM refit_events;

DELETE FROM segment_themes;

INSERT INTO segment_themes SELECT segment_id, theme_id, similarity, $run_id FROM refit_segments;

-- Sizes and first/last seen, for themes and (through their members) groups.
UPDATE themes
SET size = coalesce(stats.size, 0), first_seen = stats.first_seen, last_seen = stats.last_seen
FROM (
    SELECT t.theme_id, count(st.segment_id) AS size, min(f.received_at) AS first_seen,
           max(f.received_at) AS last_seen
    FROM themes t
    LEFT JOIN segment_themes st ON st.theme_id = t.theme_id
        OR (t.level = 1 AND st.theme_id IN (SELECT theme_id FROM themes m WHERE m.parent_id = t.theme_id))
    LEFT JOIN segments s ON s.segment_id = st.segment_id
    LEFT JOIN feedback f ON f.feedback_id = s.feedback_id
    WHERE t.model = $model
    GROUP BY t.theme_id
) stats
WHERE themes.theme_id = stats.theme_id;
