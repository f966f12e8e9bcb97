-- Per theme and outcome: the outcome where customers raised the theme vs. where they did not,
-- and how far the theme moves the overall figure. Counted per feedback (a theme raised twice
-- in one feedback counts once); only enriched feedback with a number counts.
WITH scored AS (
    SELECT fo.feedback_id, fo.outcome, fo.value
    FROM feedback_outcomes fo
    WHERE fo.feedback_id IN (SELECT feedback_id FROM stg_segments)
), overall AS (
    SELECT outcome, count(*) AS n, sum(value) AS total, sum(value * value) AS total_sq, avg(value) AS mean
    FROM scored GROUP BY outcome
), raised AS (
    SELECT DISTINCT s.feedback_id, st.theme_id
    FROM stg_segments s JOIN segment_themes st USING (segment_id)
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
), harmed AS (       -- harm: the impact signed so that positive makes the outcome worse
    SELECT c.*, oc.better,
           c.overall - c.mean_without AS impact,
           CASE oc.better WHEN 'higher' THEN c.mean_without - c.overall ELSE c.overall - c.mean_without END AS harm
    FROM compared c JOIN outcomes oc USING (outcome)
)
SELECT h.theme_id, t.label, h.outcome, h.better, h.feedback_with, h.feedback_without,
       h.mean_with, h.mean_without, h.mean_with - h.mean_without AS difference,
       sqrt(greatest(h.var_with, 0) / h.feedback_with
            + greatest(h.var_without, 0) / nullif(h.feedback_without, 0)) AS difference_se,
       h.overall, h.impact, h.harm,
       rank() OVER (PARTITION BY h.outcome ORDER BY h.harm DESC) AS harm_rank
FROM harmed h
JOIN stg_themes t ON t.theme_id = h.theme_id
