-- The key of the customer_id pseudonyms in the analysts' copy (store/publish.py writes it once, at the
-- first publication, unless [privacy] customer_key is set). Restricted: never published, since with it
-- anyone could test a guessed customer id against a pseudonym.
CREATE TABLE customer_key (
    key        BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
