-- Assumed priorities matched by what themes hold (their segments), not only by their centre:
-- each match keeps its evidence, so an analyst sees why an assumption means a theme.
-- And themes per feedback (cases), beside themes per segment.
ALTER TABLE assumed_priorities ADD COLUMN segment_share DOUBLE;   -- share of the theme's (sampled) segments that mean the assumption
ALTER TABLE assumed_priorities ADD COLUMN name_similarity DOUBLE; -- best cosine to the theme's label or a keyword

-- Themes per feedback, counted as cases: the primary theme (rank 1) and up to two secondary
-- ones, chosen from the feedback's segments weighed by how specific their themes are.
CREATE TABLE feedback_themes (
    feedback_id VARCHAR NOT NULL,
    theme_id    INTEGER NOT NULL,
    rank        INTEGER NOT NULL,             -- 1 = primary, 2 and 3 = secondary
    method      VARCHAR NOT NULL,             -- 'segments': the feedback's segments, weighed by specificity
    confidence  DOUBLE NOT NULL               -- the theme's share of the feedback's weighted evidence
);
