-- Segments whose words name no stage, with how close they came to each stage by meaning and the
-- stage mix of their theme's pattern-tagged segments (NULL where the theme has fewer than
-- $min_segments of them, or there is no theme). Both lists follow journey_stages.position.
-- Segments the theme's stage was given to before come back whatever their theme's evidence
-- now, so a stage the evidence no longer supports is taken back.
-- Parameters: $version, $min_segments.
WITH told AS (
    SELECT st.theme_id, sj.journey_stage, count(*) AS segments
    FROM segment_journey sj JOIN segment_themes st USING (segment_id)
    WHERE sj.journey_stage_method = 'rule' AND sj.taxonomy_version = $version AND st.theme_id IS NOT NULL
    GROUP BY ALL
), evidence AS (
    SELECT theme_id, sum(segments) AS told FROM told GROUP BY theme_id HAVING sum(segments) >= $min_segments
), shares AS (
    SELECT e.theme_id, list(coalesce(t.segments, 0) / e.told ORDER BY js.position) AS shares
    FROM evidence e CROSS JOIN journey_stages js
    LEFT JOIN told t ON t.theme_id = e.theme_id AND t.journey_stage = js.stage_id
    GROUP BY e.theme_id
)
SELECT sj.segment_id, sj.journey_stage, sj.journey_stage_method, ss.similarity, sh.shares
FROM segment_journey sj
JOIN segment_stage_similarity ss USING (segment_id)
LEFT JOIN segment_themes st USING (segment_id)
LEFT JOIN shares sh ON sh.theme_id = st.theme_id
WHERE sj.taxonomy_version = $version AND ss.taxonomy_version = $version
  AND (sj.journey_stage_method = 'theme' OR (sj.journey_stage_method IN ('semantic', 'none') AND sh.theme_id IS NOT NULL))
ORDER BY sj.segment_id
