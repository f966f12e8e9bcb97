-- Every row that cannot be loaded is kept with the reason, never silently dropped.
-- A row already quarantined from the same file with the same content is not logged twice,
-- so re-running an inbox does not bury new problems under old ones.
-- The rows go to vocmine.store.quarantine.set_aside. Parameters: $source, $file, $updates (ingest.updates).
WITH rejected AS (
    SELECT row_number, reason, raw FROM _rejected
    UNION ALL
    SELECT c._row, c.reason, s.raw
    FROM _checked c
    JOIN _staged s ON s._row = c._row
    WHERE c.reason <> ''
    UNION ALL
    SELECT v._row, 'id ''' || c.external_id || ''' was loaded before with different content '
                   || '(ingest.updates = "quarantine" keeps the first version)', s.raw
    FROM _versions v
    JOIN _checked c ON c._row = v._row
    JOIN _staged s ON s._row = v._row
    WHERE v.change = 'update' AND $updates = 'quarantine'
)
SELECT $source AS source, $file AS file, r.row_number, r.reason, r.raw, NULL::VARCHAR AS feedback_id
FROM rejected r
WHERE NOT EXISTS (
    SELECT 1 FROM quarantine q
    WHERE q.source = $source AND q.file = $file AND q.row_number IS NOT DISTINCT FROM r.row_number
      AND q.reason = r.reason AND q.raw IS NOT DISTINCT FROM r.raw
);
