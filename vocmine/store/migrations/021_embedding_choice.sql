-- Which embedding model `[embedding] backend = "auto"` chose for this store, and why. The latest
-- row is in force: the embedding cache, the theme fits and the journey tagger all use its model,
-- so a store never mixes the vectors of two models in one theme space. Written by
-- vocmine/embed/choice.py only; a new row is added when auto decides again (before the first
-- theme fit, and at a theme refit).
CREATE TABLE embedding_choice (
    decided_at   TIMESTAMP NOT NULL,
    backend      VARCHAR NOT NULL,            -- the backend auto resolved to, e.g. 'minilm', 'e5'
    model        VARCHAR NOT NULL,            -- its cache key with version, as in embeddings.model
    segments     BIGINT NOT NULL,             -- segments the decision looked at
    other_share  DOUBLE NOT NULL,             -- share of them not in English
    languages    VARCHAR NOT NULL,            -- segments per language, e.g. 'en 7,940, pl 612'
    reason       VARCHAR NOT NULL             -- one line an analyst reads in `vocmine status`
);
