-- Store one enriched batch: redacted text replaces the feedback text, segments are
-- replaced, the bookkeeping row records content hash and pipeline version, and the raw
-- text is dropped unless the config keeps it.
-- Inputs: batch_feedback, batch_segments (Arrow). Parameters: $version, $run_id, $keep_raw.
UPDATE feedback
SET text = b.text, language = b.language
FROM batch_feedback b
WHERE feedback.feedback_id = b.feedback_id;

DELETE FROM segments WHERE feedback_id IN (SELECT feedback_id FROM batch_feedback);

INSERT INTO segments
SELECT segment_id, feedback_id, position, text, language, sentiment, start_char, end_char,
       lemmas, key_phrases, $version, $run_id
FROM batch_segments;

DELETE FROM feedback_enrichment WHERE feedback_id IN (SELECT feedback_id FROM batch_feedback);

INSERT INTO feedback_enrichment
SELECT feedback_id, content_hash, $version, language, language_source, segments, pii_counts,
       brands, sentiment_method, $run_id, now()::TIMESTAMP
FROM batch_feedback;

DELETE FROM feedback_raw
WHERE NOT $keep_raw AND feedback_id IN (SELECT feedback_id FROM batch_feedback);
