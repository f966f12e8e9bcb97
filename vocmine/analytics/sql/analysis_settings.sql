-- Replace the settings the analyst views read ($parameters come from the config).
DELETE FROM outcomes;
INSERT INTO outcomes SELECT outcome, column_name, metadata_key, better FROM new_outcomes;
DELETE FROM analysis_settings;
INSERT INTO analysis_settings (top_n, volume_weight, negativity_weight, growth_weight, impact_weight, impact_outcome,
                               lost_metadata_key, lost_values, lost_date_key, rarely_voiced_share, updated_at,
                               prior_strength, priorities_count)
VALUES ($top_n, $volume_weight, $negativity_weight, $growth_weight, $impact_weight, $impact_outcome,
        $lost_metadata_key, $lost_values, $lost_date_key, $rarely_voiced_share, now()::TIMESTAMP, $prior_strength,
        $priorities_count);
DELETE FROM assumed_priorities;
INSERT INTO assumed_priorities (assumption, position, theme_id, similarity, segment_share, name_similarity, model)
SELECT assumption, position, theme_id, similarity, segment_share, name_similarity, model FROM new_assumptions;
DELETE FROM teams;
INSERT INTO teams SELECT team, stages, touchpoints, theme_ids FROM new_teams;
