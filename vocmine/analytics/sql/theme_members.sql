-- A sample of each active theme's segments with their cached embeddings, for matching assumed
-- priorities by what the themes hold: up to $nearest segments closest to the theme's centre
-- (its core) plus up to $random others picked by a seeded hash (the rest of its mix), so the
-- cost stays a few hundred vectors per theme however many segments there are.
WITH active AS (
    SELECT theme_id FROM themes WHERE status = 'active' AND level = 2 AND model = $model
), ranked AS (
    SELECT st.theme_id, st.segment_id,
           row_number() OVER (PARTITION BY st.theme_id ORDER BY st.similarity DESC, st.segment_id) AS nearness,
           row_number() OVER (PARTITION BY st.theme_id ORDER BY hash(st.segment_id || $seed), st.segment_id) AS draw
    FROM segment_themes st
    WHERE st.theme_id IN (SELECT theme_id FROM active)
), picked AS (
    SELECT theme_id, segment_id FROM ranked WHERE nearness <= $nearest OR draw <= $random
)
SELECT p.theme_id, e.vector
FROM picked p
JOIN segments s USING (segment_id)
JOIN embeddings e ON e.model = $model AND e.text_hash = md5(s.text)
ORDER BY p.theme_id, p.segment_id
