-- The top themes to act on: a weighted mean of volume, negativity, growth and impact, each
-- scaled to 0..1 across themes (see docs/analyst-guide.md for the formula).
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
ORDER BY priority_rank
