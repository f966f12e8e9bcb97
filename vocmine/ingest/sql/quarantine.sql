-- Every row that cannot be loaded is kept with the reason, never silently dropped.
-- Parameters: $source, $file, $run_id.
INSERT INTO quarantine (run_id, source, file, row_number, reason, raw, quarantined_at)
SELECT $run_id, $source, $file, row_number, reason, raw, now()::TIMESTAMP
FROM _rejected;

INSERT INTO quarantine (run_id, source, file, row_number, reason, raw, quarantined_at)
SELECT $run_id, $source, $file, c._row, c.reason, s.raw, now()::TIMESTAMP
FROM _checked c
JOIN _staged s ON s._row = c._row
WHERE c.reason <> '';
