-- Store one enriched batch: segments are replaced and the bookkeeping row records content hash
-- and pipeline version. (The redacted text goes to feedback through vocmine.store.feedback.)
-- Inputs: batch_feedback, batch_segments (Arrow). Parameters: $version, $run_id.

-- A segment's theme, journey tags and boilerplate flag belong to its text: where re-enrichment
-- changes the text or drops the segment, the change is recorded (one row per segment, the
-- latest), and the theme, tag and boilerplate steps drop their own rows of it and place it again.
CREATE OR REPLACE TEMP TABLE replaced_segments AS
SELECT s.segment_id, s.feedback_id FROM segments s LEFT JOIN batch_segments b USING (segment_id)
WHERE s.feedback_id IN (SELECT feedback_id FROM batch_feedback) AND (b.segment_id IS NULL OR b.text <> s.text);
DELETE FROM changed_segments WHERE segment_id IN (SELECT segment_id FROM replaced_segments);
INSERT INTO changed_segments SELECT segment_id, feedback_id, $run_id, now()::TIMESTAMP FROM replaced_segments;
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
