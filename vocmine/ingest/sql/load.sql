-- Keep the first of each row within the file, skip rows the store already has, and load
-- the rest. Identity: the source's own id when mapped, else a hash of the content, so
-- re-ingesting a file adds nothing.
-- Parameters: $source, $kind, $file, $run_id.
CREATE OR REPLACE TEMP TABLE _new AS
WITH valid AS (
    SELECT
        *,
        sha256(concat_ws(chr(31), text, coalesce(received_raw, ''), coalesce(customer_id, ''))) AS content_hash
    FROM _checked
    WHERE reason = ''
),
keyed AS (
    SELECT
        *,
        CASE WHEN external_id IS NOT NULL THEN 'id:' || external_id ELSE 'hash:' || content_hash END AS dedup_key
    FROM valid
),
identified AS (
    SELECT *, md5(dedup_key || chr(31) || $source)[:24] AS feedback_id
    FROM keyed
),
first_of_each AS (  -- narrow on purpose: grouping whole rows is several times slower
    SELECT min(_row) AS _row FROM identified GROUP BY dedup_key
)
SELECT * FROM identified
WHERE _row IN (SELECT _row FROM first_of_each)
  AND feedback_id NOT IN (SELECT feedback_id FROM feedback);

INSERT INTO feedback (
    feedback_id, source, kind, external_id, received_at, channel, rating, customer_id,
    language, text, metadata, content_hash, dedup_key, file, row_number, run_id, ingested_at
)
SELECT
    feedback_id, $source, $kind, external_id, received_at, channel, rating, customer_id,
    language, NULL, metadata, content_hash, dedup_key, $file, _row, $run_id, now()::TIMESTAMP
FROM _new;

INSERT INTO feedback_raw SELECT feedback_id, text FROM _new;
