-- The themes analysts see: active themes (level 2; merged and retired ones and the theme
-- groups left out), each with the label of its theme group.
WITH theme AS (
    SELECT theme_id, label, parent_id, size, first_seen, last_seen
    FROM themes
    WHERE status = 'active' AND level = 2
), theme_group AS (
    SELECT theme_id AS parent_id, label AS group_label FROM themes
)
SELECT t.theme_id, t.label, g.group_label, t.size, t.first_seen, t.last_seen
FROM theme t
LEFT JOIN theme_group g USING (parent_id)
