-- Outcomes in long form ([outcomes] in the config, copied to the table outcomes): one row per
-- feedback and outcome it has a number for; metadata true/false count as 1/0.
WITH raw AS (
    SELECT f.feedback_id, o.outcome,
           CASE WHEN o.column_name = 'rating' THEN f.rating::VARCHAR
                ELSE json_extract_string(f.metadata, '$."' || o.metadata_key || '"') END AS raw_value
    FROM stg_feedback f CROSS JOIN outcomes o
), valued AS (
    SELECT feedback_id, outcome,
           CASE WHEN lower(trim(raw_value)) IN ('true', 'yes', 'y') THEN 1.0
                WHEN lower(trim(raw_value)) IN ('false', 'no', 'n') THEN 0.0
                ELSE TRY_CAST(raw_value AS DOUBLE) END AS value
    FROM raw
)
SELECT feedback_id, outcome, value
FROM valued
WHERE value IS NOT NULL
