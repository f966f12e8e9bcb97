-- Candidate quotes: the team's segments of the given themes in the period, most typical first.
SELECT st.theme_id, s.text, f.source, f.kind, coalesce(f.received_at, f.ingested_at) AS received_at, f.rating,
       st.similarity
FROM team_segments ts
JOIN segments s USING (segment_id)
JOIN segment_themes st USING (segment_id)
JOIN feedback f ON f.feedback_id = ts.feedback_id
WHERE ts.team = $team AND list_contains($theme_ids, st.theme_id)
  AND coalesce(f.received_at, f.ingested_at) >= $start AND coalesce(f.received_at, f.ingested_at) < $end
ORDER BY st.theme_id, st.similarity DESC, s.segment_id;
