-- One synthetic copy of the real processed corpus, for cost benchmarks only (never quality):
-- $n original feedback (after the $done a partial copy took), with every row a night touches (feedback, enrichment,
-- segments and their tokens, embeddings, themes, journey tags) copied under new ids ($sfx, e.g. '~3'),
-- distinct texts (so the embedding cache grows like a real corpus's), and dates $days
-- earlier (an older history, so trends and the emerging check read more weeks).
CREATE OR REPLACE TEMP TABLE copied AS
SELECT feedback_id FROM feedback WHERE NOT contains(feedback_id, '~') ORDER BY feedback_id LIMIT $n OFFSET $done;

INSERT INTO feedback
SELECT * REPLACE (feedback_id || $sfx AS feedback_id, external_id || $sfx AS external_id,
                  dedup_key || $sfx AS dedup_key, content_hash || $sfx AS content_hash,
                  customer_id || $sfx AS customer_id, received_at - to_days($days) AS received_at,
                  text || ' ' || $sfx AS text)
FROM feedback WHERE feedback_id IN (SELECT feedback_id FROM copied);

INSERT INTO feedback_enrichment
SELECT * REPLACE (feedback_id || $sfx AS feedback_id, content_hash || $sfx AS content_hash)
FROM feedback_enrichment WHERE feedback_id IN (SELECT feedback_id FROM copied);

INSERT INTO embeddings
SELECT e.model, md5(s.text || ' ' || $sfx), any_value(e.vector), any_value(e.run_id)
FROM segments s JOIN embeddings e ON e.text_hash = md5(s.text)
WHERE s.feedback_id IN (SELECT feedback_id FROM copied)
GROUP BY e.model, md5(s.text || ' ' || $sfx);

INSERT INTO segment_themes
SELECT st.* REPLACE (s.feedback_id || $sfx || '-' || s.position AS segment_id)
FROM segment_themes st JOIN segments s USING (segment_id)
WHERE s.feedback_id IN (SELECT feedback_id FROM copied);

INSERT INTO segment_journey
SELECT sj.* REPLACE (s.feedback_id || $sfx || '-' || s.position AS segment_id)
FROM segment_journey sj JOIN segments s USING (segment_id)
WHERE s.feedback_id IN (SELECT feedback_id FROM copied);

INSERT INTO segment_stage_similarity
SELECT ss.* REPLACE (s.feedback_id || $sfx || '-' || s.position AS segment_id)
FROM segment_stage_similarity ss JOIN segments s USING (segment_id)
WHERE s.feedback_id IN (SELECT feedback_id FROM copied);

INSERT INTO segment_tokens
SELECT * REPLACE (feedback_id || $sfx || '-' || split_part(segment_id, '-', -1) AS segment_id,
                  feedback_id || $sfx AS feedback_id)
FROM segment_tokens WHERE feedback_id IN (SELECT feedback_id FROM copied);

INSERT INTO segments
SELECT * REPLACE (feedback_id || $sfx || '-' || position AS segment_id, feedback_id || $sfx AS feedback_id,
                  text || ' ' || $sfx AS text)
FROM segments WHERE feedback_id IN (SELECT feedback_id FROM copied);
