-- Validate every staged row once: parse the typed fields and say, in words, what is wrong.
-- Input: temp view _staged(_row, external_id, text, received_at, channel, rating,
--        customer_id, language, metadata) with all fields as VARCHAR.
-- Parameters: $date_formats (strptime formats to try), $auto_dates (also accept ISO-8601),
--   $max_chars (ingest.max_text_chars), $earliest and $latest (the plausible received_at window).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH cleaned AS (
    SELECT
        _row,
        nullif(trim(external_id), '')  AS external_id,
        text,
        nullif(trim(received_at), '')  AS received_raw,
        nullif(trim(channel), '')      AS channel,
        nullif(trim(rating), '')       AS rating_raw,
        nullif(trim(customer_id), '')  AS customer_id,
        lower(nullif(trim(language), '')) AS language,
        metadata
    FROM _staged
),
parsed AS (
    SELECT
        *,
        -- a two-digit year (1/9/26) is read only as an explicit received_at_format says
        $auto_dates AND regexp_matches(received_raw, '^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(\D|$)') AS two_digit_year,
        coalesce(
            CASE WHEN $auto_dates THEN try_cast(received_raw AS TIMESTAMPTZ) END,
            try_strptime(received_raw, $date_formats)::TIMESTAMPTZ
        ) AT TIME ZONE 'UTC'                AS parsed_at,
        try_cast(rating_raw AS DOUBLE)      AS rating
    FROM cleaned
),
dated AS (
    SELECT * EXCLUDE (parsed_at),
           CASE WHEN NOT two_digit_year THEN parsed_at END AS received_at,
           parsed_at IS NOT NULL AND NOT two_digit_year
               AND (parsed_at < $earliest::TIMESTAMP OR parsed_at >= $latest::TIMESTAMP) AS implausible
    FROM parsed
)
SELECT
    * EXCLUDE (two_digit_year, implausible),
    concat_ws('; ',
        CASE WHEN text IS NULL OR trim(text) = '' THEN 'text is empty' END,
        CASE WHEN length(text) > $max_chars THEN
            'text is ' || length(text) || ' characters long, over ingest.max_text_chars (' || $max_chars || ')'
        END,
        CASE WHEN two_digit_year THEN
            'received_at ''' || received_raw || ''' has a two-digit year: set columns.received_at_format '
            || '(e.g. %d/%m/%y) to say how to read it'
        WHEN received_raw IS NOT NULL AND received_at IS NULL THEN
            'received_at ''' || received_raw || ''' is not a recognised date'
            || CASE WHEN regexp_matches(received_raw, '^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}')
                    THEN ' (day/month order is ambiguous: set columns.received_at_format)' ELSE '' END
        WHEN implausible THEN
            'received_at ''' || received_raw || ''' is outside the plausible window ' || $earliest::DATE
            || ' to ' || ($latest::DATE - 1) || ' (ingest.earliest_date, ingest.latest_days_ahead)'
        END,
        CASE WHEN rating_raw IS NOT NULL AND (rating IS NULL OR NOT isfinite(rating)) THEN
            'rating ''' || rating_raw || ''' is not a number'
        END
    ) AS reason
FROM dated;
