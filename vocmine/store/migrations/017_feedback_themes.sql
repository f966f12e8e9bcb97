-- Themes per feedback, counted as cases ("how many complaints were about X"), beside themes
-- per segment ("how often is X said"). Written by vocmine.themes.cases after every theme step:
-- rows of new feedback and of feedback whose segments changed are (re)written, all of them
-- after a refit; the rest stay as they were, so a case keeps its theme night to night.
CREATE TABLE feedback_themes (
    feedback_id VARCHAR NOT NULL,
    theme_id    INTEGER NOT NULL,
    rank        INTEGER NOT NULL,   -- 1 = primary, 2 and 3 = secondary
    method      VARCHAR NOT NULL,   -- case | segments (see docs/analyst-guide.md)
    confidence  DOUBLE NOT NULL     -- case: cosine of the whole text to its kind of case; segments: the theme's share of the weight
);

-- Kinds of case: clusters of whole long feedback (their texts' embeddings), found at each refit,
-- each named by (filed under) the segment theme that sets its cases apart. New long feedback is
-- placed on the nearest centre. Working table of the same module; not for analysts.
CREATE TABLE case_centroids (
    theme_id INTEGER NOT NULL,      -- the segment theme the kind of case is filed under
    model    VARCHAR NOT NULL,      -- embedding model of the centroid
    centroid FLOAT[] NOT NULL,      -- L2-normalised mean of its cases' whole-text embeddings
    cases    INTEGER NOT NULL,      -- long feedback in it at the fit
    run_id   VARCHAR NOT NULL       -- the refit that found it
);

-- What the priorities' volume counts ([priorities] count in the config): 'segments' (how often
-- a theme is said) or 'cases' (how many feedback have it as their primary theme).
ALTER TABLE analysis_settings ADD COLUMN priorities_count VARCHAR DEFAULT 'segments';
