-- Segments whose own words name no stage (tagged by meaning, or unknown) take the stage their
-- theme's pattern-tagged segments mostly have, when enough of them agree. Themes come from the
-- data: a clause like "had to stand in the garden to get a signal" says no stage word, but the
-- theme it belongs to is told, clause after clause, with usage words.
-- Runs over every such segment of the current taxonomy, so a run killed before it, or a theme
-- that gathers enough evidence later, is caught up by the next run.
-- Parameters: $run_id, $version, $min_share, $min_segments.
UPDATE segment_journey
SET journey_stage = d.journey_stage, journey_stage_method = 'theme',
    journey_stage_confidence = round(d.share, 4), run_id = $run_id
FROM segment_themes st, (
    SELECT theme_id, first(journey_stage ORDER BY segments DESC, journey_stage) AS journey_stage,
           max(segments) / sum(segments) AS share, sum(segments) AS rule_segments
    FROM (SELECT st.theme_id, sj.journey_stage, count(*) AS segments
          FROM segment_journey sj JOIN segment_themes st USING (segment_id)
          WHERE sj.journey_stage_method = 'rule' AND sj.taxonomy_version = $version AND st.theme_id IS NOT NULL
          GROUP BY ALL)
    GROUP BY theme_id
) d
WHERE segment_journey.segment_id = st.segment_id AND st.theme_id = d.theme_id
  AND segment_journey.journey_stage_method IN ('semantic', 'none')
  AND segment_journey.taxonomy_version = $version
  AND d.share >= $min_share AND d.rule_segments >= $min_segments;
