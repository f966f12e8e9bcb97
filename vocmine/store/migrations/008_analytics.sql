-- The analyst layer that depends on the config: outcomes, the priority score, lost customers,
-- the company's assumed priorities and teams. `vocmine views` (and the nightly run) copies the
-- config into the small settings tables below, so the views stay plain SQL and anyone can see
-- which weights and rules produced a number. Defaults here match the config's defaults.

-- Numbers per feedback that themes may move ([outcomes] in the config).
CREATE TABLE outcomes (
    outcome      VARCHAR NOT NULL,
    column_name  VARCHAR,                     -- 'rating', or NULL when from metadata
    metadata_key VARCHAR,
    better       VARCHAR NOT NULL CHECK (better IN ('higher', 'lower'))
);
INSERT INTO outcomes VALUES ('rating', 'rating', NULL, 'higher');

-- One row: the priority score's weights, the lost-customer rule and the assumption cut-offs.
CREATE TABLE analysis_settings (
    top_n                 INTEGER NOT NULL,
    volume_weight         DOUBLE NOT NULL,
    negativity_weight     DOUBLE NOT NULL,
    growth_weight         DOUBLE NOT NULL,
    impact_weight         DOUBLE NOT NULL,
    impact_outcome        VARCHAR,
    lost_metadata_key     VARCHAR NOT NULL,
    lost_values           VARCHAR[] NOT NULL,  -- lower-case
    lost_date_key         VARCHAR,
    rarely_voiced_share   DOUBLE NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
INSERT INTO analysis_settings VALUES (15, 1.0, 1.0, 0.5, 1.0, 'rating', 'churned', ['true', 'yes', '1', 'y'],
                                      NULL, 0.01, now()::TIMESTAMP);

-- Each assumed priority and the themes it means, matched by meaning (embeddings).
CREATE TABLE assumed_priorities (
    assumption VARCHAR NOT NULL,
    position   INTEGER NOT NULL,               -- 1 = first in the config's list
    theme_id   INTEGER,                        -- NULL: no theme means it
    similarity DOUBLE,                         -- cosine to the theme; unmatched: the best cosine seen
    model      VARCHAR NOT NULL
);

-- Outcomes in long form: one row per feedback and outcome it has a number for.
CREATE VIEW feedback_outcomes AS
WITH raw AS (
    SELECT f.feedback_id, o.outcome,
           CASE WHEN o.column_name = 'rating' THEN f.rating::VARCHAR
                ELSE json_extract_string(f.metadata, '$."' || o.metadata_key || '"') END AS raw_value
    FROM feedback f CROSS JOIN outcomes o
)
SELECT feedback_id, outcome,
       CASE WHEN lower(trim(raw_value)) IN ('true', 'yes', 'y') THEN 1.0
            WHEN lower(trim(raw_value)) IN ('false', 'no', 'n') THEN 0.0
            ELSE TRY_CAST(raw_value AS DOUBLE) END AS value
FROM raw
WHERE value IS NOT NULL;

-- Per theme and outcome: the outcome where customers raised the theme vs. where they did not,
-- and how far the theme moves the overall figure. Counted per feedback (a theme raised twice
-- in one feedback counts once); only enriched feedback with a number counts.
CREATE VIEW theme_drivers AS
WITH scored AS (
    SELECT fo.feedback_id, fo.outcome, fo.value
    FROM feedback_outcomes fo
    WHERE fo.feedback_id IN (SELECT feedback_id FROM segments)
), overall AS (
    SELECT outcome, count(*) AS n, sum(value) AS total, sum(value * value) AS total_sq, avg(value) AS mean
    FROM scored GROUP BY outcome
), raised AS (
    SELECT DISTINCT s.feedback_id, st.theme_id
    FROM segments s JOIN segment_themes st USING (segment_id)
    WHERE st.theme_id IS NOT NULL
), with_theme AS (
    SELECT r.theme_id, sc.outcome, count(*) AS n, sum(sc.value) AS total, sum(sc.value * sc.value) AS total_sq
    FROM raised r JOIN scored sc USING (feedback_id)
    GROUP BY r.theme_id, sc.outcome
), compared AS (
    SELECT w.theme_id, w.outcome, w.n AS feedback_with, o.n - w.n AS feedback_without,
           w.total / w.n AS mean_with,
           (o.total - w.total) / nullif(o.n - w.n, 0) AS mean_without,
           (w.total_sq - w.total * w.total / w.n) / nullif(w.n - 1, 0) AS var_with,
           ((o.total_sq - w.total_sq) - (o.total - w.total) * (o.total - w.total) / nullif(o.n - w.n, 0))
               / nullif(o.n - w.n - 1, 0) AS var_without,
           o.mean AS overall
    FROM with_theme w JOIN overall o USING (outcome)
)
SELECT c.theme_id, t.label, c.outcome, oc.better, c.feedback_with, c.feedback_without,
       c.mean_with, c.mean_without, c.mean_with - c.mean_without AS difference,
       sqrt(greatest(c.var_with, 0) / c.feedback_with
            + greatest(c.var_without, 0) / nullif(c.feedback_without, 0)) AS difference_se,
       c.overall, c.overall - c.mean_without AS impact,
       CASE oc.better WHEN 'higher' THEN c.mean_without - c.overall
                      ELSE c.overall - c.mean_without END AS harm,
       rank() OVER (PARTITION BY c.outcome ORDER BY
           CASE oc.better WHEN 'higher' THEN c.mean_without - c.overall ELSE c.overall - c.mean_without END DESC)
           AS harm_rank
FROM compared c
JOIN themes t ON t.theme_id = c.theme_id AND t.status = 'active' AND t.level = 2
JOIN outcomes oc USING (outcome);

-- The top themes to act on: a weighted mean of volume, negativity, growth and impact, each
-- scaled to 0..1 across themes (see docs/analyst-guide.md for the formula).
CREATE VIEW priorities AS
WITH cfg AS (
    SELECT * FROM analysis_settings LIMIT 1
), impact AS (
    SELECT d.theme_id, d.harm
    FROM theme_drivers d JOIN cfg ON d.outcome = cfg.impact_outcome
), base AS (
    SELECT o.theme_id, o.label, o.group_label, o.volume, o.share, o.negative_share, o.share_change_4w,
           o.emerging, o.dominant_stage, o.dominant_touchpoint, i.harm
    FROM theme_overview o LEFT JOIN impact i USING (theme_id)
), components AS (
    SELECT *,
           volume / nullif(max(volume) OVER (), 0) AS volume_score,
           coalesce(negative_share, 0) AS negativity_score,
           coalesce(greatest(share_change_4w, 0) / nullif(max(greatest(share_change_4w, 0)) OVER (), 0), 0)
               AS growth_score,
           CASE WHEN max(harm) OVER () IS NULL THEN NULL
                ELSE coalesce(greatest(harm, 0) / nullif(max(greatest(harm, 0)) OVER (), 0), 0) END AS impact_score
    FROM base
), scored AS (
    SELECT c.*,
           (cfg.volume_weight * coalesce(volume_score, 0) + cfg.negativity_weight * negativity_score
            + cfg.growth_weight * growth_score + cfg.impact_weight * coalesce(impact_score, 0))
           / nullif(cfg.volume_weight + cfg.negativity_weight + cfg.growth_weight
                    + CASE WHEN impact_score IS NULL THEN 0 ELSE cfg.impact_weight END, 0) AS score,
           cfg.top_n
    FROM components c CROSS JOIN cfg
), ranked AS (
    SELECT *, row_number() OVER (ORDER BY score DESC, volume DESC, theme_id) AS priority_rank FROM scored
)
SELECT priority_rank, theme_id, label, group_label, score, volume_score, negativity_score, growth_score,
       impact_score, volume, share, negative_share, share_change_4w, harm AS impact_harm, emerging,
       dominant_stage, dominant_touchpoint
FROM ranked
WHERE priority_rank <= top_n
ORDER BY priority_rank;

-- What lost customers talked about: per theme, how many lost customers raised it, how much
-- more often than customers who stayed, where in the journey, and how long before they left.
CREATE VIEW lost_customers AS
WITH cfg AS (
    SELECT * FROM analysis_settings LIMIT 1
), marked AS (
    SELECT f.customer_id, f.received_at,
           list_contains(cfg.lost_values,
                         lower(trim(json_extract_string(f.metadata, '$."' || cfg.lost_metadata_key || '"')))) AS lost,
           TRY_CAST(json_extract_string(f.metadata, '$."' || cfg.lost_date_key || '"') AS TIMESTAMP) AS lost_on
    FROM feedback f CROSS JOIN cfg
    WHERE f.customer_id IS NOT NULL
), customers AS (   -- a customer is lost when any of their feedback says so
    SELECT customer_id, coalesce(bool_or(lost), false) AS lost,
           coalesce(max(lost_on), max(received_at)) AS lost_at
    FROM marked GROUP BY customer_id
), mentions AS (
    SELECT f.customer_id, st.theme_id, sj.journey_stage, f.received_at
    FROM feedback f
    JOIN segments s USING (feedback_id)
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
           p.retained_customers / nullif(tt.retained_total, 0) AS retained_share
    FROM per_theme p CROSS JOIN totals tt
    WHERE p.lost_customers > 0
)
SELECT row_number() OVER (ORDER BY m.lost_customers - coalesce(m.retained_share, 0) * tt.lost_total DESC,
                                   m.lost_customers DESC, m.theme_id) AS rank,
       m.theme_id, t.label, s.journey_stage, js.position AS stage_position,
       m.lost_customers, m.lost_share, m.retained_customers, m.retained_share,
       m.lost_share / nullif(m.retained_share, 0) AS lift,
       m.lost_customers - coalesce(m.retained_share, 0) * tt.lost_total AS excess_lost_customers,
       m.median_days_before_loss
FROM measured m
CROSS JOIN totals tt
JOIN themes t ON t.theme_id = m.theme_id AND t.status = 'active' AND t.level = 2
LEFT JOIN stage s ON s.theme_id = m.theme_id
LEFT JOIN journey_stages js ON js.stage_id = s.journey_stage
ORDER BY rank;

-- Customers' voice against the company's assumptions: confirmed, over-assumed (assumed but
-- rarely voiced), assumed but below the top priorities, and blind spots (top priorities
-- nobody assumed).
CREATE VIEW assumption_gap AS
WITH cfg AS (
    SELECT * FROM analysis_settings LIMIT 1
), matched AS (
    SELECT a.assumption, a.position, a.theme_id, a.similarity, o.label, o.share, p.priority_rank
    FROM assumed_priorities a
    LEFT JOIN theme_overview o USING (theme_id)
    LEFT JOIN priorities p USING (theme_id)
), per_assumption AS (
    SELECT assumption, position,
           coalesce(sum(share), 0) AS voiced_share,
           min(priority_rank) AS best_priority_rank,
           list(label ORDER BY similarity DESC) FILTER (WHERE label IS NOT NULL) AS matched_themes,
           first(theme_id ORDER BY priority_rank NULLS LAST, similarity DESC) AS theme_id,
           max(similarity) AS similarity
    FROM matched GROUP BY assumption, position
)
SELECT CASE WHEN a.voiced_share < cfg.rarely_voiced_share THEN 'over_assumed'
            WHEN a.best_priority_rank IS NOT NULL THEN 'confirmed'
            ELSE 'below_top_priorities' END AS gap,
       a.assumption, a.position AS assumption_position, a.theme_id, t.label, a.matched_themes, a.similarity,
       a.voiced_share AS share, a.best_priority_rank AS priority_rank
FROM per_assumption a CROSS JOIN cfg
LEFT JOIN themes t ON t.theme_id = a.theme_id
UNION ALL
SELECT 'blind_spot', NULL, NULL, p.theme_id, p.label, NULL, NULL, p.share, p.priority_rank
FROM priorities p
WHERE p.theme_id NOT IN (SELECT theme_id FROM assumed_priorities WHERE theme_id IS NOT NULL);

-- Teams ([teams.NAME] in the config): the slice of the journey and the themes each one owns.
CREATE TABLE teams (
    team        VARCHAR NOT NULL,
    stages      VARCHAR[] NOT NULL,
    touchpoints VARCHAR[] NOT NULL,
    theme_ids   INTEGER[] NOT NULL            -- the config's theme IDs and label words, resolved
);

-- A team's segments: at any of its stages, touchpoints or themes (everything when it names none).
CREATE VIEW team_segments AS
WITH tagged AS (
    SELECT s.segment_id, s.feedback_id, sj.journey_stage, sj.touchpoint, st.theme_id
    FROM segments s
    LEFT JOIN segment_journey sj USING (segment_id)
    LEFT JOIN segment_themes st USING (segment_id)
)
SELECT tm.team, tg.segment_id, tg.feedback_id, tg.theme_id
FROM teams tm CROSS JOIN tagged tg
WHERE len(tm.stages) + len(tm.touchpoints) + len(tm.theme_ids) = 0
   OR list_contains(tm.stages, tg.journey_stage)
   OR list_contains(tm.touchpoints, tg.touchpoint)
   OR list_contains(tm.theme_ids, tg.theme_id);

-- A team's themes: named by the team, or mostly at its stages or touchpoints (theme_journey).
CREATE VIEW team_themes AS
SELECT tm.team, tj.theme_id, tj.label
FROM teams tm CROSS JOIN theme_journey tj
WHERE len(tm.stages) + len(tm.touchpoints) + len(tm.theme_ids) = 0
   OR list_contains(tm.theme_ids, tj.theme_id)
   OR list_contains(tm.stages, tj.dominant_stage)
   OR list_contains(tm.touchpoints, tj.dominant_touchpoint);

-- A team's segments by the ISO week and the calendar month of their feedback.
CREATE VIEW team_period_segments AS
WITH dated AS (
    SELECT ts.team, ts.segment_id, ts.feedback_id, ts.theme_id, s.sentiment, f.received_at
    FROM team_segments ts JOIN segments s USING (segment_id) JOIN feedback f ON f.feedback_id = ts.feedback_id
    WHERE f.received_at IS NOT NULL
)
SELECT team, 'week' AS period, date_trunc('week', received_at)::DATE AS period_start,
       segment_id, feedback_id, theme_id, sentiment
FROM dated
UNION ALL
SELECT team, 'month', date_trunc('month', received_at)::DATE, segment_id, feedback_id, theme_id, sentiment
FROM dated;

-- Team x period x theme: the theme's part of the team's feedback.
CREATE VIEW team_theme_periods AS
SELECT team, period, period_start, theme_id, count(*) AS volume,
       count(*) / sum(count(*)) OVER (PARTITION BY team, period, period_start) AS share,
       avg(sentiment) AS avg_sentiment
FROM team_period_segments
GROUP BY team, period, period_start, theme_id;

-- Team x period x metric: the headline numbers of team reports (metrics: volume,
-- negative_share, avg_sentiment, emerging_themes and every configured outcome).
CREATE VIEW team_kpis AS
WITH periods AS (
    SELECT * FROM team_period_segments
), team_feedback AS (
    SELECT DISTINCT team, period, period_start, feedback_id FROM periods
), flagged AS (   -- themes each emerging check flagged, by the week it looked at
    SELECT DISTINCT tr.theme_id, tr.week FROM theme_trends tr WHERE tr.emerging
)
SELECT team, period, period_start, 'volume' AS metric, count(*)::DOUBLE AS value, count(*) AS n
FROM periods GROUP BY team, period, period_start
UNION ALL
SELECT team, period, period_start, 'negative_share', avg((sentiment < -0.05)::INTEGER), count(sentiment)
FROM periods GROUP BY team, period, period_start
UNION ALL
SELECT team, period, period_start, 'avg_sentiment', avg(sentiment), count(sentiment)
FROM periods GROUP BY team, period, period_start
UNION ALL
SELECT tf.team, tf.period, tf.period_start, fo.outcome, avg(fo.value), count(*)
FROM team_feedback tf JOIN feedback_outcomes fo USING (feedback_id)
GROUP BY tf.team, tf.period, tf.period_start, fo.outcome
UNION ALL
SELECT p.team, p.period, p.period_start, 'emerging_themes', count(DISTINCT fl.theme_id), count(DISTINCT fl.theme_id)
FROM (SELECT DISTINCT team, period, period_start FROM periods) p
JOIN team_themes tt ON tt.team = p.team
LEFT JOIN flagged fl ON fl.theme_id = tt.theme_id
    AND fl.week >= p.period_start
    AND fl.week < p.period_start + CASE p.period WHEN 'week' THEN INTERVAL 7 DAY ELSE INTERVAL 1 MONTH END
GROUP BY p.team, p.period, p.period_start;
