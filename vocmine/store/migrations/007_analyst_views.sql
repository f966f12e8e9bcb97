-- Analyst views that need no configuration: one row per theme, and the journey grid.
-- A segment is negative when its sentiment is below -0.05 (the usual VADER cut-off).

-- Per active theme: how big, how negative, where in the journey, how it moved lately.
CREATE VIEW theme_overview AS
WITH scored AS (
    SELECT st.theme_id, s.sentiment
    FROM segment_themes st JOIN segments s USING (segment_id)
    WHERE st.theme_id IS NOT NULL
), stats AS (
    SELECT theme_id, count(*) AS volume, avg(sentiment) AS avg_sentiment,
           avg((sentiment < -0.05)::INTEGER) AS negative_share
    FROM scored GROUP BY theme_id
), everything AS (
    SELECT count(*) AS segments FROM segment_themes
), weeks AS (
    SELECT DISTINCT week FROM theme_weekly ORDER BY week DESC LIMIT 8
), recent AS (   -- the theme's share in the last 4 weeks against the 4 before (zero-filled)
    SELECT t.theme_id,
           list(coalesce(tw.volume, 0) ORDER BY w.week) FILTER (WHERE w.rank <= 4) AS last_4_weeks,
           sum(coalesce(tw.volume, 0)) FILTER (WHERE w.rank <= 4) AS volume_4w,
           sum(coalesce(tw.volume, 0)) FILTER (WHERE w.rank > 4) AS volume_prior_4w
    FROM themes t
    CROSS JOIN (SELECT week, row_number() OVER (ORDER BY week DESC) AS rank FROM weeks) w
    LEFT JOIN theme_weekly tw ON tw.theme_id = t.theme_id AND tw.week = w.week
    WHERE t.status = 'active' AND t.level = 2
    GROUP BY t.theme_id
), week_totals AS (
    SELECT sum(volume) FILTER (WHERE rank <= 4) AS all_4w, sum(volume) FILTER (WHERE rank > 4) AS all_prior_4w
    FROM (SELECT tw.volume, w.rank FROM theme_weekly tw
          JOIN (SELECT week, row_number() OVER (ORDER BY week DESC) AS rank FROM weeks) w USING (week))
)
SELECT t.theme_id, t.label, g.label AS group_label, coalesce(s.volume, 0) AS volume,
       coalesce(s.volume, 0) / nullif(e.segments, 0) AS share,
       s.avg_sentiment, s.negative_share,
       j.dominant_stage, j.dominant_touchpoint, t.first_seen, t.last_seen,
       r.last_4_weeks,
       r.volume_4w / nullif(wt.all_4w, 0) - r.volume_prior_4w / nullif(wt.all_prior_4w, 0) AS share_change_4w,
       coalesce(t.theme_id IN (SELECT theme_id FROM emerging_themes), false) AS emerging
FROM themes t
LEFT JOIN themes g ON g.theme_id = t.parent_id
LEFT JOIN stats s ON s.theme_id = t.theme_id
LEFT JOIN theme_journey j ON j.theme_id = t.theme_id
LEFT JOIN recent r ON r.theme_id = t.theme_id
CROSS JOIN everything e
CROSS JOIN week_totals wt
WHERE t.status = 'active' AND t.level = 2;

-- Journey stage x touchpoint: where customers speak up, how negative it is, and about what.
CREATE VIEW stage_touchpoint AS
WITH tagged AS (
    SELECT sj.journey_stage, sj.touchpoint, s.sentiment, st.theme_id
    FROM segment_journey sj
    JOIN segments s USING (segment_id)
    LEFT JOIN segment_themes st USING (segment_id)
), cells AS (
    SELECT journey_stage, touchpoint, count(*) AS volume,
           avg((sentiment < -0.05)::INTEGER) AS negative_share
    FROM tagged GROUP BY journey_stage, touchpoint
), theme_counts AS (
    SELECT journey_stage, touchpoint, theme_id, count(*) AS segments
    FROM tagged WHERE theme_id IS NOT NULL GROUP BY ALL
), top_theme AS (
    SELECT journey_stage, touchpoint, first(theme_id ORDER BY segments DESC, theme_id) AS top_theme_id,
           max(segments) AS top_theme_segments
    FROM theme_counts GROUP BY journey_stage, touchpoint
)
SELECT c.journey_stage, js.position AS stage_position, c.touchpoint, c.volume, c.negative_share,
       tt.top_theme_id, t.label AS top_theme_label, tt.top_theme_segments
FROM cells c
LEFT JOIN journey_stages js ON js.stage_id = c.journey_stage
LEFT JOIN top_theme tt USING (journey_stage, touchpoint)
LEFT JOIN themes t ON t.theme_id = tt.top_theme_id;
