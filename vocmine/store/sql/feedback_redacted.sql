-- Enrichment's redacted text replaces the feedback text (vocmine.store.feedback.store_redacted),
-- and the raw text is dropped unless the config keeps it.
-- Input: batch_feedback(feedback_id, text, language) (Arrow). Parameters: $keep_raw.
UPDATE feedback
SET text = b.text, language = b.language
FROM batch_feedback b
WHERE feedback.feedback_id = b.feedback_id;

DELETE FROM feedback_raw
WHERE NOT $keep_raw AND feedback_id IN (SELECT feedback_id FROM batch_feedback);
