-- The top themes to act on: a weighted mean of volume, negativity, growth and impact, each
-- scaled to 0..1 across themes (docs/analyst-guide.md, "priorities", has the formula).
-- A small theme's negative share and harm are mostly noise (eight segments can all be negative
-- by chance), so both start from the company-wide level as if the theme had prior_strength
-- segments there (analysis_settings; [priorities] in the config) and move to the theme's own
-- numbers as its segments outweigh them: the mean of a beta prior updated by the theme's
-- segments (empirical Bayes). Growth is not shrunk: a new theme still enters by growing.
-- Volume counts segments (how often a theme is said) or, with [priorities] count = "cases",
-- feedback whose primary theme it is (how many cases are about it); `counts` says which.
-- Narrative filler of long complaints (theme_overview.narrative: "I called them again") is
-- listed only when too few other themes are left to fill the list, as boilerplate is never
-- listed; it stays countable in theme_overview.
WITH cfg AS (
    SELECT * FROM analysis_settings LIMIT 1
), company AS (      -- the level a theme starts from: the share of all scored segments that are negative
    SELECT avg(is_negative::INTEGER) AS negative_share FROM stg_segments
), impact AS (
    SELECT d.theme_id, d.harm, d.feedback_with
    FROM theme_drivers d JOIN cfg ON d.outcome = cfg.impact_outcome
), base AS (
    SELECT o.theme_id, o.label, o.group_label,
           CASE WHEN cfg.priorities_count = 'cases' THEN o.cases ELSE o.volume END AS volume,
           o.volume AS segments, o.cases, o.share, o.scored_segments, o.negative_share, o.share_change_4w,
           o.emerging, o.narrative, o.dominant_stage, o.dominant_touchpoint, i.harm, i.feedback_with
    FROM theme_overview o LEFT JOIN impact i USING (theme_id) CROSS JOIN cfg
), shrunk AS (       -- the company-wide level counted as prior_strength segments (harm's level is 0)
    SELECT b.*,
           (coalesce(b.negative_share * b.scored_segments, 0) + cfg.prior_strength * c.negative_share)
               / nullif(b.scored_segments + cfg.prior_strength, 0) AS negative_share_shrunk,
           b.scored_segments + cfg.prior_strength AS evidence,
           b.harm * b.feedback_with / nullif(b.feedback_with + cfg.prior_strength, 0) AS harm_shrunk
    FROM base b CROSS JOIN cfg CROSS JOIN company c
), wilson AS (       -- the Wilson score interval of the shrunk share over its evidence, 95% (z = 1.96)
    SELECT s.*, confidence.z, confidence.z * confidence.z / s.evidence AS z2n
    FROM shrunk s CROSS JOIN (SELECT 1.96 AS z) confidence
), bounds AS (
    SELECT w.*,
           (w.negative_share_shrunk + w.z2n / 2) / (1 + w.z2n)
               - w.z / (1 + w.z2n) * sqrt(w.negative_share_shrunk * (1 - w.negative_share_shrunk) / w.evidence
                                          + w.z2n / (4 * w.evidence)) AS negative_share_low,
           (w.negative_share_shrunk + w.z2n / 2) / (1 + w.z2n)
               + w.z / (1 + w.z2n) * sqrt(w.negative_share_shrunk * (1 - w.negative_share_shrunk) / w.evidence
                                          + w.z2n / (4 * w.evidence)) AS negative_share_high
    FROM wilson w
), tops AS (         -- the list's maxima as one row, not max(...) OVER (): DuckDB's parallel window
                     -- (1.4.2 as analysts' tools bundle it, up to 1.5.5) fails now and then on a
                     -- whole-list window aggregate and invalidates the database (duckdb#22846, #25713)
    SELECT max(volume) AS volume, max(greatest(share_change_4w, 0)) AS growth, max(harm_shrunk) AS any_harm,
           max(greatest(harm_shrunk, 0)) AS harm
    FROM bounds
), components AS (
    SELECT b.*,
           b.volume / nullif(t.volume, 0) AS volume_score,
           coalesce(b.negative_share_shrunk, 0) AS negativity_score,
           coalesce(greatest(b.share_change_4w, 0) / nullif(t.growth, 0), 0) AS growth_score,
           CASE WHEN t.any_harm IS NULL THEN NULL
                ELSE coalesce(greatest(b.harm_shrunk, 0) / nullif(t.harm, 0), 0)
           END AS impact_score
    FROM bounds b CROSS JOIN tops t
), scored AS (
    SELECT c.*,
           (cfg.volume_weight * coalesce(volume_score, 0) + cfg.negativity_weight * negativity_score
            + cfg.growth_weight * growth_score + cfg.impact_weight * coalesce(impact_score, 0))
           / nullif(cfg.volume_weight + cfg.negativity_weight + cfg.growth_weight
                    + CASE WHEN impact_score IS NULL THEN 0 ELSE cfg.impact_weight END, 0) AS score,
           cfg.top_n
    FROM components c CROSS JOIN cfg
), ranked AS (
    SELECT *, row_number() OVER (ORDER BY narrative, score DESC, volume DESC, theme_id) AS priority_rank FROM scored
)
SELECT priority_rank, theme_id, label, group_label, score, volume_score, negativity_score, growth_score,
       impact_score, volume, coalesce(cfg.priorities_count, 'segments') AS counts, segments, cases, share, scored_segments, negative_share, negative_share_shrunk, negative_share_low,
       negative_share_high, share_change_4w, harm AS impact_harm, harm_shrunk AS impact_harm_shrunk, emerging, narrative,
       dominant_stage, dominant_touchpoint
FROM ranked CROSS JOIN cfg
WHERE priority_rank <= ranked.top_n
ORDER BY priority_rank
