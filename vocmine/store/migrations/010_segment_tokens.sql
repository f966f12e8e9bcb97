-- The words of each segment as the journey rules read them, stored by enrichment (which has
-- already run the language model over the feedback) so tagging does not run it again.
-- Working data: not published. A segment enriched before this table existed has no row, and
-- the tag step reads its text with the language model instead.
CREATE TABLE segment_tokens (
    segment_id  VARCHAR NOT NULL,
    feedback_id VARCHAR NOT NULL,
    lemmas      VARCHAR[] NOT NULL,  -- lowercase lemmas, without punctuation and function words
    words       VARCHAR[] NOT NULL   -- the same tokens as written, lowercase; personal data as its placeholder
);
