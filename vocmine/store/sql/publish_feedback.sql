-- The analysts' feedback: the working table with customer_id replaced by a keyed hash and metadata
-- reduced to the keys its source declares public (public_metadata: source -> keys) and the keys the
-- analyst views read (outcomes, the lost-customer rule): the published views compute from those.
-- The pseudonym is HMAC-SHA256 of the id ($inner and $outer are the key XOR-ed with HMAC's pads): the
-- same customer always gets the same pseudonym, so analysts count and follow customers, and without
-- the key no one can test a guessed e-mail address against it. 80 bits: no collision in practice.
CREATE TABLE publication.feedback AS
WITH view_keys AS (
    SELECT list(DISTINCT key) FILTER (WHERE key IS NOT NULL) AS keys
    FROM (SELECT metadata_key AS key FROM main.outcomes
          UNION ALL SELECT lost_metadata_key FROM main.analysis_settings
          UNION ALL SELECT lost_date_key FROM main.analysis_settings)
), public_keys AS (
    SELECT s.source,
           -- sorted: list(DISTINCT) has no order, and the same feedback must publish the same JSON every night
           list_sort(list_distinct(list_concat(coalesce(d.keys, []::VARCHAR[]), coalesce(v.keys, []::VARCHAR[])))) AS keys
    FROM (SELECT DISTINCT source FROM main.feedback) AS s
    LEFT JOIN public_metadata AS d ON d.source = s.source
    CROSS JOIN view_keys AS v
)
SELECT f.* REPLACE (
    CASE WHEN f.customer_id IS NOT NULL THEN
        'c_' || left(sha256($outer || unhex(sha256($inner || encode(f.customer_id)))), 20) END AS customer_id,
    nullif(to_json(map_from_entries(
        [struct_pack(k := k, v := json_extract(f.metadata, '$."' || k || '"'))
         for k in p.keys if json_extract(f.metadata, '$."' || k || '"') IS NOT NULL])),
        '{}') AS metadata)
FROM main.feedback AS f
LEFT JOIN public_keys AS p ON p.source = f.source;
