-- Assumed priorities matched by what themes hold (their segments), not only by their centre:
-- each match keeps its evidence, so an analyst sees why an assumption means a theme.
ALTER TABLE assumed_priorities ADD COLUMN segment_share DOUBLE;   -- share of the theme's (sampled) segments that mean the assumption
ALTER TABLE assumed_priorities ADD COLUMN name_similarity DOUBLE; -- best cosine to the theme's label or a keyword
