-- An analyst's merge: the others become rows of $into (keeping their centroids, so later fits
-- that find them file it under $into), their segments move, and the lineage says so.
-- Parameters: $into, $others (list), $run_id.
UPDATE themes SET status = 'merged', merged_into = $into, updated_run = $run_id
WHERE theme_id IN (SELECT unnest($others));

UPDATE themes SET merged_into = $into WHERE merged_into IN (SELECT unnest($others));

UPDATE segment_themes SET theme_id = $into WHERE theme_id IN (SELECT unnest($others));

INSERT INTO theme_events
SELECT $run_id, now()::TIMESTAMP, 'merged', unnest($others), $into, 'merged by an analyst';
