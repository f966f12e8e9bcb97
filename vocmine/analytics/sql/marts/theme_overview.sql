-- Per active theme: how big, how negative, where in the journey, how it moved lately (its
-- share of the last 4 weeks in the data against the 4 weeks before). Counted two ways: `volume`
-- counts segments (how often it is said), `cases` feedback whose primary theme it is (how many
-- cases are about it), `cases_raising` feedback with it among their three themes. `narrative`:
-- filler long complaints raise whatever they are about (stg_narrative_themes), kept countable.
WITH scored AS (
    SELECT st.theme_id, s.sentiment, s.is_negative
    FROM segment_themes st JOIN stg_segments s USING (segment_id)
    WHERE st.theme_id IS NOT NULL
), stats AS (
    SELECT theme_id, count(*) AS volume, count(sentiment) AS scored_segments, avg(sentiment) AS avg_sentiment,
           avg(is_negative::INTEGER) AS negative_share
    FROM scored GROUP BY theme_id
), case_counts AS (  -- feedback, counted once per theme
    SELECT theme_id, count(DISTINCT feedback_id) FILTER (WHERE is_primary) AS cases,
           count(DISTINCT feedback_id) AS cases_raising
    FROM stg_feedback_themes GROUP BY theme_id
), everything AS (   -- every placed segment, including those that fit no theme
    SELECT count(*) AS segments FROM segment_themes
), last_weeks AS (   -- the last 8 weeks in the data: the 4 recent ones and the 4 before
    SELECT week, row_number() OVER (ORDER BY week DESC) <= 4 AS recent
    FROM (SELECT DISTINCT week FROM theme_weekly ORDER BY week DESC LIMIT 8)
), recent AS (       -- each theme's weekly volumes over those weeks (zero-filled)
    SELECT t.theme_id,
           list(coalesce(tw.volume, 0) ORDER BY w.week) FILTER (WHERE w.recent) AS last_4_weeks,
           sum(coalesce(tw.volume, 0)) FILTER (WHERE w.recent) AS volume_4w,
           sum(coalesce(tw.volume, 0)) FILTER (WHERE NOT w.recent) AS volume_prior_4w
    FROM stg_themes t
    CROSS JOIN last_weeks w
    LEFT JOIN theme_weekly tw ON tw.theme_id = t.theme_id AND tw.week = w.week
    GROUP BY t.theme_id
), week_totals AS (  -- all segments in the same weeks
    SELECT sum(tw.volume) FILTER (WHERE w.recent) AS all_4w, sum(tw.volume) FILTER (WHERE NOT w.recent) AS all_prior_4w
    FROM theme_weekly tw JOIN last_weeks w USING (week)
)
SELECT t.theme_id, t.label, t.group_label, coalesce(s.volume, 0) AS volume,
       coalesce(s.volume, 0) / nullif(e.segments, 0) AS share,
       coalesce(c.cases, 0) AS cases, coalesce(c.cases_raising, 0) AS cases_raising,
       coalesce(s.scored_segments, 0) AS scored_segments, s.avg_sentiment, s.negative_share,
       j.dominant_stage, j.dominant_touchpoint, t.first_seen, t.last_seen,
       r.last_4_weeks,
       r.volume_4w / nullif(wt.all_4w, 0) - r.volume_prior_4w / nullif(wt.all_prior_4w, 0) AS share_change_4w,
       coalesce(t.theme_id IN (SELECT theme_id FROM emerging_themes), false) AS emerging,
       coalesce(t.theme_id IN (SELECT theme_id FROM stg_narrative_themes WHERE is_narrative), false) AS narrative
FROM stg_themes t
LEFT JOIN stats s ON s.theme_id = t.theme_id
LEFT JOIN case_counts c ON c.theme_id = t.theme_id
LEFT JOIN theme_journey j ON j.theme_id = t.theme_id
LEFT JOIN recent r ON r.theme_id = t.theme_id
CROSS JOIN everything e
CROSS JOIN week_totals wt
