-- Segments the tagger failed on (found by halving the failed batch, vocmine.parallel) are set
-- aside: one row in quarantine per segment, with the error, where its feedback came from and the
-- segment's text. Only the segment is set aside: its feedback and other segments are tagged as
-- usual; it has no journey stage or touchpoint (an older tag is removed, not left stale), and the
-- tag step skips it while quarantine keeps its text (once retention empties raw, it is tried again).
-- Input: batch_failed(segment_id, reason) (Arrow). Parameters: $run_id.
INSERT INTO quarantine (run_id, source, file, row_number, reason, raw, quarantined_at, step, feedback_id)
SELECT $run_id, f.source, coalesce(f.file, ''), f.row_number,
       'journey tagging failed on segment ' || s.segment_id || ': ' || b.reason,
       s.text, now()::TIMESTAMP, 'tag', f.feedback_id
FROM batch_failed b
JOIN segments s USING (segment_id)
JOIN feedback f USING (feedback_id);

DELETE FROM segment_journey WHERE segment_id IN (SELECT segment_id FROM batch_failed);
DELETE FROM segment_stage_similarity WHERE segment_id IN (SELECT segment_id FROM batch_failed);
