-- Segments that are boilerplate (greetings, sign-offs, letter and chat formulas, template
-- headers, signatures), not what the customer has to say: kept out of themes, and therefore
-- out of priorities, drivers and report quotes. Written by vocmine.nlp.boilerplate at the end
-- of every enrichment run, which re-evaluates the whole corpus: a line that becomes frequent
-- later is added, a segment that no longer qualifies is released (its row deleted).
CREATE TABLE segment_boilerplate (
    segment_id  VARCHAR NOT NULL,
    feedback_id VARCHAR NOT NULL,
    language    VARCHAR NOT NULL,
    rule        VARCHAR NOT NULL,  -- greeting | signoff | header | formula | repeated | no_words
    reason      VARCHAR NOT NULL,  -- in words: the formula matched, or how often the line repeats
    line        VARCHAR NOT NULL,  -- the normalised line the rules compared
    run_id      VARCHAR NOT NULL,  -- the enrichment run that flagged it
    flagged_at  TIMESTAMP NOT NULL
);
