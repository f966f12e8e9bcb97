-- Every segment's line as the boilerplate rules compare it, and each distinct line's spread.
-- A line is normalised so that the same formula with another name, number or handle is the
-- same line: personal-data placeholders become <kind>, @handles <handle> (leading and trailing
-- ones dropped: a reply's addressee), redacted "XXXX" x, a "-Becky" or "^AB" signature ^becky,
-- numbers 0, punctuation a space, all lowercase.
-- Output: temp table boilerplate_segments (one row per segment) and the query's rows, one per
-- (language, line): feedback, customers (feedback without a customer count as their own),
-- alone_share (feedback saying nothing else), lemmas (of one of its segments), segments.
CREATE OR REPLACE TEMP MACRO boilerplate_line(t) AS
    trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    regexp_replace(lower(regexp_replace(regexp_replace(t,
        '\[([A-Z][A-Z_]*)\]', ' <\1> ', 'g'),
        '@\w+', ' <handle> ', 'g')),
        '(^|\s)[-–—*~^]+(\pL)', '\1^\2', 'g'),
        '\b(x{2,}|x{2,}/x{2,}(/x{2,})?)\b', ' x ', 'g'),
        '\pN+', '0', 'g'),
        '[^\pL\pN<>^]+', ' ', 'g'),
        '^(\s*<handle>)+|(<handle>\s*)+$', ''),
        '\s+', ' ', 'g'),
        '^\s+|\s+$', ''));

CREATE OR REPLACE TEMP TABLE boilerplate_segments AS
SELECT s.segment_id, s.feedback_id, s.language, s.lemmas, f.customer_id,
       count(*) OVER (PARTITION BY s.feedback_id) AS feedback_segments,
       boilerplate_line(s.text) AS line
FROM segments s JOIN feedback f USING (feedback_id);

SELECT language, line,
       count(DISTINCT feedback_id) AS feedback,
       count(DISTINCT coalesce(customer_id, feedback_id)) AS customers,
       avg(CASE WHEN feedback_segments = 1 THEN 1.0 ELSE 0.0 END) AS alone_share,
       min(lemmas) AS lemmas,
       count(*) AS segments
FROM boilerplate_segments
GROUP BY language, line
ORDER BY language, line;
