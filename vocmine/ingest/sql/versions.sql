-- Which version of its feedback each valid row is. Identity: the source's own id when mapped,
-- else a hash of the content, so re-ingesting a file adds nothing.
--   new        the id is not known yet (the first row of it in the file)
--   duplicate  content already known for this id: the store's current version, an earlier
--              version (feedback_versions) or an earlier row of this file
--   update     the same id with content not seen before: a new version (ingest.updates)
-- Comparing with every known version, not only the latest, keeps re-reading a file a no-op.
-- Narrow on purpose (row number, ids, hash): windows over whole rows are several times slower.
-- Parameters: $source.
CREATE OR REPLACE TEMP TABLE _versions AS
WITH hashed AS (
    SELECT _row, external_id,
           sha256(concat_ws(chr(31), text, coalesce(received_raw, ''), coalesce(customer_id, ''))) AS content_hash
    FROM _checked
    WHERE reason = ''
),
keyed AS (
    SELECT _row, content_hash,
           CASE WHEN external_id IS NOT NULL THEN 'id:' || external_id ELSE 'hash:' || content_hash END AS dedup_key
    FROM hashed
),
identified AS (
    SELECT *, md5(dedup_key || chr(31) || $source)[:24] AS feedback_id FROM keyed
),
known AS (
    SELECT feedback_id, content_hash FROM feedback
    UNION
    SELECT feedback_id, content_hash FROM feedback_versions
),
compared AS (
    SELECT i.*,
           i.feedback_id IN (SELECT feedback_id FROM feedback)
               OR row_number() OVER (PARTITION BY i.feedback_id ORDER BY i._row) > 1 AS known_id,
           k.feedback_id IS NOT NULL
               OR row_number() OVER (PARTITION BY i.feedback_id, i.content_hash ORDER BY i._row) > 1 AS known_content
    FROM identified i
    LEFT JOIN known k ON k.feedback_id = i.feedback_id AND k.content_hash = i.content_hash
)
SELECT _row, content_hash, dedup_key, feedback_id,
       CASE WHEN NOT known_id THEN 'new'
            WHEN known_content THEN 'duplicate'
            ELSE 'update' END AS change
FROM compared;
