-- Tagged segments enrichment changed (or dropped) after the run that tagged them
-- (changed_segments, written by enrichment): their tags no longer describe their text. A tag
-- given after the change is kept, so this finds nothing the second time.
SELECT j.segment_id
FROM segment_journey j
JOIN changed_segments c USING (segment_id)
LEFT JOIN runs r ON r.run_id = j.run_id
WHERE r.started_at IS NULL OR c.changed_at >= r.started_at
