-- Store one enriched batch: redacted text replaces the feedback text, segments are
-- replaced, the bookkeeping row records content hash and pipeline version, and the raw
-- text is dropped unless the config keeps it.
-- Inputs: batch_feedback, batch_segments (Arrow). Parameters: $version, $run_id, $keep_raw.
UPDATE feedback
SET text = b.text, language = b.language
FROM batch_feedback b
WHERE feedback.feedback_id = b.feedback_id;

-- A segment's theme and journey tags belong to its text: where re-enrichment changes the
-- text or drops the segment, they go, and the next theme and tag steps place it again.
CREATE OR REPLACE TEMP TABLE replaced_segments AS
SELECT s.segment_id FROM segments s LEFT JOIN batch_segments b USING (segment_id)
WHERE s.feedback_id IN (SELECT feedback_id FROM batch_feedback) AND (b.segment_id IS NULL OR b.text <> s.text);
DELETE FROM segment_themes WHERE segment_id IN (SELECT segment_id FROM replaced_segments);
DELETE FROM segment_journey WHERE segment_id IN (SELECT segment_id FROM replaced_segments);
DELETE FROM segment_stage_similarity WHERE segment_id IN (SELECT segment_id FROM replaced_segments);
-- boilerplate flags are re-evaluated at the end of the run (vocmine.nlp.boilerplate)
DELETE FROM segment_boilerplate WHERE segment_id IN (SELECT segment_id FROM replaced_segments);
DROP TABLE replaced_segments;

DELETE FROM segments WHERE feedback_id IN (SELECT feedback_id FROM batch_feedback);
DELETE FROM segment_tokens WHERE feedback_id IN (SELECT feedback_id FROM batch_feedback);

INSERT INTO segments
SELECT segment_id, feedback_id, position, text, language, sentiment, start_char, end_char,
       lemmas, key_phrases, $version, $run_id
FROM batch_segments;

INSERT INTO segment_tokens SELECT segment_id, feedback_id, rule_lemmas, rule_words FROM batch_segments;

DELETE FROM feedback_enrichment WHERE feedback_id IN (SELECT feedback_id FROM batch_feedback);

INSERT INTO feedback_enrichment
SELECT feedback_id, content_hash, $version, language, language_source, segments, pii_counts,
       brands, sentiment_method, $run_id, now()::TIMESTAMP
FROM batch_feedback;

DELETE FROM feedback_raw
WHERE NOT $keep_raw AND feedback_id IN (SELECT feedback_id FROM batch_feedback);
