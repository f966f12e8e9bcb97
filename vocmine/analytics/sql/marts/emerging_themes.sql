-- The themes the latest emerging-theme check flagged (the themes step writes every check to
-- theme_trends).
WITH latest_check AS (
    SELECT max(computed_at) AS computed_at FROM theme_trends
), flagged AS (
    SELECT tr.*
    FROM theme_trends tr JOIN latest_check USING (computed_at)
    WHERE tr.emerging
)
SELECT t.theme_id, t.label, fl.week, fl.volume, fl.share, fl.baseline_share, fl.z_score, fl.is_new, fl.reason
FROM flagged fl JOIN themes t USING (theme_id)
