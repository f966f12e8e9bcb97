-- What lost customers talked about: per theme, how many lost customers raised it, how much
-- more often than customers who stayed, where in the journey, and how long before they left.
-- Who counts as lost is the rule in analysis_settings ([lost_customers] in the config).
WITH cfg AS (
    SELECT * FROM analysis_settings LIMIT 1
), marked AS (
    SELECT f.customer_id, f.received_at,
           list_contains(cfg.lost_values,
                         lower(trim(json_extract_string(f.metadata, '$."' || cfg.lost_metadata_key || '"')))) AS lost,
           TRY_CAST(json_extract_string(f.metadata, '$."' || cfg.lost_date_key || '"') AS TIMESTAMP) AS lost_on
    FROM stg_feedback f CROSS JOIN cfg
    WHERE f.customer_id IS NOT NULL
), customers AS (   -- a customer is lost when any of their feedback says so
    SELECT customer_id, coalesce(bool_or(lost), false) AS lost,
           coalesce(max(lost_on), max(received_at)) AS lost_at
    FROM marked GROUP BY customer_id
), mentions AS (
    SELECT f.customer_id, st.theme_id, sj.journey_stage, f.received_at
    FROM stg_feedback f
    JOIN stg_segments s USING (feedback_id)
    JOIN segment_themes st USING (segment_id)
    LEFT JOIN segment_journey sj USING (segment_id)
    WHERE st.theme_id IS NOT NULL AND f.customer_id IS NOT NULL
), totals AS (
    SELECT count(*) FILTER (WHERE lost) AS lost_total, count(*) FILTER (WHERE NOT lost) AS retained_total
    FROM customers WHERE customer_id IN (SELECT customer_id FROM mentions)
), per_customer AS (
    SELECT m.theme_id, m.customer_id, c.lost, date_diff('day', min(m.received_at), any_value(c.lost_at)) AS days_before
    FROM mentions m JOIN customers c USING (customer_id)
    GROUP BY m.theme_id, m.customer_id, c.lost
), per_theme AS (
    SELECT theme_id, count(*) FILTER (WHERE lost) AS lost_customers,
           count(*) FILTER (WHERE NOT lost) AS retained_customers,
           median(days_before) FILTER (WHERE lost) AS median_days_before_loss
    FROM per_customer GROUP BY theme_id
), lost_stages AS (
    SELECT m.theme_id, m.journey_stage, count(*) AS segments
    FROM mentions m JOIN customers c USING (customer_id)
    WHERE c.lost AND m.journey_stage IS NOT NULL AND m.journey_stage <> 'unknown'
    GROUP BY m.theme_id, m.journey_stage
), stage AS (       -- the journey stage lost customers raised the theme at most
    SELECT theme_id, first(journey_stage ORDER BY segments DESC, journey_stage) AS journey_stage
    FROM lost_stages GROUP BY theme_id
), measured AS (
    SELECT p.*, p.lost_customers / nullif(tt.lost_total, 0) AS lost_share,
           p.retained_customers / nullif(tt.retained_total, 0) AS retained_share,
           p.lost_customers - coalesce(p.retained_customers / nullif(tt.retained_total, 0), 0) * tt.lost_total
               AS excess_lost_customers
    FROM per_theme p CROSS JOIN totals tt
    WHERE p.lost_customers > 0
)
SELECT row_number() OVER (ORDER BY m.excess_lost_customers DESC, m.lost_customers DESC, m.theme_id) AS rank,
       m.theme_id, t.label, s.journey_stage, js.position AS stage_position,
       m.lost_customers, m.lost_share, m.retained_customers, m.retained_share,
       m.lost_share / nullif(m.retained_share, 0) AS lift,
       m.excess_lost_customers,
       m.median_days_before_loss
FROM measured m
JOIN stg_themes t ON t.theme_id = m.theme_id
LEFT JOIN stage s ON s.theme_id = m.theme_id
LEFT JOIN journey_stages js ON js.stage_id = s.journey_stage
ORDER BY rank
