-- Segments the tagger failed on (found by halving the failed batch, vocmine.parallel) are set
-- aside: one row in quarantine per segment, with the error, where its feedback came from and the
-- segment's text. Only the segment is set aside: its feedback and other segments are tagged as
-- usual; it has no journey stage or touchpoint (an older tag is removed, not left stale), and the
-- tag step skips it while quarantine keeps its text (once retention empties raw, it is tried again).
-- This file is what goes to quarantine (vocmine.store.quarantine.set_aside); untag.sql drops the
-- segments' tags. Input: batch_failed(segment_id, reason) (Arrow).
SELECT f.source, coalesce(f.file, '') AS file, f.row_number,
       'journey tagging failed on segment ' || s.segment_id || ': ' || b.reason AS reason,
       s.text AS raw, f.feedback_id
FROM batch_failed b
JOIN segments s USING (segment_id)
JOIN feedback f USING (feedback_id)
