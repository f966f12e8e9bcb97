-- Load the rows `versions.sql` found new or changed. Per feedback the last such row of the
-- file is its current version; the version it replaces (the store's, or an earlier row of
-- this file) is kept in feedback_versions. The feedback row is then replaced whole by
-- vocmine.store.feedback.add_loaded, its text NULL and its raw text in feedback_raw until
-- enrichment redacts it again (a changed content hash is what enrichment redoes).
-- Parameters: $source, $kind, $file, $run_id, $updates (ingest.updates).
CREATE OR REPLACE TEMP TABLE _changed AS
SELECT * FROM _versions
WHERE change = 'new' OR (change = 'update' AND $updates = 'new_version');

-- feedback the store holds that this file replaces (few: most rows are new or duplicates)
CREATE OR REPLACE TEMP TABLE _replaced AS
SELECT DISTINCT feedback_id FROM _changed WHERE change = 'update';

CREATE OR REPLACE TEMP TABLE _new AS
WITH last_of_each AS (SELECT feedback_id, max(_row) AS _row FROM _changed GROUP BY feedback_id)
SELECT c.*, v.content_hash, v.dedup_key, v.feedback_id
FROM last_of_each l
JOIN _versions v ON v._row = l._row
JOIN _checked c ON c._row = l._row;

-- the store's version of every feedback this file replaces
INSERT INTO feedback_versions
SELECT f.feedback_id, 1 + (SELECT count(*) FROM feedback_versions p WHERE p.feedback_id = f.feedback_id),
       f.content_hash, f.received_at, f.text, f.file, f.row_number, $file, $run_id, now()::TIMESTAMP
FROM feedback f
WHERE f.feedback_id IN (SELECT feedback_id FROM _replaced);

-- versions this same file replaced before it ended (never enriched: no redacted text to keep)
INSERT INTO feedback_versions
WITH superseded AS (
    SELECT v.* FROM _changed v
    WHERE v.feedback_id IN (SELECT feedback_id FROM _changed GROUP BY feedback_id HAVING count(*) > 1)
      AND v._row NOT IN (SELECT _row FROM _new)
)
SELECT v.feedback_id,
       (SELECT count(*) FROM feedback_versions p WHERE p.feedback_id = v.feedback_id)
           + row_number() OVER (PARTITION BY v.feedback_id ORDER BY v._row),
       v.content_hash, c.received_at, NULL, $file, v._row, $file, $run_id, now()::TIMESTAMP
FROM superseded v
JOIN _checked c ON c._row = v._row;

-- the feedback rows themselves: vocmine.store.feedback.add_loaded (store/sql/feedback_add.sql)
