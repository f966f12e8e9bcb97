-- Texts the embedding model failed on (found by halving the failed batch, vocmine.parallel) are
-- set aside: one row in quarantine per segment with that text (or, for a long feedback's whole
-- text, per feedback), with the error, where the feedback came from and the text. Only the
-- segment is set aside: its feedback stays, with its other segments; the segment gets no vector,
-- so theme discovery and placement leave it out, and journey tagging skips it.
-- The reason starts 'embedding by <model> failed': the embed step skips, for that model, every
-- text set aside so while quarantine keeps it (once retention empties raw, it is tried again).
-- This file is what goes to quarantine (vocmine.store.quarantine.set_aside).
-- Input: batch_failed(text_hash, reason) (Arrow). Parameters: $model, $whole_text.
SELECT f.source, coalesce(f.file, '') AS file, f.row_number,
       'embedding by ' || $model || ' failed on segment ' || s.segment_id || ': ' || b.reason AS reason,
       s.text AS raw, f.feedback_id
FROM batch_failed b
JOIN segments s ON md5(s.text) = b.text_hash
JOIN feedback f USING (feedback_id)
WHERE NOT $whole_text
UNION ALL
SELECT f.source, coalesce(f.file, ''), f.row_number,
       'embedding by ' || $model || ' failed on the whole text of feedback ' || f.feedback_id || ': ' || b.reason,
       f.text, f.feedback_id
FROM batch_failed b
JOIN feedback f ON md5(f.text) = b.text_hash
WHERE $whole_text
